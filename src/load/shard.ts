/**
 * `--shard i/n`: which documents shard i of n builds. The shards share the work, not only the
 * documents: each document is weighed by an estimate of its cost, from its source (its size; for a
 * deck, its slides, each printed), and the documents are dealt heaviest first to the shard with the
 * least work so far. The estimate is read from the sources alone, so every shard of a CI matrix,
 * given the same checkout and inputs, makes the same split: every document falls in exactly one.
 */
import fs from "node:fs";
import type { Shard } from "../config.js";
import type { FieldValues } from "../parse/front-matter.js";
import type { Input } from "./discover.js";

/**
 * What a document costs besides its text, in bytes of briefing text that cost the same: a page
 * opened, a print, a PDF read back and finished. A deck's slide costs a page of its own (and a
 * place on a handout page). From `make bench`: a 17 kB briefing and a 12-slide deck of 2.5 kB cost
 * about the same.
 */
const DOCUMENT_COST = 4096;
const SLIDE_COST = 1200;

/** The estimated cost of building a document from its source text. */
export function documentWeight(text: string, defaults: FieldValues = {}): number {
  const bytes = Buffer.byteLength(text);
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(text)?.[1];
  const kind = /^kind:\s*["']?(\w+)/m.exec(frontMatter ?? "")?.[1] ?? defaults.kind;
  if (kind !== "slides") return DOCUMENT_COST + bytes;
  // The title slide, and one more at every line holding only `---` after the front matter.
  const body = frontMatter === undefined ? text : text.slice(text.indexOf("---", 3) + 3);
  const slides = 1 + (body.match(/^---[ \t]*$/gm)?.length ?? 0) + (body.trim() ? 1 : 0);
  return DOCUMENT_COST + slides * SLIDE_COST + bytes;
}

/** The part of `weights` (one per input) that shard `index` of `count` builds: their positions. */
export function dealByWeight(weights: { key: string; weight: number }[], count: number): number[][] {
  const order = weights
    .map((w, position) => ({ ...w, position }))
    .sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const loads = new Array<number>(count).fill(0);
  const parts: number[][] = Array.from({ length: count }, () => []);
  for (const { weight, position } of order) {
    let lightest = 0;
    for (let shard = 1; shard < count; shard++) if ((loads[shard] ?? 0) < (loads[lightest] ?? 0)) lightest = shard;
    loads[lightest] = (loads[lightest] ?? 0) + weight;
    parts[lightest]?.push(position);
  }
  return parts;
}

/** The inputs of shard i of n, in the order given. */
export function selectShard(
  inputs: Input[],
  config: { shard: Shard | undefined; defaults?: FieldValues },
  weigh: (input: Input) => number = (input) => documentWeight(readOrEmpty(input.path), config.defaults),
): Input[] {
  const { shard } = config;
  if (!shard) return inputs;
  const parts = dealByWeight(
    inputs.map((input) => ({ key: input.outputStem, weight: weigh(input) })),
    shard.count,
  );
  const mine = new Set(parts[shard.index - 1]);
  return inputs.filter((_, position) => mine.has(position));
}

/** A source that cannot be read weighs as an empty one (the build reports it, in whichever shard). */
function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
