/**
 * Tables as a reader expects them: GFM alignment as classes (the `align` attribute is obsolete
 * HTML), a column of numbers right-aligned in tabular figures, a `Source: …` line under the table
 * styled as such, and, in a briefing, the table in a labelled, keyboard-focusable region that
 * scrolls sideways on a screen instead of widening the page. Each table carries its source line
 * (`data-line`) so that what the browser does to fit it (render/fit-tables.ts) is reported there.
 * Runs after the captions (figures.ts).
 */
import type { Element, ElementContent, Parents, Root } from "hast";
import type { Labels } from "../template/labels.js";
import { walkElements } from "./walk.js";

export interface TableOptions {
  labels: Labels;
  /** Wrap each table in a scrolling region (briefings; a slide has no room to scroll). */
  region: boolean;
}

/** A cell holding a number, as a spreadsheet writes one: 1,200 · −3.5 · 12 % · (40) · ٣٤٥ · 1 200. */
const DIGIT = "[\\d\\u0660-\\u0669\\u06F0-\\u06F9]";
const DIGITS = `${DIGIT}+`;
const NUMBER = new RegExp(
  `^[(−\\-+]?[$€£¥]?\\s?${DIGITS}([.,\\u066B\\u066C\\u00A0\\u202F ]${DIGITS})*\\s?(%|‰|[kKmM])?\\)?$`,
  "u",
);
const RANGE = new RegExp(`^${DIGITS}\\s?[–-]\\s?(${DIGITS})?$`, "u");
const EMPTY = /^(|[-–—]|n\/a|\.\.|…)$/i;

/**
 * A row with no cell of its own, every place in it taken by cells spanning down from above (raw
 * HTML: `rowspan="2"` and an empty `<tr></tr>` under it, as a sponsors table in a README has):
 * Chromium tags no row that paints nothing, so the spans counted a row that was not there, and the
 * next row came out twice as wide as the others (veraPDF 7.2-42). The row is taken out and the
 * spans into it shortened: the same layout, since the row had no height of its own.
 */
function dropCoveredRows(table: Element): void {
  const sections = table.children.filter(
    (c): c is Element => c.type === "element" && ["thead", "tbody", "tfoot"].includes(c.tagName),
  );
  for (const section of [table, ...sections]) {
    const rows = section.children.filter((c): c is Element => c.type === "element" && c.tagName === "tr");
    if (!rows.some((row) => !row.children.some(isCell))) continue;
    // The cells spanning down from each row still open, with the rows they cover below.
    const open: { cell: Element; below: number }[] = [];
    for (const row of rows) {
      for (const span of open) span.below--;
      const own = row.children.filter(isCell);
      if (own.length === 0) {
        const covering = open.filter((span) => span.below >= 0);
        if (covering.length === 0) continue;
        for (const { cell } of covering) cell.properties.rowSpan = Math.max(1, Number(cell.properties.rowSpan) - 1);
        section.children = section.children.filter((child) => child !== row);
        continue;
      }
      for (const cell of own) {
        const down = Number(cell.properties.rowSpan ?? 1);
        if (down > 1) open.push({ cell, below: down - 1 });
      }
      for (let i = open.length - 1; i >= 0; i--) if ((open[i]?.below ?? 0) <= 0) open.splice(i, 1);
    }
  }
}

function isCell(node: ElementContent): node is Element {
  return node.type === "element" && (node.tagName === "td" || node.tagName === "th");
}

export function rehypeTables(options: TableOptions) {
  const sourcePrefixes = [
    ...new Set([
      "Source",
      "Sources",
      options.labels["table-source"] ?? "Source",
      options.labels["table-sources"] ?? "",
    ]),
  ].filter(Boolean);
  const sourceLine = new RegExp(`^\\s*(${sourcePrefixes.map(escapeRegExp).join("|")})\\s*:`, "u");
  return (tree: Root) => {
    let count = 0;
    walkElements(tree, (node, index, parent) => {
      if (node.tagName !== "table") return;
      count++;
      if (node.position) node.properties.dataLine = node.position.start.line;
      dropCoveredRows(node);
      alignColumns(node);
      keepUnitsWithNumbers(node);
      const source = takeSourceLine(parent, index, sourceLine);
      const children: ElementContent[] = [options.region ? region(node, count, options.labels) : node];
      if (source) children.push(source);
      parent.children[index] = {
        type: "element",
        tagName: "div",
        properties: { className: ["table-block"] },
        children,
      };
      return "skip";
    });
  };
}

/**
 * A number and the unit or currency written beside it (1,200 kg · 12.5 % · USD 40 · 3 km²), and
 * the groups of a number set apart by spaces (3 400), are joined by no-break spaces in a table's
 * cells: a narrow column would otherwise break between them, "1,200" on one line and "kg" on the
 * next, or "3" and "400 kg".
 */
const CURRENCY = "USD|EUR|GBP|CHF|JPY|CNY|INR|SAR|AED|EGP|€|\\$|£|¥";
const UNIT = `%|‰|°[CF]?|[kMGT]?(?:g|m|m²|m³|t|W|Wh|B|Hz|L|l)|km²|ha|h|min|s|ms|kt|mi|ft|lb|oz|bn|mn|${CURRENCY}`;
// The space alone is matched, a digit looked behind it: a run of digits is not scanned again from
// each of its digits (a cell of 100,000 digits would take minutes).
const NUMBER_THEN_UNIT = new RegExp(`(?<=${DIGIT}) (?=(?:${UNIT})(?![\\p{L}\\p{N}]))`, "gu");
const CURRENCY_THEN_NUMBER = new RegExp(`(?<![\\p{L}\\p{N}])(${CURRENCY}) (?=[(−\\-+]?${DIGIT})`, "gu");

