/**
 * The classification marking, read back from the PDFs as a machine reads them (pdf.js, as a
 * data-loss-prevention scanner or a search would): one word on every page of a briefing, a deck and
 * a handout, in English and in Arabic, and so is every other letter-spaced label (the cover's
 * kicker, the facts' headings, callout titles, the slide's organisation, the handout's notes
 * label). And the cover's marking box lies inside the page's text block, left to right and right
 * to left, on A4 and on Letter.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { checkPdfUa, formatUaFailure } from "../../src/pdf/check-ua.js";
import { BRIEFING_MARGIN_MM, PAPER } from "../../src/template/paper.js";
import { REPO } from "../support/parse.js";
import { pagePaths, readPdf, structureText } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const briefing = (lang: string, paper: string) => `---
title: ${lang === "ar" ? "إحاطة عن التصنيف" : "A briefing on markings"}
lang: ${lang}
paper: ${paper}
classification: OFFICIAL
author: Jane Analyst
date: 2026-11-25
version: "1.0"
distribution: ${lang === "ar" ? "الوفد فقط" : "Delegation only"}
summary: ${lang === "ar" ? "ملخص قصير." : "A short summary."}
---

# ${lang === "ar" ? "مقدمة" : "Introduction"}

:::warning
${lang === "ar" ? "نص التحذير." : "Official figures only."}
:::

${(lang === "ar" ? "فقرة من النص. " : "A paragraph of official text. ").repeat(40)}

# ${lang === "ar" ? "خاتمة" : "Conclusion"}

${lang === "ar" ? "نهاية." : "The end."}
`;

const deck = (lang: string, handout: number) => `---
title: ${lang === "ar" ? "عرض عن التصنيف" : "A deck on markings"}
lang: ${lang}
kind: slides
handout: ${handout}
classification: OFFICIAL
---

# ${lang === "ar" ? "النقاط" : "Points"}

- ${lang === "ar" ? "نقطة أولى" : "A first point"}

:::notes
${lang === "ar" ? "ملاحظات المتحدث." : "What to say here."}
:::

---

# ${lang === "ar" ? "تحذير" : "Caution"}

:::warning
${lang === "ar" ? "نص التحذير." : "Official figures only."}
:::
`;

const DOCUMENTS = {
  "content/en-a4.md": briefing("en", "A4"),
  "content/en-letter.md": briefing("en", "Letter"),
  "content/ar-a4.md": briefing("ar", "A4"),
  "content/ar-letter.md": briefing("ar", "Letter"),
  "content/en-deck.md": deck("en", 1),
  "content/ar-deck.md": deck("ar", 3),
  // A marking of six words beside a running title of twenty: the marking wrapped to three lines.
  "content/long-marking.md": `---
title: Long marking
short-title: Peacekeeping financing and support account for the biennium 2026–2027 and beyond, with a long running header
classification: SECRET // EXAMPLIA EYES ONLY
reference: PME/NY/2026/5C/0042-REV.3
---

# Body

Text.
`,
};

let dir: string;
let report: BuildReport;
const pdf = (name: string) => new Uint8Array(fs.readFileSync(path.join(dir, "output", name)));
/** A page's words: pdf.js's text, split at white space (Arabic without its vowel marks). */
const words = (text: string) => text.replace(/[\u064B-\u0652\u0670\u0640]/g, "").split(/\s+/);
/** Letters only. */
const bare = (text: string) => text.replace(/[\s\u064B-\u0652\u0670\u0640]/g, "");

beforeAll(async () => {
  dir = makeProject(DOCUMENTS);
  report = await build(projectConfig(dir, { concurrency: "2" }));
});

