/**
 * Document information Chromium does not write: Author, Subject, Keywords, the catalog's /Lang,
 * and creation dates that come from the build's fixed time (so rebuilds are byte-identical).
 */
import { PDFDocument, PDFName, PDFString } from "pdf-lib";

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
