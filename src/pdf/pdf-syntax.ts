/**
 * A small reader of PDF syntax for the files Chromium writes: a classic cross-reference table and
 * plain objects, no object streams, no encryption. Every value keeps its byte range in the file,
 * so a change can be a splice of the original bytes instead of a rewrite of the whole document.
 * Anything else it meets is an `UnexpectedPdf`, and the caller falls back to a full PDF library.
 */

export class UnexpectedPdf extends Error {}

interface Span {
  /** Byte range in the file: [start, end). */
  start: number;
  end: number;
}

export type PdfValue =
  | (Span & { type: "number"; value: number })
  | (Span & { type: "name"; value: string })
  /** Literal or hexadecimal string; `value` holds its bytes as a Latin-1 string. */
  | (Span & { type: "string"; value: string })
  | (Span & { type: "ref"; value: number })
  | (Span & { type: "array"; value: PdfValue[] })
  | (Span & { type: "dict"; value: Map<string, PdfValue> })
  | (Span & { type: "other"; value: string });

export type PdfDict = Extract<PdfValue, { type: "dict" }>;

export interface PdfObject {
  num: number;
  value: PdfValue;
  /** The stream's data, for a stream object. */
  stream?: Span;
}

export interface PdfFile {
  bytes: Uint8Array;
  objects: Map<number, PdfObject>;
  trailer: PdfDict;
}

const WHITE = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WHITE[c] = 1;
const DELIMITER = new Uint8Array(256);
for (const c of "()<>[]{}/%") DELIMITER[c.charCodeAt(0)] = 1;

const at = (bytes: Uint8Array, pos: number, text: string) => {
  for (let i = 0; i < text.length; i++) if (bytes[pos + i] !== text.charCodeAt(i)) return false;
  return true;
};

class Lexer {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  skipWhite(): void {
    const b = this.bytes;
    for (;;) {
      const c = b[this.pos];
      if (c === undefined) return;
      if (WHITE[c]) this.pos++;
      else if (c === 37) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else return;
    }
  }

  /** A run of regular characters: a number or a keyword. */
  word(): string {
    const b = this.bytes;
    const start = this.pos;
    while (this.pos < b.length && !WHITE[b[this.pos] as number] && !DELIMITER[b[this.pos] as number]) this.pos++;
    if (this.pos === start) throw new UnexpectedPdf(`unexpected byte at ${start}`);
    return latin1(b, start, this.pos);
  }

  expect(keyword: string): void {
    this.skipWhite();
    if (this.word() !== keyword) throw new UnexpectedPdf(`expected ${keyword} before ${this.pos}`);
  }

  integer(): number {
    this.skipWhite();
    const value = this.digits();
    if (value < 0 || !this.ends(this.pos)) throw new UnexpectedPdf(`expected an integer before ${this.pos}`);
    return value;
  }

  /** A run of decimal digits as a number; -1 when there is none. */
  private digits(): number {
    const b = this.bytes;
    let value = -1;
    for (let c = b[this.pos]; c !== undefined && c >= 48 && c <= 57; c = b[++this.pos])
      value = Math.max(value, 0) * 10 + c - 48;
    return value;
  }

  value(): PdfValue {
    this.skipWhite();
    const b = this.bytes;
    const start = this.pos;
    const c = b[start];
    if (c === 47) return { type: "name", value: this.name(), start, end: this.pos };
    if (c === 40) return { type: "string", value: this.literal(), start, end: this.pos };
    if (c === 60 && b[start + 1] === 60) return this.dict();
    if (c === 60) return { type: "string", value: this.hex(), start, end: this.pos };
    if (c === 91) {
      this.pos++;
      const items: PdfValue[] = [];
      for (this.skipWhite(); b[this.pos] !== 93; this.skipWhite()) {
        if (this.pos >= b.length) throw new UnexpectedPdf("unterminated array");
        items.push(this.value());
      }
      this.pos++;
      return { type: "array", value: items, start, end: this.pos };
    }
    // An integer, or `n g R`, a reference: read without making strings (they are most of a file's values).
    const integer = this.digits();
    if (integer >= 0 && this.ends(this.pos)) {
      const after = this.pos;
      this.skipWhite();
      if (this.digits() >= 0 && this.ends(this.pos)) {
        this.skipWhite();
        if (b[this.pos] === 82 && this.ends(this.pos + 1)) {
          this.pos++;
          return { type: "ref", value: integer, start, end: this.pos };
        }
      }
      this.pos = after;
      return { type: "number", value: integer, start, end: after };
    }
    this.pos = start;
    const word = this.word();
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { type: "number", value: Number(word), start, end: this.pos };
    return { type: "other", value: word, start, end: this.pos };
  }

  ends(pos: number): boolean {
    const c = this.bytes[pos];
    return c === undefined || WHITE[c] === 1 || DELIMITER[c] === 1;
  }

  private dict(): PdfDict {
    const b = this.bytes;
    const start = this.pos;
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (this.skipWhite(); !(b[this.pos] === 62 && b[this.pos + 1] === 62); this.skipWhite()) {
      if (b[this.pos] !== 47) throw new UnexpectedPdf(`expected a name at ${this.pos}`);
      const key = this.name();
      entries.set(key, this.value());
    }
    this.pos += 2;
    return { type: "dict", value: entries, start, end: this.pos };
  }

  private name(): string {
    const b = this.bytes;
    this.pos++;
    const start = this.pos;
    let escaped = false;
    for (let c = b[this.pos]; c !== undefined && !WHITE[c] && !DELIMITER[c]; c = b[++this.pos]) escaped ||= c === 35;
    const name = latin1(b, start, this.pos);
    return escaped
      ? name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      : name;
  }

