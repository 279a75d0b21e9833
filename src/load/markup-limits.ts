/**
 * A linear look at the source before micromark parses it, for the patterns it takes quadratic time
 * over: micromark matches emphasis, links, code spans and HTML by scanning back (or on) over every
 * marker of a paragraph, so a paragraph of tens of thousands of `*`, `_`, `[`, `]`, `<` or backticks
 * (cmark's pathological test classes) takes minutes. Markers are counted per paragraph (per line in
 * a table, whose cells are parsed one by one) and a paragraph over the limit is an error at the line
 * and column where it passes it. Real prose stays far below: a paragraph with a thousand links has
 * four thousand markers. Container markers opening on one line (`- - - - x`, `> > >`) are limited too.
 *
 * The upstream cause is micromark's resolvers (attention, label end) and its code and HTML text
 * tokenizers: cmark bounds the same scans with "openers bottom" tables.
 */
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";

export const MARKUP_LIMITS = {
  /** Markers (`* _ ~ [ ] < \``) in one paragraph, heading or table row: about 0.1 s of micromark's time at most. */
  markersPerParagraph: 2000,
  /** List and quotation markers that open on one line. */
  containersPerLine: 64,
  /**
   * Lists, quotations and note definitions that end before more text: micromark copies every event
   * of the document so far at each one (micromark/lib/initialize/document.js), so their number
   * squares the time. Two thousand take about a second.
   */
  containerEnds: 2000,
  /**
   * Note references (`[^1]`) and note definitions, each: micromark's note extension looks each
   * definition up in a list of those before it, and mdast-util-to-hast each reference in a list of
   * those before it, so their number squares the time (50,000 took half a minute). A long report
   * has a few hundred.
   */
  notes: 5000,
};

