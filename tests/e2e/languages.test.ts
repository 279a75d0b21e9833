/**
 * Languages and direction: the Arabic edition reads right to left in its HTML and PDF, with its
 * bundled font, text in logical order, mirrored page furniture and its own labels and digits; the
 * French edition has French labels; an unknown language falls back to English with a warning.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { REPO } from "../support/parse.js";
import { pdfFonts, rightToLeftText, structureText } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const ARABIC = "content/ar/briefings/peacekeeping-key-points.md";
const FRENCH = "content/fr/briefings/peacekeeping-synthese.md";
const ENGLISH = "content/briefings/peacekeeping-participation.md";

let out: string;
let report: BuildReport;
const file = (stem: string) => path.join(out, stem);

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-lang-"));
  report = await build(resolveConfig({ inputs: [ARABIC, FRENCH, ENGLISH], out }, REPO, {}));
});

interface Item {
  text: string;
  x: number;
  y: number;
}

async function pageItems(pdfPath: string): Promise<{ width: number; pages: Item[][] }> {
  const pdf = await getDocument({ data: new Uint8Array(fs.readFileSync(pdfPath)), verbosity: 0 }).promise;
  const pages: Item[][] = [];
  let width = 0;
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    width = page.getViewport({ scale: 1 }).width;
    const content = await page.getTextContent();
    pages.push(
      content.items
        .filter((item) => "str" in item && item.str.trim())
        .map((item) => {
          const t = item as { str: string; transform: number[] };
          return { text: t.str, x: t.transform[4] ?? 0, y: Math.round(t.transform[5] ?? 0) };
        }),
    );
  }
  await pdf.destroy();
  return { width, pages };
}

/** Without vowel marks, tatweel, white space or the NUL that stands for an unmapped glyph. */
const bare = (text: string) =>
  text.replace(/[\u064B-\u0652\u0670\u0640\s]/g, "").replaceAll(String.fromCharCode(0), "");