  private literal(): string {
    const b = this.bytes;
    let depth = 0;
    let out = "";
    for (this.pos++; ; this.pos++) {
      const c = b[this.pos];
      if (c === undefined) throw new UnexpectedPdf("unterminated string");
      if (c === 41 && depth === 0) break;
      if (c === 40) depth++;
      if (c === 41) depth--;
      if (c !== 92) {
        out += String.fromCharCode(c);
        continue;
      }
      const next = b[++this.pos] ?? 0;
      const escaped = ESCAPES[String.fromCharCode(next)];
      if (escaped !== undefined) out += escaped;
      else if (next >= 48 && next <= 55) {
        let octal = next - 48;
        for (let i = 0; i < 2 && (b[this.pos + 1] ?? 0) >= 48 && (b[this.pos + 1] ?? 0) <= 55; i++)
          octal = octal * 8 + ((b[++this.pos] as number) - 48);
        out += String.fromCharCode(octal & 255);
      } else if (next === 13 && b[this.pos + 1] === 10) this.pos++;
      else if (next !== 10 && next !== 13) out += String.fromCharCode(next);
    }
    this.pos++;
    return out;
  }

  private hex(): string {
    const b = this.bytes;
    const end = b.indexOf(62, this.pos);
    if (end < 0) throw new UnexpectedPdf("unterminated hexadecimal string");
    const digits = latin1(b, this.pos + 1, end).replace(/\s+/g, "");
    this.pos = end + 1;
    let out = "";
    for (let i = 0; i < digits.length; i += 2)
      out += String.fromCharCode(Number.parseInt(digits.slice(i, i + 2).padEnd(2, "0"), 16));
    return out;
  }
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", "(": "(", ")": ")", "\\": "\\" };

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = "";
  for (let i = start; i < end; i++) out += String.fromCharCode(bytes[i] as number);
  return out;
}

/** Reads the cross-reference table and every object in it. */
export function readPdf(bytes: Uint8Array): PdfFile {
  const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length);
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw new UnexpectedPdf("no startxref at the end");
  const lexer = new Lexer(bytes, Number(startxref[1]));
  lexer.expect("xref");
  const offsets = new Map<number, number>();
  for (;;) {
    lexer.skipWhite();
    if (at(bytes, lexer.pos, "trailer")) break;
    const first = lexer.integer();
    const count = lexer.integer();
    for (let i = 0; i < count; i++) {
      const offset = lexer.integer();
      const generation = lexer.integer();
      lexer.skipWhite();
      const kind = lexer.word();
      if (kind === "n") {
        if (generation !== 0) throw new UnexpectedPdf("an object of a later generation");
        offsets.set(first + i, offset);
      } else if (kind !== "f") throw new UnexpectedPdf("a malformed cross-reference entry");
    }
  }
  lexer.expect("trailer");
  const trailer = lexer.value();
  if (trailer.type !== "dict") throw new UnexpectedPdf("no trailer dictionary");
  for (const key of ["Prev", "XRefStm", "Encrypt"])
    if (trailer.value.has(key)) throw new UnexpectedPdf(`a trailer with /${key}`);

  const objects = new Map<number, PdfObject>();
  for (const [num, offset] of offsets) {
    const reader = new Lexer(bytes, offset);
    if (reader.integer() !== num || reader.integer() !== 0) throw new UnexpectedPdf(`object ${num} is not where said`);
    reader.expect("obj");
    const value = reader.value();
    reader.skipWhite();
    const keyword = reader.word();
    if (keyword === "endobj") {
      objects.set(num, { num, value });
      continue;
    }
    const length = value.type === "dict" ? value.value.get("Length") : undefined;
    if (keyword !== "stream" || length?.type !== "number") throw new UnexpectedPdf(`object ${num} is not plain`);
    let start = reader.pos;
    if (bytes[start] === 13) start++;
    if (bytes[start] !== 10) throw new UnexpectedPdf(`object ${num}: no end of line after "stream"`);
    start++;
    reader.pos = start + length.value;
    reader.expect("endstream");
    reader.expect("endobj");
    objects.set(num, { num, value, stream: { start, end: start + length.value } });
  }
  return { bytes, objects, trailer };
}

/** What a reference points to (a direct value is itself), and the object it lives in. */
export function resolve(file: PdfFile, value: PdfValue | undefined, owner: number): [PdfValue | undefined, number] {
  if (value?.type !== "ref") return [value, owner];
  return [file.objects.get(value.value)?.value, value.value];
}

/** A text string's text: UTF-16 after a byte-order mark, else read as Latin-1. */
export function textOf(value: PdfValue | undefined): string | undefined {
  if (value?.type !== "string") return undefined;
  const bytes = value.value;
  if (!bytes.startsWith("\xfe\xff")) return bytes;
  let out = "";
  for (let i = 2; i + 1 < bytes.length; i += 2)
    out += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
  return out;
}

/**
 * The element id a named destination stands for: Chromium percent-encodes ids outside ASCII (an
 * Arabic heading's, say).
 */
export function destinationId(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A text string as PDF writes it: ASCII as a literal, anything else as UTF-16 in hexadecimal. */
export function pdfText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, "\\$&")})`;
  return `<FEFF${utf16Hex(text)}>`;
}

/** UTF-16BE code units in upper-case hexadecimal, as text strings and ToUnicode maps write them. */
export function utf16Hex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return hex;
}
