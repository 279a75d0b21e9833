/**
 * Without a browser (`press check --no-browser`): the tables that will likely not fit a portrait
 * page even in the smallest type, told from their HTML alone. A table can be no narrower than the
 * sum of its columns' longest unbreakable runs (a word, a number kept on one line) plus the cells'
 * padding; those runs are measured with the advance widths of the bundled sans-serif (Inter, read
 * from Chromium once), so the estimate is close for Latin text and rough for other scripts. Only
 * what the estimate makes clear is reported, as a likelihood: the browser (render/fit-tables.ts)
 * decides.
 */
import { type DefaultTreeAdapterTypes, parseFragment } from "parse5";

type Node = DefaultTreeAdapterTypes.ChildNode;
type Element = DefaultTreeAdapterTypes.Element;

/** Inter's advance widths at weight 400, in thousandths of an em, for U+0020 to U+007E. */
const ASCII = [
  270, 290, 470, 630, 640, 980, 640, 300, 390, 390, 650, 650, 270, 650, 270, 360, 630, 410, 610, 620, 650, 590, 620,
  580, 620, 620, 270, 270, 650, 650, 650, 510, 970, 700, 650, 730, 720, 600, 590, 750, 740, 270, 570, 670, 570, 900,
  750, 760, 640, 760, 640, 640, 650, 740, 700, 1010, 680, 680, 630, 390, 320, 390, 470, 460, 320, 560, 610, 570, 610,
  580, 330, 610, 590, 240, 240, 550, 240, 880, 590, 600, 610, 610, 390, 530, 330, 590, 560, 820, 550, 560, 550, 390,
  330, 390, 650,
];
/** Tabular figures (a numeric column's) are all one width. */
const TABULAR_DIGIT = 650;
/** Any other character: a middling width (Amiri's Arabic is narrower, CJK wider but breaks anywhere). */
const OTHER = 550;
/** Weight 600, the header row's, is a little wider. */
const BOLD = 1.03;

/** Type and padding of a table cell, in points and millimetres (templates/css/briefing.css). */
const NORMAL = { size: 8.5, padding: 4 };
const TIGHT = { size: 7, padding: 2.4 };
/** Words this long get break opportunities (transform/long-words), so no run is longer. */
const LONGEST_RUN = 48;

export interface TableEstimate {
  line: number;
  columns: number;
  /** The narrowest the table can be set, in millimetres, at the document's type and at 7 pt. */
  normalMm: number;
  tightMm: number;
  /** What the browser will likely do: set it on a landscape page, or split its columns. */
  likely: "landscape" | "split";
}

/** Text block widths, in millimetres. */
export interface Blocks {
  portrait: number;
  landscape: number;
}

/** The tables of a briefing's body HTML that likely need a landscape page or a split. */
export function estimateTables(bodyHtml: string, blocks: Blocks): TableEstimate[] {
  const estimates: TableEstimate[] = [];
  walk(parseFragment(bodyHtml).childNodes, (element) => {
    if (element.tagName !== "table") return true;
    const estimate = estimateTable(element, blocks);
    if (estimate) estimates.push(estimate);
    return false;
  });
  return estimates;
}

function estimateTable(table: Element, blocks: Blocks): TableEstimate | null {
  const rows: Element[] = [];
  walk(table.childNodes, (element) => {
    if (element.tagName === "tr") rows.push(element);
    return element.tagName !== "tr" && element.tagName !== "table";
  });
  const cells = rows.map((row) => row.childNodes.filter(isCell));
  const columns = Math.max(0, ...cells.map((row) => row.length));
  // Two columns too wide hold a long word, which the browser breaks anywhere rather than turn the page.
  if (columns < 3) return null;
  // Em widths of each column's longest run, then the table's least width at a given type.
  const runs = Array.from({ length: columns }, (_, i) => Math.max(0, ...cells.map((row) => longestRun(row[i]))));
  const least = (type: { size: number; padding: number }) =>
    runs.reduce((sum, em) => sum + (em * type.size * 25.4) / 72 + type.padding, 0);
  const normalMm = least(NORMAL);
  const tightMm = least(TIGHT);
  if (tightMm <= blocks.portrait) return null;
  const likely = tightMm <= blocks.landscape ? "landscape" : "split";
  return { line: Number(attribute(table, "data-line") ?? 1), columns, normalMm, tightMm, likely };
}

/** The widest run of a cell that cannot break, in ems. */
function longestRun(cell: Element | undefined): number {
  if (!cell) return 0;
  const classes = (attribute(cell, "class") ?? "").split(/\s+/);
  const whole = cell.tagName === "td" && (classes.includes("numeric") || classes.includes("figures"));
  const figures = classes.includes("numeric") || classes.includes("figures");
  // A <wbr> or <br> is a break opportunity: a space stands for it.
  const text = textOf(cell);
  const runs = whole ? [text.trim()] : text.split(/\s+|(?<=[-–—/])/u);
  const scale = cell.tagName === "th" ? BOLD : 1;
  return Math.max(
    0,
    ...runs.map((run) => (width([...run].slice(0, whole ? undefined : LONGEST_RUN).join(""), figures) * scale) / 1000),
  );
}

function width(run: string, figures: boolean): number {
  let sum = 0;
  for (const char of run) {
    const code = char.codePointAt(0) ?? 0;
    if (figures && code >= 0x30 && code <= 0x39) sum += TABULAR_DIGIT;
    else if (code >= 0x20 && code <= 0x7e) sum += ASCII[code - 0x20] ?? OTHER;
    else if (/\p{M}|\p{Cf}/u.test(char)) continue;
    else sum += OTHER;
  }
  return sum;
}

function textOf(element: Element): string {
  return element.childNodes
    .map((node) => {
      if (node.nodeName === "#text") return (node as DefaultTreeAdapterTypes.TextNode).value;
      if (!("tagName" in node)) return "";
      if (node.tagName === "wbr" || node.tagName === "br") return " ";
      return textOf(node);
    })
    .join("");
}

function isCell(node: Node): node is Element {
  return "tagName" in node && (node.tagName === "td" || node.tagName === "th");
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** Visits elements depth first; `visit` returns whether to go into the element's children. */
function walk(nodes: Node[], visit: (element: Element) => boolean): void {
  for (const node of nodes) {
    if (!("tagName" in node)) continue;
    if (visit(node)) walk(node.tagName === "template" ? [] : node.childNodes, visit);
  }
}
