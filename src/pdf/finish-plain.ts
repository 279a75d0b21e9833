/**
 * Finishing a PDF as Chromium writes it (pdf-syntax.ts), without a full PDF library: the pages of
 * the named destinations are read, the document information and the catalog's /Lang are written,
 * the structure elements' ids renumbered in reading order, and the file saved again with its plain
 * objects packed into compressed object streams. The objects are not rebuilt: each is its original
 * bytes with the few changes spliced in, which makes this several times cheaper than pdf-lib.
 */
import pako from "pako";
import type { FinishedPdf, FinishRequest } from "./finish.js";
import type { PdfMetadata } from "./pdf-metadata.js";
import {
  destinationId,
  type PdfDict,
  type PdfFile,
  type PdfValue,
  pdfText,
  readPdf,
  resolve,
  textOf,
  UnexpectedPdf,
} from "./pdf-syntax.js";
import { ROLE_MAP, STANDARD_TYPES } from "./structure-types.js";
import { xmpPacket } from "./xmp.js";

/** Plain objects per object stream. */
const PER_STREAM = 200;

interface Splice {
  start: number;
  end: number;
  text: string;
}

export function finishPlainPdf(request: FinishRequest): FinishedPdf {
  const file = readPdf(request.pdf);
  const root = file.trailer.value.get("Root");
  const [catalog] = resolve(file, root, 0);
  if (root?.type !== "ref" || catalog?.type !== "dict") throw new UnexpectedPdf("no catalog");
  const edit = new Edit(file);

  const pageNumbers = pageNumbersOf(file, catalog);
  const pages = request.ids.length > 0 ? destinationPages(file, catalog, pageNumbers, request.ids) : new Map();
  setCatalogEntries(edit, catalog, root.value, request.metadata.lang);
  const structure = readStructure(edit, catalog);
  if (structure) {
    renumberStructureIds(edit, structure);
    mapRoles(edit, structure);
  }
  describeLinks(edit, pageNumbers, request.metadata.targets ?? {});
  addXmp(edit, catalog, root.value, request.metadata);
  const info = file.trailer.value.get("Info");
  const infoNum = info?.type === "ref" ? info.value : edit.add();
  edit.replace(infoNum, infoDict(request.metadata));
  return { pdf: edit.save(root.value, infoNum), pageCount: pageNumbers.size, pages };
}

interface StructureElement {
  dict: PdfDict;
  /** The object it is, or lives in. */
  num: number;
  /** Whether it is an object of its own. */
  direct: boolean;
  type: string;
}

interface Structure {
  root: PdfDict;
  rootNum: number;
  /** Every element, in reading order. */
  elements: StructureElement[];
}

function readStructure(edit: Edit, catalog: PdfDict): Structure | undefined {
  const [root, rootNum] = resolve(edit.file, catalog.value.get("StructTreeRoot"), 0);
  if (root?.type !== "dict") return undefined;
  const elements: StructureElement[] = [];
  const seen = new Set<PdfDict>();
  const visit = (value: PdfValue | undefined, owner: number) => {
    const [object, num] = resolve(edit.file, value, owner);
    if (object?.type === "array") for (const item of object.value) visit(item, num);
    else if (object?.type === "dict" && !seen.has(object) && object.value.has("S")) {
      seen.add(object);
      const s = object.value.get("S");
      elements.push({ dict: object, num, direct: value?.type !== "ref", type: s?.type === "name" ? s.value : "" });
      visit(object.value.get("K"), num);
    }
  };
  visit(root.value.get("K"), rootNum);
  return { root, rootNum, elements };
}

/** Chromium writes PDF 2.0's Strong and Em in a PDF 1.7 file: a RoleMap maps them to standard types (02-001). */
function mapRoles(edit: Edit, { root, rootNum, elements }: Structure): void {
  const unmapped = new Set(elements.map((e) => e.type).filter((type) => type !== "" && !STANDARD_TYPES.has(type)));
  if (unmapped.size === 0) return;
  if (root.value.has("RoleMap")) throw new UnexpectedPdf("a structure tree with a role map");
  const entries = [...unmapped].sort().map((type) => `/${type} /${ROLE_MAP[type] ?? "NonStruct"}`);
  edit.insert(rootNum, root, `/RoleMap <<${entries.join(" ")}>>`);
}

/**
 * Every link annotation gets an alternate description (28-012): what it points to, the heading or
 * note the document says is there, or the address it opens.
 */
