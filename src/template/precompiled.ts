/**
 * Press's own templates, compiled by Handlebars when Press is built (`npm run bundle`) rather than
 * in every build: compiling them took about 130 ms of the main thread at the start of each build,
 * while the browser was opening its first page (BENCHMARKS.md). Only Press's own templates are
 * compiled ahead, into Press's own folder: a template of a project is compiled when it is used, and
 * no compiled code is ever read from a project. A template is found by a hash of its text and the
 * Handlebars version, so a changed or overridden template simply misses.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Handlebars from "handlebars";
import { PACKAGE_ROOT } from "../package-root.js";

const require = createRequire(import.meta.url);

/**
 * How every template is compiled: a missing field fails with the template's name and line. A new
 * object each time: Handlebars writes its defaults into the options it is given.
 */
export function compileOptions(): { strict: boolean } {
  return { strict: true };
}

const FILE = path.join(PACKAGE_ROOT, "dist", "templates.precompiled.json");

function key(handlebars: typeof Handlebars, source: string): string {
  return createHash("sha256")
    .update(`${handlebars.VERSION}\0${JSON.stringify(compileOptions())}\0${source}`)
    .digest("hex");
}

let specs: Map<string, string> | undefined;

/** The compiled form of `source`, when it is one of Press's own templates as built; else undefined. */
export function precompiled(handlebars: typeof Handlebars, source: string): string | undefined {
  if (!specs) {
    try {
      specs = new Map(Object.entries(JSON.parse(fs.readFileSync(FILE, "utf8")) as Record<string, string>));
    } catch {
      specs = new Map();
    }
  }
  return specs.get(key(handlebars, source));
}

/** Compile every template of Press's own folder and write them beside its compiled code. */
export function writePrecompiled(): void {
  const handlebars = require("handlebars") as typeof Handlebars;
  const dir = path.join(PACKAGE_ROOT, "templates");
  const out: Record<string, string> = {};
  const files = (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }) as string[]).filter((f) =>
    f.endsWith(".hbs"),
  );
  for (const file of files.sort()) {
    const source = fs.readFileSync(path.join(dir, file), "utf8");
    out[key(handlebars, source)] = handlebars.precompile(source, compileOptions()) as string;
  }
  fs.writeFileSync(FILE, `${JSON.stringify(out)}\n`);
}
