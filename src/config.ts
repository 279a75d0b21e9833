/** The build configuration: defaults, then press.config.yaml, then command-line flags; validated once. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { HANDOUT_LAYOUTS, type HandoutLayout } from "./document.js";
import { PACKAGE_ROOT } from "./package-root.js";
import type { FieldValues } from "./parse/front-matter.js";
import { PROJECT_FIELDS, PROJECT_SETTINGS } from "./parse/schema.js";
import { parseYamlBlock } from "./parse/yaml-block.js";
import { type Diagnostic, diagnostic, formatDiagnostic } from "./report/diagnostic.js";
import { readTheme, type Theme } from "./template/theme.js";

export type OutputFormat = "html" | "pdf";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["html", "pdf"];
export const CONFIG_FILE = "press.config.yaml";

export interface BuildConfig {
  /** The project root: nothing outside it is read into an output. */
  root: string;
  cwd: string;
  inputs: string[];
  contentDir: string;
  outDir: string;
  /** Where `release` writes its archive: `release/` at the root, or inside the folder `--out` names. */
  releaseDir: string;
  /** The templates folders, first wins: the project's `templates/` (when it has one), then Press's own. */
  templateDirs: string[];
  formats: Set<OutputFormat>;
  concurrency: number;
  /** Per-document time limit for the browser, in milliseconds. */
  timeout: number;
  /**
   * Time limit for what a document goes through before the browser (limits, parsing, transforms),
   * in milliseconds, for a source of up to 256 KiB; a larger one gets as much more as it is larger.
   */
  parseTimeout: number;
  /** Front matter defaults from the project file. */
  defaults: FieldValues;
  /** Project settings of the project file that are not defaults: the HTML policy, name, version. */
  settings: FieldValues;
  /** `theme:` in the project file: logo, colours, fonts, extra CSS. */
  theme: Theme;
  /** `--name`, over the project file's and package.json's. */
  name: string | undefined;
  debug: boolean;
  /** The time written into outputs (PDF dates). */
  buildDate: Date;
  /** `--handout N`: slides per handout page, over the front matter. */
  handout: HandoutLayout | undefined;
  /**
   * `--strict` (or `strict: true` in press.config.yaml; a release is always strict): an overflowing
   * slide and an image left out (missing, of an unsupported type, remote) are errors, not warnings.
   */
  strict: boolean;
  /** `--force`: rebuild everything, whatever the cache says. */
  force: boolean;
  /** Watch's first pass: write the HTML of what is out of date, quickly, and leave the cache alone. */
  preview?: boolean;
  /** `--shard i/n`: build only the i-th of n deterministic parts of the inputs. */
  shard: Shard | undefined;
  /** Whether the date is fixed (SOURCE_DATE_EPOCH or the last commit) rather than now; then it is part of every cache key. */
  dateIsFixed: boolean;
}

export interface Shard {
  index: number;
  count: number;
}

export interface ConfigFlags {
  inputs?: string[];
  out?: string;
  formats?: string;
  concurrency?: string;
  debug?: boolean;
  handout?: string;
  strict?: boolean;
  force?: boolean;
  shard?: string;
  timeout?: string;
  parseTimeout?: string;
  /** `--name`: what releases are called. */
  name?: string;
}

/** A configuration mistake: exit code 2. */
export class ConfigError extends Error {}

export { PACKAGE_ROOT };
export const BUILT_IN_TEMPLATES = path.join(PACKAGE_ROOT, "templates");

function ownPackage(): { name: string; version: string } {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
}

export function packageVersion(): string {
  return ownPackage().version;
}

/** Press's name on the npm registry. */
export function packageName(): string {
  return ownPackage().name;
}

/** The front matter defaults of the project file, apart from the settings that belong to the project. */
function splitSettings(values: FieldValues): { defaults: FieldValues; settings: FieldValues } {
  const defaults: FieldValues = {};
  const settings: FieldValues = {};
  for (const [key, value] of Object.entries(values)) {
    if ((PROJECT_SETTINGS as readonly string[]).includes(key)) settings[key] = value;
    else defaults[key] = value;
  }
  return { defaults, settings };
}

let ownCodeHash: string | undefined;

/**
 * A hash of Press's own code (the compiled dist/, or src/ when there is none), for the cache
 * key: a changed Press rebuilds everything, whether or not its version string changed.
 */
export function pressCodeHash(): string {
  if (ownCodeHash) return ownCodeHash;
  // The compiled dist/ whenever there is one, so that Press run from its sources (the test suite)
  // and from dist/ (the command) agree on what built an output.
  const compiled = path.join(PACKAGE_ROOT, "dist");
  const codeDir = fs.existsSync(compiled) ? compiled : path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256").update(packageVersion());
  const files = (fs.readdirSync(codeDir, { recursive: true, encoding: "utf8" }) as string[])
    .filter((file) => /\.(js|ts)$/.test(file))
    .sort();
  for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(codeDir, file)));
  ownCodeHash = hash.digest("hex");
  return ownCodeHash;
}

