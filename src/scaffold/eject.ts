/**
 * `press eject [file…]`: copy built-in templates into the project's templates/ to edit them. A
 * project's templates/ overrides Press's file by file, so ejecting one partial changes only that.
 */
import fs from "node:fs";
import path from "node:path";
import { BUILT_IN_TEMPLATES, ConfigError } from "../config.js";
import { didYouMean } from "../report/suggest.js";
import { writeFileAtomic } from "../write/atomic.js";

/** Every file of the built-in templates, as a path inside them (`partials/cover.hbs`). */
export function builtInTemplateFiles(): string[] {
  return (fs.readdirSync(BUILT_IN_TEMPLATES, { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => fs.statSync(path.join(BUILT_IN_TEMPLATES, file)).isFile())
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

export function ejectTemplates(root: string, names: string[], options: { force?: boolean } = {}): { lines: string[] } {
  const all = builtInTemplateFiles();
  const wanted = names.length === 0 ? all : names.map((name) => resolveName(name, all));
  const lines: string[] = [];
  for (const file of wanted) {
    const target = path.join(root, "templates", file);
    const shown = path.relative(process.cwd(), target) || target;
    if (fs.existsSync(target) && !options.force) {
      lines.push(`kept ${shown} (it exists; --force replaces it)`);
      continue;
    }
    writeFileAtomic(target, fs.readFileSync(path.join(BUILT_IN_TEMPLATES, file)));
    lines.push(`copied ${shown}`);
  }
  return { lines };
}

/** `cover`, `cover.hbs`, `partials/cover.hbs` and `templates/partials/cover.hbs` all name one file. */
function resolveName(name: string, all: string[]): string {
  const clean = name.replace(/\\/g, "/").replace(/^(\.\/)?templates\//, "");
  const match =
    all.find((file) => file === clean) ??
    all.find((file) => path.posix.basename(file) === clean) ??
    all.find((file) => path.posix.basename(file).replace(/\.[^.]+$/, "") === clean);
  if (!match) {
    throw new ConfigError(`eject: no built-in template "${name}"${didYouMean(clean, all)} (have: ${all.join(", ")})`);
  }
  return match;
}
