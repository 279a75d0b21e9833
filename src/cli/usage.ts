/**
 * What the command line accepts: each command with its options and help, and the parsing that
 * holds a command to its own options (an option another command takes is an error, with "did you
 * mean" for a misspelt command or option).
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { didYouMean } from "../report/suggest.js";

export type CommandName = "build" | "release" | "check" | "watch" | "init" | "eject" | "browser" | "help";

interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** What the value is, for the help (`DIR`, `N`). */
  value?: string;
  description: string;
}

const OPTIONS = {
  out: { type: "string", short: "o", value: "DIR", description: "Output folder (default: output/)" },
  format: { type: "string", value: "LIST", description: "Comma-separated: html,pdf (default: both)" },
  concurrency: { type: "string", value: "N", description: "Pages rendered at once (default: the number of CPU cores)" },
  handout: {
    type: "string",
    value: "N",
    description: "Slides per handout page: 1, 2, 3, 4, 6 or 9 (default: front matter, else 3)",
  },
  strict: {
    type: "boolean",
    description:
      "Errors, not warnings: an image left out (missing, unsupported, remote), a slide that overflows, an unknown front matter key (release: always)",
  },
  force: { type: "boolean", description: "Rebuild everything, whatever the cache says" },
  timeout: {
    type: "string",
    value: "SECONDS",
    description: "Time limit for rendering one document (default 60); a crash or hang is retried once",
  },
  "parse-timeout": {
    type: "string",
    value: "SECONDS",
    description: "Time limit for parsing one document (default 10, more for a source over 256 KiB)",
  },
  pdf: { type: "boolean", description: "Check PDF files (the inputs) against PDF/UA-1 instead of Markdown" },
  shard: { type: "string", value: "I/N", description: "Build only part I of N (a deterministic split, for CI)" },
  reporter: {
    type: "string",
    value: "NAME",
    description: "plain, json (a summary on stdout) or github (workflow annotations; the default under GitHub Actions)",
  },
  debug: { type: "boolean", description: "Stack traces with errors" },
  merge: { type: "boolean", description: "Combine the output folders of shards (the inputs) into one release" },
  name: {
    type: "string",
    value: "NAME",
    description: "The release's name (default: press.config.yaml, else package.json)",
  },
  port: { type: "string", value: "N", description: "Port on 127.0.0.1 (default 8040; 0 picks a free one)" },
  "no-browser": {
    type: "boolean",
    description:
      "Skip the checks that need a browser (slide overflow; tables too wide are estimated instead of measured)",
  },
  install: { type: "boolean", description: "Install a browser when none is found" },
  help: { type: "boolean", short: "h", description: "Show this help" },
  version: { type: "boolean", short: "v", description: "Show the version" },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const BUILD_OPTIONS: OptionName[] = [
  "out",
  "format",
  "concurrency",
  "handout",
  "strict",
  "force",
  "timeout",
  "parse-timeout",
  "shard",
  "reporter",
  "debug",
];

interface CommandSpec {
  synopsis: string;
  summary: string;
  options: OptionName[];
  more?: string;
  /** What an option means for this command, where it is not what it means for a build. */
  meaning?: Partial<Record<OptionName, string>>;
}

export const COMMANDS: Record<CommandName, CommandSpec> = {
  build: {
    synopsis: "press build [inputs...]",
    summary: "Build Markdown files or folders (default: content/) into HTML and PDF",
    options: BUILD_OPTIONS,
    more: "`press FILE...` is short for `press build FILE...`.",
  },
  release: {
    synopsis: "press release [inputs...]  |  press release --merge DIR...",
    summary: "Build, then write manifest.json, index.html and release/<name>-<version>.tar.gz",
    options: [...BUILD_OPTIONS, "merge", "name"],
  },
  check: {
    synopsis: "press check [inputs...]",
    summary: "Check content without writing anything; exit 1 on errors",
    options: ["no-browser", "pdf", "strict", "reporter", "concurrency", "timeout", "parse-timeout", "debug"],
  },
  watch: {
    synopsis: "press watch [inputs...]",
    summary: "Build, serve the output on 127.0.0.1, rebuild and reload on save",
    options: [
      "out",
      "format",
      "concurrency",
      "handout",
      "strict",
      "timeout",
      "parse-timeout",
      "port",
      "reporter",
      "debug",
    ],
  },
  init: {
    synopsis: "press init [dir]",
    summary: "Start a project: content/ with a briefing and a deck, press.config.yaml, scripts, CI",
    options: ["force"],
    more: "Keeps what is there: scripts are added to an existing package.json, files that exist are left alone (--force replaces them).",
    meaning: { force: "Replace the files that exist with Press's" },
  },
  eject: {
    synopsis: "press eject [file...]",
    summary: "Copy built-in templates into templates/ to edit them (all of them when none is named)",
    options: ["force"],
    more: "Names are paths inside the templates, e.g. partials/cover.hbs, css/palette.css, locales/en.yaml.",
    meaning: { force: "Replace templates/ files that exist with Press's" },
  },
  browser: {
    synopsis: "press browser [--install]",
    summary: "Show the browser Press will use (--install: install one if there is none)",
    options: ["install"],
  },
  help: { synopsis: "press help [command]", summary: "Show the help of a command", options: [] },
};

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export class UsageError extends Error {}

export interface ParsedCommand {
  command: CommandName | undefined;
  positionals: string[];
  values: Partial<Record<OptionName, string | boolean>>;
}

/**
 * The command and its options. No command and a first word that names a Markdown file or an
 * existing path: `build`. Throws UsageError for an unknown command or an option the command does not take.
 */
export function parseCommandLine(argv: string[]): ParsedCommand {
  const loose = parseArgs({ args: argv, options: allOptions(), allowPositionals: true, strict: false, tokens: true });
  const first = loose.positionals[0];
  let command: CommandName | undefined;
  let positionals = loose.positionals;
  if (first !== undefined && (COMMAND_NAMES as string[]).includes(first)) {
    command = first as CommandName;
    positionals = positionals.slice(1);
  } else if (first !== undefined && looksLikeInput(first)) {
    command = "build";
  } else if (first !== undefined) {
    throw new UsageError(`unknown command "${first}"${didYouMean(first, COMMAND_NAMES)}`);
  }
  const allowed = new Set<OptionName>(["help", "version", ...(command ? COMMANDS[command].options : [])]);
  for (const token of loose.tokens ?? []) {
    if (token.kind !== "option") continue;
    const name = token.name as OptionName;
    if (allowed.has(name)) continue;
    const what = command ? `press ${command}` : "press";
    const suggestion = didYouMean(token.name, [...allowed], (n) => `--${n}`);
    const known = name in OPTIONS ? ` does not take ${token.rawName}` : `: unknown option ${token.rawName}`;
    throw new UsageError(`${what}${known}${suggestion}`);
  }
  const options = Object.fromEntries([...allowed].map((name) => [name, OPTIONS[name]]));
  try {
    const strict = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { command, positionals, values: strict.values as ParsedCommand["values"] };
  } catch (error) {
    throw new UsageError((error as Error).message.split(". ")[0] ?? String(error));
  }
}

function allOptions() {
  return Object.fromEntries(
    Object.entries(OPTIONS).map(([name, spec]) => [
      name,
      "short" in spec ? { type: spec.type, short: spec.short } : { type: spec.type },
    ]),
  );
}

/** `weekly.md`, `notes/`, `./x`: a file or folder to build, not a command. */
function looksLikeInput(word: string): boolean {
  return /\.(md|markdown)$/i.test(word) || /[\\/.]/.test(word) || fs.existsSync(word);
}

export function commandHelp(name: CommandName): string {
  const spec = COMMANDS[name];
  const lines = [`Usage: ${spec.synopsis}`, "", spec.summary];
  if (spec.more) lines.push("", spec.more);
  const options = [...spec.options, "help" as const];
  lines.push("", "Options:", ...options.map((option) => optionLine(option, spec.meaning?.[option])));
  return lines.join("\n");
}

export function generalHelp(): string {
  const commands = COMMAND_NAMES.map((name) => `  ${name.padEnd(10)}${COMMANDS[name].summary}`);
  return [
    "Usage: press <command> [options]",
    "       press FILE...            (the same as press build FILE...)",
    "",
    "Commands:",
    ...commands,
    "",
    "Run `press help <command>` or `press <command> --help` for a command's options.",
    "",
    "Options:",
    optionLine("help"),
    optionLine("version"),
    "",
    "Exit codes: 0 every document built; 1 one or more documents failed; 2 bad usage or configuration.",
  ].join("\n");
}

function flagText(name: OptionName): string {
  const spec: OptionSpec = OPTIONS[name];
  return `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.value ? ` ${spec.value}` : ""}`;
}

/** The width of the flags' column: the longest flag and two spaces (`--parse-timeout SECONDS` ran into its text). */
const FLAG_WIDTH = Math.max(...(Object.keys(OPTIONS) as OptionName[]).map((name) => flagText(name).length + 2));

function optionLine(name: OptionName, meaning?: string): string {
  return `  ${flagText(name).padEnd(FLAG_WIDTH)}${meaning ?? OPTIONS[name].description}`;
}

export function isCommand(word: string): word is CommandName {
  return (COMMAND_NAMES as string[]).includes(word);
}

export function suggestCommand(word: string): string {
  return didYouMean(word, COMMAND_NAMES);
}