describe("the Arabic edition", () => {
  it("builds, and its HTML is right to left with Arabic labels and a bilingual cover", () => {
    expect(report.ok).toBe(true);
    const html = fs.readFileSync(file("ar/briefings/peacekeeping-key-points.html"), "utf8");
    expect(html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(html).toContain('<h2 id="press-contents" class="front-heading">المحتويات</h2>');
    expect(html).toContain('<div class="cover-titles cover-alt" lang="en" dir="ltr">');
    expect(html).toContain("<bdi>UNIFIL</bdi>");
  });

  it("embeds the bundled Arabic font", async () => {
    const names = (await pdfFonts(fs.readFileSync(file("ar/briefings/peacekeeping-key-points.pdf")))).map(
      (f) => f.name,
    );
    expect(names.some((n) => n.includes("Amiri"))).toBe(true);
  });

  it("holds the Arabic text in logical order in the PDF's text layer", async () => {
    const { pages } = await pageItems(file("ar/briefings/peacekeeping-key-points.pdf"));
    const text = bare(pages.map(rightToLeftText).join(" "));
    const source = fs.readFileSync(path.join(REPO, ARABIC), "utf8");
    const keyPoints = /:::key-points\n([\s\S]*?):::/.exec(source)?.[1] ?? "";
    const words = keyPoints.split(/[\s،.()-]+/).filter((w) => /^[\u0600-\u06FF]{2,}$/.test(w));
    expect(words.length).toBeGreaterThan(40);
    const missing = words.filter((w) => !text.includes(bare(w)));
    expect(missing).toEqual([]);
  });

  it("mirrors the page: short title on the right, reference and page number on the left, Arabic-Indic digits", async () => {
    const { width, pages } = await pageItems(file("ar/briefings/peacekeeping-key-points.pdf"));
    const count = pages.length;
    pages.forEach((items, i) => {
      const footer = items.find(
        (item) => item.text.includes(`من ${String.fromCharCode(0x0660 + count)}`) || item.text.includes("صفحة"),
      );
      expect(footer, `page ${i + 1}`).toBeDefined();
      expect(footer?.x ?? width, `page ${i + 1}`).toBeLessThan(width / 2);
    });
    const top = Math.max(...(pages[2] ?? []).map((item) => item.y));
    const title = pages[2]?.filter(
      (item) => item.y >= top - 2 && /[\u0600-\u06FF]/.test(item.text) && item.text !== "رسمي",
    );
    expect(title?.length).toBeGreaterThan(0);
    for (const item of title ?? []) expect(item.x).toBeGreaterThan(width / 2);
    const reference = pages[2]?.find((item) => item.text.includes("POPU/2026/017-AR"));
    expect(reference?.x ?? width).toBeLessThan(width / 2);
    const english = await pageItems(file("briefings/peacekeeping-participation.pdf"));
    const englishFooter = english.pages[2]?.find((item) => item.text.startsWith("Page 3 of"));
    expect(englishFooter?.x ?? 0).toBeGreaterThan(english.width / 2);
  });
  it("numbers its contents in Arabic-Indic digits, in the PDF as in the HTML", async () => {
    const html = fs.readFileSync(file("ar/briefings/peacekeeping-key-points.html"), "utf8");
    const htmlNumbers = [...html.matchAll(/<span class="toc-page">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(htmlNumbers.length).toBeGreaterThan(3);
    for (const number of htmlNumbers) expect(number).toMatch(/^[\u0660-\u0669]+$/);
    const { pages } = await pageItems(file("ar/briefings/peacekeeping-key-points.pdf"));
    // Page 2 holds the document control table and the contents.
    const contents = pages[1] ?? [];
    const bareNumbers = contents.map((item) => item.text.trim()).filter((text) => /^[\d\u0660-\u0669]+$/.test(text));
    expect(bareNumbers.length).toBeGreaterThanOrEqual(htmlNumbers.length);
    for (const number of bareNumbers) expect(number).toMatch(/^[\u0660-\u0669]+$/);
  });
});

describe("other languages", () => {
  it("writes French labels and marking for a French document", () => {
    const html = fs.readFileSync(file("fr/briefings/peacekeeping-synthese.html"), "utf8");
    expect(html).toMatch(/<html lang="fr" dir="ltr"/);
    expect(html).toContain(">Sommaire</h2>");
    expect(html).toContain(">Points clés</p>");
    expect(html).toContain('" counter(page, decimal) " sur " counter(pages, decimal)');
    expect(html).toContain('@top-center { content: "OFFICIEL"; }');
  });

  it("falls back to English labels, with a warning, for a language it has no labels for", async () => {
    const dir = makeProject({ "content/sw.md": "---\ntitle: Habari\nlang: sw\n---\n\n# Utangulizi\n\nMaandishi.\n" });
    const result = await build(projectConfig(dir, { formats: "html" }));
    const [document] = result.documents;
    expect(document?.status).toBe("built");
    expect(document?.diagnostics).toEqual([
      expect.objectContaining({ rule: "lang/labels", severity: "warning", file: "content/sw.md" }),
    ]);
    const html = fs.readFileSync(path.join(dir, "output/sw.html"), "utf8");
    expect(html).toMatch(/<html lang="sw" dir="ltr"/);
    expect(html).toContain(">Contents</h2>");
  });
});

describe("an Arabic briefing nobody here wrote", () => {
  it("reads its author, reference and version in logical order, and letters its annexes أ، ب", async () => {
    const dir = makeProject({
      "content/report.md": [
        "---",
        "title: تقرير الأسواق",
        "lang: ar",
        "author: وحدة تحليل الأسواق",
        "organisation: مكتب التنسيق",
        "reference: مرجع رقم سبعة",
        "---",
        "",
        "# مقدمة",
        "",
        "نص المقدمة.",
        "",
        "::annex[البيانات]",
        "",
        "نص الملحق.",
        "",
      ].join("\n"),
    });
    const result = await build(projectConfig(dir));
    expect(result.ok).toBe(true);
    const bytes = fs.readFileSync(path.join(dir, "output/report.pdf"));
    const { elements } = await structureText(bytes, { lineEnds: false });
    const texts = elements.map((e) => e.text.trim());
    // On the cover and in the document control: as written, not in Chromium's visual word order.
    expect(texts.filter((t) => t === "وحدة تحليل الأسواق").length).toBeGreaterThanOrEqual(2);
    expect(texts).not.toContain("الأسواق تحليل وحدة");
    expect(texts.filter((t) => t === "مرجع رقم سبعة").length).toBeGreaterThanOrEqual(1);
    expect(fs.readFileSync(path.join(dir, "output/report.html"), "utf8")).toContain(
      '<span class="secno">الملحق أ</span> البيانات',
    );
  });
});
