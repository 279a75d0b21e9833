/**
 * Contents page numbers in one print: the guess made before printing (the document laid out as
 * page-sized columns) against the pages the real PDF puts the headings on, and the second print
 * that corrects a wrong guess. Real browser, real PDFs read back with pdf.js.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { finishPrintedPdf } from "../../src/pdf/finish.js";
import { BrowserSession } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { renderPdf } from "../../src/render/pdf.js";
import { layOutForPrint } from "../../src/render/predict-pages.js";
import { renderWithPageNumbers } from "../../src/render/toc-pages.js";
import type { PageNumbers } from "../../src/template/context.js";
import { fontFaces } from "../../src/template/fonts.js";
import { briefingContentBox, briefingLandscapeBox } from "../../src/template/paper.js";
import { REPO } from "../support/parse.js";
import { pdfFonts, readPdf } from "../support/pdf.js";

const EDITIONS = {
  english: "briefings/peacekeeping-participation",
  arabic: "ar/briefings/peacekeeping-key-points",
  french: "fr/briefings/peacekeeping-synthese",
};
const METADATA = {
  title: "t",
  authors: [],
  subject: null,
  keywords: [],
  lang: "en",
  creator: "Press test",
  date: new Date(0),
};

const TABLES = {
  portrait: briefingContentBox("A4"),
  landscape: briefingLandscapeBox("A4"),
  continued: "continued",
  columns: "columns {from}–{to} of {total}",
  digits: "0123456789",
};

let out: string;
let session: BrowserSession;

/** A built briefing's HTML, with its contents numbers blanked, and a way to fill them in again. */
function htmlSource(stem: string): { ids: string[]; htmlFor: (pages: PageNumbers) => string } {
  const built = fs.readFileSync(path.join(out, `${stem}.html`), "utf8");
  const entry = /(<a href="#([^"]+)"><span class="toc-number">[\s\S]*?<span class="toc-page">)[^<]*(<\/span>)/g;
  const ids = [...built.matchAll(entry)].map((m) => decodeURIComponent(m[2] ?? ""));
  const htmlFor = (pages: PageNumbers) =>
    built.replace(entry, (_, open: string, id: string, close: string) => {
      const page = pages.get(decodeURIComponent(id));
      return `${open}${page ?? ""}${close}`;
    });
  return { ids, htmlFor };
}

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-pages-"));
  const inputs = Object.values(EDITIONS).map((stem) => `content/${stem}.md`);
  const report = await build(resolveConfig({ inputs, out, formats: "html" }, REPO, {}));
  expect(report.ok).toBe(true);
  session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
});

afterAll(async () => {
  await session?.close();
});

describe("the guess made before printing", () => {
  for (const [edition, stem] of Object.entries(EDITIONS)) {
    it(`puts every contents entry of the ${edition} edition on the page the printed PDF puts its heading`, async () => {
      const { ids, htmlFor } = htmlSource(stem);
      expect(ids.length).toBeGreaterThan(1);
      // Guessed as a build does, its tables fitted to the page first (the guesses are written into
      // the contents), then printed from the same page.
      const { guess, printed } = await session.withPage(
        async (page) => {
          await page.setContent(htmlFor(new Map()), { waitUntil: "load" });
          const layout = await layOutForPrint(page, {
            ids,
            box: briefingContentBox("A4"),
            digits: "0123456789",
            tables: TABLES,
          });
          return { guess: layout.pages, printed: await page.pdf({ preferCSSPageSize: true, printBackground: true }) };
        },
        { media: "print" },
      );
      // Chromium percent-encodes destination names outside ASCII (the Arabic headings' ids).
      const actual = new Map(
        [...(await readPdf(printed)).destinations].map(([name, page]) => [decodeURIComponent(name), page]),
      );
      expect(Object.fromEntries(guess)).toEqual(Object.fromEntries(ids.map((id) => [id, actual.get(id)])));
    });
  }
});

describe("printing with contents page numbers", () => {
  const finish = (pdf: Uint8Array, ids: string[]) => finishPrintedPdf({ pdf, ids, metadata: METADATA });

  it("prints once when the guess holds", async () => {
    const { ids, htmlFor } = htmlSource(EDITIONS.english);
    const result = await renderWithPageNumbers(session, htmlFor, {
      ids,
      box: briefingContentBox("A4"),
      digits: "0123456789",
      tables: TABLES,
      timeout: 60_000,
      finish,
    });
    expect(result.prints).toBe(1);
    const pdf = await readPdf(result.pdf.pdf);
    for (const id of ids) expect(result.pdf.pages.get(id), id).toBe(pdf.destinations.get(id));
  });

  it("prints again, with the true numbers, when the guess is wrong", async () => {
    const { ids, htmlFor } = htmlSource(EDITIONS.english);
    // A page box half the real height: the guess puts headings on pages far beyond their own.
    const result = await renderWithPageNumbers(session, htmlFor, {
      ids,
      box: { width: 166, height: 120 },
      digits: "0123456789",
      tables: TABLES,
      timeout: 60_000,
      finish,
    });
    expect(result.prints).toBe(2);
    const pdf = await readPdf(result.pdf.pdf);
    const contents = pdf.pageTexts[1] ?? "";
    for (const id of ids) {
      expect(result.pdf.pages.get(id), id).toBe(pdf.destinations.get(id));
      expect(result.html).toContain(`<span class="toc-page">${pdf.destinations.get(id)}</span>`);
    }
    // The printed contents carry the true numbers: the last entry's page is the last number on it.
    const lastPage = pdf.destinations.get(ids.at(-1) ?? "");
    expect(contents).toMatch(new RegExp(`${lastPage}\\s*$`));
  });
});

describe("page furniture", () => {
  it("is printed in its font even when only the page margins use that font", async () => {
    const inter = fontFaces([path.join(REPO, "templates")]).rules.find(
      (rule) =>
        rule.family === "Inter" &&
        /font-weight: 400/.test(rule.css) &&
        /font-style: normal/.test(rule.css) &&
        rule.ranges.some(([first, last]) => first <= 0x50 && 0x50 <= last),
    );
    expect(inter).toBeDefined();
    const html = `<!doctype html><html><head><style>${inter?.css}
      @page { size: A4; margin: 20mm; @bottom-right { font-family: Inter; content: "Page " counter(page) " of " counter(pages); } }
      body { font-family: serif; }</style></head><body><p>Body text only.</p></body></html>`;
    // A browser of its own: no earlier document can have loaded the font already.
    const fresh = await BrowserSession.launch((await findBrowser()).executablePath, 1);
    try {
      const printed = await fresh.withPage((page) => renderPdf(page, html, { timeout: 60_000 }));
      expect((await readPdf(printed)).pageTexts[0]).toContain("Page 1 of 1");
      expect((await pdfFonts(printed)).map((font) => font.name).join(" ")).toMatch(/Inter/);
    } finally {
      await fresh.close();
    }
  });
});
