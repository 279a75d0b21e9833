/**
 * A space where a line wraps. Chromium draws each line of a paragraph on its own and leaves out the
 * space the line broke at, so the text of the structure (what a screen reader reads, and any tool
 * that joins the tagged text) runs the last word of a line into the first of the next: "Not
 * forpublication". The space is put back as a real glyph: the font's own space shown at the end of
 * the line, where it paints nothing and moves nothing that follows (the next line is placed anew).
 *
 * Where the layout had no space, none is added: after a hyphen, dash or slash (a break opportunity
 * of its own), within right-to-left runs (Chromium's /ReversedChars, whose words the structure
 * reads from the source instead), and where the line broke inside a word (the two halves make a
 * word of the source's and are not each one).
 */
import {
  DELIMITER,
  latin1,
  NUMERIC,
  type Operation,
  operations,
  skipLiteral,
  skipNested,
  WHITE,
} from "./content-stream.js";
import { codesOf, stringBytes, type UnicodeMap } from "./unicode-map.js";

export interface PageFont {
  map: UnicodeMap;
  /** The code the font shows a space with, if it has one. */
  space?: number;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

interface Show {
  /** Byte offset just past the showing operator. */
  end: number;
  /** Baseline and size on the page, in device units. */
  y: number;
  size: number;
  text: string;
  /** Font resource name and its Tf size as written, in effect for this show. */
  font: string;
  fontSize: string;
  /** In marked content with an MCID (real content), and not inside /ReversedChars. */
  tagged: boolean;
  /** The MCID of the marked content it is in (the innermost that tags or is an artifact), or -1. */
  mcid: number;
  reversed: boolean;
}

/** Characters after which a line breaks with no space in the source. */
const NO_SPACE_AFTER = /[\s\-\u00AD\u2010-\u2015\u2212/]$/u;

/** The content with a space shown at each wrapped line's end; undefined when none is wanted. */
export function spaceLineEnds(
  content: Uint8Array,
  fonts: Map<string, PageFont>,
  words: ReadonlySet<string>,
): Uint8Array | undefined {
  const shows = readShows(content, fonts);
  const lines = groupLines(shows);
  const inserts: { at: number; text: string }[] = [];
  lines.forEach((line, index) => {
    const last = line[line.length - 1] as Show;
    if (!last.tagged || last.reversed) return;
    const text = line.map((show) => show.text).join("");
    if (text.trim() === "" || NO_SPACE_AFTER.test(text)) return;
    const next = lines[index + 1]?.map((show) => show.text).join("") ?? "";
    if (brokenInsideWord(text, next, words)) return;
    const insert = spaceGlyph(last, fonts);
    if (insert) inserts.push({ at: last.end, text: insert });
  });
  if (inserts.length === 0) return undefined;
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const { at, text } of inserts) {
    parts.push(content.subarray(from, at), Buffer.from(text, "latin1"));
    from = at;
  }
  parts.push(content.subarray(from));
  return Buffer.concat(parts);
}