/** A number whose thousands are set apart by spaces, as in French or SI style (3 400, 12 500 000). */
const GROUPED_BY_SPACES = /(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])/g;

function keepUnitsWithNumbers(table: Element): void {
  const join = (node: ElementContent) => {
    if (node.type === "text") {
      node.value = node.value
        .replace(GROUPED_BY_SPACES, (number) => number.replace(/ /g, "\u00A0"))
        .replace(NUMBER_THEN_UNIT, "\u00A0")
        .replace(CURRENCY_THEN_NUMBER, "$1\u00A0");
    } else if (node.type === "element" && node.tagName !== "code") node.children.forEach(join);
  };
  table.children.forEach(join);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The scrolling region, named by the table's caption (or "Table N" when it has none). */
function region(table: Element, number: number, labels: Labels): Element {
  const caption = table.children.find((c): c is Element => c.type === "element" && c.tagName === "caption");
  const properties: Element["properties"] = { className: ["table-scroll"], role: "region", tabIndex: 0 };
  if (caption) {
    caption.properties.id = `table-caption-${number}`;
    properties.ariaLabelledBy = [`table-caption-${number}`];
  } else {
    properties.ariaLabel = `${labels.table ?? "Table"} ${number}`;
  }
  return { type: "element", tagName: "div", properties, children: [table] };
}

/** The paragraph after the table when it starts with "Source:" (or the language's word): moved under it. */
function takeSourceLine(parent: Parents, index: number, pattern: RegExp): Element | undefined {
  for (let i = index + 1; i < parent.children.length; i++) {
    const sibling = parent.children[i];
    if (sibling?.type === "text" && sibling.value.trim() === "") continue;
    if (sibling?.type !== "element" || sibling.tagName !== "p") return undefined;
    const first = sibling.children[0];
    if (first?.type !== "text" || !pattern.test(first.value)) return undefined;
    parent.children.splice(i, 1);
    sibling.properties.className = ["table-source"];
    return sibling;
  }
  return undefined;
}

/** Rows of the table: those of its head, its bodies and its foot, in order. */
function rowsOf(table: Element): Element[] {
  const rows: Element[] = [];
  for (const child of table.children) {
    if (child.type !== "element") continue;
    if (child.tagName === "tr") rows.push(child);
    else if (["thead", "tbody", "tfoot"].includes(child.tagName)) {
      for (const row of child.children) if (row.type === "element" && row.tagName === "tr") rows.push(row);
    }
  }
  return rows;
}

function cellsOf(row: Element): Element[] {
  return row.children.filter((c): c is Element => c.type === "element" && (c.tagName === "td" || c.tagName === "th"));
}

function textOf(node: ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

/**
 * `align` becomes a class (start, center, end: mirrored in a right-to-left document); a column
 * with no alignment whose body cells are all numbers (and at least one is) is aligned to the end.
 * A column of numbers and ranges of years (1997–1999, 1978–) is kept in figures, aligned as text.
 */
function alignColumns(table: Element): void {
  const rows = rowsOf(table);
  // Each cell by the column it starts in, spans from above and before counted: a cell's place in its
  // row is not its column under a row header spanning rows, and a column of figures came out
  // right-aligned in one row and left in the next.
  const columns: { cell: Element; body: boolean; single: boolean }[][] = [];
  const covered: number[] = [];
  for (const row of rows) {
    const body = cellsOf(row).some((c) => c.tagName === "td");
    let column = 0;
    for (const cell of cellsOf(row)) {
      while ((covered[column] ?? 0) > 0) column++;
      const across = Math.max(1, Number(cell.properties.colSpan ?? 1) || 1);
      const down = Math.max(1, Number(cell.properties.rowSpan ?? 1) || 1);
      const entries = columns[column] ?? [];
      entries.push({ cell, body, single: across === 1 });
      columns[column] = entries;
      for (let k = 0; k < across; k++) covered[column + k] = Math.max(covered[column + k] ?? 0, down);
      column += across;
    }
    for (let c = 0; c < covered.length; c++) if ((covered[c] ?? 0) > 0) covered[c] = (covered[c] ?? 0) - 1;
  }
  for (const entries of columns) {
    if (!entries) continue;
    const given = entries.map((e) => e.cell.properties.align).find((a) => typeof a === "string") as string | undefined;
    // A cell spanning columns (a total's label, a group's heading) says nothing of one column's values.
    const values = entries
      .filter((e) => e.body && e.single && e.cell.tagName === "td")
      .map((e) => textOf(e.cell).trim())
      .filter((v) => !EMPTY.test(v));
    const numeric = values.length > 0 && values.every((v) => NUMBER.test(v));
    // Ranges of years (1997–1999, 1978–) stay on one line in tabular figures, aligned as text.
    const figures = !numeric && values.length > 0 && values.every((v) => NUMBER.test(v) || RANGE.test(v));
    const align = given === "left" ? "start" : given === "right" ? "end" : given === "center" ? "center" : undefined;
    for (const { cell, single } of entries) {
      delete cell.properties.align;
      const classes: string[] = [];
      if (align) classes.push(`align-${align}`);
      else if (numeric && single) classes.push("align-end");
      if (numeric && single) classes.push("numeric");
      if (figures && single) classes.push("figures");
      if (classes.length) cell.properties.className = classes;
    }
  }
}
