#!/usr/bin/env node
// The `press` command: runs the compiled CLI in dist/ (built by `make` or `npm run build:ts`).
import { main } from "../dist/cli.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const debug = process.argv.includes("--debug");
    const text = error instanceof Error ? (debug ? error.stack : error.message) : String(error);
    console.error(`press: internal error: ${text}${debug ? "" : " (run with --debug for details)"}`);
    process.exitCode = 2;
  },
);
