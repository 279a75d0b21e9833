/**
 * Press's own PDF/UA-1 checker: the failure conditions of the Matterhorn Protocol 1.1 that a
 * machine can decide and that Press's output can meet (no forms, media, optional content or
 * encryption in it), each reported with its checkpoint, the clause of ISO 14289-1, the page and
 * the object. Written from the standard and from veraPDF's rule descriptions; read with pdf-lib,
 * independent of the reader Press finishes with.
 */
import fs from "node:fs/promises";
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from "pdf-lib";
import { mcidOf, operations, PAINTING } from "./content-stream.js";
import { STANDARD_TYPES } from "./structure-types.js";

export interface UaFailure {
  /** Matterhorn Protocol checkpoint, `01-005`. */
  checkpoint: string;
  /** ISO 14289-1 clause. */
  clause: string;
  message: string;
  /** 1-based page, when the failure is on one. */
  page?: number;
  /** The object at fault, `12 0 R`. */
  object?: string;
}

/** Children each grouping type may have, and parents each part may have (ISO 32000-1 Tables 333, 336, 337). */
const KIDS: Record<string, [string, string[]]> = {
  L: ["09-005", ["L", "LI", "Caption"]],
  LI: ["09-005", ["Lbl", "LBody"]],
  Table: ["09-004", ["TR", "THead", "TBody", "TFoot", "Caption"]],
  THead: ["09-004", ["TR"]],
  TBody: ["09-004", ["TR"]],
  TFoot: ["09-004", ["TR"]],
  TR: ["09-004", ["TH", "TD"]],
  TOC: ["09-006", ["TOC", "TOCI", "Caption"]],
};
const PARENTS: Record<string, [string, string[]]> = {
  LI: ["09-005", ["L"]],
  LBody: ["09-005", ["LI"]],
  Lbl: ["09-005", ["LI", "L"]],
  TR: ["09-004", ["Table", "THead", "TBody", "TFoot"]],
  TH: ["09-004", ["TR"]],
  TD: ["09-004", ["TR"]],
  THead: ["09-004", ["Table"]],
  TBody: ["09-004", ["Table"]],
  TFoot: ["09-004", ["Table"]],
  TOCI: ["09-006", ["TOC"]],
};

interface Element {
  dict: PDFDict;
  ref?: PDFRef;
  type: string;
  parent?: Element;
  kids: Element[];
  /** Marked content, annotations and other content directly in it. */
  content: number;
}

/** A file's failures, or why it could not be read as a PDF. */
export async function checkPdfFile(file: string): Promise<{ failures: UaFailure[]; error?: string }> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return { failures: [], error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const head = Buffer.from(bytes.subarray(0, 4096)).toString("latin1");
  if (!head.slice(0, 1024).includes("%PDF-"))
    return { failures: [], error: "not a PDF: no %PDF- header in its first bytes" };
  // An encrypted file's objects cannot be read without its password (PDF/UA allows encryption
  // that leaves text extraction to assistive technology, but Press does not decrypt). The trailer
  // is at the end, or at the start of a linearized file.
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 4096))).toString("latin1");
  if (/\/Encrypt\s/.test(tail) || /\/Encrypt\s/.test(head))
    return {
      failures: [],
      error: "encrypted: Press cannot read an encrypted PDF (decrypt it first, e.g. qpdf --decrypt)",
    };
  try {
    return { failures: await checkPdfUa(bytes) };
  } catch (error) {
    return { failures: [], error: `not a PDF Press can read: ${(error as Error).message.split("\n")[0]}` };
  }
}

