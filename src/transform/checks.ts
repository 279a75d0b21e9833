/**
 * Mistakes worth a warning in any document: footnotes without a definition or never used, heading
 * levels that jump, table rows longer than their header, images without alt text, and internal
 * links to nothing. And a note for lists nested deeper than their indentation goes.
 */
import type { Element, Root as HastRoot } from "hast";
import type { Blockquote, FootnoteDefinition, List, Root, Table, TableCell } from "mdast";
import type { VFile } from "vfile";
import { walkElements, walkMarkdown } from "./walk.js";

/**
 * List levels that are indented (templates/css/palette.css): deeper ones line up with the last,
 * since a hundred levels of indentation would push their text off the page.
 */
const INDENTED_LIST_LEVELS = 8;
/** The same for block quotations, each of which is indented and ruled (palette.css). */
const INDENTED_QUOTE_LEVELS = 8;
/** Nodes through which a quotation may hold another. */
const QUOTE_CONTAINERS = new Set(["blockquote", "list", "listItem", "containerDirective", "footnoteDefinition"]);

export function remarkDocumentChecks() {
  return (tree: Root, file: VFile) => {
    // Lists and list items met on the way down, by their depth (a list in an item is one deeper).
    const listDepth = new Map<unknown, number>();
    // One walk over the tree (each walk costs as much as the checks themselves).
    const referenced = new Set<string>();
    const definitions: FootnoteDefinition[] = [];
    let previous = 0;
    let deepest: { depth: number; node: List } | undefined;
    const quoteDepth = new Map<unknown, number>();
    let deepestQuote: { depth: number; node: Blockquote } | undefined;
    walkMarkdown(tree, (node, _index, parent) => {
      // A comment opened at a line's start and never closed runs to the end of the document:
      // everything after it, hidden (in a deck, every later slide), without a word.
      if (node.type === "html" && /^ {0,3}<!--/.test(node.value) && !node.value.includes("-->")) {
        const message = file.message(
          "an HTML comment (<!--) with no end (-->): everything after it would be hidden",
          node,
        );
        message.ruleId = "html/unclosed-comment";
        message.source = "press";
        message.fatal = true;
        message.note = "end the comment with -->, or write the <!-- as &lt;!--";
      }
      if (QUOTE_CONTAINERS.has(node.type)) {
        const depth = (quoteDepth.get(parent) ?? 0) + (node.type === "blockquote" ? 1 : 0);
        quoteDepth.set(node, depth);
        if (node.type === "blockquote" && depth > INDENTED_QUOTE_LEVELS) {
          deepestQuote ??= { depth, node };
          deepestQuote.depth = Math.max(deepestQuote.depth, depth);
        }
      }
      if (node.type === "list") {
        const depth = (listDepth.get(parent) ?? 0) + 1;
        listDepth.set(node, depth);
        if (depth > INDENTED_LIST_LEVELS) {
          // Said at the first list past the indented levels, with the deepest level met.
          deepest ??= { depth, node };
          deepest.depth = Math.max(deepest.depth, depth);
        }
      } else if (node.type === "listItem") listDepth.set(node, listDepth.get(parent) ?? 0);
      if (node.type === "footnoteReference") referenced.add(node.identifier);
      else if (node.type === "footnoteDefinition") definitions.push(node);
      else if (node.type === "text") {
        for (const match of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
          warn(
            file,
            node,
            "footnotes/undefined",
            `footnote reference [^${match[1]}] has no definition`,
            `add a line \`[^${match[1]}]: …\``,
          );
        }
        unparsedImages(node, file);
      } else if (node.type === "table") keepExtraCells(node, file);
      else if (node.type === "heading") {
        if (previous && node.depth > previous + 1) {
          warn(
            file,
            node,
            "headings/jump",
            `heading level jumps from ${previous} to ${node.depth}`,
            `use ${"#".repeat(previous + 1)} here`,
          );
        }
        previous = node.depth;
        if (node.children.length === 0) {
          warn(
            file,
            node,
            "headings/empty",
            "a heading with no text: it is left unnumbered and out of the contents",
            "write its title after the #, or remove the line",
          );
        }
      }
    });
    // Raw HTML is content (a README that is one `<table>`), an HTML comment block is not.
    const isContent = (node: Root["children"][number]) =>
      node.type !== "yaml" && !(node.type === "html" && node.value.trimStart().startsWith("<!--"));
    if (!tree.children.some(isContent)) {
      warn(
        file,
        { position: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } },
        "document/empty",
        "the document has no text: its outputs hold only what the template adds (a cover, a title slide)",
        "write something below the front matter, or leave the file out of content/",
      );
    }
    if (deepest) {
      const message = file.info(
        `lists nested ${deepest.depth} deep: indented no further past level ${INDENTED_LIST_LEVELS}, so that every level stays on the page`,
        deepest.node.position,
      );
      message.ruleId = "lists/deep";
      message.source = "press";
    }
    if (deepestQuote) {
      const message = file.info(
        `block quotations nested ${deepestQuote.depth} deep: indented no further past level ${INDENTED_QUOTE_LEVELS}, so that their text keeps the page's width`,
        deepestQuote.node.position,
      );
      message.ruleId = "quotes/deep";
      message.source = "press";
    }
    for (const node of definitions) {
      if (!referenced.has(node.identifier)) {
        warn(
          file,
          node,
          "footnotes/unused",
          `footnote [^${node.label ?? node.identifier}] is never referenced, so it would not appear`,
        );
      }
    }
  };
}

