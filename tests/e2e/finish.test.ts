/**
 * Finishing real Chromium prints: Press's own splicing finisher (finish-plain.ts) against pdf-lib
 * reading and writing the whole file, on the same printed bytes; the same document printed after
 * another giving the same finished bytes; and the fall-back to pdf-lib for a file of another shape.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, type PDFObject, PDFRef, PDFString } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { finishPrintedPdf, finishWithPdfLib } from "../../src/pdf/finish.js";
import { finishPlainPdf } from "../../src/pdf/finish-plain.js";
import { UnexpectedPdf } from "../../src/pdf/pdf-syntax.js";
import { xmpPacket } from "../../src/pdf/xmp.js";
import { BrowserSession } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { renderPdf } from "../../src/render/pdf.js";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";

const ENGLISH = "briefings/peacekeeping-participation";
const ARABIC = "ar/briefings/peacekeeping-key-points";
const METADATA = {
  title: "Peacekeeping — a briefing",
  authors: ["A. Author", "B. Écrivain"],
  subject: "What (and who) it covers",
  keywords: ["UN", "peace keeping", "middle east"],
  lang: "en-GB",
  creator: "Press test",
  date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
};

let out: string;
let session: BrowserSession;
/** English printed on a fresh page, Arabic after it, English again after both. */
let english: Uint8Array;
let arabic: Uint8Array;
let englishAgain: Uint8Array;
let ids: string[];

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-finish-"));
  const inputs = [ENGLISH, ARABIC].map((stem) => `content/${stem}.md`);
  const report = await build(resolveConfig({ inputs, out, formats: "html" }, REPO, {}));
  expect(report.ok).toBe(true);
  const html = (stem: string) => fs.readFileSync(path.join(out, `${stem}.html`), "utf8");
  ids = [...html(ENGLISH).matchAll(/<a href="#([^"]+)"><span class="toc-number">/g)].map((m) => m[1] ?? "");
  session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
  const print = (stem: string) => session.withPage((page) => renderPdf(page, html(stem), { timeout: 60_000 }));
  english = await print(ENGLISH);
  arabic = await print(ARABIC);
  englishAgain = await print(ENGLISH);
});

afterAll(async () => {
  await session?.close();
});

const dashes = (texts: string[]) => texts.map((t) => t.replaceAll(String.fromCharCode(0), "–"));

