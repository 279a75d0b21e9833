/** What a kind of document (briefing, slides) produces, and what it is given to do it. */
import type { BuildConfig } from "../config.js";
import type { PressDocument } from "../document.js";
import type { Offload } from "../offload/offload.js";
import type { BrowserSession } from "../render/browser.js";
import type { Diagnostic } from "../report/diagnostic.js";
import type { TemplateEngine } from "../template/engine.js";

export type ArtefactKind = "briefing" | "deck" | "handout";

export interface Artefact {
  /** Absolute output path. */
  path: string;
  kind: ArtefactKind;
  format: "html" | "pdf";
  data: string | Uint8Array;
  pages: number | null;
}

export interface KindContext {
  config: BuildConfig;
  engine: TemplateEngine;
  /** The build's browser, launched on first use; absent when no PDF is asked for. */
  browser: (() => Promise<BrowserSession>) | undefined;
  generator: string;
  /** Where parsing and PDF finishing run: worker threads, or the main thread. */
  offload: Offload;
}

/** How many times Chromium printed what, for one document: `{ deck: 1, "handout frame": 1 }`. */
export type PrintCounts = Record<string, number>;

export interface Produced {
  artefacts: Artefact[];
  diagnostics: Diagnostic[];
  prints: PrintCounts;
}

export interface Kind {
  produce: (document: PressDocument, context: KindContext) => Promise<Produced>;
  /** Templates, stylesheets and scripts the outputs are made from (for the incremental cache). */
  dependencies: (document: PressDocument, context: KindContext) => string[];
}