export function rehypeDocumentChecks() {
  return (tree: HastRoot, file: VFile) => {
    const ids = new Set<string>();
    const links: Element[] = [];
    // Headings by their ids, to say a duplicate (`{#same}` twice) and give it an id of its own: the
    // contents and links would all lead to the first.
    const headingIds = new Map<string, Element>();
    // Ids shortened, by the id they replace: links to the long one are pointed at the short one.
    const shortened = new Map<string, string>();
    walkElements(tree, (node) => {
      if (typeof node.properties.id === "string" && nameBytes(node.properties.id) > MAX_ID_BYTES) {
        const long = node.properties.id;
        const short = shortId(long, (id) => ids.has(id) || shortened.has(id));
        shortened.set(long, short);
        node.properties.id = short;
      }
      if (/^h[1-6]$/.test(node.tagName) && typeof node.properties.id === "string" && node.properties.id) {
        const id = node.properties.id;
        const first = headingIds.get(id);
        if (first) {
          let n = 1;
          while (ids.has(`${id}-${n}`)) n++;
          node.properties.id = `${id}-${n}`;
          warn(
            file,
            node,
            "headings/duplicate-id",
            `#${id} is the id of the heading at line ${first.position?.start.line ?? "?"} too: this one is #${id}-${n}`,
            "give each heading an id of its own",
          );
        } else headingIds.set(id, node);
      }
      if (typeof node.properties.id === "string") ids.add(node.properties.id);
      if (node.tagName === "a" && typeof node.properties.href === "string" && node.properties.href.startsWith("#"))
        links.push(node);
      if (node.tagName === "img" && !String(node.properties.alt ?? "").trim()) {
        warn(
          file,
          node,
          "image/alt",
          "image without alt text",
          "describe the image in the brackets: ![what it shows](file)",
        );
      }
    });
    // Ids by their lower case: a README's link to #makeRe means the heading whose id is makere, as
    // GitHub, which matches them without regard to case, takes it.
    const byLowerCase = new Map<string, string>();
    for (const id of ids) if (!byLowerCase.has(id.toLowerCase())) byLowerCase.set(id.toLowerCase(), id);
    for (const link of links) {
      const target = safeDecode(String(link.properties.href).slice(1));
      const short = shortened.get(target);
      if (short) link.properties.href = `#${short}`;
      if (!target || short || ids.has(target)) continue;
      const id = byLowerCase.get(target.toLowerCase());
      if (id) link.properties.href = `#${id}`;
      else warn(file, link, "links/internal", `link to #${target}, which is not in the document`);
    }
  };
}

/**
 * The longest id kept as it is. Chromium makes a PDF name of each id a link points to, and a PDF
 * name has at most 127 bytes (ISO 32000-1, annex C): a heading of 140 characters made one that
 * readers warn about. A longer id is cut at a hyphen, to at most 64 characters and 100 bytes of name.
 */
const MAX_ID_BYTES = 100;

/**
 * The bytes of the PDF name Chromium makes of an id: the id percent-encoded, and each `%` written
 * `#25` in the name, so a Cyrillic letter costs ten (`#25D0#25BE`): a five-word Cyrillic heading
 * made a name of 200 bytes.
 */
function nameBytes(id: string): number {
  const encoded = encodeURIComponent(id);
  let bytes = encoded.length;
  for (const c of encoded) if (c === "%") bytes += 2;
  return bytes;
}

