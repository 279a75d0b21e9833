#!/usr/bin/env node
// The `press` command: runs the compiled CLI in dist/ (built by `make` or `npm run build:ts`).
import { main } from "../dist/cli.js";

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
