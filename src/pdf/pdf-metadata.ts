/**
 * Document information Chromium does not write: Author, Subject, Keywords, the catalog's /Lang,
 * and creation dates that come from the build's fixed time (so rebuilds are byte-identical).
 */
import {
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRef,
  PDFStreamWriter,
  PDFString,
} from "pdf-lib";
import type { PageOutlineEntry } from "./page-outline.js";

export interface PdfMetadata {
  title: string;
  authors: string[];
  subject: string | null;
  keywords: string[];
  lang: string;
  creator: string;
  date: Date;
  /** What each element id a link may point to holds (a heading's text, a note's), to describe the links. */
  targets?: Record<string, string>;
  /** For a deck and its handout: the outline written anew, one bookmark a slide (page-outline.ts). */
  pageOutline?: PageOutlineEntry[];
  /** The texts of the document's headings as written, for the outline's titles. */
  headings?: string[];
  /**
   * Headings whose laid-out text is not their text as written: an image left out of one (a README's
   * logo in its title) lays out the placeholder's words and address, and stands for its alt text.
   */
  headingLayouts?: { layout: string; text: string }[];
  /**
   * The document's texts as written, one per block (paragraph, heading, list item, cell…), in
   * document order: the words a line may break inside of, the text of each structure element.
   */
  blocks?: SourceBlock[];
}

export interface SourceBlock {
  /** The HTML element, `p`, `h2`, `li`, `td`… */
  tag: string;
  /** Its own text (nested blocks left out), white space collapsed. */
  text: string;
  /** Its language (the nearest `lang`), when it is not the document's. */
  lang?: string;
  /** The id of the footnote it is (or is part of), in the notes' section: tagged a `Note` with that ID. */
  note?: string;
  /** Its inline parts in another language (`<span lang>`): the element showing each gets its `Lang`. */
  spans?: { text: string; lang: string }[];
}

/**
 * The keywords as one text, for the info dictionary's /Keywords and XMP's pdf:Keywords: joined by a
 * comma and a space, as in the HTML's meta, so that "peace keeping" and "middle east" stay two.
 */
export function keywordsText(keywords: readonly string[]): string {
  return keywords.join(", ");
}

export function applyMetadata(pdf: PDFDocument, meta: PdfMetadata): void {
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.authors.length) pdf.setAuthor(meta.authors.join("; "));
  if (meta.subject) pdf.setSubject(meta.subject);
  // pdf-lib's setKeywords joins the list it is given with spaces: it is given one text.
  if (meta.keywords.length) pdf.setKeywords([keywordsText(meta.keywords)]);
  pdf.setCreator(meta.creator);
  pdf.setProducer(meta.creator);
  pdf.setCreationDate(meta.date);
  pdf.setModificationDate(meta.date);
  pdf.catalog.set(PDFName.of("Lang"), PDFString.of(meta.lang));
}

/** Read without pausing every hundred objects (pdf-lib's default, for browsers' main threads). */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

/**
 * Saved with object streams of 200 objects (pdf-lib's `save` makes them of 50, and starts a
 * compressor for each: slower, and a larger file) and without pausing on the way.
 */
export async function savePdf(pdf: PDFDocument): Promise<Uint8Array> {
  await pdf.flush();
  return PDFStreamWriter.forContext(pdf.context, Number.POSITIVE_INFINITY, true, 200).serializeToBuffer();
}

/**
 * Chromium names the structure elements of a tagged PDF after its DOM node ids (`node00000895`),
 * which count every node the renderer process ever made: the same document rendered after another
 * gets other names. Renumbering them in reading order makes the bytes depend on the document alone.
 */
export function normaliseStructureIds(pdf: PDFDocument): void {
  const root = pdf.catalog.lookupMaybe(PDFName.of("StructTreeRoot"), PDFDict);
  if (!root) return;
  const renamed = new Map<string, string>();
  const elements: PDFDict[] = [];
  // Each element's indirect reference, as met on the way (asking pdf-lib for it is a linear search).
  const refs = new Map<PDFDict, PDFRef>();
  const seen = new Set<PDFDict>();
  const visit = (object: PDFObject | undefined) => {
    const value = object instanceof PDFRef ? pdf.context.lookup(object) : object;
    if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) visit(value.get(i));
    } else if (value instanceof PDFDict && !seen.has(value) && value.has(PDFName.of("S"))) {
      seen.add(value);
      elements.push(value);
      if (object instanceof PDFRef) refs.set(value, object);
      const id = value.lookupMaybe(PDFName.of("ID"), PDFString, PDFHexString);
      if (id) renamed.set(id.decodeText(), `id${String(renamed.size + 1).padStart(6, "0")}`);
      visit(value.get(PDFName.of("K")));
    }
  };
  visit(root.get(PDFName.of("K")));
  if (renamed.size === 0) return;
  const rename = (text: string) => PDFString.of(renamed.get(text) ?? text);
  const names: [string, PDFObject][] = [];
  for (const element of elements) {
    const id = element.lookupMaybe(PDFName.of("ID"), PDFString, PDFHexString);
    if (id) {
      const fresh = rename(id.decodeText());
      element.set(PDFName.of("ID"), fresh);
      names.push([fresh.decodeText(), refs.get(element) ?? element]);
    }
    const attributes = element.lookup(PDFName.of("A"));
    for (const dict of attributes instanceof PDFArray
      ? attributes.asArray().map((a) => pdf.context.lookup(a))
      : [attributes]) {
      const headers = dict instanceof PDFDict ? dict.lookupMaybe(PDFName.of("Headers"), PDFArray) : undefined;
      for (let i = 0; i < (headers?.size() ?? 0); i++) {
        const header = headers?.lookup(i);
        if (header instanceof PDFString || header instanceof PDFHexString) headers?.set(i, rename(header.decodeText()));
      }
    }
  }
  names.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tree = pdf.context.obj({});
  tree.set(PDFName.of("Names"), pdf.context.obj(names.flatMap(([name, ref]) => [PDFString.of(name), ref])));
  const old = root.get(PDFName.of("IDTree"));
  root.set(PDFName.of("IDTree"), pdf.context.register(tree));
  // The old tree's nodes are not saved: nothing points to them now.
  deleteNameTree(pdf, old);
}

function deleteNameTree(pdf: PDFDocument, node: PDFObject | undefined): void {
  if (!(node instanceof PDFRef)) return;
  const kids = pdf.context.lookupMaybe(node, PDFDict)?.lookupMaybe(PDFName.of("Kids"), PDFArray);
  for (let i = 0; i < (kids?.size() ?? 0); i++) deleteNameTree(pdf, kids?.get(i));
  pdf.context.delete(node);
}