function shortId(id: string, taken: (id: string) => boolean): string {
  const chars = [...id];
  let cut = chars.slice(0, 64).join("");
  while (nameBytes(cut) > MAX_ID_BYTES) cut = [...cut].slice(0, -1).join("");
  cut = cut.replace(/-+$/, "");
  const hyphen = cut.lastIndexOf("-");
  if (hyphen > Math.min(16, cut.length / 2)) cut = cut.slice(0, hyphen);
  let short = cut;
  for (let n = 1; taken(short); n++) short = `${cut}-${n}`;
  return short;
}

/**
 * GFM shows no cell past the header row's last (a row pasted from a spreadsheet with one cell
 * more than its header): the header gets empty cells to match the longest row, so that nothing
 * is lost, and each such row is reported at its first extra cell.
 */
function keepExtraCells(table: Table, file: VFile): void {
  const [header, ...rows] = table.children;
  if (!header) return;
  const columns = header.children.length;
  // An empty cell past the header's last (`| a | b | |`, a stray pipe) holds nothing to keep.
  for (const row of rows) {
    while (row.children.length > columns && isEmptyCell(row.children[row.children.length - 1])) row.children.pop();
  }
  const widest = Math.max(columns, ...rows.map((row) => row.children.length));
  if (widest === columns) return;
  // Each such row, at its first extra cell: a user fixing an export learns of every row, not the
  // first alone (the report shows twenty a rule, then how many more).
  for (const row of rows) {
    if (row.children.length <= columns) continue;
    warn(
      file,
      row.children[columns] ?? row,
      "tables/extra-cells",
      `table row has ${row.children.length} cells, its header row ${columns}: GFM would drop the cells past column ${columns}; Press keeps them under empty headers`,
      "give the header row as many cells as the longest row",
    );
  }
  for (let c = columns; c < widest; c++) header.children.push({ type: "tableCell", children: [] });
  table.align = [...(table.align ?? []), ...Array.from({ length: widest - columns }, () => null)];
}

function isEmptyCell(cell: TableCell | undefined): boolean {
  return cell?.children.every((child) => child.type === "text" && child.value.trim() === "") === true;
}

/** A link's fragment decoded; one with a stray % as written. */
function safeDecode(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * `![alt](my chart.png)`: CommonMark takes no space in a link's destination, so this is text, and
 * prints as written, with no image and no word of warning from the parser. Found in one pass, with
 * `indexOf` and pointers that only move forward: a pattern with a quantifier before the `)` took
 * quadratic time on a line of many `![a](x ` (28 KB: a minute and a half).
 */
function unparsedImages(node: import("mdast").Text, file: VFile): void {
  const text = node.value;
  if (!text.includes("![")) return;
  /** The next `char` at or after a position; positions asked for only grow, so the scan is linear. */
  const nextOf = (char: string) => {
    let at = -1;
    return (from: number) => {
      if (at < from) at = text.indexOf(char, from);
      if (at < 0) at = Number.POSITIVE_INFINITY;
      return at;
    };
  };
  const bracket = nextOf("]");
  const paren = nextOf(")");
  const newline = nextOf("\n");
  let tested = -1;
  let counted = 0;
  let newlines = 0;
  let lineStart = 0;
  for (let i = text.indexOf("!["); i >= 0; i = text.indexOf("![", i + 2)) {
    const close = bracket(i + 2);
    if (close === Number.POSITIVE_INFINITY) return;
    // One test per `](`: the starts before the same `]` share its destination.
    if (close === tested || newline(i) < close || text[close + 1] !== "(") continue;
    tested = close;
    const end = paren(close + 2);
    if (end === Number.POSITIVE_INFINITY) return;
    if (newline(close) < end) continue;
    const destination = text.slice(close + 2, end);
    if (!/\s/.test(destination.trim())) continue;
    const path = destination.trim().replace(/\s+"[^"]*"$/, "");
    // The line and column, counted on from the last warning's (not from the node's start each time).
    for (; counted < i; counted++) {
      if (text[counted] !== "\n") continue;
      newlines++;
      lineStart = counted + 1;
    }
    const start = node.position?.start;
    const place = start && {
      line: start.line + newlines,
      column: (newlines === 0 ? start.column : 1) + (i - lineStart),
    };
    warn(
      file,
      { position: place ? { start: place, end: place } : node.position },
      "image/unparsed",
      `![…](${path}) is printed as text, not as an image: the path has a space`,
      `write it in angle brackets, ![…](<${path}>), or with %20 for each space`,
    );
    i = end;
  }
}

function warn(
  file: VFile,
  node: { position?: import("unist").Position },
  rule: string,
  reason: string,
  note?: string,
): void {
  const message = file.message(reason, node.position);
  message.ruleId = rule;
  message.source = "press";
  if (note) message.note = note;
}
