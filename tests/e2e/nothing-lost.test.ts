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

const DOCUMENTS = [
  "content/briefings/peacekeeping-participation.md",
  "content/decks/peacekeeping-participation.md",
  "tests/fixtures/nothing-lost/wide.md",
];

let out: string;
let report: BuildReport;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-lost-"));
  report = await build(resolveConfig({ inputs: DOCUMENTS, out }, REPO, {}));
});

/** The words a reader should find: the document's visible text (notes of slides excepted). */
async function sourceWords(file: string): Promise<string[]> {
  const doc = await parseText(fs.readFileSync(path.join(REPO, file), "utf8"), { file });
  const html = doc.meta.kind === "slides" ? doc.slides.map((s) => s.html).join(" ") : doc.bodyHtml;
  const text = html
    .replace(/<a[^>]*class="data-footnote-backref"[^>]*>.*?<\/a>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x26;|&amp;/g, "&")
    .replace(/&#x3C;|&lt;/g, "<")
    .replace(/&#x3E;|&gt;/g, ">")
    .replace(/&quot;|&#x22;/g, '"');
  return [
    ...new Set(
      text
        .split(/\s+/)
        .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
        .filter(Boolean),
    ),
  ];
}

const squash = (text: string) => text.replace(/\s+/g, "").toLowerCase();

describe("nothing lost", () => {
  it("builds every document", () => {
    expect(report.ok).toBe(true);
  });

  for (const file of DOCUMENTS) {
    it(`every word of ${file} is in its PDF's text layer`, async () => {
      const outputs = report.documents.find((d) => d.source === file)?.outputs ?? [];
      const pdfPath = outputs.find((o) => o.kind !== "handout" && o.format === "pdf")?.path;
      expect(pdfPath).toBeDefined();
      const text = squash((await readPdf(fs.readFileSync(pdfPath as string))).pageTexts.join(" "));
      const words = await sourceWords(file);
      expect(words.length).toBeGreaterThan(20);
      const missing = words.filter((word) => !text.includes(squash(word)));
      expect(missing).toEqual([]);
    });
  }
});
