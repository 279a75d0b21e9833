/**
 * The sample deck and an overflow fixture, built with the real browser and read back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { type BuildConfig, resolveConfig } from "../../src/config.js";
import type { PressDocument } from "../../src/document.js";
import { HANDOUT_LAYOUTS, type HandoutLayout } from "../../src/document.js";
import { checkPdfUa, formatUaFailure, type UaFailure } from "../../src/pdf/check-ua.js";
import { parseText, REPO } from "../support/parse.js";
import { type PdfFacts, pageTextItems, readPdf, structureText } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const DECK = "content/decks/peacekeeping-participation.md";
const OVERFLOW = "tests/fixtures/slides/overflow.md";

function configFor(input: string, extra: Partial<BuildConfig> = {}): BuildConfig {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "press-slides-"));
  return { ...resolveConfig({ inputs: [input], out }, REPO, {}), ...extra };
}

const formatted = (failures: UaFailure[]) => failures.map((f) => formatUaFailure("handout", f));

const read = (config: BuildConfig, file: string) => readPdf(fs.readFileSync(path.join(config.outDir, file)));

describe("the sample deck", () => {
  let config: BuildConfig;
  let report: BuildReport;
  let deckPdf: PdfFacts;
  let slideTitles: string[];
  let notes: string[];
  let deck: PressDocument;

  beforeAll(async () => {
    config = configFor(DECK);
    report = await build(config);
    deckPdf = await read(config, "decks/peacekeeping-participation.pdf");
    const doc = await parseText(fs.readFileSync(path.join(REPO, DECK), "utf8"), { file: DECK });
    slideTitles = [doc.meta.title, ...doc.slides.map((s) => s.title)];
    deck = doc;
    notes = doc.slides.map((s) => s.notesHtml.replace(/<[^>]+>/g, "").trim()).filter(Boolean);
  });

  it("builds the deck HTML, the deck PDF and the handout", () => {
    expect(report.ok).toBe(true);
    expect(report.documents[0]?.outputs.map((o) => path.relative(config.outDir, o.path))).toEqual([
      "decks/peacekeeping-participation.html",
      "decks/peacekeeping-participation.pdf",
      "decks/peacekeeping-participation.handout.pdf",
    ]);
    expect(report.documents[0]?.diagnostics).toEqual([]);
  });

  it("prints the deck once: the handout is made of the deck PDF's pages and a frame without slides", () => {
    expect(report.documents[0]?.prints).toEqual({ deck: 1, "handout frame": 1 });
  });

  it("has 12 to 15 slides, notes on most, and uses every layout", async () => {
    const doc = await parseText(fs.readFileSync(path.join(REPO, DECK), "utf8"), { file: DECK });
    const count = doc.slides.length + 1;
    expect(count).toBeGreaterThanOrEqual(12);
    expect(count).toBeLessThanOrEqual(15);
    expect(notes.length).toBeGreaterThan(count / 2);
    expect(new Set(["title", ...doc.slides.map((s) => s.layout)])).toEqual(
      new Set(["title", "section", "content", "two-columns", "figure", "quote"]),
    );
  });

  it("prints one 16:9 page per slide, with the marking and number on each", () => {
    expect(deckPdf.pageCount).toBe(slideTitles.length);
    deckPdf.pageTexts.forEach((text, i) => {
      expect(text.match(/OFFICIAL/g)?.length ?? 0, `slide ${i + 1}`).toBeGreaterThanOrEqual(2);
      expect(text, `slide ${i + 1}`).toMatch(new RegExp(`\\b${i + 1}$`));
    });
  });

  it("never prints the speaker notes in the deck PDF", () => {
    const all = deckPdf.pageTexts.join(" ");
    for (const note of notes) expect(all).not.toContain(note.slice(0, 40));
  });

  it("keeps the notes in the presenting HTML, with Press's script and nothing else", () => {
    const html = fs.readFileSync(path.join(config.outDir, "decks/peacekeeping-participation.html"), "utf8");
    expect(html).toContain('<template class="slide-notes"');
    expect(html).toContain(notes[0]?.slice(0, 40));
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  for (const layout of HANDOUT_LAYOUTS) {
    it(`prints a ${layout}-up handout: ceil(slides / ${layout}) pages, every slide title searchable`, async () => {
      const handoutConfig = configFor(DECK, { handout: layout as HandoutLayout });
      const result = await build(handoutConfig);
      expect(result.ok).toBe(true);
      const handout = await read(handoutConfig, "decks/peacekeeping-participation.handout.pdf");
      expect(handout.pageCount).toBe(Math.ceil(slideTitles.length / layout));
      const text = handout.pageTexts.join(" ");
      for (const title of slideTitles) expect(text, title).toContain(title);
      handout.pageTexts.forEach((page, i) => {
        expect(page, `handout page ${i + 1}`).toContain(`Page ${i + 1} of ${handout.pageCount}`);
        expect(page).toContain("Islamic Nations in UN Peacekeeping");
        expect(page).toContain("25 November 2026");
      });
      const notesShown = notes.filter((note) => text.includes(note.slice(0, 40)));
      if (layout === 1) expect(notesShown).toEqual(notes);
      else expect(notesShown).toEqual([]);
      // Made of the deck PDF's pages, not printed from the slides again; bookmarks as the deck has them.
      expect(result.documents[0]?.prints).toEqual({ deck: 1, "handout frame": 1 });
      expect(handout.outline).toEqual(deckPdf.outline);
      const bytes = fs.readFileSync(path.join(handoutConfig.outDir, "decks/peacekeeping-participation.handout.pdf"));
      expect(formatted(await checkPdfUa(bytes))).toEqual([]);
      if (layout === 1) {
        // What a screen reader reads: slide 1, slide 2 and its notes, slide 3…; never the furniture.
        const { text: read } = await structureText(bytes);
        expect(read).not.toContain("OFFICIAL");
        expect(read).not.toContain("Page 1 of");
        let from = 0;
        for (const [i, title] of slideTitles.entries()) {
          const at = read.indexOf(title, from);
          expect(at, `slide ${i + 1} after slide ${i}`).toBeGreaterThanOrEqual(from);
          from = at + title.length;
          const note = deck.slides[i - 1]?.notesHtml.replace(/<[^>]+>/g, "").trim();
          if (!note) continue;
          const noteAt = read.indexOf(note.slice(0, 40), from);
          expect(noteAt, `the notes of slide ${i + 1} after it`).toBeGreaterThanOrEqual(from);
          const next = slideTitles[i + 1];
          if (next)
            expect(noteAt, `the notes of slide ${i + 1} before slide ${i + 2}`).toBeLessThan(read.indexOf(next, from));
        }
      }
    });
  }

  it("prints the whole handout, slides and all, with PRESS_HANDOUT=print", async () => {
    const handoutConfig = configFor(DECK, { handout: 6 });
    process.env.PRESS_HANDOUT = "print";
    try {
      const result = await build(handoutConfig);
      expect(result.documents[0]?.prints).toEqual({ deck: 1, handout: 1 });
    } finally {
      delete process.env.PRESS_HANDOUT;
    }
    const handout = await read(handoutConfig, "decks/peacekeeping-participation.handout.pdf");
    expect(handout.pageCount).toBe(Math.ceil(slideTitles.length / 6));
    for (const title of slideTitles) expect(handout.pageTexts.join(" "), title).toContain(title);
  });
});

describe("overflowing slides", () => {
  it("reports the slide that overflows with its file and line, and builds", async () => {
    const config = configFor(OVERFLOW);
    const report = await build(config);
    expect(report.ok).toBe(true);
    const overflow = report.documents[0]?.diagnostics.filter((d) => d.rule === "slides/overflow") ?? [];
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toMatchObject({ file: OVERFLOW, line: 14, severity: "warning" });
    expect(overflow[0]?.message).toMatch(/^slide 3 overflows by \d+px/);
  });

  it("shrinks a slide marked fit until it fits", async () => {
    const config = configFor(OVERFLOW);
    await build(config);
    const html = fs.readFileSync(path.join(config.outDir, "overflow.html"), "utf8");
    const scale = Number(/id="slide-4"[^>]*style="--fit: ([\d.]+)"/.exec(html)?.[1]);
    expect(scale).toBeGreaterThan(0.3);
    expect(scale).toBeLessThan(1);
  });

  it("fails the build with --strict, writing nothing for that deck", async () => {
    const config = configFor(OVERFLOW, { strict: true });
    const report = await build(config);
    expect(report.ok).toBe(false);
    expect(report.documents[0]?.diagnostics.find((d) => d.rule === "slides/overflow")?.severity).toBe("error");
    expect(fs.readdirSync(config.outDir)).toEqual([]);
  });
});

describe("a handout made of the deck PDF's pages", () => {
  const DECK_WITH_LINKS = `---
title: عرض عن التصنيف
lang: ar
kind: slides
handout: 3
classification: OFFICIAL
date: 2026-11-25
---

# النقاط

- نقطة أولى، انظر [الموقع](https://example.org/ar)

---

# تحذير

More at <https://www.un.org/en/peacekeeping> and [below](#second).

---

## Second {#second}

Text.
`;

  it("keeps the slides' links, where the slides are, right to left, and passes PDF/UA", async () => {
    const dir = makeProject({ "content/deck.md": DECK_WITH_LINKS });
    const report = await build(projectConfig(dir));
    const [only] = report.documents;
    expect([only?.status, only?.diagnostics.map((d) => d.message)]).toEqual(["built", []]);
    expect(only?.prints).toEqual({ deck: 1, "handout frame": 1 });
    // The presenting page's counter and help line are left-to-right runs of their own: in the
    // right-to-left page, "1 / 7" read "7 / 1".
    const html = fs.readFileSync(path.join(dir, "output/deck.html"), "utf8");
    expect(html).toContain('<span class="deck-counter" dir="ltr"></span><span class="deck-help" lang="en" dir="ltr">');
    const bytes = fs.readFileSync(path.join(dir, "output/deck.handout.pdf"));
    expect(formatted(await checkPdfUa(bytes))).toEqual([]);
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;
    const page = await pdf.getPage(1);
    const links = (await page.getAnnotations()) as { url?: string; dest?: unknown; rect: number[] }[];
    expect(links.map((l) => l.url ?? l.dest).filter((l, i, all) => all.indexOf(l) === i)).toEqual([
      "https://example.org/ar",
      "https://www.un.org/en/peacekeeping",
      "second",
    ]);
    // Right to left, the slides are on the right half of the page, and so are their links.
    const width = page.getViewport({ scale: 1 }).width;
    for (const link of links) expect(link.rect[0]).toBeGreaterThan(width / 2);
    // The internal link still finds its slide, slide 4, on the second page.
    const dest = (await pdf.getDestination("second")) as [unknown, ...unknown[]] | null;
    expect(dest && (await pdf.getPageIndex(dest[0] as never))).toBe(1);
    await pdf.destroy();
  });
});

describe("bookmarks, one a slide", () => {
  const DECK_OF_ALL_KINDS = [
    "---\nkind: slides\ntitle: Bookmarks for every slide\nhandout: 3\n---\n",
    "# A heading\n\n## Under it\n\n- a point\n\n---\n",
    "> A quotation long enough to be cut in its bookmark, which shows its first words and no more than that.\n\n— Someone\n\n---\n",
    "---\n",
    "![A chart of troop numbers](chart.png)\n\n---\n",
    "Only a paragraph, and no heading.\n\n---\n",
    '# R&D "budget" < 5\n\nSome text.[^n]\n\n## Q&A "session"\n\n[^n]: A note.\n',
  ].join("\n");
  const outlineOf = async (file: string) => {
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const pdf = await getDocument({ data: new Uint8Array(fs.readFileSync(file)), isEvalSupported: false, verbosity: 0 })
      .promise;
    type Item = { title: string; dest: unknown[]; items: Item[] };
    const lines: string[] = [];
    for (const item of ((await pdf.getOutline()) ?? []) as Item[]) {
      const page = (await pdf.getPageIndex(item.dest[0] as never)) + 1;
      lines.push(`${page} ${item.title}${item.items.length ? ` > ${item.items.map((i) => i.title).join(", ")}` : ""}`);
    }
    await pdf.destroy();
    return lines;
  };

  it("bookmarks every slide, those with no heading by their first words, in the deck and where it is in the handout", async () => {
    const dir = makeProject({ "content/deck.md": DECK_OF_ALL_KINDS });
    const report = await build(projectConfig(dir));
    expect(report.documents[0]?.status).toBe("built");
    const titles = [
      "Bookmarks for every slide",
      "A heading > Under it",
      "A quotation long enough to be cut in its bookmark, which…",
      "Slide 4",
      "A chart of troop numbers",
      "Only a paragraph, and no heading.",
      // Characters as written (the slide's HTML has them as references), the note's marker left out.
      'R&D "budget" < 5 > Q&A "session"',
    ];
    expect(await outlineOf(path.join(dir, "output/deck.pdf"))).toEqual(titles.map((t, i) => `${i + 1} ${t}`));
    expect(await outlineOf(path.join(dir, "output/deck.handout.pdf"))).toEqual(
      titles.map((t, i) => `${Math.floor(i / 3) + 1} ${t}`),
    );
    expect(formatted(await checkPdfUa(fs.readFileSync(path.join(dir, "output/deck.pdf"))))).toEqual([]);
  });
});

describe("lists and columns on slides", () => {
  it("prints a list's two-digit numbers whole, and three columns side by side", async () => {
    const words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    const dir = makeProject({
      "content/deck.md": [
        "---\nkind: slides\ntitle: Lists and columns\n---\n",
        "# Steps\n",
        ...words.map((w, i) => `${i + 1}. ${w}`),
        "\n---\n",
        "::::columns\n:::column\nOption Alpha\n:::\n:::column\nOption Bravo\n:::\n:::column\nOption Charlie\n:::\n::::\n",
      ].join("\n"),
    });
    const report = await build(projectConfig(dir));
    expect(report.documents[0]?.status).toBe("built");
    const bytes = fs.readFileSync(path.join(dir, "output/deck.pdf"));
    const list = (await pageTextItems(bytes, 2)).map((item) => item.text).join(" ");
    // The slide's edge cut "10." to "0." in the print and the text layer.
    for (const [i, word] of words.entries()) expect(list).toMatch(new RegExp(`(^|\\s)${i + 1}\\.\\s*${word}`));
    const columns = await pageTextItems(bytes, 3);
    const at = (text: string) => columns.find((item) => item.text.includes(text));
    expect(at("Charlie")?.y).toBeCloseTo(at("Alpha")?.y ?? 0, 0);
    expect(at("Charlie")?.x ?? 0).toBeGreaterThan(at("Bravo")?.x ?? 0);
  });
});

describe("speaker notes longer than their box on a 1-a-page handout", () => {
  // Generated words, each of its own, so that a cut would show as a word missing.
  const long = Array.from({ length: 900 }, (_, i) => `note${i}`).join(" ");
  const more = Array.from({ length: 250 }, (_, i) => `more${i}`).join(" ");
  const DECK_WITH_LONG_NOTES = `---
title: Long notes
kind: slides
handout: 1
---

# First

Content.

:::notes
A first paragraph with *emphasis inside*.

${long} notesEnd

- listed one
- listed two

${more} lastWord
:::

---

# Second

Short.

:::notes
Short notes of the second slide.
:::
`;

  it("go on, on pages of their own after their slide's, every word kept, and say so at the slide", async () => {
    const dir = makeProject({ "content/deck.md": DECK_WITH_LONG_NOTES });
    const report = await build(projectConfig(dir));
    const [only] = report.documents;
    expect(only?.status).toBe("built");
    expect(only?.diagnostics.map((d) => `${d.line} ${d.severity} ${d.rule}`)).toEqual([
      "7 note handout/notes-continued",
    ]);
    expect(only?.prints).toEqual({ deck: 1, "handout frame": 1 });
    // The presenting page's counter and help line are left-to-right runs of their own: in the
    // right-to-left page, "1 / 7" read "7 / 1".
    const html = fs.readFileSync(path.join(dir, "output/deck.html"), "utf8");
    expect(html).toContain('<span class="deck-counter" dir="ltr"></span><span class="deck-help" lang="en" dir="ltr">');
    const bytes = fs.readFileSync(path.join(dir, "output/deck.handout.pdf"));
    const facts = await readPdf(bytes);
    const words = facts.pageTexts.join(" ").split(/\s+/);
    const wanted = [...long.split(" "), ...more.split(" "), "notesEnd", "lastWord", "listed", "two", "inside."];
    expect(wanted.filter((word) => !words.includes(word))).toEqual([]);
    // Title slide, the first slide and its notes, their continuation, then the second slide.
    expect(facts.pageCount).toBeGreaterThanOrEqual(4);
    const continued = facts.pageTexts.map((text, i) => (/NOTES \(CONTINUED\)/i.test(text) ? i + 1 : 0)).filter(Boolean);
    expect(continued.length).toBeGreaterThanOrEqual(1);
    expect(facts.pageTexts[1]).toContain("note0");
    expect(facts.pageTexts.at(-1)).toContain("Short notes of the second slide.");
    expect(facts.pageTexts.at(-1)).toContain("Second");
    expect(formatted(await checkPdfUa(bytes))).toEqual([]);
  });
});

describe("a slide that runs past its box, by default", () => {
  const points = Array.from(
    { length: 9 },
    (_, i) =>
      `- Point pt${i} of many, long enough to wrap onto a second line of the slide, and it goes on longer still`,
  );
  const DECK_TOO_FULL = `---\ntitle: Too full\nkind: slides\n---\n\n# Fits\n\nShort.\n\n---\n\n# Nine points\n\n${points.join("\n")}\n`;

  it("is shrunk until it fits, says so at its line, and loses no word", async () => {
    const dir = makeProject({ "content/full.md": DECK_TOO_FULL });
    const report = await build(projectConfig(dir));
    const [only] = report.documents;
    expect(only?.status).toBe("built");
    expect(only?.diagnostics.map((d) => `${d.line} ${d.severity} ${d.rule}`)).toEqual([
      `${DECK_TOO_FULL.split("\n").indexOf("# Nine points") + 1} note slides/fit`,
    ]);
    const text = (await read({ outDir: path.join(dir, "output") } as BuildConfig, "full.pdf")).pageTexts.join(" ");
    for (let i = 0; i < points.length; i++) expect(text).toContain(`pt${i}`);
  });
});