describe("letter-spaced text in the PDF text layer", () => {
  it("builds every document", () => {
    expect(report.documents.map((d) => [d.source, d.status, d.diagnostics.map((x) => x.message)])).toEqual(
      Object.keys(DOCUMENTS)
        .sort()
        .map((file) => [file, "built", []]),
    );
  });

  const everyPage: [string, string][] = [
    ["en-a4.pdf", "OFFICIAL"],
    ["en-letter.pdf", "OFFICIAL"],
    ["en-deck.pdf", "OFFICIAL"],
    ["en-deck.handout.pdf", "OFFICIAL"],
    ["ar-a4.pdf", "رسمي"],
    ["ar-letter.pdf", "رسمي"],
    ["ar-deck.pdf", "رسمي"],
    ["ar-deck.handout.pdf", "رسمي"],
  ];
  it("keeps a long marking on one line in the running header and footer, whatever the running title beside it", async () => {
    const { pageRuns } = await readPdf(pdf("long-marking.pdf"));
    const whole = "SECRET // EXAMPLIA EYES ONLY";
    // Past the cover (whose box has its own lines), header and footer: on every page, each whole.
    for (const [i, runs] of pageRuns.entries())
      if (i > 0)
        expect(
          runs.filter((run) => run.includes(whole)).length,
          `page ${i + 1}: ${runs.join(" | ")}`,
        ).toBeGreaterThanOrEqual(2);
  });

  for (const [file, marking] of everyPage) {
    it(`finds the marking ${marking} as one word on every page of ${file}`, async () => {
      const { pageRuns } = await readPdf(pdf(file));
      expect(pageRuns.length).toBeGreaterThan(0);
      const texts = pageRuns.map((runs) => runs.join(" "));
      const without = texts.flatMap((text, i) => (words(text).includes(marking) ? [] : [`page ${i + 1}: ${text}`]));
      expect(without).toEqual([]);
      // And wherever its letters are, they are that one word (the cover's box as much as the margins).
      const spread = texts.flatMap((text, i) => {
        const asLetters = bare(text).split(marking).length - 1;
        const asWords = words(text).filter((w) => w === marking).length;
        return asLetters === asWords ? [] : [`page ${i + 1}: ${asWords} of ${asLetters} as a word: ${text}`];
      });
      expect(spread).toEqual([]);
    });
  }

  it("reads the other letter-spaced labels as words, with no ligature inside them", async () => {
    // Split into letters, a label would not be found in the text at all.
    const text = async (file: string) => (await readPdf(pdf(file))).pageTexts.join(" ");
    const briefingText = await text("en-a4.pdf");
    for (const label of ["BRIEFING", "AUTHOR", "DATE", "VERSION", "DISTRIBUTION", "WARNING"]) {
      expect(briefingText, label).toContain(label);
    }
    const deckText = await text("en-deck.pdf");
    for (const label of ["TEST UNIT", "WARNING"]) expect(deckText, label).toContain(label);
    expect(await text("en-deck.handout.pdf")).toContain("NOTES");
    // A ligature would extract as one character (ﬁ, ﬀ, ﬂ) or not at all.
    for (const file of ["en-a4.pdf", "en-deck.pdf", "en-deck.handout.pdf"]) {
      expect(await text(file), file).not.toMatch(/[\uFB00-\uFB06]/);
    }
  });
});

