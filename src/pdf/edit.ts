/**
 * The changes to a PDF read by pdf-syntax.ts, spliced into its objects' original bytes, and the
 * file saved with its plain objects packed into compressed object streams.
 */
import { createHash } from "node:crypto";
import pako from "pako";
import { type PdfDict, type PdfFile, UnexpectedPdf } from "./pdf-syntax.js";

/** Plain objects per object stream. */
const PER_STREAM = 200;

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The changes to a file, and the file written with them. */
export class Edit {
  private readonly splices = new Map<number, Splice[]>();
  private readonly replaced = new Map<number, string>();
  private readonly dropped = new Set<number>();
  /** Streams given new data (their /Length spliced). */
  private readonly streamData = new Map<number, Uint8Array>();
  /** New stream objects: dictionary entries (without /Length) and data. */
  private readonly streams = new Map<number, { entries: string; data: Uint8Array }>();
  private size: number;

  constructor(readonly file: PdfFile) {
    const size = file.trailer.value.get("Size");
    this.size = Math.max(size?.type === "number" ? size.value : 1, ...[...file.objects.keys()].map((n) => n + 1));
  }

  /** A new object number. */
  add(): number {
    return this.size++;
  }

  /** A value's bytes as the file has them. */
  source(value: { start: number; end: number }): string {
    return Buffer.from(this.file.bytes.subarray(value.start, value.end)).toString("latin1");
  }

  splice(num: number, start: number, end: number, text: string): void {
    const list = this.splices.get(num) ?? [];
    list.push({ start, end, text });
    this.splices.set(num, list);
  }

  /** An entry added at the end of a dictionary. */
  insert(num: number, dict: PdfDict, entry: string): void {
    this.splice(num, dict.end - 2, dict.end - 2, `\n${entry}`);
  }

  replaceStream(num: number, dict: PdfDict, data: Uint8Array): void {
    const length = dict.value.get("Length");
    if (length?.type !== "number") throw new UnexpectedPdf("a stream whose length is not a number");
    this.splice(num, length.start, length.end, String(data.length));
    this.streamData.set(num, data);
  }

  addStream(num: number, entries: string, data: Uint8Array): void {
    this.streams.set(num, { entries, data });
  }

  replace(num: number, body: string): void {
    this.replaced.set(num, body);
    this.dropped.delete(num);
  }

  /** An object left out of the saved file. */
  drop(num: number): void {
    this.dropped.add(num);
    this.replaced.delete(num);
  }

  /** A name tree's nodes, left out of the saved file. */
  dropTree(num: number, depth = 0): void {
    const node = this.file.objects.get(num)?.value;
    const kids = node?.type === "dict" ? node.value.get("Kids") : undefined;
    this.dropped.add(num);
    if (kids?.type === "array" && depth < 32)
      for (const kid of kids.value) if (kid.type === "ref") this.dropTree(kid.value, depth + 1);
  }

  /** The value of an object, changes spliced in. */
  private body(num: number): Uint8Array {
    const text = this.replaced.get(num);
    if (text !== undefined) return encode(text);
    const object = this.file.objects.get(num);
    if (!object) throw new UnexpectedPdf(`no object ${num}`);
    const { start, end } = object.value;
    const splices = (this.splices.get(num) ?? []).sort((a, b) => a.start - b.start);
    const parts: Uint8Array[] = [];
    let from = start;
    for (const splice of splices) {
      parts.push(this.file.bytes.subarray(from, splice.start), encode(splice.text));
      from = splice.end;
    }
    parts.push(this.file.bytes.subarray(from, end));
    return concat(parts);
  }

  /** The file: streams first, then object streams holding every other object, then a cross-reference stream. */
  save(root: number, info: number): Uint8Array {
    const out = new Writer();
    out.text("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    // Where each object is: [offset] for an object of its own, [stream, index] within an object stream.
    const where = new Map<number, [number] | [number, number]>();
    const plain: number[] = [];
    const numbers = [...new Set([...this.file.objects.keys(), ...this.replaced.keys()])].sort((a, b) => a - b);
    for (const num of numbers) {
      if (this.dropped.has(num)) continue;
      const object = this.replaced.has(num) ? undefined : this.file.objects.get(num);
      if (!object?.stream) {
        plain.push(num);
        continue;
      }
      where.set(num, [out.length]);
      out.text(`${num} 0 obj\n`);
      out.bytes(this.body(num));
      out.text("\nstream\n");
      out.bytes(this.streamData.get(num) ?? this.file.bytes.subarray(object.stream.start, object.stream.end));
      out.text("\nendstream\nendobj\n");
    }
    for (const [num, { entries, data }] of this.streams) {
      where.set(num, [out.length]);
      out.text(`${num} 0 obj\n<<${entries}\n/Length ${data.length}>>\nstream\n`);
      out.bytes(data);
      out.text("\nendstream\nendobj\n");
    }
    for (let first = 0; first < plain.length; first += PER_STREAM) {
      const group = plain.slice(first, first + PER_STREAM);
      const stream = this.add();
      const bodies: Uint8Array[] = [];
      const header: string[] = [];
      let offset = 0;
      group.forEach((num, index) => {
        const body = this.body(num);
        header.push(`${num} ${offset}`);
        bodies.push(body, NEWLINE);
        offset += body.length + 1;
        where.set(num, [stream, index]);
      });
      const head = encode(`${header.join(" ")}\n`);
      const data = pako.deflate(concat([head, ...bodies]), { level: 2 });
      where.set(stream, [out.length]);
      out.text(
        `${stream} 0 obj\n<</Type /ObjStm\n/N ${group.length}\n/First ${head.length}\n/Filter /FlateDecode\n/Length ${data.length}>>\nstream\n`,
      );
      out.bytes(data);
      out.text("\nendstream\nendobj\n");
    }
    const xref = this.add();
    where.set(xref, [out.length]);
    const rows = new Uint8Array(this.size * 7);
    const view = new DataView(rows.buffer);
    for (let num = 0; num < this.size; num++) {
      const place = where.get(num);
      const row = num * 7;
      if (place?.length === 1) {
        rows[row] = 1;
        view.setUint32(row + 1, place[0]);
      } else if (place) {
        rows[row] = 2;
        view.setUint32(row + 1, place[0]);
        view.setUint16(row + 5, place[1]);
      } else view.setUint16(row + 5, num === 0 ? 0xffff : 0);
    }
    const data = pako.deflate(rows, { level: 2 });
    const start = out.length;
    // The file identifier is a digest of everything before it: the same document, the same bytes.
    const id = out.digest();
    out.text(
      `${xref} 0 obj\n<</Type /XRef\n/Size ${this.size}\n/W [1 4 2]\n/Root ${root} 0 R\n` +
        `/Info ${info} 0 R\n/ID [<${id}> <${id}>]\n/Filter /FlateDecode\n/Length ${data.length}>>\nstream\n`,
    );
    out.bytes(data);
    out.text(`\nendstream\nendobj\nstartxref\n${start}\n%%EOF\n`);
    return out.result();
  }
}

const NEWLINE = new Uint8Array([10]);

export function encode(text: string): Uint8Array {
  return Buffer.from(text, "latin1");
}

function concat(parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  length = 0;

  text(text: string): void {
    this.bytes(encode(text));
  }

  bytes(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** MD5 of what is written so far, in hexadecimal (as PDF's file identifiers usually are). */
  digest(): string {
    const hash = createHash("md5");
    for (const part of this.parts) hash.update(part);
    return hash.digest("hex").toUpperCase();
  }

  result(): Uint8Array {
    return concat(this.parts);
  }
}