function describeLinks(edit: Edit, pageNumbers: Map<number, number>, targets: Record<string, string>): void {
  for (const pageNum of pageNumbers.keys()) {
    const page = edit.file.objects.get(pageNum)?.value;
    const [annots] = resolve(edit.file, page?.type === "dict" ? page.value.get("Annots") : undefined, pageNum);
    if (annots?.type !== "array") continue;
    for (const item of annots.value) {
      const [annot, num] = resolve(edit.file, item, pageNum);
      if (annot?.type !== "dict" || annot.value.get("Subtype")?.value !== "Link" || annot.value.has("Contents"))
        continue;
      if (item.type !== "ref") throw new UnexpectedPdf("a link annotation that is not an object of its own");
      const description = linkDescription(edit.file, annot, num, targets);
      if (description) edit.insert(num, annot, `/Contents ${pdfText(description)}`);
    }
  }
}

function linkDescription(file: PdfFile, annot: PdfDict, num: number, targets: Record<string, string>): string {
  const [action] = resolve(file, annot.value.get("A"), num);
  const uri = action?.type === "dict" ? textOf(resolve(file, action.value.get("URI"), num)[0]) : undefined;
  if (uri !== undefined) return uri.replace(/^mailto:/, "");
  const dest = annot.value.get("Dest");
  const name = dest?.type === "name" ? dest.value : textOf(dest);
  if (name === undefined) return "";
  const id = destinationId(name);
  return targets[id] ?? id.replace(/^user-content-/, "").replace(/[-_]+/g, " ");
}

/** XMP metadata saying what the document information says, and that the file is PDF/UA-1 (06-001…003). */
function addXmp(edit: Edit, catalog: PdfDict, catalogNum: number, meta: PdfMetadata): void {
  if (catalog.value.has("Metadata")) throw new UnexpectedPdf("a catalog with metadata");
  const num = edit.add();
  edit.addStream(num, "/Type /Metadata\n/Subtype /XML", Buffer.from(xmpPacket(meta), "utf8"));
  edit.insert(catalogNum, catalog, `/Metadata ${num} 0 R`);
}

/** Page object number → page number (1-based), in the page tree's order. */
function pageNumbersOf(file: PdfFile, catalog: PdfDict): Map<number, number> {
  const numbers = new Map<number, number>();
  const walk = (node: PdfValue | undefined, depth: number) => {
    if (node?.type !== "ref" || depth > 32) throw new UnexpectedPdf("a malformed page tree");
    const [dict] = resolve(file, node, 0);
    if (dict?.type !== "dict") throw new UnexpectedPdf("a malformed page tree");
    const kids = dict.value.get("Kids");
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, depth + 1);
    else numbers.set(node.value, numbers.size + 1);
  };
  walk(catalog.value.get("Pages"), 0);
  return numbers;
}

/** Page number of each of `ids` that has a destination, in the catalog's /Dests or the /Dests name tree. */
function destinationPages(
  file: PdfFile,
  catalog: PdfDict,
  pageNumbers: Map<number, number>,
  ids: string[],
): Map<string, number> {
  const wanted = new Set(ids);
  const result = new Map<string, number>();
  const add = (name: string, value: PdfValue | undefined) => {
    const id = destinationId(name);
    if (!wanted.has(id)) return;
    let [target] = resolve(file, value, 0);
    if (target?.type === "dict") [target] = resolve(file, target.value.get("D"), 0);
    const page = target?.type === "array" ? target.value[0] : undefined;
    const number = page?.type === "ref" ? pageNumbers.get(page.value) : undefined;
    if (number !== undefined) result.set(id, number);
  };
  const [dests] = resolve(file, catalog.value.get("Dests"), 0);
  if (dests?.type === "dict") for (const [name, value] of dests.value) add(name, value);
  const [names] = resolve(file, catalog.value.get("Names"), 0);
  const walk = (node: PdfValue | undefined, depth: number) => {
    const [dict] = resolve(file, node, 0);
    if (dict?.type !== "dict" || depth > 32) return;
    const pairs = resolve(file, dict.value.get("Names"), 0)[0];
    if (pairs?.type === "array")
      for (let i = 0; i + 1 < pairs.value.length; i += 2) {
        const key = textOf(pairs.value[i]);
        if (key !== undefined) add(key, pairs.value[i + 1]);
      }
    const kids = resolve(file, dict.value.get("Kids"), 0)[0];
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, depth + 1);
  };
  if (names?.type === "dict") walk(names.value.get("Dests"), 0);
  return result;
}