/** `file: page 3, object 12 0 R: error: message [Matterhorn 01-005, ISO 14289-1 7.1]` */
export function formatUaFailure(file: string, failure: UaFailure): string {
  const where = [
    failure.page !== undefined ? `page ${failure.page}` : "",
    failure.object ? `object ${failure.object}` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const rule = `${failure.checkpoint === "—" ? "" : `Matterhorn ${failure.checkpoint}, `}ISO 14289-1 ${failure.clause}`;
  return `${file}${where ? `: ${where}` : ""}: error: ${failure.message} [${rule}]`;
}

export async function checkPdfUa(bytes: Uint8Array): Promise<UaFailure[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  return new Checker(pdf, bytes).run();
}

class Checker {
  readonly failures: UaFailure[] = [];
  readonly pages: PDFDict[];
  readonly pageNumber = new Map<string, number>();
  roleMap = new Map<string, string>();
  readonly unmapped = new Set<string>();

  constructor(
    readonly pdf: PDFDocument,
    readonly bytes: Uint8Array,
  ) {
    this.pages = pdf.getPages().map((page) => page.node);
    pdf.getPages().forEach((page, index) => {
      this.pageNumber.set(page.ref.toString(), index + 1);
    });
  }

  fail(checkpoint: string, clause: string, message: string, where: { page?: number; object?: PDFRef } = {}): void {
    const failure: UaFailure = { checkpoint, clause, message };
    if (where.page !== undefined) failure.page = where.page;
    if (where.object) failure.object = where.object.toString();
    this.failures.push(failure);
  }

  lookup(value: PDFObject | undefined): PDFObject | undefined {
    return value instanceof PDFRef ? this.pdf.context.lookup(value) : value;
  }

  dict(value: PDFObject | undefined): PDFDict | undefined {
    const object = this.lookup(value);
    return object instanceof PDFDict ? object : undefined;
  }

  run(): UaFailure[] {
    this.checkHeader();
    this.checkCatalog();
    this.checkMetadata();
    const root = this.dict(this.pdf.catalog.get(PDFName.of("StructTreeRoot")));
    if (!root) this.fail("—", "7.1", "no structure tree (the catalog has no StructTreeRoot)");
    else this.checkStructure(root);
    this.checkPages(root);
    this.checkFonts();
    return this.failures;
  }

  checkHeader(): void {
    const header = Buffer.from(this.bytes.subarray(0, 9)).toString("latin1");
    if (!/^%PDF-1\.[0-7]/.test(header)) this.fail("—", "6.1", `the header is ${JSON.stringify(header)}, not %PDF-1.n`);
  }

  checkCatalog(): void {
    const catalog = this.pdf.catalog;
    const mark = this.dict(catalog.get(PDFName.of("MarkInfo")));
    if (this.lookup(mark?.get(PDFName.of("Marked"))) !== PDFBool.True)
      this.fail("—", "6.2", "the catalog's MarkInfo does not say Marked true");
    if (this.lookup(mark?.get(PDFName.of("Suspects"))) === PDFBool.True)
      this.fail("01-007", "7.1", "MarkInfo says Suspects true");
    const preferences = this.dict(catalog.get(PDFName.of("ViewerPreferences")));
    const display = this.lookup(preferences?.get(PDFName.of("DisplayDocTitle")));
    if (display === undefined) this.fail("07-001", "7.1", "ViewerPreferences has no DisplayDocTitle");
    else if (display !== PDFBool.True) this.fail("07-002", "7.1", "DisplayDocTitle is not true");
    const lang = text(this.lookup(catalog.get(PDFName.of("Lang"))));
    if (lang === undefined)
      this.fail("11-001", "7.2", "the catalog has no Lang: the natural language of the text cannot be determined");
    else if (!/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(lang))
      this.fail("11-001", "7.2", `the catalog's Lang ${JSON.stringify(lang)} is not a language tag`);
  }

  checkMetadata(): void {
    const stream = this.lookup(this.pdf.catalog.get(PDFName.of("Metadata")));
    if (!(stream instanceof PDFStream)) {
      this.fail("06-001", "7.1", "the catalog has no XMP metadata stream");
      return;
    }
    const xmp = Buffer.from(streamBytes(stream)).toString("utf8");
    const part = /pdfuaid:part(?:="\s*(\d+)\s*"|>\s*(\d+)\s*<)/.exec(xmp);
    if (!part) this.fail("06-002", "5", "the XMP metadata has no PDF/UA identifier (pdfuaid:part)");
    else if ((part[1] ?? part[2]) !== "1") this.fail("06-002", "5", `pdfuaid:part is ${part[1] ?? part[2]}, not 1`);
    const title = /<dc:title>([\s\S]*?)<\/dc:title>/.exec(xmp);
    if (!title || !/<rdf:li[^>]*>[^<\s][^<]*<\/rdf:li>/.test(title[1] ?? ""))
      this.fail("06-003", "7.1", "the XMP metadata has no dc:title");
  }

  checkStructure(root: PDFDict): void {
    const roles = this.dict(root.get(PDFName.of("RoleMap")));
    for (const [key, value] of roles?.entries() ?? []) {
      const from = key.decodeText();
      const to = this.lookup(value);
      if (to instanceof PDFName) this.roleMap.set(from, to.decodeText());
      if (STANDARD_TYPES.has(from)) this.fail("02-004", "7.1", `the RoleMap maps the standard type ${from}`);
    }
    const elements: Element[] = [];
    const seen = new Set<PDFDict>();
    const visit = (value: PDFObject | undefined, parent: Element | undefined) => {
      const object = this.lookup(value);
      if (object instanceof PDFArray) {
        for (const item of object.asArray()) visit(item, parent);
        return;
      }
      if (object instanceof PDFNumber) {
        if (parent) parent.content++;
        return;
      }
      if (!(object instanceof PDFDict)) return;
      const type = this.lookup(object.get(PDFName.of("Type")));
      if (type === PDFName.of("MCR") || type === PDFName.of("OBJR") || !object.has(PDFName.of("S"))) {
        if (parent) parent.content++;
        return;
      }
      if (seen.has(object)) return;
      seen.add(object);
      const s = this.lookup(object.get(PDFName.of("S")));
      const element: Element = {
        dict: object,
        ref: value instanceof PDFRef ? value : undefined,
        type: this.standardType(s instanceof PDFName ? s.decodeText() : "", value),
        parent,
        kids: [],
        content: 0,
      };
      parent?.kids.push(element);
      elements.push(element);
      if (!object.has(PDFName.of("P")))
        this.fail("—", "7.1", "a structure element has no parent (P)", { object: element.ref });
      visit(object.get(PDFName.of("K")), element);
    };
    visit(root.get(PDFName.of("K")), undefined);
    this.checkGrouping(elements);
    this.checkHeadings(elements);
    this.checkElements(elements);
  }

  /** The standard type a structure type maps to; a failure when it maps to none. */
  standardType(type: string, where: PDFObject | undefined): string {
    const path = [type];
    let current = type;
    while (!STANDARD_TYPES.has(current)) {
      const next = this.roleMap.get(current);
      if (next === undefined) {
        if (!this.unmapped.has(type))
          this.fail("02-001", "7.1", `the structure type ${type} is not standard and not mapped to a standard type`, {
            object: where instanceof PDFRef ? where : undefined,
          });
        this.unmapped.add(type);
        return type;
      }
      if (path.includes(next)) {
        this.fail("02-003", "7.1", `the RoleMap maps ${path.join(" → ")} → ${next} in a circle`);
        return type;
      }
      path.push(next);
      current = next;
    }
    return current;
  }

  checkGrouping(elements: Element[]): void {
    for (const element of elements) {
      const kids = KIDS[element.type];
      if (kids) {
        const [checkpoint, allowed] = kids;
        const wrong = element.kids.filter((kid) => !allowed.includes(kid.type)).map((kid) => kid.type);
        if (wrong.length > 0)
          this.fail(
            checkpoint,
            "7.2",
            `${element.type} holds ${[...new Set(wrong)].join(", ")} (only ${allowed.join(", ")})`,
            {
              object: element.ref,
            },
          );
        if (element.content > 0 && element.type !== "TOC")
          this.fail(checkpoint, "7.2", `${element.type} holds content directly (only ${allowed.join(", ")})`, {
            object: element.ref,
          });
      }
      const parents = PARENTS[element.type];
      if (parents && !parents[1].includes(element.parent?.type ?? "")) {
        this.fail(
          parents[0],
          "7.2",
          `${element.type} is in ${element.parent?.type ?? "the root"}, not in ${parents[1].join(" or ")}`,
          {
            object: element.ref,
          },
        );
      }
    }
  }

  checkHeadings(elements: Element[]): void {
    let previous = 0;
    let numbered = false;
    let plain = false;
    for (const element of elements) {
      const level = /^H([1-6])$/.exec(element.type);
      if (element.type === "H") plain = true;
      if (!level) continue;
      numbered = true;
      const n = Number(level[1]);
      if (previous === 0 && n !== 1)
        this.fail("14-002", "7.4.2", `the first heading is H${n}, not H1`, { object: element.ref });
      else if (n > previous + 1 && previous > 0)
        this.fail("14-003", "7.4.2", `H${previous} is followed by H${n}: a level is skipped`, { object: element.ref });
      previous = n;
    }
    if (numbered && plain) this.fail("14-007", "7.4.4", "the document uses both H and H1–H6");
  }

  checkElements(elements: Element[]): void {
    const noteIds = new Map<string, number>();
    for (const element of elements) {
      const { dict } = element;
      const alt = text(this.lookup(dict.get(PDFName.of("Alt"))));
      const actual = text(this.lookup(dict.get(PDFName.of("ActualText"))));
      if (element.type === "Figure" && !alt && actual === undefined)
        this.fail("13-004", "7.3", "a Figure has no alternative text (Alt) or ActualText", { object: element.ref });
      if (element.type === "Formula" && !alt && actual === undefined)
        this.fail("17-002", "7.7", "a Formula has no alternative text (Alt) or ActualText", { object: element.ref });
      if (element.type === "Note") {
        const id = text(this.lookup(dict.get(PDFName.of("ID"))));
        if (!id) this.fail("19-003", "7.9", "a Note has no ID", { object: element.ref });
        else noteIds.set(id, (noteIds.get(id) ?? 0) + 1);
      }
      if (element.kids.filter((kid) => kid.type === "H").length > 1)
        this.fail("14-006", "7.4.4", "an element holds more than one H", { object: element.ref });
      const lang = text(this.lookup(dict.get(PDFName.of("Lang"))));
      if (lang !== undefined && lang !== "" && !/^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/.test(lang))
        this.fail("11-001", "7.2", `Lang ${JSON.stringify(lang)} is not a language tag`, { object: element.ref });
      if (element.type === "Table") {
        this.checkTableHeaders(element);
        this.checkTableGrid(element);
      }
      if ((alt || actual) && !this.languageOf(element))
        this.fail(
          actual ? "11-005" : "11-004",
          "7.2",
          `the language of an element's ${actual ? "ActualText" : "Alt"} cannot be determined (no Lang on it, its parents or the catalog)`,
          { object: element.ref },
        );
    }
    for (const [id, count] of noteIds)
      if (count > 1) this.fail("19-004", "7.9", `${count} Notes have the ID ${JSON.stringify(id)}`);
  }

  /** The Lang of an element, or of the nearest parent with one, or of the catalog. */
  languageOf(element: Element): string | undefined {
    for (let e: Element | undefined = element; e; e = e.parent) {
      const lang = text(this.lookup(e.dict.get(PDFName.of("Lang"))));
      if (lang) return lang;
    }
    return text(this.lookup(this.pdf.catalog.get(PDFName.of("Lang")))) || undefined;
  }

  /**
   * Every row of a table as wide as the others, spans counted (veraPDF 7.2-42): Chromium leaves
   * out the TD of a cell that paints nothing, and a reader moving along the row then puts the next
   * value under the wrong column.
   */
  checkTableGrid(table: Element): void {
    const rows: Element[] = [];
    const collect = (element: Element) => {
      for (const kid of element.kids) {
        if (kid.type === "TR") rows.push(kid);
        else if (kid.type === "THead" || kid.type === "TBody" || kid.type === "TFoot") collect(kid);
      }
    };
    collect(table);
    const span = (cell: Element, key: string) => {
      const a = this.lookup(cell.dict.get(PDFName.of("A")));
      for (const item of a instanceof PDFArray ? a.asArray() : [a]) {
        const value = this.lookup(this.dict(item)?.get(PDFName.of(key)));
        if (value instanceof PDFNumber) return Math.max(1, value.asNumber());
      }
      return 1;
    };
    // Rows still covered by a cell above, per column it spans.
    let carried: number[] = [];
    const widths = rows.map((row) => {
      let width = carried.filter((rest) => rest > 0).length;
      carried = carried.map((rest) => rest - 1).filter((rest) => rest > 0);
      for (const cell of row.kids) {
        if (cell.type !== "TD" && cell.type !== "TH") continue;
        const across = span(cell, "ColSpan");
        width += across;
        const down = span(cell, "RowSpan");
        for (let i = 0; i < across && down > 1; i++) carried.push(down - 1);
      }
      return width;
    });
    const widest = Math.max(0, ...widths);
    const short = widths.findIndex((width) => width !== widest);
    if (short >= 0)
      this.fail(
        "—",
        "7.2",
        `a table's row ${short + 1} has ${widths[short]} cells where another has ${widest} (veraPDF 7.2-42)`,
        { object: rows[short]?.ref ?? table.ref },
      );
  }

  /** Without Headers on the cells, each TH needs a Scope (15-003). */
  checkTableHeaders(table: Element): void {
    const cells: Element[] = [];
    const walk = (element: Element) => {
      for (const kid of element.kids) {
        if (kid.type === "TH" || kid.type === "TD") cells.push(kid);
        else if (kid.type !== "Table") walk(kid);
      }
    };
    walk(table);
    const attribute = (cell: Element, key: string) => {
      const a = this.lookup(cell.dict.get(PDFName.of("A")));
      const list = a instanceof PDFArray ? a.asArray() : [a];
      for (const item of list) {
        const value = this.dict(item)?.get(PDFName.of(key));
        if (value !== undefined) return value;
      }
      return undefined;
    };
    if (cells.some((cell) => cell.type === "TD" && attribute(cell, "Headers") !== undefined)) return;
    for (const cell of cells)
      if (cell.type === "TH" && attribute(cell, "Scope") === undefined)
        this.fail("15-003", "7.5", "a TH has no Scope in a table whose cells have no Headers", { object: cell.ref });
  }

  checkPages(root: PDFDict | undefined): void {
    const parentTree = numberTree(this, root?.get(PDFName.of("ParentTree")));
    this.pages.forEach((page, index) => {
      const number = index + 1;
      const pageRef = this.pdf.getPages()[index]?.ref;
      this.checkAnnotations(page, number, parentTree);
      this.checkContent(page, number, pageRef, parentTree);
    });
  }

  checkAnnotations(page: PDFDict, number: number, parentTree: Map<number, PDFObject>): void {
    const annots = this.lookup(page.get(PDFName.of("Annots")));
    if (!(annots instanceof PDFArray) || annots.size() === 0) return;
    const tabs = this.lookup(page.get(PDFName.of("Tabs")));
    if (tabs === undefined) this.fail("28-008", "7.18.3", "a page with annotations has no Tabs", { page: number });
    else if (tabs !== PDFName.of("S"))
      this.fail("28-009", "7.18.3", "a page with annotations has Tabs other than S", { page: number });
    for (const item of annots.asArray()) {
      const annot = this.dict(item);
      if (!annot) continue;
      const ref = item instanceof PDFRef ? item : undefined;
      const subtype = this.lookup(annot.get(PDFName.of("Subtype")));
      const flags = this.lookup(annot.get(PDFName.of("F")));
      if (flags instanceof PDFNumber && (flags.asNumber() & 2) === 2) continue;
      const key = this.lookup(annot.get(PDFName.of("StructParent")));
      const parent = key instanceof PDFNumber ? this.dict(parentTree.get(key.asNumber())) : undefined;
      const s = this.lookup(parent?.get(PDFName.of("S")));
      const parentType = s instanceof PDFName ? this.standardType(s.decodeText(), undefined) : undefined;
      const contents = text(this.lookup(annot.get(PDFName.of("Contents"))));
      if (subtype === PDFName.of("Link")) {
        if (parentType !== "Link")
          this.fail("28-011", "7.18.5", "a link annotation is not in a Link structure element", {
            page: number,
            object: ref,
          });
        if (!contents)
          this.fail("28-012", "7.18.5", "a link annotation has no alternate description (Contents)", {
            page: number,
            object: ref,
          });
      } else if (subtype !== PDFName.of("Widget") && subtype !== PDFName.of("PrinterMark")) {
        if (parentType !== "Annot")
          this.fail("28-002", "7.18.1", "an annotation is not in an Annot structure element", {
            page: number,
            object: ref,
          });
        if (!contents && !text(this.lookup(parent?.get(PDFName.of("Alt")))))
          this.fail("28-004", "7.18.1", "an annotation has no Contents or Alt", { page: number, object: ref });
      }
    }
  }

  /**
   * Every painting operation in tagged content or an artifact, never one inside the other
   * (01-003…005), form XObjects' own content included: a form painted inside an artifact must hold
   * no tagged content (veraPDF 7.1-2), one painted outside marked content is checked within.
   */
  checkContent(page: PDFDict, number: number, pageRef: PDFRef | undefined, parentTree: Map<number, PDFObject>): void {
    const contents = this.lookup(page.get(PDFName.of("Contents")));
    const streams = contents instanceof PDFArray ? contents.asArray().map((c) => this.lookup(c)) : [contents];
    let untagged = 0;
    let artifactInTagged = 0;
    let taggedInArtifact = 0;
    const unknown = new Set<number>();
    const mcidsOf = (owner: PDFDict) => {
      const key = this.lookup(owner.get(PDFName.of("StructParents")));
      return key instanceof PDFNumber ? this.lookup(parentTree.get(key.asNumber())) : undefined;
    };
    // A form painted again in the same state is not walked again, nor one inside itself: a form
    // that paints itself twelve times made k^8 walks of an 817-byte file.
    const walked = new Set<string>();
    const onPath = new Set<PDFStream>();
    const walk = (
      stream: PDFStream,
      resources: PDFDict | undefined,
      mcids: PDFObject | undefined,
      outer: ("artifact" | "tagged" | "other")[],
      depth: number,
    ) => {
      onPath.add(stream);
      const stack = [...outer];
      const forms = this.dict(resources?.get(PDFName.of("XObject")));
      for (const operation of operations(streamBytes(stream))) {
        const { op } = operation;
        if (op === "BDC" || op === "BMC") {
          const artifact = operation.operands[0] === "/Artifact";
          const mcid = mcidOf(operation);
          if (artifact && stack.includes("tagged")) artifactInTagged++;
          if (mcid !== undefined && stack.includes("artifact")) taggedInArtifact++;
          if (mcid !== undefined && !(mcids instanceof PDFArray && this.dict(mcids.get(mcid)))) unknown.add(mcid);
          stack.push(artifact ? "artifact" : mcid !== undefined ? "tagged" : "other");
        } else if (op === "EMC") stack.pop();
        else if (op === "Do") {
          const name = String(operation.operands[0] ?? "").replace(/^\//, "");
          const form = this.lookup(forms?.get(PDFName.of(name)));
          if (
            form instanceof PDFStream &&
            this.lookup(form.dict.get(PDFName.of("Subtype"))) === PDFName.of("Form") &&
            depth < 8
          ) {
            const state = `${forms?.get(PDFName.of(name))?.toString()}|${stack.join(",")}`;
            if (onPath.has(form) || walked.has(state)) continue;
            walked.add(state);
            const own = this.dict(form.dict.get(PDFName.of("Resources"))) ?? resources;
            walk(form, own, form.dict.has(PDFName.of("StructParents")) ? mcidsOf(form.dict) : mcids, stack, depth + 1);
          } else if (!stack.includes("artifact") && !stack.includes("tagged")) untagged++;
        } else if (PAINTING.has(op) && !stack.includes("artifact") && !stack.includes("tagged")) untagged++;
      }
      onPath.delete(stream);
    };
    const resources = this.dict(page.get(PDFName.of("Resources")));
    for (const stream of streams) if (stream instanceof PDFStream) walk(stream, resources, mcidsOf(page), [], 0);
    const where = { page: number, object: pageRef };
    if (untagged > 0)
      this.fail("01-005", "7.1", `${untagged} painting operations are neither tagged nor marked as artifacts`, where);
    if (unknown.size > 0)
      this.fail(
        "01-005",
        "7.1",
        `marked content ${[...unknown].slice(0, 5).join(", ")}${unknown.size > 5 ? "…" : ""} belongs to no structure element`,
        where,
      );
    if (artifactInTagged > 0) this.fail("01-003", "7.1", `${artifactInTagged} artifacts inside tagged content`, where);
    if (taggedInArtifact > 0) this.fail("01-004", "7.1", `${taggedInArtifact} tagged contents inside artifacts`, where);
  }

  /** Embedded programs and Unicode mappings of every font (31-008, 31-027…029). */
  checkFonts(): void {
    for (const [ref, object] of this.pdf.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict) || this.lookup(object.get(PDFName.of("Type"))) !== PDFName.of("Font")) continue;
      const subtype = this.lookup(object.get(PDFName.of("Subtype")));
      const name = this.lookup(object.get(PDFName.of("BaseFont")))?.toString() ?? "(unnamed)";
      if (subtype !== PDFName.of("Type0") && subtype !== PDFName.of("Type3")) {
        const descriptor = this.dict(object.get(PDFName.of("FontDescriptor")));
        if (!["FontFile", "FontFile2", "FontFile3"].some((key) => descriptor?.has(PDFName.of(key))))
          this.fail("31-008", "7.21.4.1", `the font ${name} is not embedded`, { object: ref });
      }
      if (subtype === PDFName.of("CIDFontType0") || subtype === PDFName.of("CIDFontType2")) continue;
      const toUnicode = this.lookup(object.get(PDFName.of("ToUnicode")));
      if (!(toUnicode instanceof PDFStream)) {
        const encoding = this.lookup(object.get(PDFName.of("Encoding")));
        if (subtype === PDFName.of("Type0") || subtype === PDFName.of("Type3") || !(encoding instanceof PDFName))
          this.fail("31-027", "7.21.7", `the font ${name} has no ToUnicode map`, { object: ref });
        continue;
      }
      const bad = badUnicode(Buffer.from(streamBytes(toUnicode)).toString("latin1"));
      if (bad.zero.length > 0)
        this.fail("31-028", "7.21.7", `the font ${name} maps codes ${bad.zero.slice(0, 5).join(", ")} to U+0000`, {
          object: ref,
        });
      if (bad.reserved.length > 0)
        this.fail(
          "31-029",
          "7.21.7",
          `the font ${name} maps codes ${bad.reserved.slice(0, 5).join(", ")} to U+FEFF or U+FFFE`,
          {
            object: ref,
          },
        );
    }
  }
}

