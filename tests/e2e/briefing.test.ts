/**
 * The sample briefing, built with the real browser, read back from its PDF.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { REPO } from "../support/parse.js";
import { glyphCodes, type PdfFacts, pageTextItems, pdfFonts, readPdf } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const SOURCE = "content/briefings/peacekeeping-participation.md";
let out: string;
let report: BuildReport;
let pdfBytes: Uint8Array;
let pdf: PdfFacts;
let html: string;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-e2e-"));
  const config = resolveConfig({ inputs: [SOURCE], out }, REPO, { SOURCE_DATE_EPOCH: "1767225600" });
  report = await build(config);
  pdfBytes = fs.readFileSync(path.join(out, "briefings/peacekeeping-participation.pdf"));
  html = fs.readFileSync(path.join(out, "briefings/peacekeeping-participation.html"), "utf8");
  pdf = await readPdf(pdfBytes);
});

/** The contents as the reader sees it: "number text page" entries, read from the PDF's text. */
function contentsEntries(): { label: string; page: number }[] {
  const entries: { label: string; page: number }[] = [];
  const tocHtml = /<nav class="contents"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? "";
  for (const match of tocHtml.matchAll(
    /<span class="toc-number">([^<]*)<\/span><span class="toc-text">([^<]*)<\/span><span class="toc-page">(\d*)<\/span>/g,
  )) {
    entries.push({ label: `${match[1]} ${match[2]}`.trim(), page: Number(match[3]) });
  }
  return entries;
}

