/** The typed shapes that flow between the stages. */
import type { Diagnostic } from "./report/diagnostic.js";
import type { TocEntry } from "./transform/numbering.js";

export type DocumentKind = "briefing" | "slides";
export type Paper = "A4" | "Letter";

/** A source file as read from disk. */
export interface Source {
  /** Absolute path. */
  path: string;
  /** Path relative to the working folder, as shown in messages. */
  displayPath: string;
  /** Path relative to the input folder it was found in, without `.md` (decides the output path). */
  outputStem: string;
  text: string;
}

/** Front matter after defaults: every field present, null where unset. */
export interface DocumentMeta {
  title: string;
  subtitle: string | null;
  shortTitle: string;
  date: string | null;
  authors: string[];
  organisation: string | null;
  classification: string | null;
  distribution: string | null;
  version: string | null;
  reference: string | null;
  lang: string;
  summary: string | null;
  keywords: string[];
  kind: DocumentKind;
  paper: Paper;
  template: string;
  toc: boolean;
  tocDepth: number;
  numberSections: boolean;
}

/** A parsed and transformed document, ready for its template. */
export interface PressDocument {
  source: Source;
  meta: DocumentMeta;
  /** The body as HTML (from the unified pipeline, before the template). */
  bodyHtml: string;
  toc: TocEntry[];
  /** Files the output depends on besides the source (images). */
  assets: string[];
  diagnostics: Diagnostic[];
}
