/**
 * `press init [dir]`: a user's project. content/ with a briefing and a deck, press.config.yaml,
 * package.json scripts (added to one that exists), .gitignore lines, a CI workflow that uses the
 * runner's Chrome, and a README. What exists is kept: files are left alone (unless `force`), an
 * existing package.json only gains the scripts and the dependency it lacks.
 */
import fs from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { PACKAGE_ROOT, packageName, packageVersion } from "../config.js";
import { writeFileAtomic } from "../write/atomic.js";

const SCAFFOLD = path.join(PACKAGE_ROOT, "scaffold");

export const SCRIPTS: Record<string, string> = {
  build: "press build",
  check: "press check",
  watch: "press watch",
  release: "press release",
};

/** Scaffold file → where it goes in the project. */
const FILES: [string, string][] = [
  ["content/briefings/weekly-update.md", "content/briefings/weekly-update.md"],
  ["content/decks/overview.md", "content/decks/overview.md"],
  ["press.config.yaml", "press.config.yaml"],
  ["workflows/press.yml", ".github/workflows/press.yml"],
  ["README.md", "README.md"],
];

export interface InitResult {
  lines: string[];
}

export function initProject(dir: string, options: { force?: boolean } = {}): InitResult {
  fs.mkdirSync(dir, { recursive: true });
  const name = projectName(dir);
  const lines: string[] = [];
  const show = (file: string) => path.relative(process.cwd(), path.join(dir, file)) || file;
  for (const [from, to] of FILES) {
    const target = path.join(dir, to);
    if (fs.existsSync(target) && !options.force) {
      lines.push(`kept ${show(to)} (it exists; --force replaces it)`);
      continue;
    }
    // In a YAML file a value is written as YAML: "@scope/name", or one holding ": " or " #", is
    // quoted by the yaml package (a plain @ or # would make the file invalid or cut the value).
    const value = /\.ya?ml$/.test(to) ? yamlScalar : (text: string) => text;
    const text = fs
      .readFileSync(path.join(SCAFFOLD, from), "utf8")
      .replaceAll("{{name}}", value(name))
      .replaceAll("{{package}}", value(packageName()));
    writeFileAtomic(target, text);
    lines.push(`created ${show(to)}`);
  }
  lines.push(mergeGitignore(dir, show));
  lines.push(mergePackageJson(dir, name, show));
  lines.push("", "Next: npm install, then npm run build (outputs in output/).");
  return { lines };
}

/** One YAML scalar, quoted and escaped where it must be, on one line. */
export function yamlScalar(text: string): string {
  return stringify(text, { lineWidth: 0, blockQuote: false }).trimEnd();
}

/** The folder's name as a package name: lower case, dashes. */
function projectName(dir: string): string {
  const packageFile = path.join(dir, "package.json");
  if (fs.existsSync(packageFile)) {
    const name = (readJson(packageFile) as { name?: unknown }).name;
    if (typeof name === "string" && name) return name;
  }
  return (
    path
      .basename(path.resolve(dir))
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[-._]+|-+$/g, "") || "documents"
  );
}

function mergeGitignore(dir: string, show: (file: string) => string): string {
  const file = path.join(dir, ".gitignore");
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const have = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  const wanted = fs
    .readFileSync(path.join(SCAFFOLD, "gitignore"), "utf8")
    .split("\n")
    .filter((line) => line && !have.has(line) && !have.has(`/${line}`));
  if (wanted.length === 0) return `kept ${show(".gitignore")}`;
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  writeFileAtomic(file, `${existing}${separator}${wanted.join("\n")}\n`);
  return `${existing ? "added to" : "created"} ${show(".gitignore")}: ${wanted.join(" ")}`;
}

/**
 * Scripts Press runs by, and Press itself as a dependency; an existing package.json keeps every
 * field and script it has (a script name taken by something else gets a `press:` prefix instead).
 */
function mergePackageJson(dir: string, name: string, show: (file: string) => string): string {
  const file = path.join(dir, "package.json");
  const existed = fs.existsSync(file);
  const pkg = (existed ? readJson(file) : { name, private: true }) as Record<string, unknown>;
  const scripts = { ...((pkg.scripts as Record<string, string> | undefined) ?? {}) };
  const added: string[] = [];
  for (const [script, command] of Object.entries(SCRIPTS)) {
    if (Object.values(scripts).includes(command)) continue;
    const key = scripts[script] === undefined ? script : `press:${script}`;
    if (scripts[key] !== undefined) continue;
    scripts[key] = command;
    added.push(key);
  }
  pkg.scripts = scripts;
  const own = packageName();
  const dependencies = (pkg.dependencies as Record<string, string> | undefined) ?? {};
  const devDependencies = (pkg.devDependencies as Record<string, string> | undefined) ?? {};
  let dependency = "";
  if (!dependencies[own] && !devDependencies[own]) {
    pkg.devDependencies = { ...devDependencies, [own]: `^${packageVersion()}` };
    dependency = `, ${own} as a dev dependency`;
  }
  writeFileAtomic(file, `${JSON.stringify(pkg, null, 2)}\n`);
  const what = added.length ? `scripts ${added.join(", ")}` : "no scripts (they are there)";
  return `${existed ? "added to" : "created"} ${show("package.json")}: ${what}${dependency}`;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new InitError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A project folder Press cannot add to: exit code 2. */
export class InitError extends Error {}
