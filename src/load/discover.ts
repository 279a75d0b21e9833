/** Which Markdown files a build covers, and the output path each one gets. */
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";

export interface Input {
  path: string;
  displayPath: string;
  /** `briefings/peacekeeping` for content/briefings/peacekeeping.md. */
  outputStem: string;
}

export class InputError extends Error {}

/**
 * Files are taken as given; folders are searched for `*.md` (not in dot-folders or node_modules),
 * and a folder named that holds none is the input's mistake.
 * Below `contentDir`, a file's output path is its path below `contentDir`; elsewhere it is its
 * path below the folder named (or just its name, for a file named directly).
 */
export function discoverInputs(
  inputs: string[],
  contentDir: string,
  cwd: string,
  warnings: Diagnostic[] = [],
): Input[] {
  const found = new Map<string, Input>();
  const broken: string[] = [];
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const stat = statOf(absolute, input);
    if (!stat) throw new InputError(`${input}: no such file or folder`);
    // Inside content/, outputs keep their path below content/ however the input was named.
    const inContent = !path.relative(contentDir, absolute).startsWith("..");
    if (stat.isDirectory()) {
      let files = 0;
      for (const file of walk(absolute, broken)) {
        add(found, file, inContent ? contentDir : absolute, cwd);
        files++;
      }
      // A build of nothing, "0 built" and exit 0, is how a mistyped path would pass in CI.
      if (files === 0) throw new InputError(`${input}: a folder with no Markdown files (*.md) in it`);
    } else if (!stat.isFile()) {
      // A pipe blocks the read until something writes to it, and a blocked read holds the process
      // past SIGTERM: a CI job would hang on it.
      throw new InputError(`${input}: not a regular file (a pipe, a device or a socket): Press reads files`);
    } else {
      add(found, absolute, inContent ? contentDir : path.dirname(absolute), cwd);
    }
  }
  const discovered = [...found.values()].sort((a, b) => a.outputStem.localeCompare(b.outputStem));
  refuseSharedOutputs(discovered);
  for (const link of broken) {
    const display = path.relative(cwd, link) || link;
    warnings.push(
      diagnostic(
        display,
        undefined,
        "warning",
        "inputs/broken-link",
        `a symbolic link to ${targetOf(link)}, which leads to no file: passed over`,
        "point the link at the document, or remove it",
      ),
    );
  }
  warnings.push(...caseCollisions(discovered));
  return discovered;
}

/** Where a symbolic link points, as it is written. */
function targetOf(link: string): string {
  try {
    return fs.readlinkSync(link);
  } catch {
    return "nothing";
  }
}

/**
 * Documents whose outputs differ only in case (`Guide.md` and `guide.md`): one file on macOS and
 * Windows, where one of the two would be lost when the output is copied there. Said, not refused:
 * on this file system both are written.
 */
function caseCollisions(inputs: Input[]): Diagnostic[] {
  const byStem = new Map<string, Input>();
  const said: Diagnostic[] = [];
  for (const input of inputs) {
    const key = input.outputStem.toLowerCase();
    const other = byStem.get(key);
    if (!other) {
      byStem.set(key, input);
      continue;
    }
    said.push(
      diagnostic(
        input.displayPath,
        undefined,
        "warning",
        "inputs/case",
        `${other.displayPath} and ${input.displayPath} are written to ${other.outputStem}.html and ${input.outputStem}.html: names that differ only in case are one file on macOS and Windows, where one would be lost`,
        "rename one of them",
      ),
    );
  }
  return said;
}

/** Two inputs that would write the same outputs (`a/notes.md` and `b/notes.md` named directly): only one would survive. */
function refuseSharedOutputs(inputs: Input[]): void {
  const byStem = new Map<string, Input>();
  for (const input of inputs) {
    const other = byStem.get(input.outputStem);
    if (other) {
      throw new InputError(
        `${other.displayPath} and ${input.displayPath} would both be written to ${input.outputStem}.html and .pdf: ` +
          "name their folder instead, build them with different --out folders, or rename one",
      );
    }
    byStem.set(input.outputStem, input);
  }
  // A deck writes `<stem>.handout.pdf` too: a document named `<stem>.handout.md` beside it would
  // write the same file, and one of the two PDFs be lost.
  for (const input of inputs) {
    const deck = byStem.get(input.outputStem.replace(/\.handout$/i, ""));
    if (deck && deck !== input && isDeck(deck.path)) {
      throw new InputError(
        `${input.displayPath} would be written to ${input.outputStem}.pdf, where the deck ${deck.displayPath} writes its handout: rename one`,
      );
    }
  }
}

/** Whether a file's front matter makes it a deck (`kind: slides`, or Marp's `marp: true`), read with the YAML reader. */
function isDeck(file: string): boolean {
  let head = "";
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buffer = Buffer.alloc(65_536);
      head = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  const front = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(head)?.[1];
  if (front === undefined) return false;
  try {
    const values = parseYaml(front, { schema: "core", customTags: [], maxAliasCount: 0 }) as Record<
      string,
      unknown
    > | null;
    return values?.kind === "slides" || values?.marp === true;
  } catch {
    return false;
  }
}

function add(found: Map<string, Input>, file: string, base: string, cwd: string): void {
  const relative = path.relative(base, file).split(path.sep).join("/");
  found.set(file, {
    path: file,
    displayPath: path.relative(cwd, file) || file,
    outputStem: relative.replace(/\.(md|markdown)$/i, ""),
  });
}

/** A file's or folder's stat, links followed; a loop of symbolic links is the input's mistake, said in one line. */
function statOf(absolute: string, input: string): fs.Stats | undefined {
  try {
    return fs.statSync(absolute, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP")
      throw new InputError(`${input}: a loop of symbolic links, which leads to no file`);
    throw error;
  }
}

/**
 * The Markdown files below `dir`. Symbolic links are followed, to files and to folders (each folder
 * once, by its real path, so that a link back up the tree ends); a broken or looping link to a
 * Markdown file leads to nothing, and is put in `broken` to be said.
 */
function* walk(root: string, broken: string[]): Generator<string> {
  // Real folders, all of them, before any link to a folder: a link `latest -> reports` (beside the
  // folder or anywhere before it) took the folder's documents under its own name, and `reports/`
  // was never written. A link to a folder already walked is passed over.
  const seen = new Set<string>([realPath(root)]);
  const links: string[] = [];
  yield* walkReal(root, seen, links, broken);
  for (let i = 0; i < links.length; i++) {
    const link = links[i] as string;
    const real = realPath(link);
    if (seen.has(real)) continue;
    seen.add(real);
    yield* walkReal(link, seen, links, broken);
  }
}

/** The Markdown files below `dir` through real folders; the links to folders met are kept for later. */
function* walkReal(dir: string, seen: Set<string>, links: string[], broken: string[]): Generator<string> {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const target = linked(full);
      if (target?.isDirectory()) links.push(full);
      else if (/\.(md|markdown)$/i.test(entry.name)) {
        if (target?.isFile()) yield full;
        else if (!target) broken.push(full);
      }
    } else if (entry.isDirectory()) {
      const real = realPath(full);
      if (seen.has(real)) continue;
      seen.add(real);
      yield* walkReal(full, seen, links, broken);
    } else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) yield full;
  }
}

/** What a symbolic link leads to, or undefined for a broken or looping one. */
function linked(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