const MARKER = /[*_~[\]<`]/g;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK = /^[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const TABLE_DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const HTML_START = /^ {0,3}<(?:!--|\?|![A-Za-z]|!\[CDATA\[|\/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))/;
const LIST_MARKER = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)/;
const QUOTE_MARKER = /^ {0,3}>[ \t]?/;
const NOTE_DEFINITION = /^ {0,3}\[\^[^\]]+\]:/;
const NOTE_REFERENCE = /\[\^[^\]\s]+\]/g;

interface Paragraph {
  markers: number;
  /** A GFM table (its delimiter row seen): markers are counted row by row. */
  table: boolean;
  /** An HTML block: not parsed as Markdown inlines. */
  html: boolean;
  lines: number;
}

export function checkMarkup(file: string, text: string): Diagnostic | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let fence: string | undefined;
  let paragraph: Paragraph = { markers: 0, table: false, html: false, lines: 0 };
  /** Whether the last line with text was in a list, quotation or note definition, and how many of those ended. */
  let inContainer = false;
  let containerEnds = 0;
  let noteReferences = 0;
  let noteDefinitions = 0;
  const restart = () => {
    paragraph = { markers: 0, table: false, html: false, lines: 0 };
  };
  for (let index = 0; index < lines.length; index++) {
    const { rest, containers, listItem } = stripContainers(lines[index] ?? "");
    const line = index + 1;
    if (containers > MARKUP_LIMITS.containersPerLine) {
      return diagnostic(
        file,
        { line, column: 1 },
        "error",
        "limits/nesting",
        `${containers} lists or quotations open on one line; the limit is ${MARKUP_LIMITS.containersPerLine}`,
        "flatten the nesting",
      );
    }
    if (!BLANK.test(rest)) {
      const contained: boolean =
        containers > 0 || NOTE_DEFINITION.test(rest) || (inContainer && /^(?: {2}|\t)/.test(rest));
      if (inContainer && !contained && ++containerEnds > MARKUP_LIMITS.containerEnds) {
        return diagnostic(
          file,
          { line, column: 1 },
          "error",
          "limits/containers",
          `more than ${MARKUP_LIMITS.containerEnds.toLocaleString("en")} lists, quotations and note definitions end before more text: parsing the document would take minutes`,
          "split the document, or gather the note definitions at its end",
        );
      }
      inContainer = contained;
    }
    if (fence !== undefined) {
      if (rest.trimStart().startsWith(fence)) fence = undefined;
      continue;
    }
    if (rest.includes("[^")) {
      const references = (rest.match(NOTE_REFERENCE) ?? []).length - (NOTE_DEFINITION.test(rest) ? 1 : 0);
      noteReferences += Math.max(0, references);
      if (NOTE_DEFINITION.test(rest)) noteDefinitions++;
      if (noteReferences > MARKUP_LIMITS.notes || noteDefinitions > MARKUP_LIMITS.notes) {
        const what = noteReferences > MARKUP_LIMITS.notes ? "note references" : "note definitions";
        return diagnostic(
          file,
          { line, column: 1 },
          "error",
          "limits/notes",
          `more than ${MARKUP_LIMITS.notes.toLocaleString("en")} ${what}: parsing the document would take minutes`,
          "split the document",
        );
      }
    }
    const opening = FENCE.exec(rest);
    if (opening?.[1]) {
      fence = opening[1];
      restart();
      continue;
    }
    // A note definition starts a block of its own, like a list item: its label is no inline markup.
    const definition = NOTE_DEFINITION.exec(rest);
    if (listItem || definition || BLANK.test(rest) || THEMATIC_BREAK.test(rest)) restart();
    if (BLANK.test(rest) || THEMATIC_BREAK.test(rest)) continue;
    if (paragraph.lines === 0) {
      // Indented code, once no paragraph is open (inside a list it is the item's text, and counted).
      if (!listItem && containers === 0 && /^(?: {4}|\t)/.test(rest)) continue;
      paragraph.html = HTML_START.test(rest);
    }
    if (paragraph.html) continue;
    if (paragraph.lines === 1 && rest.includes("-") && TABLE_DELIMITER_ROW.test(rest)) paragraph.table = true;
    // A heading is parsed alone; so is each row of a table.
    if (HEADING.test(rest) || paragraph.table) paragraph.markers = 0;
    paragraph.lines++;
    const label = definition?.[0].length ?? 0;
    const { count, over } = countMarkers(rest.slice(label), MARKUP_LIMITS.markersPerParagraph - paragraph.markers);
    if (over !== undefined) {
      return diagnostic(
        file,
        { line, column: (lines[index] ?? "").length - rest.length + label + over + 1 },
        "error",
        "limits/markup",
        `more than ${MARKUP_LIMITS.markersPerParagraph.toLocaleString("en")} emphasis, link and code markers (* _ ~ [ ] < \`) in one ${paragraph.table ? "table row" : "paragraph"}: parsing it would take minutes`,
        "split the paragraph, or escape the markers that are meant as text with a backslash (\\*)",
      );
    }
    paragraph.markers += count;
    if (HEADING.test(rest)) restart();
  }
  return undefined;
}

/** The markers of `text` that Markdown could read as markup (not escaped), and where they pass `budget`. */
function countMarkers(text: string, budget: number): { count: number; over: number | undefined } {
  let count = 0;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    if (escaped(text, match.index)) continue;
    count++;
    if (count > budget) return { count, over: match.index };
  }
  return { count, over: undefined };
}

function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** A line without the list and quotation markers that open on it. */
function stripContainers(line: string): { rest: string; containers: number; listItem: boolean } {
  let rest = line;
  let containers = 0;
  let listItem = false;
  for (;;) {
    const quote = QUOTE_MARKER.exec(rest);
    const list = quote ? null : LIST_MARKER.exec(rest);
    const marker = quote ?? list;
    // A thematic break (`* * *`) looks like list markers; it is not.
    if (!marker || (list && THEMATIC_BREAK.test(rest))) break;
    if (list) listItem = true;
    rest = rest.slice(marker[0].length);
    containers++;
    if (containers > MARKUP_LIMITS.containersPerLine) break;
  }
  return { rest, containers, listItem };
}
