#!/usr/bin/env node
// The `press` command: runs the compiled CLI in dist/ (built by `make` or `npm run build:ts`).
import fs from "node:fs";

/**
 * The bundle (dist/bundle/, esbuild over dist/) when it is there and not older than what it was made
 * from: Node loads a few dozen files instead of about a thousand modules, and Press reaches its first
 * PDF about 0.4 s sooner (BENCHMARKS.md). Otherwise dist/'s modules, which do the same.
 */
function entry() {
  const bundle = new URL("../dist/bundle/press.mjs", import.meta.url);
  const modules = new URL("../dist/cli.js", import.meta.url);
  try {
    if (fs.statSync(bundle).mtimeMs >= fs.statSync(modules).mtimeMs) return bundle.href;
  } catch {
    // No bundle (or no dist/ at all, which the import below reports).
  }
  return modules.href;
}

const code = entry();
if (process.env.PRESS_TRACE) {
  process.stderr.write(`trace ${Math.round(performance.now())} entry ${code.slice(code.lastIndexOf("/dist/") + 1)}\n`);
}
const { main } = await import(code);

/**
 * Exit once the command is done and its output is out, rather than when nothing is left pending:
 * Puppeteer can leave a 30-second timer behind (a page being opened when its browser closed).
 */
function exit(code) {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (error) => {
  const debug = process.argv.includes("--debug");
  const text = error instanceof Error ? (debug ? error.stack : error.message) : String(error);
  console.error(`press: internal error: ${text}${debug ? "" : " (run with --debug for details)"}`);
  exit(2);
});
