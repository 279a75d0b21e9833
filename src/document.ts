/** The typed shapes that flow between the stages. */

import type { ExtraValue } from "./parse/schema.js";
import type { SourceBlock } from "./pdf/pdf-metadata.js";
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
  /** Slides only. */
  aspect: "16:9" | "4:3";
  handout: HandoutLayout;
  /** Slides that run past their box are shrunk until they fit: true unless `fit: false`. */
  fit: boolean;
  digits: "latin" | "arabic-indic";
  /** A second title and subtitle for a bilingual cover, in `altLang`. */
  altTitle: string | null;
  altSubtitle: string | null;
  altLang: string | null;
  /** Briefing: whether the cover page and the document control table are printed. */
  cover: boolean;
  documentControl: boolean;
  /** `status` as written; `draft` when it says draft (a DRAFT mark across every page). */
  status: string | null;
  draft: boolean;
  /** Keys of the author's own (status, owner, review-date, …), as data for templates: `meta.extra`. */
  extra: Record<string, ExtraValue>;
}

export const HANDOUT_LAYOUTS = [1, 2, 3, 4, 6, 9] as const;
export type HandoutLayout = (typeof HANDOUT_LAYOUTS)[number];

/** One slide of a deck (the title slide made from front matter is not among them). */
export interface Slide {
  /** 1-based number in the deck, counting the title slide as 1. */
  number: number;
  /** Line in the source where the slide starts. */
  line: number;
  layout: SlideLayout;
  fit: boolean;
  title: string;
  html: string;
  notesHtml: string;
  /** For its bookmark (kinds/slide-outline.ts): its headings' texts, its first block's, its images' alt texts. */
  outline: { headings: string[]; text: string; alt: string };
}

export const SLIDE_LAYOUTS = ["title", "section", "content", "two-columns", "figure", "quote"] as const;
export type SlideLayout = (typeof SLIDE_LAYOUTS)[number];

/** A parsed and transformed document, ready for its template. */
export interface PressDocument {
  source: Source;
  meta: DocumentMeta;
  /** The body as HTML (from the unified pipeline, before the template). */
  bodyHtml: string;
  /**
   * The body's block texts (block-texts.ts), read from the tree the HTML was written from, for the
   * PDF finishing; when absent, read from `bodyHtml`.
   */
  blocks?: SourceBlock[];
  toc: TocEntry[];
  /** Slides, for `kind: slides`; empty otherwise. */
  slides: Slide[];
  /** Files the output depends on besides the source (images). */
  assets: string[];
  diagnostics: Diagnostic[];
}
