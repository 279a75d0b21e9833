/**
 * A printed PDF made final: read back, the pages of the named destinations asked for, the
 * document information Chromium does not write, structure ids that do not depend on what the
 * browser drew before, and saved. No browser: it runs in a worker thread of the build as well.
 */
import { finishPlainPdf } from "./finish-plain.js";
import { type ImposeRequest, imposeHandout } from "./impose.js";
import type { PdfMetadata } from "./pdf-metadata.js";
import { UnexpectedPdf } from "./pdf-syntax.js";

export interface FinishRequest {
  /** The PDF as Chromium printed it. */
  pdf: Uint8Array;
  metadata: PdfMetadata;
  /** Named destinations (heading ids) whose page is wanted. */
  ids: string[];
  /** The font files the document's CSS embeds: a glyph Chromium maps to U+0000 is looked up in them (to-unicode.ts). */
  fontFiles?: string[];
  /** For a handout: `pdf` is its frame, and the deck's pages are placed into it first (impose.ts). */
  impose?: Omit<ImposeRequest, "frame">;
  /** The classification marking every page must show (`unmarked` says which do not). */
  marking?: string;
}

export interface FinishedPdf {
  pdf: Uint8Array;
  pageCount: number;
  /** Page of each asked-for id that the PDF has a destination for. */
  pages: Map<string, number>;
  /** Why the deck's pages could not be placed into the frame (then `pdf` is empty): print the handout whole. */
  unimposed?: string;
  /** Pages (from 1) that do not show the marking asked for. */
  unmarked?: number[];
}

export async function finishPrintedPdf(request: FinishRequest): Promise<FinishedPdf> {
  if (request.impose) {
    let imposed: Uint8Array;
    try {
      imposed = imposeHandout({ ...request.impose, frame: request.pdf });
    } catch (error) {
      if (!(error instanceof UnexpectedPdf)) throw error;
      return { pdf: new Uint8Array(), pageCount: 0, pages: new Map(), unimposed: error.message };
    }
    return finishPrintedPdf({ ...request, pdf: imposed, impose: undefined });
  }
  try {
    return finishPlainPdf(request);
  } catch (error) {
    if (!(error instanceof UnexpectedPdf)) throw error;
    return finishWithPdfLib(request);
  }
}

/** The same, for any PDF: read and written whole by pdf-lib (loaded only then: it takes a while). */
export async function finishWithPdfLib(request: FinishRequest): Promise<FinishedPdf> {
  const { destinationPages } = await import("./destinations.js");
  const { applyMetadata, loadPdf, normaliseStructureIds, savePdf } = await import("./pdf-metadata.js");
  const pdf = await loadPdf(request.pdf);
  const pages = request.ids.length > 0 ? destinationPages(pdf, request.ids) : new Map<string, number>();
  applyMetadata(pdf, request.metadata);
  // So that the bytes depend on the document alone, not on what the renderer drew before it.
  normaliseStructureIds(pdf);
  return { pdf: await savePdf(pdf), pageCount: pdf.getPageCount(), pages };
}