describe("letter-spacing in the templates", () => {
  it("stays under the gap text extractors read as a space, and turns common ligatures off", () => {
    // poppler breaks a word at a gap of 0.1 of the font size, pdf.js at 0.102: 0.07em leaves room
    // for kerning and rounding.
    const found: string[] = [];
    const css = path.join(REPO, "templates/css");
    for (const file of fs.readdirSync(css).filter((f) => f.endsWith(".css"))) {
      for (const block of fs.readFileSync(path.join(css, file), "utf8").matchAll(/([^{};]*)\{([^{}]*)\}/g)) {
        const declarations = block[2] ?? "";
        for (const spacing of declarations.matchAll(/letter-spacing:\s*(?:var\(--tracking,\s*)?(-?[\d.]+)em/g)) {
          const em = Number(spacing[1]);
          if (em > 0.07) found.push(`${file} ${block[1]?.trim()}: ${em}em`);
          // In a page-margin box the HTML checker knows no font-variant-ligatures; there Chromium's
          // own rule holds: letter-spacing turns the optional ligatures off.
          const marginBox = block[1]?.trim().startsWith("@");
          if (em > 0 && !marginBox && !/font-variant-ligatures:\s*(none|no-common-ligatures)/.test(declarations))
            found.push(`${file} ${block[1]?.trim()}: ligatures on`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});

describe("the cover's marking box", () => {
  const MM = 72 / 25.4;
  for (const file of ["en-a4.pdf", "en-letter.pdf", "ar-a4.pdf", "ar-letter.pdf"]) {
    it(`lies inside the text block on the cover of ${file}`, async () => {
      const paper = PAPER[file.includes("letter") ? "Letter" : "A4"];
      const left = BRIEFING_MARGIN_MM.side * MM;
      const right = (paper.width - BRIEFING_MARGIN_MM.side) * MM;
      const paths = await pagePaths(pdf(file), 1);
      // The box is the one stroked rectangle across the text block.
      const boxes = paths.filter((p) => p.paint === "stroke" && p.box[2] - p.box[0] > (right - left) * 0.8);
      expect(boxes).toHaveLength(1);
      const [box] = boxes;
      if (!box) return;
      const outer = { left: box.box[0] - box.lineWidth / 2, right: box.box[2] + box.lineWidth / 2 };
      expect(outer.left, "left edge of the box's border").toBeGreaterThanOrEqual(left);
      expect(outer.right, "right edge of the box's border").toBeLessThanOrEqual(right);
      // Nor is any of it outside what Chromium paints of the page (a border drawn there is cut off).
      const clip = paths.find((p) => p.paint === "clip");
      expect(clip).toBeDefined();
      if (!clip) return;
      expect(outer.left).toBeGreaterThanOrEqual(clip.box[0]);
      expect(outer.right).toBeLessThanOrEqual(clip.box[2]);
      // And it still spans the text block, less a hair: the look is kept.
      expect(outer.right - outer.left).toBeGreaterThan(right - left - 2);
    });
  }
});

describe("status: draft", () => {
  const DRAFTS = {
    "content/draft-briefing.md": "---\ntitle: A draft\nstatus: draft\n---\n\n# Part\n\nSome words of the draft.\n",
    "content/draft-deck.md":
      "---\ntitle: A draft deck\nkind: slides\nstatus: Draft\nhandout: 2\n---\n\n# One\n\n- A point\n\n---\n\n# Two\n\n- Another point\n\n---\n\n# Three\n\n- A third\n",
    "content/fr/projet.md":
      "---\ntitle: Un projet\nlang: fr\nkind: slides\nstatus: draft\n---\n\n# Une\n\n- Un point\n",
  };
  let drafts: string;
  let deckPrints: unknown;
  const draftPdf = (name: string) => new Uint8Array(fs.readFileSync(path.join(drafts, "output", name)));

  beforeAll(async () => {
    drafts = makeProject(DRAFTS);
    const built = await build(projectConfig(drafts, { concurrency: "2" }));
    expect(built.documents.map((d) => `${d.source} ${d.status}`)).toEqual([
      "content/draft-briefing.md built",
      "content/draft-deck.md built",
      "content/fr/projet.md built",
    ]);
    deckPrints = built.documents.find((d) => d.source === "content/draft-deck.md")?.prints;
  });

  const marked: [string, string][] = [
    ["draft-briefing.pdf", "DRAFT"],
    ["draft-deck.pdf", "DRAFT"],
    ["draft-deck.handout.pdf", "DRAFT"],
    ["fr/projet.pdf", "PROJET"],
  ];
  for (const [file, mark] of marked) {
    it(`puts ${mark} across every page of ${file}, outside what a screen reader reads, and passes PDF/UA-1`, async () => {
      const bytes = draftPdf(file);
      const { pageRuns } = await readPdf(bytes);
      expect(pageRuns.length).toBeGreaterThan(1);
      const without = pageRuns.flatMap((runs, i) => (words(runs.join(" ")).includes(mark) ? [] : [i + 1]));
      expect(without).toEqual([]);
      expect((await structureText(bytes)).text).not.toContain(mark);
      expect((await checkPdfUa(bytes)).map((f) => formatUaFailure(file, f))).toEqual([]);
    });
  }

  it("keeps a draft deck at a page per slide (the mark is no page of its own) and its handout imposed", async () => {
    expect((await readPdf(draftPdf("draft-deck.pdf"))).pageCount).toBe(4);
    expect((await readPdf(draftPdf("draft-deck.handout.pdf"))).pageCount).toBe(2);
    expect(deckPrints).toEqual({ deck: 1, "handout frame": 1 });
  });

  it("puts no mark on a document that is not a draft", async () => {
    for (const file of ["en-a4.pdf", "en-deck.pdf", "en-deck.handout.pdf"]) {
      expect((await readPdf(pdf(file))).pageTexts.join(" ")).not.toContain("DRAFT");
    }
  });
});
