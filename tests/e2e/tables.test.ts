/**
 * Tables that always fit: generated tables of 12, 25 and 60 columns and of 300 rows, with a token
 * of its own in every cell, built into real PDFs and read back. Every token is in the text layer
 * (nothing clipped); each table takes the choice expected of it (smaller type, a landscape page,
 * column groups) and says so at its line; a long table carries its header row and a "continued"
 * caption on every page after its first; the same in Arabic; a table pasted from a spreadsheet.
 */
import fs from "node:fs";
import path from "node:path";
import { PDFArray, PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { check } from "../../src/check.js";
import { checkPdfUa, formatUaFailure } from "../../src/pdf/check-ua.js";
import { finishPrintedPdf } from "../../src/pdf/finish.js";
import { BrowserSession } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { layOutForPrint } from "../../src/render/predict-pages.js";
import { renderWithPageNumbers } from "../../src/render/toc-pages.js";
import type { Diagnostic } from "../../src/report/diagnostic.js";
import { briefingContentBox, briefingLandscapeBox } from "../../src/template/paper.js";
import { REPO } from "../support/parse.js";
import { glyphCodes, type PdfFacts, readPdf, structureText } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const formatted = (failures: Awaited<ReturnType<typeof checkPdfUa>>) =>
  failures.map((f) => formatUaFailure("long.pdf", f));
/** Two letters for a number below 676: aa, ab, … (letters, so that no column reads as numbers). */
const code = (n: number) => `${LETTERS[Math.floor(n / 26) % 26]}${LETTERS[n % 26]}`;

interface Generated {
  markdown: string;
  /** Every cell's token, by row (the first is the header row). */
  cells: string[][];
}

/** A GFM table whose every cell holds a token of its own: `tag` + row + column (+ `pad`). */
function table(tag: string, columns: number, rows: number, caption: string, pad = ""): Generated {
  const cells = Array.from({ length: rows + 1 }, (_, r) =>
    Array.from({ length: columns }, (_, c) =>
      r === 0 ? `${tag.toUpperCase()}${code(c)}` : `${tag}${code(r)}${code(c)}${pad}`,
    ),
  );
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const markdown = [
    line(cells[0] ?? []),
    `|${"---|".repeat(columns)}`,
    ...cells.slice(1).map(line),
    "",
    `Table: ${caption}`,
    "",
  ];
  return { markdown: markdown.join("\n"), cells };
}

function lineOf(markdown: string, text: string): number {
  return markdown.slice(0, markdown.indexOf(text)).split("\n").length;
}

const TWELVE = table("t", 12, 6, "Twelve columns", "xy");
const TWENTY_FIVE = table("f", 25, 8, "Twenty-five columns");
const SIXTY = table("s", 60, 40, "Sixty columns");
const WIDE = `---
title: Wide tables
---

# Twelve columns

${TWELVE.markdown}
# Twenty-five columns

The next table needs a page of its own.

${TWENTY_FIVE.markdown}
# Sixty columns

${SIXTY.markdown}
# After the tables

The end.
`;

const LONG_ROWS = table("l", 4, 300, "Three hundred rows");
const TALL = Array.from({ length: 2400 }, (_, i) => `tall${i}`).join(" ");
/** A long, captioned table with one row taller than a page among short ones. */
const TALL_IN_LONG = Array.from({ length: 1400 }, (_, i) => `huge${i}`).join(" ");
const LONG_WITH_TALL = [
  "| Key | Text |",
  "|---|---|",
  ...Array.from({ length: 30 }, (_, r) =>
    r === 8 ? `| big | ${TALL_IN_LONG} |` : `| k${code(r)} | short${code(r)} |`,
  ),
  "",
  "Table: One row taller than a page",
  "",
].join("\n");
const LONG = `---
title: Long tables
---

# A long table

${LONG_ROWS.markdown}
# A row taller than a page

| Key | Text |
|---|---|
| one | ${TALL} |
| two | after |

# A long table with a row taller than a page

${LONG_WITH_TALL}

# After

The end.
`;

/** Row groups joined by a cell spanning their rows: twenty of five rows, then one of seventy (more than a page). */
const GROUP_SIZES = [...Array.from({ length: 20 }, () => 5), 70];
const GROUP_ROWS = GROUP_SIZES.flatMap((size, g) =>
  Array.from({ length: size }, (_, i) => ({
    group: `grp${code(g)}`,
    first: i === 0,
    size,
    item: `itm${code(g)}${code(i)}`,
  })),
);
const GROUPS = `---
title: Row groups
---

# Groups of rows

<table>
<thead><tr><th>Group</th><th>Item</th><th>Remark</th></tr></thead>
<tbody>
${GROUP_ROWS.map((r) => `<tr>${r.first ? `<td rowspan="${r.size}">${r.group}</td>` : ""}<td>${r.item}</td><td>rem${r.item.slice(3)}</td></tr>`).join("\n")}
</tbody>
</table>

Table: Row groups
`;

const ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكنهوي";
/** The same in Arabic letters (a token mixing scripts is reordered on the page). */
const arabicCode = (n: number) => `${ARABIC_LETTERS[Math.floor(n / 26) % 26]}${ARABIC_LETTERS[n % 26]}`;
const ARABIC_HEADER = ["البعثة", "البلد", "القوات", "الشرطة"];
const ARABIC_ROWS = Array.from({ length: 120 }, (_, r) => [
  `ب${arabicCode(r)}`,
  `د${arabicCode(r)}`,
  `ق${arabicCode(r)}`,
  `ش${arabicCode(r)}`,
]);
const ARABIC_WIDE = table("w", 25, 4, "جدول عريض");
const ARABIC = `---
title: جداول
lang: ar
---

# جدول طويل

| ${ARABIC_HEADER.join(" | ")} |
|---|---|---|---|
${ARABIC_ROWS.map((row) => `| ${row.join(" | ")} |`).join("\n")}

Table: المساهمات حسب البعثة

# جدول عريض

${ARABIC_WIDE.markdown}
`;

const PASTED = `---
title: Pasted
---

# From a spreadsheet

| Mission | Country | 2019 | 2020 | 2021 | 2022 | 2023 | Remarks |
|---|---|---|---|---|---|---|---|
| UNIFIL | Indonesia | 1,232 | 1,225 |  | 1,228 | 1,231 | The contingent rotated in March and again in September, with a maritime unit serving on the corvette of the Maritime Task Force throughout |
| MINUSCA | Pakistan | 1,179 | | 1,205 |
| UNMISS | Bangladesh | 1,600 | 1,620 | 1,588 | 1,590 | 1,601 | | extra | cells | beyond |
| | Egypt | 1,024 | 1,052 | 1,062 | 1,090 | 1,118 | Formed police units and staff officers, whose numbers vary from one month to the next with rotations |
|MONUSCO|Morocco|917|921|925|929|933|Deployed to the east, 24x7, with 6x6 trucks and box girders|

Table: Pasted as it came

Source: the contributors' monthly returns, as pasted.
`;

const DECK_WIDE = table("d", 16, 3, "wide");
const DECK_FIT = table("g", 16, 3, "fitted");
const DECK = `---
kind: slides
title: Tables on slides
fit: false
---

# A table too wide

${DECK_WIDE.markdown}
---

# A table too long

${table("o", 3, 30, "long").markdown}
---

<!-- fit -->

# A wide table shrunk to fit

${DECK_FIT.markdown}`;

/** How a build fits an English document's tables to A4. */
const TABLE_OPTIONS = {
  portrait: briefingContentBox("A4"),
  landscape: briefingLandscapeBox("A4"),
  continued: "continued",
  columns: "columns {from}–{to} of {total}",
  digits: "0123456789",
};

/**
 * Tables written by a trial from a fresh clone, by someone who had not read this code: a header-only
 * table, escaped pipes, an unbroken URL in a cell, a table in a list item, thirty columns with long
 * headers, a colspan, and a wide table that ends the document.
 */
const TRIAL = fs.readFileSync(path.join(REPO, "tests/fixtures/tables/trial-edge-tables.md"), "utf8");

/**
 * Thirty one-row and three-row tables with captions, each after prose of another length, so that
 * their captions fall at every height of a page, the foot included.
 */
const CAPTIONS = [
  "---\ntitle: Captions\n---\n",
  ...Array.from({ length: 30 }, (_, i) =>
    [
      `# Part ${i}`,
      Array.from({ length: 40 + ((i * 37) % 200) }, (_, w) => `prose${w}`).join(" "),
      `| Key | Value |\n|---|---|\n${Array.from({ length: i % 2 ? 1 : 3 }, (_, r) => `| rowkey${i}x${r} | v |`).join("\n")}`,
      `Table: Caption number${i}`,
    ].join("\n\n"),
  ),
].join("\n\n");

/**
 * Wide tables in a list item, a quotation, a callout and a details, each after a short lead-in (a
 * trial's tables): each container goes onto the landscape page whole, headings above it too.
 */
const CONTAINED = (tag: string) => {
  const rows = Array.from(
    { length: 6 },
    (_, r) => `| ${Array.from({ length: 30 }, (_, c) => `${tag}${r}c${c}`).join(" | ")} |`,
  );
  return [
    `| ${Array.from({ length: 30 }, (_, c) => `${tag.toUpperCase()}h${c}`).join(" | ")} |`,
    `|${"---|".repeat(30)}`,
    ...rows,
  ];
};
const indent = (lines: string[], by: string) => lines.map((line) => `${by}${line}`).join("\n");
const CONTAINERS = [
  "---\ntitle: Containers\n---\n",
  "# Lists\n",
  `1. A list item leading inL to a wide table:\n\n${indent(CONTAINED("li"), "   ")}\n\n2. The next item nextL.\n`,
  "# Quotations\n",
  `> A quotation leading inQ to a wide table:\n>\n${indent(CONTAINED("qu"), "> ")}\n`,
  "# Callouts\n",
  `:::warning\nA callout leading inW to a wide table:\n\n${CONTAINED("wa").join("\n")}\n:::\n`,
  "The end endE.\n",
].join("\n");

let dir: string;
let report: BuildReport;
const pdfs = new Map<string, PdfFacts>();

beforeAll(async () => {
  dir = makeProject({
    "content/wide.md": WIDE,
    "content/long.md": LONG,
    "content/arabic.md": ARABIC,
    "content/pasted.md": PASTED,
    "content/deck.md": DECK,
    "content/groups.md": GROUPS,
    "content/trial.md": TRIAL,
    "content/captions.md": CAPTIONS,
    "content/containers.md": CONTAINERS,
  });
  report = await build(projectConfig(dir, { out: path.join(dir, "output") }));
  for (const name of ["wide", "long", "arabic", "pasted", "groups", "trial", "captions", "containers"]) {
    pdfs.set(name, await readPdf(fs.readFileSync(path.join(dir, "output", `${name}.pdf`))));
  }
}, 600_000);

const diagnosticsOf = (name: string): Diagnostic[] =>
  report.documents.find((d) => d.source.endsWith(`${name}.md`))?.diagnostics ?? [];
const pdf = (name: string) => pdfs.get(name) as PdfFacts;
const squash = (text: string) => text.replace(/\s+/g, "");
const landscape = ([width, height]: [number, number]) => width > height;
/** Pages (1-based) whose text holds `token`. */
const pagesWith = (facts: PdfFacts, token: string) =>
  facts.pageWords.flatMap((words, i) => (words.includes(token) ? [i + 1] : []));

function expectEveryToken(facts: PdfFacts, generated: Generated): void {
  const text = squash(facts.pageTexts.join(" "));
  const missing = generated.cells.flat().filter((token) => !text.includes(token));
  expect(missing, missing.slice(0, 20).join(" ")).toEqual([]);
}

describe("wide tables", () => {
  it("builds, and says at each table's line what it did", () => {
    expect(report.ok).toBe(true);
    const found = diagnosticsOf("wide").map((d) => `${d.line} ${d.severity} ${d.rule}`);
    expect(found).toEqual([
      `${lineOf(WIDE, "| Taa")} note tables/tight`,
      `${lineOf(WIDE, "| Faa")} note tables/landscape`,
      `${lineOf(WIDE, "| Saa")} warning tables/split`,
    ]);
    const split = diagnosticsOf("wide").find((d) => d.rule === "tables/split");
    expect(split?.message).toMatch(
      /table of 60 columns is \d+ mm wide, the page 166 mm: .*split into \d groups of columns/,
    );
  });

  it("loses no cell of any of them", () => {
    for (const generated of [TWELVE, TWENTY_FIVE, SIXTY]) expectEveryToken(pdf("wide"), generated);
  });

  it("keeps the twelve columns on a portrait page, in smaller type", () => {
    const pages = pagesWith(pdf("wide"), "tabaaxy");
    expect(pages.length).toBe(1);
    expect(landscape(pdf("wide").pageSizes[(pages[0] ?? 1) - 1] ?? [0, 0])).toBe(false);
  });

  it("sets the twenty-five columns on a landscape page of their own, with the page furniture, then goes back to portrait", () => {
    const facts = pdf("wide");
    const pages = [...new Set(TWENTY_FIVE.cells.flat().flatMap((token) => pagesWith(facts, token)))];
    expect(pages.length).toBe(1);
    const page = pages[0] ?? 1;
    expect(facts.pageSizes[page - 1]).toEqual([842, 595]);
    // The heading above the table and its short lead-in are on its page, not left alone at the
    // foot of the last page (or on a page of their own).
    expect(facts.pageTexts[page - 2]).not.toContain("Twenty-five columns");
    expect(facts.pageTexts[page - 1]).toContain("The next table needs a page of its own.");
    expect(facts.pageTexts[page - 1]).toMatch(new RegExp(`Page ${page} of ${facts.pageCount}`));
    expect(facts.pageSizes.at(-1)).toEqual([595, 842]);
    expect(facts.pageSizes[page - 2]).toEqual([595, 842]);
  });

  it("splits the sixty columns in groups, the key column repeated, each captioned with its columns", () => {
    const facts = pdf("wide");
    const text = facts.pageTexts.join(" ");
    const captions = [...text.matchAll(/Table 3(?:\.| \(continued\)\.) .*?[Cc]olumns (\d+)–(\d+) of 60/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    // The groups, in order, cover the 60 columns once (a group's pieces on later pages repeat its range).
    const groups = captions.filter(([from], i) => i === 0 || from !== captions[i - 1]?.[0]);
    expect(groups.length).toBeGreaterThanOrEqual(2);
    expect(groups[0]?.[0]).toBe(1);
    expect(groups.at(-1)?.[1]).toBe(60);
    for (let i = 1; i < groups.length; i++) expect(groups[i]?.[0]).toBe((groups[i - 1]?.[1] ?? 0) + 1);
    // The key of each row is printed once per group.
    const keys = facts.pageWords.flat().filter((word) => word === "sabaa").length;
    expect(keys).toBe(groups.length);
    for (const token of SIXTY.cells.flat()) {
      for (const page of pagesWith(facts, token)) expect(landscape(facts.pageSizes[page - 1] ?? [0, 0])).toBe(true);
    }
  });

  it("never leave a caption at the foot of a page, its rows on the next: in a document nobody here wrote either", () => {
    const facts = pdf("trial");
    // Every cell of the thirty columns (r0c0 … r4c29) and of the table ending the document.
    const text = squash(facts.pageTexts.join(" "));
    const cells = [
      ...Array.from({ length: 5 }, (_, r) => Array.from({ length: 30 }, (_, c) => `r${r}c${c}`)).flat(),
      ...Array.from({ length: 3 }, (_, r) => Array.from({ length: 18 }, (_, c) => `${r}-${c}endcell`)).flat(),
    ];
    expect(cells.filter((cell) => !text.includes(cell))).toEqual([]);
    // Each group's caption is on a page with the group's first column.
    const captions = facts.pageTexts.flatMap((page, i) =>
      [...page.matchAll(/[Cc]olumns (\d+)–\d+ of 30/g)].map((m) => [i + 1, Number(m[1])] as const),
    );
    expect(captions.length).toBeGreaterThanOrEqual(3);
    // The table has no caption, so no number: its groups are named by their columns alone.
    const all = facts.pageTexts.join(" ");
    expect(all).toMatch(/Columns 1–\d+ of 30/);
    expect(all).toMatch(/Columns \d+–\d+ of 30 \(continued\)/);
    expect(all).not.toMatch(/\(columns 1–/);
    for (const [page, from] of captions)
      expect(facts.pageTexts[page - 1], `columns from ${from} on page ${page}`).toContain(`r0c${from - 1}`);
  });

  it("take a list item, quotation or callout they are in onto their landscape page whole, with its lead-in and the heading above", () => {
    const facts = pdf("containers");
    for (const [heading, lead, first] of [
      ["Lists", "inL", "li0c0"],
      ["Quotations", "inQ", "qu0c0"],
      ["Callouts", "inW", "wa0c0"],
    ] as const) {
      const page = pagesWith(facts, first)[0] ?? 0;
      expect(page, first).toBeGreaterThan(0);
      expect(landscape(facts.pageSizes[page - 1] ?? [0, 0]), `${first} on a landscape page`).toBe(true);
      expect(facts.pageTexts[page - 1], `the lead-in ${lead} with ${first}`).toContain(lead);
      expect(facts.pageTexts[page - 1], `the heading ${heading} with ${first}`).toContain(heading);
    }
    // The list item keeps its number with its text, and the next item its own.
    const listPage = facts.pageTexts[(pagesWith(facts, "li0c0")[0] ?? 1) - 1] ?? "";
    expect(listPage).toMatch(/1\.\s*A list item leading inL/);
    expect(facts.pageTexts.join(" ")).toMatch(/2\.\s*The next item nextL/);
    const all = squash(facts.pageTexts.join(" "));
    for (const tag of ["li", "qu", "wa"])
      for (let r = 0; r < 6; r++) for (let c = 0; c < 30; c++) expect(all).toContain(`${tag}${r}c${c}`);
  });

  it("never leave a short table's caption at a page's foot, whatever the prose before it", () => {
    const facts = pdf("captions");
    for (let i = 0; i < 30; i++) {
      const page = pagesWith(facts, `number${i}`)[0] ?? 0;
      expect(page, `caption ${i}`).toBeGreaterThan(0);
      expect(facts.pageTexts[page - 1], `table ${i}, its caption on page ${page}`).toContain(`rowkey${i}x0`);
    }
  });

  it("can be told by press check, with the browser", async () => {
    const result = await check(projectConfig(dir, { inputs: [path.join(dir, "content/wide.md")] }), { browser: true });
    const found = result.diagnostics.filter((d) => d.rule.startsWith("tables/")).map((d) => `${d.line} ${d.rule}`);
    expect(found).toEqual([
      `${lineOf(WIDE, "| Taa")} tables/tight`,
      `${lineOf(WIDE, "| Faa")} tables/landscape`,
      `${lineOf(WIDE, "| Saa")} tables/split`,
    ]);
  });

  it("are told likely to need a landscape page or a split by press check without a browser, at their lines", async () => {
    const result = await check(projectConfig(dir, { inputs: [path.join(dir, "content/wide.md")] }), {
      browser: false,
    });
    const found = result.diagnostics
      .filter((d) => d.rule.startsWith("tables/"))
      .map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`);
    // The same choices the browser makes (above); the twelve columns fit in smaller type, so no word.
    expect(found).toEqual([
      `${lineOf(WIDE, "| Faa")}:1 note tables/landscape`,
      `${lineOf(WIDE, "| Saa")}:1 note tables/split`,
    ]);
    for (const d of result.diagnostics) expect(d.message).toMatch(/needs about \d+ mm even in 7 pt type.*: likely /);
  });
});

describe("long tables", () => {
  it("lose no row, and a row taller than a page is split across pages, not cut", () => {
    const facts = pdf("long");
    expectEveryToken(facts, LONG_ROWS);
    const text = squash(facts.pageTexts.join(" "));
    const missing = TALL.split(" ").filter((word) => !text.includes(word));
    expect(missing.slice(0, 10)).toEqual([]);
    expect(pagesWith(facts, "tall0")[0]).toBeLessThan(pagesWith(facts, "tall2399")[0] ?? 0);
    // The row starts below its heading: not sent to the next page, which would leave the heading
    // alone on a page of white.
    expect(facts.pageTexts[(pagesWith(facts, "tall0")[0] ?? 0) - 1]).toMatch(/2\s+A row taller than a page/);
  });

  it("start a row taller than a page below its caption, leaving no page with only the caption and header row", () => {
    const facts = pdf("long");
    const text = facts.pageTexts.join(" ");
    expect(TALL_IN_LONG.split(" ").filter((word) => !text.includes(word))).toEqual([]);
    const pages = facts.pageTexts.filter((page) => page.includes("Table 2"));
    expect(pages.length).toBeGreaterThan(1);
    // Every page the table's caption is on holds some of its rows.
    for (const page of pages) expect(page, page.slice(0, 200)).toMatch(/huge\d+|short\w\w/);
    // The tall row starts on a page of its caption: below the rows before it when a third of the
    // page is left for it, at the top of the next page under "(continued)" when not.
    const first = pagesWith(facts, "huge0")[0] ?? -1;
    expect(facts.pageTexts[first - 1]).toMatch(/Table 2[ .]/);
  });

  it("carry the header row on every page, and the caption marked continued on every page after the first", () => {
    const facts = pdf("long");
    const pages = [...new Set(LONG_ROWS.cells.slice(1).flatMap((row) => pagesWith(facts, row[0] ?? "")))].sort(
      (a, b) => a - b,
    );
    expect(pages.length).toBeGreaterThan(5);
    for (const [i, page] of pages.entries()) {
      const text = facts.pageTexts[page - 1] ?? "";
      expect(squash(text), `page ${page}`).toContain(squash((LONG_ROWS.cells[0] ?? []).join(" ")));
      if (i === 0) expect(text).toContain("Table 1. Three hundred rows");
      else expect(text, `page ${page}`).toContain("Table 1 (continued)");
    }
  });

  it("are one table to a screen reader: every row in the first piece's Table, the repeated header and caption artifacts", async () => {
    const bytes = fs.readFileSync(path.join(dir, "output", "long.pdf"));
    const { text } = await structureText(bytes, { lineEnds: false });
    // Rows under each Table of the structure tree (in THead, TBody or directly): the three hundred
    // rows and the header row under one, and no Table of no rows left for each page after the first.
    const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
    const kids = (dict: PDFDict) => {
      const k = dict.lookup(PDFName.of("K"));
      const list = k instanceof PDFArray ? k.asArray().map((item) => pdf.context.lookup(item)) : [k];
      return list.filter((item): item is PDFDict => item instanceof PDFDict && item.has(PDFName.of("S")));
    };
    const role = (dict: PDFDict) => String(dict.get(PDFName.of("S")));
    const rowsOf = (dict: PDFDict): number =>
      kids(dict).reduce(
        (n, kid) => n + (role(kid) === "/TR" ? 1 : /^\/(THead|TBody|TFoot)$/.test(role(kid)) ? rowsOf(kid) : 0),
        0,
      );
    const counts: number[] = [];
    const walk = (dict: PDFDict, depth: number) => {
      if (role(dict) === "/Table") counts.push(rowsOf(dict));
      if (depth < 64) for (const kid of kids(dict)) walk(kid, depth + 1);
    };
    for (const top of kids(pdf.catalog.lookup(PDFName.of("StructTreeRoot"), PDFDict))) walk(top, 0);
    expect(counts).toContain(301);
    expect(counts.filter((n) => n === 0)).toEqual([]);
    // The caption and the header row are read once, not once a page.
    expect(text.split("Three hundred rows").length - 1).toBe(1);
    expect(text).not.toContain("(continued)");
    expect(formatted(await checkPdfUa(bytes))).toEqual([]);
  });

  it("fill every page of a column group after the first as they fill the first group's, no row left alone on a page", async () => {
    const split = table("s", 40, 120, "Forty columns, 120 rows");
    const dir2 = makeProject({ "content/split.md": `# Split\n\n${split.markdown}` });
    const report = await build(projectConfig(dir2, { formats: "pdf" }));
    expect(report.documents[0]?.status).toBe("built");
    const facts = await readPdf(fs.readFileSync(path.join(dir2, "output", "split.pdf")));
    const keys = new Set(split.cells.slice(1).map((row) => row[0] ?? ""));
    const rowsPerPage = facts.pageTexts
      .map((page) => page.split(/\s+/).filter((word) => keys.has(word)).length)
      .filter((n) => n > 0);
    // Each group's pages after its first held a row fewer than they had room for (the space above a
    // group taken again on each), and that row went alone onto a page of its own.
    expect(rowsPerPage.filter((n) => n === 1)).toEqual([]);
    // Every row in every group: the key column is repeated in each.
    const total = rowsPerPage.reduce((a, b) => a + b, 0);
    expect(total % 120).toBe(0);
    expect(total).toBeGreaterThan(120);
  });

  it("carry a <tfoot> total row to the end, under the last row, not under the first page's", async () => {
    const rows = Array.from({ length: 90 }, (_, i) => `<tr><td>m${i}</td><td>${1000 + i}</td></tr>`).join("\n");
    const dir2 = makeProject({
      "content/foot.md": `# Totals\n\n<table>\n<thead><tr><th>Mission</th><th>2020</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n<tfoot><tr><th>Total</th><td>TOTALSUM</td></tr></tfoot>\n</table>\n`,
    });
    const report = await build(projectConfig(dir2, { formats: "pdf" }));
    expect(report.documents[0]?.status).toBe("built");
    const facts = await readPdf(fs.readFileSync(path.join(dir2, "output", "foot.pdf")));
    const pageOf = (text: string) => facts.pageTexts.findIndex((page) => page.includes(text)) + 1;
    expect(pageOf("m89")).toBeGreaterThan(pageOf("m0"));
    expect(pageOf("TOTALSUM")).toBe(pageOf("m89"));
    const last = facts.pageTexts[pageOf("m89") - 1] ?? "";
    expect(last.indexOf("TOTALSUM")).toBeGreaterThan(last.indexOf("m89"));
  });

  it("split a wide table with merged headers and a total row in groups of columns, every cell whole, a merged header over each group it spans", async () => {
    // A pasted table of a trial: the merged headers and the <tfoot> note kept it whole at 7 pt, its
    // cells broken a letter or two a line, under a note saying its type was made smaller.
    const years = Array.from({ length: 40 }, (_, c) => `<th>y${2000 + c}</th>`).join("");
    const body = Array.from(
      { length: 8 },
      (_, r) =>
        `<tr><td>region${r}</td><td>mission${r}</td>${Array.from({ length: 40 }, (_, c) => `<td>v${r}x${c}</td>`).join("")}</tr>`,
    ).join("\n");
    const sums = Array.from({ length: 40 }, (_, c) => `<td>sum${c}</td>`).join("");
    const html = [
      "<table>",
      `<thead><tr><th rowspan="2">Region</th><th rowspan="2">Mission</th><th colspan="20">TroopsHead</th><th colspan="20">PoliceHead</th></tr>`,
      `<tr>${years}</tr></thead>`,
      `<tbody>\n${body}\n</tbody>`,
      `<tfoot><tr><th colspan="2">Total</th>${sums}</tr><tr><td colspan="100">NoteAcrossAll</td></tr></tfoot>`,
      "</table>",
    ].join("\n");
    const dir2 = makeProject({ "content/spans.md": `# Spans\n\n${html}\n` });
    const report = await build(projectConfig(dir2, { formats: "pdf" }));
    expect(report.documents[0]?.status).toBe("built");
    const rules = report.documents[0]?.diagnostics.map((d) => `${d.rule}: ${d.message}`) ?? [];
    expect(rules.join("\n")).toMatch(/tables\/split: table of 42 columns .* split into \d groups of columns/);
    expect(rules.join("\n")).not.toMatch(/smaller than 7 pt/);
    const facts = await readPdf(fs.readFileSync(path.join(dir2, "output", "spans.pdf")));
    const items = facts.pageWords.flat();
    const words = new Set(items);
    // Every cell printed whole, none broken across lines.
    const cells = [
      ...Array.from({ length: 8 }, (_, r) => Array.from({ length: 40 }, (_, c) => `v${r}x${c}`)).flat(),
      ...Array.from({ length: 40 }, (_, c) => `sum${c}`),
      ...Array.from({ length: 40 }, (_, c) => `y${2000 + c}`),
      "region7",
      "mission7",
    ];
    expect(cells.filter((cell) => !words.has(cell))).toEqual([]);
    // More than one group, each headed by the merged header over its columns, the note under each.
    const groups = items.filter((item) => item.includes("NoteAcrossAll")).length;
    expect(groups).toBeGreaterThan(1);
    const heads = items.filter((item) => item === "TroopsHead" || item === "PoliceHead").length;
    expect(heads).toBeGreaterThanOrEqual(groups);
    // The note's colspan="100" (a habit, past the table's 42 columns) makes no columns of its own:
    // every group holds year columns beside its key.
    const captions = facts.pageTexts.join(" ").match(/[Cc]olumns \d+–\d+ of \d+/g) ?? [];
    expect(captions.length).toBe(groups);
    for (const caption of captions) expect(caption).toMatch(/of 42$/);
  });

  it("start a group of rows longer than a page below its caption when it starts the table, each later page captioned continued", async () => {
    // Chromium would not start the spanning cell below the caption: its page held the caption and
    // the header row alone, and the next page's rows had no "(continued)" caption.
    const rows = Array.from(
      { length: 70 },
      (_, i) =>
        `<tr>${i === 0 ? '<th scope="row" rowspan="70">GroupZero</th>' : ""}<td>mis${i}</td><td>${1000 + i}</td><td>${2000 + i}</td></tr>`,
    ).join("\n");
    const dir2 = makeProject({
      "content/group.md": `---\ntitle: Group\n---\n\n# Group\n\nTable: One group of seventy rows\n\n<table>\n<thead><tr><th>Region</th><th>Mission</th><th>2020</th><th>2021</th></tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n`,
    });
    const report = await build(projectConfig(dir2, { formats: "pdf" }));
    expect(report.documents[0]?.status).toBe("built");
    const facts = await readPdf(fs.readFileSync(path.join(dir2, "output", "group.pdf")));
    const pages = facts.pageWords.flatMap((words, i) => (words.some((w) => /^mis\d+$/.test(w)) ? [i] : []));
    const captionPage = facts.pageTexts.findIndex((text) => text.includes("Table 1. One group"));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]).toBe(captionPage);
    for (const page of pages.slice(1)) {
      expect(facts.pageTexts[page], `page ${page + 1}`).toMatch(
        /Table 1 \(continued\) Region Mission 2020 2021 GroupZero mis/,
      );
    }
    const printed = facts.pageWords.flat().filter((w) => /^mis\d+$/.test(w));
    expect(printed).toEqual(Array.from({ length: 70 }, (_, i) => `mis${i}`));
  });

  it("are cut from one layout: every piece where the plan put it, none cut again when checked", async () => {
    const html = fs.readFileSync(path.join(dir, "output", "long.html"), "utf8");
    const session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
    try {
      const { pieces } = await session.withPage(
        async (page) => {
          await page.setContent(html, { waitUntil: "load" });
          return layOutForPrint(page, { ids: [], box: briefingContentBox("A4"), tables: TABLE_OPTIONS });
        },
        { media: "print" },
      );
      const captions =
        pdf("long")
          .pageTexts.join(" ")
          .match(/\(continued\)/g)?.length ?? 0;
      expect(captions).toBeGreaterThan(5);
      expect(pieces).toEqual({ continued: captions, corrected: 0 });
    } finally {
      await session.close();
    }
  });

  it("keep a group of rows joined by a spanning cell together, or carry the cell over: every cell in its column", async () => {
    const facts = pdf("groups");
    const bytes = fs.readFileSync(path.join(dir, "output", "groups.pdf"));
    const pages = [...new Set(GROUP_ROWS.flatMap((r) => pagesWith(facts, r.item)))].sort((a, b) => a - b);
    expect(pages.length).toBeGreaterThan(3);
    const x = { group: [] as number[], item: [] as number[], remark: [] as number[] };
    for (const [i, page] of pages.entries()) {
      const text = facts.pageTexts[page - 1] ?? "";
      if (i > 0) expect(text, `page ${page}`).toMatch(/Table 1 \(continued\) Group Item Remark grp\w\w itm/);
      for (const item of await textItems(bytes, page)) {
        if (/^grp\w\w$/.test(item.text)) x.group.push(item.x);
        if (/^itm\w{4}$/.test(item.text)) x.item.push(item.x);
        if (/^rem\w{4}$/.test(item.text)) x.remark.push(item.x);
      }
    }
    // Every item and remark printed once, each column's cells one above the other on every page.
    expect(x.item.length).toBe(GROUP_ROWS.length);
    expect(x.remark.length).toBe(GROUP_ROWS.length);
    for (const xs of Object.values(x)) expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(12);
    expect(Math.max(...x.group)).toBeLessThan(Math.min(...x.item));
    expect(Math.max(...x.item)).toBeLessThan(Math.min(...x.remark));
    // The long group's label on each of its pages.
    const long = GROUP_ROWS.filter((r) => r.size === 70);
    const longPages = [...new Set(long.flatMap((r) => pagesWith(facts, r.item)))];
    expect(longPages.length).toBeGreaterThan(1);
    for (const page of longPages) expect(pagesWith(facts, long[0]?.group ?? "")).toContain(page);
  });

  it("keep the contents' page numbers right", () => {
    const facts = pdf("long");
    const after = pagesWith(facts, "end.").at(-1);
    expect(facts.pageTexts[1]).toMatch(new RegExp(`After\\s*${after}`));
  });
});

describe("the contents' page numbers", () => {
  for (const name of ["wide", "long"]) {
    it(`are guessed right before the one print of ${name}.md, landscape pages and continued pieces included`, async () => {
      const built = fs.readFileSync(path.join(dir, "output", `${name}.html`), "utf8");
      const entry = /(<a href="#([^"]+)"><span class="toc-number">[\s\S]*?<span class="toc-page">)[^<]*(<\/span>)/g;
      const ids = [...built.matchAll(entry)].map((m) => m[2] ?? "");
      const htmlFor = (pages: ReadonlyMap<string, number>) =>
        built.replace(entry, (_, open: string, id: string, close: string) => `${open}${pages.get(id) ?? ""}${close}`);
      const session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
      try {
        const result = await renderWithPageNumbers(session, htmlFor, {
          ids,
          box: briefingContentBox("A4"),
          digits: "0123456789",
          timeout: 60_000,
          tables: TABLE_OPTIONS,
          finish: (pdf, wanted) =>
            finishPrintedPdf({
              pdf,
              ids: wanted,
              metadata: {
                title: "t",
                authors: [],
                subject: null,
                keywords: [],
                lang: "en",
                creator: "t",
                date: new Date(0),
              },
            }),
        });
        expect(result.prints).toBe(1);
        expect(result.tables.length).toBe(name === "wide" ? 3 : 0);
      } finally {
        await session.close();
      }
    });
  }
});

describe("right to left", () => {
  it("mirrors a long table: header and a localised continued caption on every page, the key column on the right", async () => {
    const facts = pdf("arabic");
    const bytes = fs.readFileSync(path.join(dir, "output", "arabic.pdf"));
    const pages = [...new Set(ARABIC_ROWS.flatMap((row) => pagesWith(facts, row[0] ?? "")))].sort((a, b) => a - b);
    expect(pages.length).toBeGreaterThan(1);
    for (const [i, page] of pages.entries()) {
      const text = facts.pageTexts[page - 1] ?? "";
      for (const header of ARABIC_HEADER) expect(text, `page ${page}`).toContain(header);
      if (i > 0) expect(text, `page ${page}`).toContain("(تابع)");
    }
    const missing = ARABIC_ROWS.flat().filter((token) => !squash(facts.pageTexts.join(" ")).includes(token));
    expect(missing).toEqual([]);
    // The key column is the rightmost: a row's key stands right of its other cells.
    const items = await textItems(bytes, pages[0] ?? 1);
    const x = (text: string) => items.find((item) => item.text.includes(text))?.x ?? Number.NaN;
    const [key, country, troops, police] = ARABIC_ROWS[0] ?? [];
    expect(x(key ?? "")).toBeGreaterThan(x(country ?? ""));
    expect(x(country ?? "")).toBeGreaterThan(x(troops ?? ""));
    expect(x(troops ?? "")).toBeGreaterThan(x(police ?? ""));
  });

  it("sets a wide table on a landscape page there too", () => {
    const facts = pdf("arabic");
    expectEveryToken(facts, ARABIC_WIDE);
    const page = pagesWith(facts, "wabaa")[0] ?? 1;
    expect(facts.pageSizes[page - 1]).toEqual([842, 595]);
    expect(diagnosticsOf("arabic").map((d) => d.rule)).toEqual(["tables/landscape"]);
  });
});

describe("a table pasted from a spreadsheet", () => {
  it("keeps every cell's text (ragged rows, empty cells, long text, cells past the header's), its caption and its source line", () => {
    const text = squash(pdf("pasted").pageTexts.join(" "));
    const cells = PASTED.split("\n")
      .filter((line) => line.startsWith("|") && !line.startsWith("|---"))
      .flatMap((line) => line.split("|").map((cell) => cell.trim()))
      .filter(Boolean);
    // The cells past the header's count too, which GFM would drop.
    expect(cells).toContain("beyond");
    const missing = cells.filter((cell) => !text.includes(squash(cell)));
    expect(missing).toEqual([]);
    const extra = diagnosticsOf("pasted").filter((d) => d.rule === "tables/extra-cells");
    expect(extra.map((d) => [d.line, d.severity])).toEqual([[lineOf(PASTED, "| UNMISS"), "warning"]]);
    expect(text).toContain(squash("Table 1. Pasted as it came"));
    expect(text).toContain(squash("Source: the contributors' monthly returns, as pasted."));
  });

  it("tags a cell for every column, empty ones too, so that no row is shorter than the others (veraPDF 7.2-42)", async () => {
    const bytes = fs.readFileSync(path.join(dir, "output", "pasted.pdf"));
    expect((await checkPdfUa(bytes)).map((f) => formatUaFailure("pasted.pdf", f))).toEqual([]);
  });

  it("prints an x between digits as the x it is (24x7, 6x6), the glyph of the x in box", async () => {
    const fonts = await glyphCodes(fs.readFileSync(path.join(dir, "output", "pasted.pdf")));
    const xs = [...fonts.values()].map((byChar) => byChar.get("x")).filter((codes) => codes !== undefined);
    expect(xs.length).toBeGreaterThan(0);
    // Inter's contextual alternates would draw those two with another glyph than box's x.
    expect(xs.map((codes) => codes.size)).toEqual(xs.map(() => 1));
  });
});

describe("tables on slides", () => {
  it("reports a table too wide or too long as overflow at the table's line", () => {
    const overflow = diagnosticsOf("deck").filter((d) => d.rule === "slides/overflow");
    expect(overflow.map((d) => [d.line, d.message.replace(/\d+px/g, "Npx")])).toEqual([
      [lineOf(DECK, "| Daa"), "slide 2 overflows Npx to the right: its table is too wide"],
      [lineOf(DECK, "| Oaa"), "slide 3 overflows by Npx: its table is too long"],
    ]);
  });

  it("says when fit shrank a slide, and by how much, at the slide's first line", () => {
    const fitted = diagnosticsOf("deck").filter((d) => d.rule === "slides/fit");
    expect(fitted.map((d) => [d.line, d.severity, d.message.replace(/\d+ %/, "N %")])).toEqual([
      [lineOf(DECK, "<!-- fit -->"), "note", "slide 4 shrunk to N % to fit"],
    ]);
  });

  it("shrinks a table marked fit until it fits, every cell still printed", async () => {
    const html = fs.readFileSync(path.join(dir, "output", "deck.html"), "utf8");
    const scale = Number(/id="slide-4"[^>]*style="--fit: ([\d.]+)"/.exec(html)?.[1]);
    expect(scale).toBeGreaterThan(0.3);
    expect(scale).toBeLessThan(1);
    expectEveryToken(await readPdf(fs.readFileSync(path.join(dir, "output", "deck.pdf"))), DECK_FIT);
  });
});

/** The text runs of a page with their x position (points from the left edge). */
async function textItems(bytes: Uint8Array, pageNumber: number): Promise<{ text: string; x: number }[]> {
  const document = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const page = await document.getPage(pageNumber);
  const content = await page.getTextContent();
  const items = content.items.flatMap((item) =>
    "str" in item ? [{ text: item.str, x: (item.transform[4] ?? 0) + item.width / 2 }] : [],
  );
  await document.destroy();
  return items;
}
