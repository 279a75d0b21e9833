/** The linear look for micromark's quadratic patterns: caught where they are, and never on real text. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PATHOLOGICAL } from "../../bench/pathological.mjs";
import { checkLimits } from "../../src/load/limits.js";
import { checkMarkup, MARKUP_LIMITS } from "../../src/load/markup-limits.js";

const { markersPerParagraph: LIMIT } = MARKUP_LIMITS;

describe("markup limits", () => {
  it("stop a paragraph with too many markers at the line and column of the one over the limit", () => {
    const text = `# Title\n\nFine *text*.\n\n${"a_ ".repeat(LIMIT)}b_ c_\n`;
    const found = checkMarkup("doc.md", text);
    expect(found).toMatchObject({ line: 5, column: 3 * LIMIT + 2, severity: "error", rule: "limits/markup" });
    expect(found?.message).toContain("one paragraph");
  });

  it("count a paragraph across its lines, and start again after a blank line", () => {
    const half = `${"*a* ".repeat(LIMIT / 4)}\n`;
    expect(checkMarkup("doc.md", `${half}${half}${half}`)).toMatchObject({ line: 3, rule: "limits/markup" });
    expect(checkMarkup("doc.md", `${half}\n${half}\n${half}`)).toBeUndefined();
  });

  it("leave real structures with many markers alone: code, tables, lists, headings, escapes, HTML", () => {
    const manyBold = "**a** ".repeat(100);
    const cases = [
      `\`\`\`c\n${"int *p = *q; /* [x] */\n".repeat(2000)}\`\`\`\n`,
      `~~~\n${"<<< ``` >>>\n".repeat(2000)}~~~\n`,
      `| a | b |\n|---|:-:|\n${`| ${manyBold} | _x_ |\n`.repeat(300)}`,
      `${"- **Name**: [link](u) and _more_\n".repeat(3000)}`,
      `${"1. **Step** `code` ~~old~~\n".repeat(3000)}`,
      `${"## A *heading* [x]\n".repeat(3000)}`,
      `${"\\*".repeat(10_000)}\n`,
      `<table>\n${"<tr><td>*x*</td><td>[y]</td></tr>\n".repeat(2000)}</table>\n`,
      `    ${"indented code *p ".repeat(2000)}\n`,
      `${"* * *\n\n".repeat(3000)}`,
    ];
    for (const text of cases) expect(checkMarkup("doc.md", text), text.slice(0, 40)).toBeUndefined();
  });

  it("stop a line that opens too many lists or quotations", () => {
    expect(checkMarkup("doc.md", `${"- ".repeat(MARKUP_LIMITS.containersPerLine + 1)}x\n`)).toMatchObject({
      line: 1,
      rule: "limits/nesting",
    });
    expect(checkMarkup("doc.md", `${"- ".repeat(20)}x\n`)).toBeUndefined();
  });

  it("stop a document where too many quotations or note definitions end before more text", () => {
    const notes = Array.from({ length: MARKUP_LIMITS.containerEnds + 2 }, (_, i) => `T[^${i}].\n\n[^${i}]: N.\n\n`);
    expect(checkMarkup("doc.md", notes.join(""))).toMatchObject({ rule: "limits/containers" });
    // Notes gathered at the end, but so many that the note extension's lists square the time.
    const many = MARKUP_LIMITS.notes + 1;
    const cited = Array.from({ length: many / 10 + 1 }, (_, p) =>
      Array.from({ length: 10 }, (_, j) => `w[^${p * 10 + j}]`).join(" "),
    ).join("\n\n");
    expect(checkMarkup("doc.md", `${cited}\n`)).toMatchObject({
      rule: "limits/notes",
      message: `more than ${MARKUP_LIMITS.notes.toLocaleString("en")} note references: parsing the document would take minutes`,
    });
    const defined = Array.from({ length: many }, (_, i) => `[^${i}]: N${i}`).join("\n");
    expect(checkMarkup("doc.md", `Text.\n\n${defined}\n`)).toMatchObject({ rule: "limits/notes" });
    // A few hundred, as a long report has: fine.
    const report = Array.from({ length: 300 }, (_, i) => `Claim[^${i}].`).join(" ");
    const sources = Array.from({ length: 300 }, (_, i) => `[^${i}]: Source ${i}.`).join("\n");
    expect(checkMarkup("doc.md", `${report}\n\n${sources}\n`)).toBeUndefined();
    // Gathered at the end, as most documents do, the same notes are fine.
    const refs = notes.map((_, i) => `T[^${i}].\n\n`).join("");
    const definitions = notes.map((_, i) => `[^${i}]: N.\n    More of note ${i}.\n\n`).join("");
    expect(checkMarkup("doc.md", refs + definitions)).toBeUndefined();
    // And on consecutive lines, each a block of its own whose label is no inline markup.
    const tight = Array.from({ length: 5000 }, (_, i) => `[^${i}]: Note *${i}*.\n`).join("");
    expect(checkMarkup("doc.md", refs + tight)).toBeUndefined();
  });

  it("catch every pathological class that the other limits do not", () => {
    // Handled elsewhere in linear time, without a limit: long words (long-words.ts), container lines (pandoc-divs.ts).
    const slow = new Set([
      "a word of 120,000 letters",
      "long words in a paragraph",
      "container lines of spaces and colons",
    ]);
    for (const { name, text } of PATHOLOGICAL) {
      const found = checkLimits(`${name}.md`, text);
      if (found) expect(found.rule, name).toMatch(/^limits\//);
      else expect(slow.has(name) || /table|reference|footnote/.test(name), name).toBe(true);
    }
  });

  it("find nothing in any Markdown file of the repository", () => {
    const root = path.resolve(import.meta.dirname, "../..");
    const files = fs
      .readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".md") && !file.startsWith("node_modules") && !file.includes("hostile"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      expect(checkMarkup(file, fs.readFileSync(path.join(root, file), "utf8")), file).toBeUndefined();
    }
  });
});
