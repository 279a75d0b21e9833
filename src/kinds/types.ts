/** What a kind of document (briefing, slides) produces, and what it is given to do it. */
import type { BuildConfig } from "../config.js";
import type { PressDocument } from "../document.js";
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
  /** Absent when no PDF is asked for: nothing is rendered then. */
  session: BrowserSession | undefined;
  generator: string;
}

export interface Produced {
  artefacts: Artefact[];
  diagnostics: Diagnostic[];
}

export type Producer = (document: PressDocument, context: KindContext) => Promise<Produced>;
