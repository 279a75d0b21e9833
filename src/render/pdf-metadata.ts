/**
 * Document information Chromium does not write: Author, Subject, Keywords, the catalog's /Lang,
 * and creation dates that come from the build's fixed time (so rebuilds are byte-identical).
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
} from "pdf-lib";

export interface PdfMetadata {
  title: string;
  authors: string[];
  subject: string | null;
  keywords: string[];
  lang: string;
  creator: string;
  date: Date;
}

export function applyMetadata(pdf: PDFDocument, meta: PdfMetadata): void {
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.authors.length) pdf.setAuthor(meta.authors.join("; "));
  if (meta.subject) pdf.setSubject(meta.subject);
  if (meta.keywords.length) pdf.setKeywords(meta.keywords);
  pdf.setCreator(meta.creator);
  pdf.setProducer(meta.creator);
  pdf.setCreationDate(meta.date);
  pdf.setModificationDate(meta.date);
  pdf.catalog.set(PDFName.of("Lang"), PDFString.of(meta.lang));
}

export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

export async function savePdf(pdf: PDFDocument): Promise<Uint8Array> {
  return pdf.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
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
  const seen = new Set<PDFDict>();
  const visit = (object: PDFObject | undefined) => {
    const value = object instanceof PDFRef ? pdf.context.lookup(object) : object;
    if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) visit(value.get(i));
    } else if (value instanceof PDFDict && !seen.has(value) && value.has(PDFName.of("S"))) {
      seen.add(value);
      elements.push(value);
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
      names.push([fresh.decodeText(), pdf.context.getObjectRef(element) ?? element]);
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
  root.set(PDFName.of("IDTree"), pdf.context.register(tree));
}

/** Delete objects nothing points to any more (such as the old ID tree), so they are not saved. */
export function dropUnreachable(pdf: PDFDocument): void {
  const reachable = new Set<string>();
  const pending: PDFObject[] = [pdf.context.trailerInfo.Root, pdf.context.trailerInfo.Info].filter(
    (o): o is PDFObject => o !== undefined,
  );
  while (pending.length) {
    const object = pending.pop();
    if (object instanceof PDFRef) {
      if (reachable.has(object.tag)) continue;
      reachable.add(object.tag);
      const target = pdf.context.lookup(object);
      if (target) pending.push(target);
    } else if (object instanceof PDFArray) {
      pending.push(...object.asArray());
    } else if (object instanceof PDFDict) {
      pending.push(...object.values());
    } else if (object instanceof PDFRawStream || object instanceof PDFStream) {
      pending.push(...(object as PDFRawStream).dict.values());
    }
  }
  for (const [ref] of pdf.context.enumerateIndirectObjects()) {
    if (!reachable.has(ref.tag)) pdf.context.delete(ref);
  }
}
