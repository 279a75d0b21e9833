/**
 * A reader of page content streams: the operators in order, each with the byte range of its
 * operands and itself, and the marked-content sequence it sits in. The checker reads what is
 * marked; the finisher wraps what is not as an artifact, splicing bytes without rewriting others.
 */

export interface Operation {
  /** The operator, `Tj`, `BDC`, `re`… */
  op: string;
  /** The operands' source text (names, strings, arrays and dictionaries as written; numbers left out). */
  operands: string[];
  /** Byte range from the first operand to the end of the operator. */
  start: number;
  end: number;
}

export const WHITE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITE[c] = 1;
export const DELIMITER = new Uint8Array(256);
for (const c of "()<>[]{}/%") DELIMITER[c.charCodeAt(0)] = 1;

export const NUMERIC = new Uint8Array(256);
for (const c of "0123456789+-.") NUMERIC[c.charCodeAt(0)] = 1;

/** Operators that paint: text shown, a path stroked or filled, an XObject, a shading, an inline image. */
export const PAINTING = new Set([
  "Tj",
  "TJ",
  "'",
  '"',
  "S",
  "s",
  "f",
  "F",
  "f*",
  "B",
  "B*",
  "b",
  "b*",
  "Do",
  "sh",
  "EI",
]);

/** Every operation of a content stream, in order. */
export function operations(bytes: Uint8Array): Operation[] {
  const result: Operation[] = [];
  let operands: string[] = [];
  let start = -1;
  const n = bytes.length;
  const text = (from: number, to: number) => latin1(bytes, from, to);
  for (let pos = tokenStart(bytes, 0); pos < n; pos = tokenStart(bytes, pos)) {
    const from = pos;
    const c = bytes[pos] as number;
    pos = tokenEnd(bytes, pos);
    if (isWordStart(c)) {
      if (NUMERIC[c]) {
        if (start < 0) start = from;
        continue;
      }
      const word = text(from, pos);
      if (word === "true" || word === "false" || word === "null") {
        if (start < 0) start = from;
        continue;
      }
      if (word === "BI") pos = skipInlineImage(bytes, pos);
      result.push({ op: word === "BI" ? "EI" : word, operands, start: start < 0 ? from : start, end: pos });
      operands = [];
      start = -1;
      continue;
    }
    if (start < 0) start = from;
    operands.push(text(from, pos));
  }
  return result;
}

/**
 * The tokenizer the content-stream readers share (this file's operations(), the artifact scan, the
 * finishing's reader of shown text): each keeps its own loop and what it records, and asks these
 * where a token starts and ends, without making strings.
 */
/** The next token at or after `pos`: white space and comments skipped; the length when there is none. */
export function tokenStart(b: Uint8Array, pos: number): number {
  const n = b.length;
  while (pos < n) {
    const c = b[pos] as number;
    if (WHITE[c]) pos++;
    else if (c === 37) while (pos < n && b[pos] !== 10 && b[pos] !== 13) pos++;
    else break;
  }
  return pos;
}

/** Just past the token that starts at `pos`: a string, array, dictionary, name, or a word (an operator, a number, a keyword). */
export function tokenEnd(b: Uint8Array, pos: number): number {
  const c = b[pos] as number;
  if (c === 40) return skipLiteral(b, pos);
  if (c === 60 || c === 91) return skipNested(b, pos);
  const from = pos;
  if (c === 47) pos++;
  while (pos < b.length && !WHITE[b[pos] as number] && !DELIMITER[b[pos] as number]) pos++;
  // A stray delimiter (`)`, `>`, `]`, `{`, `}`) is a word of its own.
  return pos === from ? pos + 1 : pos;
}

/** Whether a token starting with byte `c` is a word (an operator, a number or a keyword), not an operand of another form. */
export function isWordStart(c: number): boolean {
  return c !== 40 && c !== 60 && c !== 91 && c !== 47;
}

/** A typed array's values copied into a larger one, for the readers' tables that grow. */
export function grow<T extends Uint8Array | Int32Array | Float64Array>(old: T, fresh: T): T {
  fresh.set(old);
  return fresh;
}

export function skipLiteral(b: Uint8Array, pos: number): number {
  let depth = 0;
  for (pos++; pos < b.length; pos++) {
    const c = b[pos];
    if (c === 92) pos++;
    else if (c === 40) depth++;
    else if (c === 41) {
      if (depth === 0) return pos + 1;
      depth--;
    }
  }
  return pos;
}

/** A hexadecimal string, an array or a dictionary, with what nests in it. */
export function skipNested(b: Uint8Array, pos: number): number {
  if (b[pos] === 60 && b[pos + 1] !== 60) return b.indexOf(62, pos) + 1 || b.length;
  let depth = 0;
  while (pos < b.length) {
    const c = b[pos];
    if (c === 40) {
      pos = skipLiteral(b, pos);
      continue;
    }
    if (c === 60 && b[pos + 1] === 60) {
      depth++;
      pos += 2;
    } else if (c === 62 && b[pos + 1] === 62) {
      depth--;
      pos += 2;
    } else if (c === 60) {
      pos = b.indexOf(62, pos) + 1 || b.length;
      continue;
    } else if (c === 91) {
      depth++;
      pos++;
    } else if (c === 93) {
      depth--;
      pos++;
    } else pos++;
    if (depth === 0) return pos;
  }
  return pos;
}

/** Past `ID <data> EI` of an inline image. */
export function skipInlineImage(b: Uint8Array, pos: number): number {
  for (let i = pos; i + 2 <= b.length; i++)
    if (
      b[i] === 69 &&
      b[i + 1] === 73 &&
      WHITE[b[i - 1] as number] &&
      (i + 2 === b.length || WHITE[b[i + 2] as number])
    )
      return i + 2;
  return b.length;
}

/**
 * A number naming an operator of up to three bytes, read from the content's bytes without making a
 * string (the same number as `operatorKeyOf` gives its name); -1 for a longer word.
 */
export function operatorKey(b: Uint8Array, from: number, to: number): number {
  if (to - from > 3) return -1;
  let key = to - from;
  for (let i = from; i < to; i++) key = key * 256 + (b[i] as number);
  return key;
}

export function operatorKeyOf(name: string): number {
  return operatorKey(Buffer.from(name, "latin1"), 0, name.length);
}

const KEYWORDS = ["true", "false", "null"].map((word) => Buffer.from(word, "latin1"));

/** Whether the token from `from` to `to` is `true`, `false` or `null`: an operand, not an operator. */
export function isKeywordOperand(b: Uint8Array, from: number, to: number): boolean {
  const c = b[from];
  // Most tokens are ruled out by their length and first letter: t, f, n.
  if (to - from < 4 || to - from > 5 || (c !== 116 && c !== 102 && c !== 110)) return false;
  return KEYWORDS.some((word) => word.length === to - from && word.every((byte, i) => b[from + i] === byte));
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}

/** The MCID of a `BDC`'s inline property list, if it has one. */
export function mcidOf(operation: Operation): number | undefined {
  if (operation.op !== "BDC") return undefined;
  const match = /\/MCID\s+(\d+)/.exec(operation.operands[1] ?? "");
  return match ? Number(match[1]) : undefined;
}