/** Consecutive shows on one baseline (a superscript, a change of font, stay on its line). */
function groupLines(shows: Show[]): Show[][] {
  const lines: Show[][] = [];
  let line: Show[] = [];
  for (const show of shows) {
    const previous = line[line.length - 1];
    if (previous && Math.abs(show.y - previous.y) > 0.8 * Math.max(show.size, previous.size)) {
      lines.push(line);
      line = [];
    }
    line.push(show);
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** Whether the word a line ends with and the one the next starts with are one word of the source split. */
function brokenInsideWord(line: string, next: string, words: ReadonlySet<string>): boolean {
  const end = /[\p{L}\p{N}\p{M}]+$/u.exec(line)?.[0];
  const start = /^\s*([\p{L}\p{N}\p{M}]+)/u.exec(next)?.[1];
  if (!end || !start) return false;
  const joined = `${end}${start}`.toLowerCase();
  return words.has(joined) && !(words.has(end.toLowerCase()) && words.has(start.toLowerCase()));
}

/** The operators that show a space after `show`, in its font or, when that has none, another of the page's. */
function spaceGlyph(show: Show, fonts: Map<string, PageFont>): string | undefined {
  const own = fonts.get(show.font);
  if (own?.space !== undefined) return `\n${hex(own.space, own.map.bytes)} Tj`;
  for (const [name, font] of [...fonts].sort(([a], [b]) => (a < b ? -1 : 1)))
    if (font.space !== undefined)
      return `\n/${name} ${show.fontSize} Tf ${hex(font.space, font.map.bytes)} Tj /${show.font} ${show.fontSize} Tf`;
  return undefined;
}

function hex(code: number, bytes: number): string {
  return `<${code
    .toString(16)
    .toUpperCase()
    .padStart(bytes * 2, "0")}>`;
}

/** The text each MCID's marked content shows, as the font's ToUnicode maps say (no space added at line ends). */
export function markedTexts(
  content: Uint8Array,
  fonts: Map<string, PageFont>,
  into = new Map<number, string>(),
): Map<number, string> {
  for (const show of readShows(content, fonts))
    if (show.mcid >= 0) into.set(show.mcid, (into.get(show.mcid) ?? "") + show.text);
  return into;
}

/**
 * The shows of a content stream, read once: the finishing asks for the marked texts and then for
 * the line ends of the same stream with the same fonts (reading it was 60 % of a briefing's
 * finishing time, read twice).
 */
const showsRead = new WeakMap<Uint8Array, { fonts: Map<string, PageFont>; shows: Show[] }>();

/** Every text-showing operator, where it draws and what it says. */
function readShows(content: Uint8Array, fonts: Map<string, PageFont>): Show[] {
  const known = showsRead.get(content);
  if (known?.fonts === fonts) return known.shows;
  const shows = readShowsOnce(content, fonts);
  showsRead.set(content, { fonts, shows });
  return shows;
}

function readShowsOnce(content: Uint8Array, fonts: Map<string, PageFont>): Show[] {
  const shows: Show[] = [];
  let ctm: Matrix = IDENTITY;
  const saved: Matrix[] = [];
  let tm: Matrix = IDENTITY;
  let tlm: Matrix = IDENTITY;
  let leading = 0;
  let font = "";
  let fontSize = "0";
  let size = 0;
  /** Open marked content: an MCID (≥ 0), an artifact (-1), other (-2), or /ReversedChars (-3). */
  const marked: number[] = [];
  const nextLine = (tx: number, ty: number) => {
    tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
    tm = tlm;
  };
  for (const op of operations(content)) {
    switch (op.op) {
      case "q":
        saved.push(ctm);
        break;
      case "Q":
        ctm = saved.pop() ?? IDENTITY;
        break;
      case "cm":
        ctm = multiply(matrixOf(content, op), ctm);
        break;
      case "BT":
        tm = IDENTITY;
        tlm = IDENTITY;
        break;
      case "Tm":
        tlm = matrixOf(content, op);
        tm = tlm;
        break;
      case "Td":
      case "TD": {
        const [tx = 0, ty = 0] = numbersOf(content, op);
        if (op.op === "TD") leading = -ty;
        nextLine(tx, ty);
        break;
      }
      case "TL":
        leading = numbersOf(content, op)[0] ?? 0;
        break;
      case "T*":
        nextLine(0, -leading);
        break;
      case "Tf":
        font = (op.operands[0] ?? "/").slice(1);
        fontSize = numberSources(content, op)[0] ?? "0";
        size = Number(fontSize);
        break;
      case "BDC":
      case "BMC":
        marked.push(markedKind(op));
        break;
      case "EMC":
        marked.pop();
        break;
      case "'":
      case '"':
      case "Tj":
      case "TJ": {
        if (op.op !== "Tj" && op.op !== "TJ") nextLine(0, -leading);
        const m = multiply(tm, ctm);
        const map = fonts.get(font)?.map;
        const text = map ? showText(op.operands[op.operands.length - 1] ?? "", map) : "";
        const own = marked.findLast((kind) => kind >= -1);
        shows.push({
          end: op.end,
          y: m[5],
          size: size * Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2])),
          text,
          font,
          fontSize,
          tagged: own !== undefined && own >= 0,
          mcid: own ?? -1,
          reversed: marked.includes(-3),
        });
        break;
      }
    }
  }
  return shows;
}

function markedKind(op: Operation): number {
  const tag = op.operands[0] ?? "";
  if (tag === "/ReversedChars") return -3;
  if (tag === "/Artifact") return -1;
  const mcid = /\/MCID\s+(\d+)/.exec(op.operands[1] ?? "");
  return mcid ? Number(mcid[1]) : -2;
}