/** Codes a ToUnicode CMap maps to U+0000, or to U+FEFF or U+FFFE. */
export function badUnicode(cmap: string): { zero: string[]; reserved: string[] } {
  const zero: string[] = [];
  const reserved: string[] = [];
  const look = (code: string, target: string) => {
    for (let i = 0; i + 4 <= target.length; i += 4) {
      const unit = target.slice(i, i + 4).toUpperCase();
      if (unit === "0000") zero.push(`<${code}>`);
      else if (unit === "FEFF" || unit === "FFFE") reserved.push(`<${code}>`);
    }
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const pair of (block[1] ?? "").matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
      look(pair[1] ?? "", pair[2] ?? "");
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const range of (block[1] ?? "").matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g,
    )) {
      const targets = [...(range[3] ?? "").matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => m[1] ?? "");
      if ((range[3] ?? "").startsWith("[")) for (const target of targets) look(range[1] ?? "", target);
      else if (/^0*$/.test(targets[0] ?? "")) zero.push(`<${range[1]}>`);
    }
  return { zero, reserved };
}

function text(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

function streamBytes(stream: PDFStream): Uint8Array {
  return stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream.getContents();
}

/** The entries of a number tree (the structure's ParentTree). */
function numberTree(checker: Checker, node: PDFObject | undefined, depth = 0): Map<number, PDFObject> {
  const result = new Map<number, PDFObject>();
  const dict = checker.dict(node);
  if (!dict || depth > 32) return result;
  const nums = checker.lookup(dict.get(PDFName.of("Nums")));
  if (nums instanceof PDFArray)
    for (let i = 0; i + 1 < nums.size(); i += 2) {
      const key = checker.lookup(nums.get(i));
      const value = nums.get(i + 1);
      if (key instanceof PDFNumber && value) result.set(key.asNumber(), value);
    }
  const kids = checker.lookup(dict.get(PDFName.of("Kids")));
  if (kids instanceof PDFArray)
    for (const kid of kids.asArray()) for (const [k, v] of numberTree(checker, kid, depth + 1)) result.set(k, v);
  return result;
}
