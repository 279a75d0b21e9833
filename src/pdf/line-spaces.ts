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
  grow,
  isKeywordOperand,
  isWordStart,
  latin1,
  NUMERIC,
  operatorKey,
  operatorKeyOf,
  skipInlineImage,
  skipLiteral,
  tokenEnd,
  tokenStart,
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

/** All the text a content stream shows, tagged or not (a page's marking is in its margin, an artifact). */
export function shownText(content: Uint8Array, fonts: Map<string, PageFont>): string {
  let text = "";
  for (const show of readShows(content, fonts)) text += show.text;
  return text;
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

/** The operators the reader acts on, keyed by their bytes (all are one to three bytes long). */
enum Op {
  Save = 1,
  Restore,
  Transform,
  BeginText,
  TextMatrix,
  NextLine,
  NextLineLeading,
  Leading,
  NextLineStar,
  Font,
  BeginMarked,
  EndMarked,
  Show,
  ShowNextLine,
}
const OPS = new Map<number, Op>();
for (const [name, op] of [
  ["q", Op.Save],
  ["Q", Op.Restore],
  ["cm", Op.Transform],
  ["BT", Op.BeginText],
  ["Tm", Op.TextMatrix],
  ["Td", Op.NextLine],
  ["TD", Op.NextLineLeading],
  ["TL", Op.Leading],
  ["T*", Op.NextLineStar],
  ["Tf", Op.Font],
  ["BDC", Op.BeginMarked],
  ["BMC", Op.BeginMarked],
  ["EMC", Op.EndMarked],
  ["Tj", Op.Show],
  ["TJ", Op.Show],
  ["'", Op.ShowNextLine],
  ['"', Op.ShowNextLine],
] as const)
  OPS.set(operatorKeyOf(name), op);

/**
 * The operands of the operator being read: the numbers by value and source range, the others
 * (names, strings, arrays, dictionaries) by source range, the first two and the last.
 */
class Operands {
  numbers = new Float64Array(16);
  numberFrom = new Int32Array(16);
  numberTo = new Int32Array(16);
  count = 0;
  others = 0;
  first: [number, number] = [0, 0];
  second: [number, number] = [0, 0];
  last: [number, number] = [0, 0];

  number(value: number, from: number, to: number): void {
    if (this.count === this.numbers.length) {
      this.numbers = grow(this.numbers, new Float64Array(this.count * 2));
      this.numberFrom = grow(this.numberFrom, new Int32Array(this.count * 2));
      this.numberTo = grow(this.numberTo, new Int32Array(this.count * 2));
    }
    this.numbers[this.count] = value;
    this.numberFrom[this.count] = from;
    this.numberTo[this.count] = to;
    this.count++;
  }

  other(from: number, to: number): void {
    const range = this.others === 0 ? this.first : this.others === 1 ? this.second : this.last;
    range[0] = from;
    range[1] = to;
    if (this.others < 2) {
      this.last[0] = from;
      this.last[1] = to;
    }
    this.others++;
  }

  /** The last six numbers as a matrix; the identity when there are fewer. */
  matrix(): Matrix {
    const n = this.count;
    if (n < 6) return IDENTITY;
    const v = this.numbers;
    return Array.from(v.subarray(n - 6, n)) as Matrix;
  }
}

/**
 * Every text-showing operator, where it draws and what it says. Read from the bytes, making no
 * string but a show's text and a font's name: a briefing's page holds some 30 000 operators, and a
 * string for each operator and operand (content-stream.ts's operations()) made this reader 35 %
 * of a briefing's finishing, and most of its garbage.
 */
function readShowsOnce(content: Uint8Array, fonts: Map<string, PageFont>): Show[] {
  const shows: Show[] = [];
  let ctm: Matrix = IDENTITY;
  const saved: Matrix[] = [];
  // The text line matrix, as six numbers (a glyph is positioned with its own Td: an array for each
  // was most of this reader's garbage). The text matrix is the same: shows do not advance it here.
  let [t0, t1, t2, t3, t4, t5] = IDENTITY;
  let leading = 0;
  let font = "";
  let fontSize = "0";
  let size = 0;
  let map = fonts.get(font)?.map;
  /** Open marked content: an MCID (≥ 0), an artifact (-1), other (-2), or /ReversedChars (-3). */
  const marked: number[] = [];
  let reversed = 0;
  const nextLine = (tx: number, ty: number) => {
    const e = tx * t0 + ty * t2 + t4;
    t5 = tx * t1 + ty * t3 + t5;
    t4 = e;
  };
  const operands = new Operands();
  const b = content;
  const n = b.length;
  for (let pos = tokenStart(b, 0); pos < n; pos = tokenStart(b, pos)) {
    const from = pos;
    const c = b[pos] as number;
    pos = tokenEnd(b, pos);
    if (isWordStart(c)) {
      if (NUMERIC[c]) {
        const value = numberAt(b, from, pos);
        if (value !== undefined) operands.number(value, from, pos);
        continue;
      }
      const length = pos - from;
      // true, false and null are operands, not operators.
      if (isKeywordOperand(b, from, pos)) continue;
      const op = OPS.get(operatorKey(b, from, pos));
      if (length === 2 && c === 66 && b[from + 1] === 73) pos = skipInlineImage(b, pos);
      switch (op) {
        case Op.Save:
          saved.push(ctm);
          break;
        case Op.Restore:
          ctm = saved.pop() ?? IDENTITY;
          break;
        case Op.Transform:
          ctm = multiply(operands.matrix(), ctm);
          break;
        case Op.BeginText:
          [t0, t1, t2, t3, t4, t5] = IDENTITY;
          break;
        case Op.TextMatrix:
          [t0, t1, t2, t3, t4, t5] = operands.matrix();
          break;
        case Op.NextLine:
        case Op.NextLineLeading: {
          const tx = operands.count > 0 ? (operands.numbers[0] as number) : 0;
          const ty = operands.count > 1 ? (operands.numbers[1] as number) : 0;
          if (op === Op.NextLineLeading) leading = -ty;
          nextLine(tx, ty);
          break;
        }
        case Op.Leading:
          leading = operands.count > 0 ? (operands.numbers[0] as number) : 0;
          break;
        case Op.NextLineStar:
          nextLine(0, -leading);
          break;
        case Op.Font:
          font = operands.others > 0 ? latin1(b, operands.first[0] + 1, operands.first[1]) : "";
          fontSize =
            operands.count > 0 ? latin1(b, operands.numberFrom[0] as number, operands.numberTo[0] as number) : "0";
          size = Number(fontSize);
          map = fonts.get(font)?.map;
          break;
        case Op.BeginMarked: {
          const kind = markedKind(b, operands);
          marked.push(kind);
          if (kind === -3) reversed++;
          break;
        }
        case Op.EndMarked:
          if (marked.pop() === -3) reversed--;
          break;
        case Op.Show:
        case Op.ShowNextLine: {
          if (op === Op.ShowNextLine) nextLine(0, -leading);
          // The text matrix times the transformation: its vertical offset and its scale.
          const [c0, c1, c2, c3, , c5] = ctm;
          const m0 = t0 * c0 + t1 * c2;
          const m1 = t0 * c1 + t1 * c3;
          const m2 = t2 * c0 + t3 * c2;
          const m3 = t2 * c1 + t3 * c3;
          const text = map && operands.others > 0 ? showText(b, operands.last[0], operands.last[1], map) : "";
          let own = -1;
          let tagged = false;
          for (let i = marked.length - 1; i >= 0; i--)
            if ((marked[i] as number) >= -1) {
              own = marked[i] as number;
              tagged = own >= 0;
              break;
            }
          const y = t4 * c1 + t5 * c3 + c5;
          const scaled = size * Math.sqrt(Math.abs(m0 * m3 - m1 * m2));
          const previous = shows[shows.length - 1];
          // A glyph drawn right after another on the same line, in the same font and marked content,
          // extends its show (Chromium positions each glyph with its own Td: 24 000 in a briefing).
          // (Not a negative size: each such show was a line of its own, as groupLines compares them.)
          if (
            previous &&
            scaled >= 0 &&
            previous.y === y &&
            previous.size === scaled &&
            previous.mcid === own &&
            previous.font === font &&
            previous.fontSize === fontSize &&
            previous.reversed === reversed > 0
          ) {
            previous.text += text;
            previous.end = pos;
          } else
            shows.push({ end: pos, y, size: scaled, text, font, fontSize, tagged, mcid: own, reversed: reversed > 0 });
          break;
        }
      }
      operands.count = 0;
      operands.others = 0;
      continue;
    }
    operands.other(from, pos);
  }
  return shows;
}

const REVERSED_CHARS = Buffer.from("/ReversedChars", "latin1");
const ARTIFACT = Buffer.from("/Artifact", "latin1");
const MCID = Buffer.from("/MCID", "latin1");

/** A BMC's or BDC's kind, from its tag and properties: its MCID, -1 for an artifact, -3 for /ReversedChars, else -2. */
function markedKind(b: Uint8Array, operands: Operands): number {
  if (operands.others === 0) return -2;
  const [tagFrom, tagTo] = operands.first;
  if (sameBytes(b, tagFrom, tagTo, REVERSED_CHARS)) return -3;
  if (sameBytes(b, tagFrom, tagTo, ARTIFACT)) return -1;
  if (operands.others < 2) return -2;
  const [from, to] = operands.second;
  // `/MCID`, white space, digits, as written in the property list.
  for (let i = b.indexOf(47, from); i >= 0 && i + MCID.length < to; i = b.indexOf(47, i + 1)) {
    if (!sameBytes(b, i, i + MCID.length, MCID)) continue;
    let pos = i + MCID.length;
    const space = pos;
    while (pos < to && isSpace(b[pos] as number)) pos++;
    if (pos === space) continue;
    const digits = pos;
    let value = 0;
    for (let d = b[pos] as number; pos < to && d >= 48 && d <= 57; d = b[++pos] as number) value = value * 10 + d - 48;
    if (pos > digits) return value;
  }
  return -2;
}

function sameBytes(b: Uint8Array, from: number, to: number, expected: Uint8Array): boolean {
  if (to - from !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (b[from + i] !== expected[i]) return false;
  return true;
}

/** What `\s` matches among Latin-1 bytes. */
function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 160;
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
function showText(b: Uint8Array, from: number, to: number, map: UnicodeMap): string {
  let text = "";
  const width = map.bytes * 2;
  for (let i = from; i < to; i++) {
    const c = b[i] as number;
    if (c === 60) {
      let code = 0;
      let nibbles = 0;
      for (i++; i < to && b[i] !== 62; i++) {
        const digit = hexValue(b[i] as number);
        if (digit < 0) continue;
        code = code * 16 + digit;
        if (++nibbles === width) {
          text += map.chars.get(code) ?? "";
          code = 0;
          nibbles = 0;
        }
      }
      // An odd last digit is followed by a 0 (ISO 32000-1 7.3.4.3).
      if (nibbles % 2 === 1 && nibbles + 1 === width) text += map.chars.get(code * 16) ?? "";
    } else if (c === 40) {
      const end = Math.min(skipLiteral(b, i), to);
      for (const code of codesOf(stringBytes(latin1(b, i, end)), map.bytes)) text += map.chars.get(code) ?? "";
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