/** Every structure element's /ID and every table cell's /Headers entry, in reading order; and the id tree. */
async function structureIds(bytes: Uint8Array): Promise<{ ids: string[]; headers: string[]; tree: string[] }> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const text = (value: PDFObject | undefined) =>
    value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
  const ids: string[] = [];
  const headers: string[] = [];
  const seen = new Set<PDFDict>();
  const visit = (object: PDFObject | undefined) => {
    const value = object instanceof PDFRef ? pdf.context.lookup(object) : object;
    if (value instanceof PDFArray) for (let i = 0; i < value.size(); i++) visit(value.get(i));
    else if (value instanceof PDFDict && !seen.has(value) && value.has(PDFName.of("S"))) {
      seen.add(value);
      const id = text(value.lookup(PDFName.of("ID")));
      if (id) ids.push(id);
      const attributes = value.lookup(PDFName.of("A"));
      for (const entry of attributes instanceof PDFArray ? attributes.asArray() : [attributes]) {
        const dict = entry instanceof PDFRef ? pdf.context.lookup(entry) : entry;
        const list = dict instanceof PDFDict ? dict.lookup(PDFName.of("Headers")) : undefined;
        if (list instanceof PDFArray) for (const header of list.asArray()) headers.push(text(header) ?? "?");
      }
      visit(value.get(PDFName.of("K")));
    }
  };
  const root = pdf.catalog.lookup(PDFName.of("StructTreeRoot"), PDFDict);
  visit(root.get(PDFName.of("K")));
  // The id tree: each name and the /ID of the element it points to.
  const tree: string[] = [];
  const names = root.lookup(PDFName.of("IDTree"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
  for (let i = 0; i + 1 < names.size(); i += 2) {
    tree.push(`${text(names.lookup(i))}→${text(names.lookup(i + 1, PDFDict).lookup(PDFName.of("ID")))}`);
  }
  return { ids, headers, tree };
}

describe("finishing a Chromium print", () => {
  it("gives what pdf-lib gives: pages, destinations, text, metadata, language and structure ids", async () => {
    const request = { pdf: english, ids, metadata: METADATA };
    const ours = finishPlainPdf(request);
    const theirs = await finishWithPdfLib(request);
    expect(ids.length).toBeGreaterThan(5);
    expect(ours.pages.size).toBe(ids.length);
    expect(ours.pages).toEqual(theirs.pages);
    expect(ours.pageCount).toBe(theirs.pageCount);

    const [a, b] = [await readPdf(ours.pdf), await readPdf(theirs.pdf)];
    // Press's own finishing gives a glyph Chromium maps to U+0000 its character (to-unicode.ts); pdf-lib's does not.
    expect(dashes(a.pageTexts)).toEqual(dashes(b.pageTexts));
    expect(a.destinations).toEqual(b.destinations);
    expect(a.outline).toEqual(b.outline);
    for (const id of ids) expect(ours.pages.get(id), id).toBe(a.destinations.get(id));
    expect(a.info).toMatchObject({
      Title: METADATA.title,
      Author: "A. Author; B. Écrivain",
      Subject: METADATA.subject,
      // Joined as the HTML's meta joins them: each keyword's words stay together.
      Keywords: "UN, peace keeping, middle east",
      Creator: "Press test",
      Producer: "Press test",
      CreationDate: "D:20260102030405Z",
      ModDate: "D:20260102030405Z",
    });
    expect(a.info).toEqual(b.info);
    // XMP's pdf:Keywords says what /Keywords says (PDF/UA); dc:subject keeps the list.
    expect(xmpPacket(METADATA)).toContain("<pdf:Keywords>UN, peace keeping, middle east</pdf:Keywords>");
    expect(xmpPacket(METADATA)).toContain("<rdf:li>peace keeping</rdf:li><rdf:li>middle east</rdf:li>");
    expect(a.language).toBe("en-GB");
    expect(a.isTagged).toBe(true);

    const structure = await structureIds(ours.pdf);
    expect(structure).toEqual(await structureIds(theirs.pdf));
    expect(structure.ids.length).toBeGreaterThan(5);
    expect(structure.ids.every((id, i) => id === `id${String(i + 1).padStart(6, "0")}`)).toBe(true);
    expect(structure.headers.length).toBeGreaterThan(0);
    expect(structure.headers.every((id) => structure.ids.includes(id))).toBe(true);
    expect(structure.tree).toEqual(structure.ids.map((id) => `${id}→${id}`));
  });

  it("gives the same bytes for a document printed after another", () => {
    // The raw prints differ: Chromium names structure elements after its DOM node ids.
    expect(Buffer.from(englishAgain).equals(Buffer.from(english))).toBe(false);
    const finish = (pdf: Uint8Array) => Buffer.from(finishPlainPdf({ pdf, ids, metadata: METADATA }).pdf);
    expect(finish(englishAgain).equals(finish(english))).toBe(true);
  });

  it("reads the pages of destinations named outside ASCII (the Arabic edition's headings)", async () => {
    const arabicIds = [...(await readPdf(arabic)).destinations.keys()].map((name) => decodeURIComponent(name));
    expect(arabicIds.some((id) => /[\u0600-\u06ff]/.test(id))).toBe(true);
    const finished = finishPlainPdf({ pdf: arabic, ids: arabicIds, metadata: { ...METADATA, lang: "ar" } });
    expect(finished.pages.size).toBe(arabicIds.length);
    expect((await readPdf(finished.pdf)).language).toBe("ar");
  });

  it("falls back to pdf-lib for a file of another shape, with the same result", async () => {
    // pdf-lib's own save: object streams and a cross-reference stream, which Press's reader refuses.
    const other = await (await PDFDocument.load(english, { updateMetadata: false })).save({ useObjectStreams: true });
    expect(() => finishPlainPdf({ pdf: other, ids, metadata: METADATA })).toThrow(UnexpectedPdf);
    const finished = await finishPrintedPdf({ pdf: other, ids, metadata: METADATA });
    const direct = finishPlainPdf({ pdf: english, ids, metadata: METADATA });
    expect(finished.pages).toEqual(direct.pages);
    const [a, b] = [await readPdf(finished.pdf), await readPdf(direct.pdf)];
    // Press's own finishing gives a glyph Chromium maps to U+0000 its character (to-unicode.ts); pdf-lib's does not.
    expect(dashes(a.pageTexts)).toEqual(dashes(b.pageTexts));
    expect(a.info).toEqual(b.info);
    expect(await structureIds(finished.pdf)).toEqual(await structureIds(direct.pdf));
  });
});