export function resolveConfig(flags: ConfigFlags, cwd = process.cwd(), env = process.env): BuildConfig {
  const root = findProjectRoot(cwd, flags.inputs ?? []);
  const projectFile = readProjectFile(root, cwd);
  const { defaults, settings } = splitSettings(projectFile);
  const theme = readTheme(root, settings.theme);
  if (theme.problems.length) {
    const file = path.join(root, CONFIG_FILE);
    const text = fs.readFileSync(file, "utf8");
    const shown = path.relative(cwd, file);
    throw new ConfigError(
      theme.problems
        .map(({ key, message, hint }) => {
          const place = themeKeyPlace(text, key);
          // Where the key is found (a block mapping under `theme:`), said as every other mistake is.
          if (place) return formatDiagnostic(diagnostic(shown, place, "error", "theme", message, hint));
          return `${shown}: ${message}${hint ? ` (${hint})` : ""}`;
        })
        .join("\n"),
    );
  }
  const projectTemplates = path.join(root, "templates");
  return {
    root,
    cwd,
    inputs: flags.inputs?.length ? flags.inputs : [path.relative(cwd, path.join(root, "content")) || "."],
    contentDir: path.join(root, "content"),
    outDir: path.resolve(cwd, flags.out ?? path.join(root, "output")),
    releaseDir: flags.out ? path.join(path.resolve(cwd, flags.out), "release") : path.join(root, "release"),
    templateDirs: fs.existsSync(projectTemplates) ? [projectTemplates, BUILT_IN_TEMPLATES] : [BUILT_IN_TEMPLATES],
    formats: parseFormats(flags.formats),
    concurrency: parseConcurrency(flags.concurrency),
    timeout: seconds(flags.timeout, 60, "--timeout"),
    parseTimeout: seconds(flags.parseTimeout, 10, "--parse-timeout"),
    defaults,
    settings,
    theme: theme.theme,
    name: flags.name,
    debug: flags.debug ?? false,
    ...buildDate(env, root),
    handout: parseHandout(flags.handout),
    strict: flags.strict ?? settings.strict === true,
    force: flags.force ?? false,
    shard: parseShard(flags.shard),
  };
}

/**
 * The project root: the nearest folder upwards from the working folder holding press.config.yaml;
 * else the nearest holding package.json or .git; else the working folder, or, when the inputs are
 * all outside it, the folder of the first input.
 */
/** The line and column of `key` in the block mapping under `theme:` of a project file, if it is written so. */
export function themeKeyPlace(text: string, key: string): { line: number; column: number } | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^theme[ \t]*:[ \t]*(#.*)?$/.test(line));
  if (start < 0) return undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\S/.test(line) && !line.startsWith("#")) break;
    const found = /^([ \t]+)(["']?)([^"'#]+?)\2[ \t]*:/.exec(line);
    if (found && found[3] === key) return { line: i + 1, column: (found[1]?.length ?? 0) + 1 };
  }
  return undefined;
}

export function findProjectRoot(cwd: string, inputs: readonly string[] = []): string {
  const start = path.resolve(cwd);
  const found = nearestHolding(start, [CONFIG_FILE]) ?? nearestHolding(start, ["package.json", ".git"]);
  if (found) return found;
  const absolute = inputs.map((input) => path.resolve(start, input));
  const outside = (file: string) => path.relative(start, file).startsWith("..");
  const first = absolute[0];
  if (first === undefined || !absolute.every(outside)) return start;
  return fs.statSync(first, { throwIfNoEntry: false })?.isDirectory() ? first : path.dirname(first);
}

function nearestHolding(start: string, names: string[]): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (names.some((name) => fs.existsSync(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readProjectFile(root: string, cwd: string): FieldValues {
  const file = path.join(root, CONFIG_FILE);
  if (!fs.existsSync(file)) return {};
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const { values, diagnostics } = parseYamlBlock(path.relative(cwd, file), text, { text, offset: 0 }, PROJECT_FIELDS, {
    where: CONFIG_FILE,
  });
  const errors = diagnostics.filter((d: Diagnostic) => d.severity === "error");
  if (errors.length) throw new ConfigError(errors.map(formatDiagnostic).join("\n"));
  return values;
}

function parseFormats(value: string | undefined): Set<OutputFormat> {
  if (value === undefined) return new Set(OUTPUT_FORMATS);
  const names = value
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !OUTPUT_FORMATS.includes(n as OutputFormat));
  if (unknown.length || names.length === 0) {
    throw new ConfigError(`--format takes a comma-separated list of ${OUTPUT_FORMATS.join(", ")} (got "${value}")`);
  }
  return new Set(names as OutputFormat[]);
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return Math.max(1, os.availableParallelism());
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new ConfigError(`--concurrency takes a whole number from 1 to 64 (got "${value}")`);
  return n;
}

function parseHandout(value: string | undefined): HandoutLayout | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!HANDOUT_LAYOUTS.includes(n as HandoutLayout)) {
    throw new ConfigError(`--handout takes one of ${HANDOUT_LAYOUTS.join(", ")} (got "${value}")`);
  }
  return n as HandoutLayout;
}

/** A time limit given in seconds, in milliseconds. */
function seconds(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) {
    throw new ConfigError(`${flag} takes a number of seconds up to 3600 (got "${value}")`);
  }
  return Math.round(n * 1000);
}

function parseShard(value: string | undefined): Shard | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new ConfigError(`--shard takes i/n with 1 ≤ i ≤ n, e.g. 2/4 (got "${value}")`);
  }
  return { index, count };
}

/**
 * The time written into outputs: SOURCE_DATE_EPOCH when set; else, in a git checkout, the last
 * commit's time (so two builds of one commit are byte-identical); else now.
 */
function buildDate(env: NodeJS.ProcessEnv, root: string): { buildDate: Date; dateIsFixed: boolean } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch) {
    if (!/^\d+$/.test(epoch)) {
      throw new ConfigError(`SOURCE_DATE_EPOCH must be a whole number of seconds (got "${epoch}")`);
    }
    return { buildDate: new Date(Number(epoch) * 1000), dateIsFixed: true };
  }
  const commit = lastCommitTime(root);
  return commit ? { buildDate: commit, dateIsFixed: true } : { buildDate: new Date(), dateIsFixed: false };
}

export function lastCommitTime(root: string): Date | undefined {
  const result = spawnSync("git", ["log", "-1", "--format=%ct"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const seconds = Number(result.stdout?.trim());
  return result.status === 0 && Number.isInteger(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}
