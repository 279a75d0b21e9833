/**
 * Sharded releases: the shards' outputs merged are byte for byte the release an unsharded build
 * makes: the same files in the output folder, the same manifest and catalogue, the same archive.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mergeRelease, release } from "../../src/release/release.js";
import { makeProject, projectConfig } from "../support/project.js";

const EPOCH = { SOURCE_DATE_EPOCH: "1767225600" };

const FILES = {
  "content/briefings/short.md": "---\ntitle: Short\nclassification: OFFICIAL\n---\n\n# Section\n\nText.\n",
  "content/briefings/long.md": `---\ntitle: Long\n---\n\n${Array.from({ length: 8 }, (_, i) => `# Part ${i + 1}\n\n${"A sentence of the long briefing. ".repeat(60)}\n`).join("\n")}`,
  "content/decks/deck.md": "---\nkind: slides\ntitle: Deck\nhandout: 2\n---\n\n# One\n\n- a\n\n---\n\n# Two\n\n- b\n",
  "content/notes.md": "---\ntitle: Notes\n---\n\nA note.\n",
};

function filesIn(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) files.set(name, fs.readFileSync(full));
  }
  return files;
}

describe("a sharded release", () => {
  it("merged, is byte for byte the unsharded release", async () => {
    const dir = makeProject(FILES);
    const full = await release(projectConfig(dir, { out: "full" }, EPOCH));
    if (!("archive" in full)) throw new Error("the unsharded release failed");
    const fullArchive = fs.readFileSync(full.archive);

    const shards = [1, 2].map((index) => path.join(dir, `shard-${index}`));
    for (const [i, out] of shards.entries()) {
      const result = await release(projectConfig(dir, { out, shard: `${i + 1}/2` }, EPOCH));
      expect("archive" in result).toBe(true);
      // Each shard built part of the set, not all of it.
      expect(result.build?.documents.length).toBeLessThan(Object.keys(FILES).length);
    }
    const merged = mergeRelease(projectConfig(dir, { out: path.join(dir, "merged") }, EPOCH), shards);

    const expected = filesIn(path.join(dir, "full"));
    const actual = filesIn(path.join(dir, "merged"));
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    expect([...expected.keys()]).toEqual(
      expect.arrayContaining(["deck.handout.pdf", "briefings/long.pdf"].map((p) => p.replace("deck", "decks/deck"))),
    );
    for (const [name, bytes] of expected) expect(actual.get(name)?.equals(bytes), name).toBe(true);
    expect(fs.readFileSync(merged.archive).equals(fullArchive)).toBe(true);
  });
});