/** /Lang as the document says, and a window title from the document's title. */
function setCatalogEntries(edit: Edit, catalog: PdfDict, num: number, lang: string): void {
  const current = catalog.value.get("Lang");
  if (textOf(current) !== lang) {
    if (current) edit.splice(num, current.start, current.end, pdfText(lang));
    else edit.insert(num, catalog, `/Lang ${pdfText(lang)}`);
  }
  const [preferences] = resolve(edit.file, catalog.value.get("ViewerPreferences"), num);
  if (!preferences) edit.insert(num, catalog, "/ViewerPreferences <</DisplayDocTitle true>>");
  else if (preferences.type !== "dict" || preferences.value.get("DisplayDocTitle")?.value !== "true")
    throw new UnexpectedPdf("viewer preferences without the document title");
}

/**
 * Chromium names the structure elements of a tagged PDF after its DOM node ids (`node00000895`),
 * which count every node the renderer process ever made: the same document rendered after another
 * gets other names. Renumbering them in reading order makes the bytes depend on the document alone.
 */
function renumberStructureIds(edit: Edit, { root, elements }: Structure): void {
  const renamed = new Map<string, string>();
  for (const { dict } of elements) {
    const id = textOf(dict.value.get("ID"));
    if (id !== undefined) renamed.set(id, `id${String(renamed.size + 1).padStart(6, "0")}`);
  }
  if (renamed.size === 0) return;
  const rename = (num: number, value: PdfValue | undefined) => {
    const fresh = renamed.get(textOf(value) ?? "");
    if (value && fresh) edit.splice(num, value.start, value.end, `(${fresh})`);
    return fresh;
  };
  const names: string[] = [];
  for (const { dict, num, direct } of elements) {
    const fresh = rename(num, dict.value.get("ID"));
    if (fresh) {
      if (direct) throw new UnexpectedPdf("a structure element with an id that is not an object of its own");
      names.push(`(${fresh}) ${num} 0 R`);
    }
    const [attributes, attributesNum] = resolve(edit.file, dict.value.get("A"), num);
    const list = attributes?.type === "array" ? attributes.value : [attributes];
    for (const item of list) {
      const [entry, entryNum] = resolve(edit.file, item, attributesNum);
      const [headers, headersNum] = resolve(
        edit.file,
        entry?.type === "dict" ? entry.value.get("Headers") : undefined,
        entryNum,
      );
      if (headers?.type === "array") for (const header of headers.value) rename(headersNum, header);
    }
  }
  // The new names sort as the elements come, so the tree is one sorted leaf.
  const tree = root.value.get("IDTree");
  if (tree?.type !== "ref") throw new UnexpectedPdf("an id tree that is not an object of its own");
  edit.dropTree(tree.value);
  edit.replace(tree.value, `<</Names [${names.join(" ")}]>>`);
}

function infoDict(meta: PdfMetadata): string {
  const entries: [string, string | null][] = [
    ["Title", meta.title],
    ["Author", meta.authors.length ? meta.authors.join("; ") : null],
    ["Subject", meta.subject],
    ["Keywords", meta.keywords.length ? meta.keywords.join(" ") : null],
    ["Creator", meta.creator],
    ["Producer", meta.creator],
  ];
  const date = pdfDate(meta.date);
  const text = entries.filter(([, value]) => value !== null).map(([key, value]) => `/${key} ${pdfText(value ?? "")}`);
  return `<<${text.join("\n")}\n/CreationDate ${date}\n/ModDate ${date}>>`;
}

function pdfDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `(D:${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z)`;
}

/** The changes to a file, and the file written with them. */
class Edit {
  private readonly splices = new Map<number, Splice[]>();
  private readonly replaced = new Map<number, string>();
  private readonly dropped = new Set<number>();
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

  splice(num: number, start: number, end: number, text: string): void {
    const list = this.splices.get(num) ?? [];
    list.push({ start, end, text });
    this.splices.set(num, list);
  }

  /** An entry added at the end of a dictionary. */
  insert(num: number, dict: PdfDict, entry: string): void {
    this.splice(num, dict.end - 2, dict.end - 2, `\n${entry}`);
  }

  addStream(num: number, entries: string, data: Uint8Array): void {
    this.streams.set(num, { entries, data });
  }

  replace(num: number, body: string): void {
    this.replaced.set(num, body);
    this.dropped.delete(num);
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
      out.bytes(this.file.bytes.subarray(object.stream.start, object.stream.end));
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
    out.text(
      `${xref} 0 obj\n<</Type /XRef\n/Size ${this.size}\n/W [1 4 2]\n/Root ${root} 0 R\n` +
        `/Info ${info} 0 R\n/Filter /FlateDecode\n/Length ${data.length}>>\nstream\n`,
    );
    out.bytes(data);
    out.text(`\nendstream\nendobj\nstartxref\n${start}\n%%EOF\n`);
    return out.result();
  }
}

const NEWLINE = new Uint8Array([10]);

function encode(text: string): Uint8Array {
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

  result(): Uint8Array {
    return concat(this.parts);
  }
}
