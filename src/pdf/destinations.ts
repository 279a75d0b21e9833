/**
 * Page numbers of the PDF's named destinations. Chromium writes one for every element a link
 * points at, so the contents' links give the page of every heading they list.
 */
import { PDFArray, PDFDict, type PDFDocument, PDFHexString, PDFName, type PDFObject, PDFRef, PDFString } from "pdf-lib";
import { destinationId } from "./pdf-syntax.js";

/** Page number (1-based) of each of `ids` that has a destination. */
export function destinationPages(pdf: PDFDocument, ids: string[]): Map<string, number> {
  const pageNumbers = new Map(pdf.getPages().map((page, index) => [page.ref.toString(), index + 1]));
  const wanted = new Set(ids);
  const result = new Map<string, number>();
  const add = (name: string, value: PDFObject | undefined) => {
    const id = destinationId(name);
    if (!wanted.has(id)) return;
    const target = destinationArray(pdf, value)?.get(0);
    const page = target instanceof PDFRef ? pageNumbers.get(target.toString()) : undefined;
    if (page !== undefined) result.set(id, page);
  };
  const dests = pdf.catalog.lookupMaybe(PDFName.of("Dests"), PDFDict);
  for (const [key, value] of dests?.entries() ?? []) add(key.decodeText(), value);
  const names = pdf.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of("Dests"), PDFDict);
  if (tree) walkNameTree(pdf, tree, add);
  return result;
}

function destinationArray(pdf: PDFDocument, value: PDFObject | undefined): PDFArray | undefined {
  const resolved = value instanceof PDFRef ? pdf.context.lookup(value) : value;
  if (resolved instanceof PDFArray) return resolved;
  if (resolved instanceof PDFDict) return resolved.lookupMaybe(PDFName.of("D"), PDFArray);
  return undefined;
}

function walkNameTree(
  pdf: PDFDocument,
  node: PDFDict,
  add: (name: string, value: PDFObject | undefined) => void,
): void {
  const names = node.lookupMaybe(PDFName.of("Names"), PDFArray);
  if (names) {
    for (let i = 0; i + 1 < names.size(); i += 2) {
      const key = names.lookup(i);
      if (key instanceof PDFString || key instanceof PDFHexString) add(key.decodeText(), names.get(i + 1));
    }
  }
  const kids = node.lookupMaybe(PDFName.of("Kids"), PDFArray);
  for (let i = 0; i < (kids?.size() ?? 0); i++) {
    const kid = kids?.lookup(i);
    if (kid instanceof PDFDict) walkNameTree(pdf, kid, add);
  }
}
