/**
 * Shards share the work: over a generated corpus of 2,000 documents of very different sizes and
 * both kinds, every shard's estimated work is within 15 % of every other's, each document falls in
 * exactly one shard, and the split does not depend on the order the inputs come in.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverInputs, type Input } from "../../src/load/discover.js";
import { documentWeight, selectShard } from "../../src/load/shard.js";

/** A small deterministic generator (mulberry32): the same corpus every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deck(slides: number, words: number): string {
  const body = Array.from({ length: slides }, (_, i) => `# Slide ${i + 2}\n\n${"word ".repeat(words)}\n`);
  return `---\nkind: slides\ntitle: Deck\n---\n\n${body.join("\n---\n\n")}`;
}

function briefing(bytes: number): string {
  return `---\ntitle: Briefing\n---\n\n# Section\n\n${"Text of a briefing. ".repeat(Math.ceil(bytes / 20))}\n`;
}

/** 2,000 documents: most small, a long tail of large ones (up to 100 kB), a quarter of them decks. */
function corpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-shards-"));
  const next = random(16);
  for (let i = 0; i < 2000; i++) {
    const folder = path.join(dir, "content", `group-${i % 37}`);
    fs.mkdirSync(folder, { recursive: true });
    const scale = Math.exp(next() * 6); // 1 to 400, most near the bottom
    const text = next() < 0.25 ? deck(Math.ceil(scale / 8) + 2, 12) : briefing(Math.round(250 * scale));
    fs.writeFileSync(path.join(folder, `doc-${i}.md`), text);
  }
  return dir;
}

const weightOf = (input: Input) => documentWeight(fs.readFileSync(input.path, "utf8"));

describe("--shard i/n", () => {
  const dir = corpus();
  const inputs = discoverInputs(["content"], path.join(dir, "content"), dir);

  for (const count of [2, 3, 4, 8]) {
    it(`splits 2,000 documents into ${count} shards whose work is within 15 % of each other, each document in one`, () => {
      const parts = Array.from({ length: count }, (_, i) => selectShard(inputs, { shard: { index: i + 1, count } }));
      const stems = parts.flat().map((input) => input.outputStem);
      expect(stems.length).toBe(inputs.length);
      expect(new Set(stems).size).toBe(inputs.length);
      const work = parts.map((part) => part.reduce((sum, input) => sum + weightOf(input), 0));
      expect(Math.max(...work) / Math.min(...work)).toBeLessThan(1.15);
    });
  }

  it("makes the same split whatever the order of the inputs", () => {
    const shuffled = [...inputs].reverse();
    for (const index of [1, 2, 3]) {
      const a = selectShard(inputs, { shard: { index, count: 3 } }).map((i) => i.outputStem);
      const b = selectShard(shuffled, { shard: { index, count: 3 } }).map((i) => i.outputStem);
      expect(new Set(b)).toEqual(new Set(a));
    }
  });
});

describe("a document's weight", () => {
  it("grows with a briefing's text and a deck's slides; a deck's kind may come from the project's defaults", () => {
    expect(documentWeight(briefing(40_000))).toBeGreaterThan(documentWeight(briefing(10_000)) * 2);
    expect(documentWeight(deck(24, 10))).toBeGreaterThan(documentWeight(deck(12, 10)) * 1.5);
    // A deck costs more than a briefing of the same size: every slide is a page printed.
    const text = deck(12, 10);
    expect(documentWeight(text)).toBeGreaterThan(documentWeight(briefing(text.length)) * 2);
    const withoutKind = text.replace("kind: slides\n", "");
    expect(documentWeight(withoutKind, { kind: "slides" })).toBe(documentWeight(text) - "kind: slides\n".length);
  });
});