/**
 * Each token of an operation's operands that starts like a number, by its byte range: the tokens
 * between white space and delimiters, names, strings, arrays and dictionaries skipped (operations()
 * leaves numbers out of `operands`). Read from the bytes: a regular expression over a decoded copy
 * took a quarter of the finishing.
 */
function numericTokens(content: Uint8Array, op: Operation, each: (from: number, to: number) => void): void {
  let pos = op.start;
  while (pos < op.end) {
    const c = content[pos] as number;
    if (WHITE[c]) {
      pos++;
      continue;
    }
    if (c === 40) {
      pos = skipLiteral(content, pos);
      continue;
    }
    if (c === 60 || c === 91) {
      pos = skipNested(content, pos);
      continue;
    }
    const from = pos;
    pos++;
    while (pos < op.end && !WHITE[content[pos] as number] && !DELIMITER[content[pos] as number]) pos++;
    if (NUMERIC[c]) each(from, pos);
  }
}

/** The numeric operands' source text (a font size kept as written). */
function numberSources(content: Uint8Array, op: Operation): string[] {
  const numbers: string[] = [];
  numericTokens(content, op, (from, to) => {
    if (numberAt(content, from, to) !== undefined) numbers.push(latin1(content, from, to));
  });
  return numbers;
}

/**
 * The numeric operands' values, without making strings (a briefing's page positions each word
 * with a Td: 20 000 of them in ten pages). The same doubles as `Number()` gives: digits and scale
 * are exact integers, and one division rounds once.
 */
function numbersOf(content: Uint8Array, op: Operation): number[] {
  const numbers: number[] = [];
  numericTokens(content, op, (from, to) => {
    const value = numberAt(content, from, to);
    if (value !== undefined) numbers.push(value);
  });
  return numbers;
}

function numberAt(bytes: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  let sign = 1;
  if (bytes[i] === 45) {
    sign = -1;
    i++;
  } else if (bytes[i] === 43) i++;
  let value = 0;
  let digits = 0;
  let scale = 0;
  let point = false;
  for (; i < to; i++) {
    const c = bytes[i] as number;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (point) scale++;
    } else if (c === 46 && !point) point = true;
    else return undefined;
  }
  // Past 15 digits the integer is no longer exact: let Number() read it.
  if (digits === 0) return undefined;
  if (digits > 15 || scale > 22) return Number(latin1(bytes, from, to));
  return (sign * value) / 10 ** scale;
}

/**
 * The text a show's operand says (a string, or an array of strings and numbers), each code looked
 * up in the font's map. Hexadecimal strings, which Chromium writes, are read in place; literal
 * ones go through stringBytes (escapes).
 */
function showText(operand: string, map: UnicodeMap): string {
  let text = "";
  const n = operand.length;
  for (let i = 0; i < n; i++) {
    const c = operand.charCodeAt(i);
    if (c === 60) {
      let code = 0;
      let nibbles = 0;
      for (i++; i < n && operand.charCodeAt(i) !== 62; i++) {
        const digit = hexValue(operand.charCodeAt(i));
        if (digit < 0) continue;
        code = code * 16 + digit;
        if (++nibbles === map.bytes * 2) {
          text += map.chars.get(code) ?? "";
          code = 0;
          nibbles = 0;
        }
      }
      // An odd last digit is followed by a 0 (ISO 32000-1 7.3.4.3).
      if (nibbles % 2 === 1 && nibbles + 1 === map.bytes * 2) text += map.chars.get(code * 16) ?? "";
    } else if (c === 40) {
      const end = literalEnd(operand, i);
      const bytes = stringBytes(operand.slice(i, end));
      for (const code of codesOf(bytes, map.bytes)) text += map.chars.get(code) ?? "";
      i = end - 1;
    }
  }
  return text;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Just past the literal string that starts at `from` (balanced parentheses, escapes). */
function literalEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 40) depth++;
    else if (c === 41) {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  return text.length;
}

function matrixOf(content: Uint8Array, op: Operation): Matrix {
  const n = numbersOf(content, op);
  return n.length >= 6 ? (n.slice(-6) as Matrix) : IDENTITY;
}

/** m × n, as PDF composes transformations (m applied first). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}
