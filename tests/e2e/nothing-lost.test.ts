/**
 * Nothing lost: for every document of content/ and of the test corpus, every word of the source's
 * text is in the PDF's text layer: wide tables, long words, long addresses and long code lines
 * wrap or scale instead of being cut off.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { parseText, REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";
import { squash, wordsOf } from "../support/words.js";

const CONTENT = fs
  .readdirSync(path.join(REPO, "content"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".md"))
  .map((f) => `content/${f}`)
  .sort();
const DOCUMENTS = [
  ...CONTENT,
  "tests/fixtures/nothing-lost/wide.md",
  "tests/fixtures/nothing-lost/folded.md",
  "tests/fixtures/nothing-lost/deep-list.md",
  "tests/fixtures/nothing-lost/deep-quote.md",
];

let out: string;
let report: BuildReport;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-lost-"));
  report = await build(resolveConfig({ inputs: DOCUMENTS, out }, REPO, {}));
});

/** The words a reader should find: the document's visible text (notes of slides excepted). */
async function sourceWords(file: string): Promise<string[]> {
  const doc = await parseText(fs.readFileSync(path.join(REPO, file), "utf8"), { file, assets: "repository" });
  const html = doc.meta.kind === "slides" ? doc.slides.map((s) => s.html).join(" ") : doc.bodyHtml;
  const text = html
    .replace(/<a[^>]*class="data-footnote-backref"[^>]*>.*?<\/a>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x26;|&amp;/g, "&")
    .replace(/&#x3C;|&lt;/g, "<")
    .replace(/&#x3E;|&gt;/g, ">")
    .replace(/&quot;|&#x22;/g, '"');
  return wordsOf(text);
}

describe("nothing lost", () => {
  it("builds every document", () => {
    expect(report.ok).toBe(true);
  });

  for (const file of DOCUMENTS) {
    it(`every word of ${file} is in its PDF's text layer`, async () => {
      const outputs = report.documents.find((d) => d.source === file)?.outputs ?? [];
      const pdfPath = outputs.find((o) => o.kind !== "handout" && o.format === "pdf")?.path;
      expect(pdfPath).toBeDefined();
      const pdf = await readPdf(fs.readFileSync(pdfPath as string));
      // Right-to-left pages are read from their right edge; both readings count.
      const text = squash([...pdf.pageTexts, ...pdf.rightToLeftTexts].join(" "));
      const words = await sourceWords(file);
      expect(words.length).toBeGreaterThan(20);
      // A range of numbers in right-to-left text is laid out from right to left: 1989–1999 reads
      // 1999–1989 from the left edge.
      const forms = (word: string) => [
        word,
        word
          .split(/([–-])/)
          .reverse()
          .join(""),
      ];
      const missing = words.filter((word) => !forms(word).some((form) => text.includes(squash(form))));
      expect(missing, missing.join(" | ")).toEqual([]);
    });
  }
});