describe("the sample briefing, rendered", () => {
  it("builds without errors into HTML and PDF", () => {
    expect(report.ok).toBe(true);
    expect(report.documents[0]?.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(report.documents[0]?.outputs.map((o) => path.relative(out, o.path)).sort()).toEqual([
      "briefings/peacekeeping-participation.html",
      "briefings/peacekeeping-participation.pdf",
    ]);
  });

  it("has several pages", () => {
    expect(pdf.pageCount).toBeGreaterThan(5);
  });

  it("prints the contents page number of every section, and each is the page the heading is on", () => {
    const entries = contentsEntries();
    expect(entries.length).toBeGreaterThan(20);
    const contentsPages = pdf.pageTexts.map((t, i) => (t.includes("Contents") ? i + 1 : 0)).filter(Boolean);
    const bodyStart = Math.max(...contentsPages) + 1;
    for (const entry of entries) {
      expect(entry.page, entry.label).toBeGreaterThan(0);
      // The printed number is in the contents' text layer…
      const pageText = pdf.pageTexts.slice(0, bodyStart - 1).join(" ");
      expect(pageText).toContain(`${entry.label} ${entry.page}`);
      // …and the heading's text first appears in the body on that page.
      // (Case folded: annex labels are set in capitals.)
      const label = entry.label.toLowerCase();
      const found = pdf.pageTexts.findIndex((text, i) => i + 1 >= bodyStart && text.toLowerCase().includes(label)) + 1;
      expect(found, `"${entry.label}" is on page ${found}, contents says ${entry.page}`).toBe(entry.page);
    }
  });

  it("links every contents entry to its heading through a named destination on the right page", () => {
    const ids = [...html.matchAll(/<a href="#([^"]+)"><span class="toc-number">/g)].map((m) => m[1] ?? "");
    const pages = new Map(contentsEntries().map((e, i) => [ids[i] ?? "", e.page]));
    for (const [id, page] of pages) expect(pdf.destinations.get(id), id).toBe(page);
  });

  it("has every heading in the outline", () => {
    const headings = [...html.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) =>
      (m[2] ?? "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    expect(headings.length).toBeGreaterThan(20);
    const outline = pdf.outline.map((t) => t.replace(/\s+/g, " ").trim());
    for (const heading of headings) expect(outline, heading).toContain(heading);
  });

  it("marks the classification at the top and bottom, and 'Page X of Y', on every page", () => {
    pdf.pageTexts.forEach((text, i) => {
      expect(text.startsWith("OFFICIAL") || /^\S.*OFFICIAL/.test(text.slice(0, 120)), `page ${i + 1} top`).toBe(true);
      expect(text.match(/OFFICIAL/g)?.length ?? 0, `page ${i + 1}`).toBeGreaterThanOrEqual(2);
      expect(text, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pdf.pageCount}`);
    });
  });

  it("carries title, author, subject, keywords, language and the fixed build date", () => {
    expect(pdf.info.Title).toBe("Islamic Nations in UN Peacekeeping");
    expect(pdf.info.Author).toBe("Peace Operations Policy Unit");
    expect(String(pdf.info.Subject)).toMatch(/^Member states of the Organisation of Islamic Cooperation/);
    expect(String(pdf.info.Keywords)).toContain("UNIFIL");
    expect(pdf.language).toBe("en");
    expect(String(pdf.info.CreationDate)).toMatch(/^D:20260101000000/);
    expect(pdf.isTagged).toBe(true);
  });

  it("embeds every font, and only the bundled ones", async () => {
    const fonts = await pdfFonts(pdfBytes);
    expect(fonts.length).toBeGreaterThan(2);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.name, "a font outside the bundle means a system font was used").toMatch(
        /\+(Inter|SourceSerif4|IBMPlexMono)-/,
      );
    }
  });

  it("prints check marks, stars, boxes and arrows in bundled faces, and says which character none has", async () => {
    const line = "Done ✓, not done ✗, starred ★, a box ☐ ticked ☑, from → to ← and ⇒ ≤ ≥ ±.";
    const dir = makeProject({
      "press.config.yaml": "",
      "content/symbols.md": `---\ntitle: Status ✓\n---\n\n# Status\n\n${line}\n\n| Item | Done |\n|---|---|\n| One | ✓ |\n| Two | ✗ → later |\n\nA flag ⚑ no bundled face has.\n`,
    });
    const report = await build(projectConfig(dir));
    const [document] = report.documents;
    expect(document?.status).toBe("built");
    const missing = document?.diagnostics.filter((d) => d.rule === "fonts/missing-glyph") ?? [];
    expect(missing.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      expect.stringMatching(/^14:8 no bundled font has ⚑ \(U\+2691\):/),
    ]);
    const bytes = fs.readFileSync(path.join(dir, "output", "symbols.pdf"));
    const text = (await readPdf(bytes)).pageTexts.join(" ");
    for (const word of line.split(" ")) expect(text).toContain(word);
    expect(text).toMatch(/✗ → later/);
    // Every symbol but the flag in a bundled face: the flag is the only one left to the system.
    const faces = (await pdfFonts(bytes)).map((font) => font.name.replace(/^[A-Z]{6}\+/, ""));
    expect(faces).toEqual(expect.arrayContaining(["NotoSansSymbols2-Regular", "NotoSansMath-Regular"]));
    // (A Type 3 font, unnamed, is Chromium's synthetic bold of the symbols face: the ✓ of the title.)
    const system = faces.filter(
      (name) => name !== "(unnamed)" && !/^(Inter|SourceSerif4|IBMPlexMono|NotoSansSymbols2|NotoSansMath)-/.test(name),
    );
    expect(system.length).toBeLessThanOrEqual(1);
  });

  it("prints a keycap (1️⃣ #️⃣) as the one glyph of the emoji face, not the digit and a box", async () => {
    const dir = makeProject({
      "press.config.yaml": "",
      "content/keys.md":
        "# Keys\n\nPress 1️⃣ then #️⃣, or 2⃣ in a list:\n\n- step 3️⃣ done\n\nItem #3 and 2 * 4 stay as they are.\n",
    });
    const report = await build(projectConfig(dir));
    expect(report.documents[0]?.status).toBe("built");
    const bytes = fs.readFileSync(path.join(dir, "output", "keys.pdf"));
    const drawn = [...(await glyphCodes(bytes)).values()].flatMap((byChar) => [...byChar.keys()]);
    // Each keycap one glyph, whose text is the whole sequence; the keycap mark never drawn alone.
    expect(drawn).toEqual(expect.arrayContaining(["1\uFE0F\u20E3", "#\uFE0F\u20E3", "2\u20E3", "3\uFE0F\u20E3"]));
    expect(drawn.filter((text) => text === "\u20E3")).toEqual([]);
    const text = (await readPdf(bytes)).pageTexts.join(" ");
    expect(text).toContain("Press 1\uFE0F\u20E3 then #\uFE0F\u20E3");
    expect(text).toContain("Item #3 and 2 * 4");
  });

  it("prints Cyrillic, Greek and Vietnamese in the bundled faces, not the machine's", async () => {
    const words = ["Здравствуйте", "миротворцы", "Καλημέρα", "ειρήνη", "Tiếng", "Việt", "hòa", "bình"];
    const dir = makeProject({
      "press.config.yaml": "",
      "content/scripts.md": `---\ntitle: Скрипты Ελληνικά\n---\n\n# Здравствуйте\n\n${words.join(" ")}.\n\n\`код Ελληνικά Việt\`\n`,
    });
    const report = await build(projectConfig(dir));
    const [document] = report.documents;
    expect(document?.status).toBe("built");
    expect(document?.diagnostics.filter((d) => d.rule === "fonts/missing-glyph")).toEqual([]);
    const bytes = fs.readFileSync(path.join(dir, "output", "scripts.pdf"));
    const text = (await readPdf(bytes)).pageTexts.join(" ");
    for (const word of words) expect(text).toContain(word);
    // Greek in code from DejaVu Mono, which Press inlines for it (its PDF name is the system's DejaVu's).
    for (const font of await pdfFonts(bytes))
      expect(font.name).toMatch(/\+(Inter-|SourceSerif4-|IBMPlexMono-|DejaVuSansMono$)/);
    expect(fs.readFileSync(path.join(dir, "output", "scripts.html"), "utf8")).toContain("font-family: 'DejaVu Mono'");
  });

  it("draws the text of an SVG logo and an SVG figure in the bundled face they name, not the machine's", async () => {
    const svg = (word: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 40" width="300" height="40"><text x="0" y="30" font-family="Inter" font-size="20">${word}</text></svg>`;
    const dir = makeProject({
      "press.config.yaml": "theme:\n  logo: brand/logo.svg\n",
      "brand/logo.svg": svg("LOGOWORD"),
      "chart.svg": svg("CHARTWORD"),
      "content/logo.md": "---\ntitle: Logo\n---\n\n# Logo\n\n![A chart](../chart.svg)\n",
    });
    const report = await build(projectConfig(dir));
    expect(report.documents[0]?.status).toBe("built");
    const bytes = fs.readFileSync(path.join(dir, "output", "logo.pdf"));
    const text = (await readPdf(bytes)).pageTexts.join(" ");
    expect(text).toContain("LOGOWORD");
    expect(text).toContain("CHARTWORD");
    // The logo's word was drawn in LiberationSerif.
    for (const font of await pdfFonts(bytes)) expect(font.name).toMatch(/\+(Inter|SourceSerif4|IBMPlexMono)-/);
  });

  it("writes one self-contained HTML file: no external stylesheet, font, image or script", () => {
    expect(html).not.toMatch(/<link\b|<script\b|src="(?!data:)|url\((?!["']?data:)/i);
    expect(html).toContain('<html lang="en" dir="ltr"');
  });
});

describe("document control", () => {
  it("is left out, heading and all, when the front matter has none of its fields; shown when it has one", async () => {
    const dir = makeProject({
      // No organisation either: the project's configuration gives one to every document.
      "press.config.yaml": "",
      "content/bare.md": "---\ntitle: A bare paper\n---\n\n# Only\n\nText of the paper.\n",
      "content/versioned.md": '---\ntitle: A versioned paper\nversion: "2.1"\n---\n\n# Only\n\nText of the paper.\n',
    });
    const report = await build(projectConfig(dir));
    expect(report.documents.map((d) => d.status)).toEqual(["built", "built"]);
    const text = async (name: string) =>
      (await readPdf(fs.readFileSync(path.join(dir, "output", `${name}.pdf`)))).pageTexts.join(" ");
    expect(fs.readFileSync(path.join(dir, "output", "bare.html"), "utf8")).not.toContain("press-document-control");
    expect(await text("bare")).not.toContain("Document control");
    expect(await text("bare")).toContain("Text of the paper.");
    expect(await text("versioned")).toContain("Document control");
    expect(await text("versioned")).toContain("2.1");
  });
});

describe("task lists", () => {
  it("indent a nested task list as a nested list is, and draw a ticked box filled, not pale", async () => {
    const dir = makeProject({
      "press.config.yaml": "",
      "content/tasks.md":
        "---\ntitle: Tasks\ntoc: false\n---\n\n# Tasks\n\n- [ ] parent\n  - [x] child\n    - [ ] grandchild\n- [x] sibling\n",
    });
    const report = await build(projectConfig(dir, { formats: "pdf,html" }));
    expect(report.documents.map((d) => d.status)).toEqual(["built"]);
    const bytes = fs.readFileSync(path.join(dir, "output", "tasks.pdf"));
    const { pageCount } = await readPdf(bytes);
    const items = await pageTextItems(bytes, pageCount);
    const x = (word: string) => items.find((item) => item.text.trim() === word)?.x ?? Number.NaN;
    const [parent, child, grandchild, sibling] = [x("parent"), x("child"), x("grandchild"), x("sibling")];
    // Each level a nested list's step further in (1.4em, about 15pt at 10.5pt), the top level's items level.
    expect(child - parent).toBeGreaterThan(10);
    expect(grandchild - child).toBeGreaterThan(10);
    expect(Math.abs(sibling - parent)).toBeLessThan(1);
    // The box is drawn by the stylesheet (the browser's disabled box prints pale grey): framed and filled in ink.
    const html = fs.readFileSync(path.join(dir, "output", "tasks.html"), "utf8");
    expect(html).toMatch(/input\[type="checkbox"\] \{\s*appearance: none;/);
    expect(html).toMatch(/input\[type="checkbox"\]:checked \{\s*background: var\(--ink\)/);
  });
});
