/**
 * A build: every document goes load → parse → transform → template first (no browser), then the
 * ones that need a PDF are rendered through one browser's page pool. A document that fails is
 * reported and the others still build; nothing is written for it.
 */
import path from "node:path";
import { type BuildConfig, packageVersion } from "./config.js";
import type { DocumentKind, PressDocument } from "./document.js";
import { produceBriefing } from "./kinds/briefing.js";
import { produceSlides } from "./kinds/slides.js";
import type { KindContext, Producer } from "./kinds/types.js";
import { discoverInputs } from "./load/discover.js";
import { assetReader, readSource } from "./load/read.js";
import { parseDocument } from "./parse/markdown.js";
import { BrowserSession } from "./render/browser.js";
import { findBrowser } from "./render/find-browser.js";
import { type Diagnostic, DiagnosticError, diagnostic } from "./report/diagnostic.js";
import { TemplateEngine } from "./template/engine.js";
import { svgWithFonts } from "./template/fonts.js";
import { loadLabels } from "./template/labels.js";
import { removeLeftovers, writeFileAtomic } from "./write/atomic.js";

export interface DocumentReport {
  source: string;
  status: "built" | "failed";
  outputs: string[];
  pages: number | null;
  milliseconds: number;
  diagnostics: Diagnostic[];
}

export interface BuildReport {
  documents: DocumentReport[];
  ok: boolean;
}

export interface BuildHooks {
  /** Called as each document finishes. */
  onDocument?: (report: DocumentReport) => void;
}

interface Prepared {
  document: PressDocument;
  report: DocumentReport;
  started: number;
}

const PRODUCERS: Record<DocumentKind, Producer> = { briefing: produceBriefing, slides: produceSlides };

export async function build(config: BuildConfig, hooks: BuildHooks = {}): Promise<BuildReport> {
  const started = Date.now();
  removeLeftovers(config.outDir);
  const inputs = discoverInputs(config.inputs, config.contentDir, config.cwd);
  const engine = new TemplateEngine(config.templatesDir);
  const generator = `Press ${packageVersion()}`;
  const reports: DocumentReport[] = [];
  const finish = (report: DocumentReport) => {
    reports.push(report);
    hooks.onDocument?.(report);
  };

  const prepared: Prepared[] = [];
  for (const input of inputs) {
    const report: DocumentReport = {
      source: input.displayPath,
      status: "built",
      outputs: [],
      pages: null,
      milliseconds: 0,
      diagnostics: [],
    };
    try {
      const document = await parseDocument(readSource(input), {
        defaults: config.defaults,
        root: config.root,
        labelsFor: (lang) => loadLabels(config.templatesDir, lang).labels,
        readAsset: assetReader(config.root),
        prepareSvg: (svg) => svgWithFonts(svg, config.templatesDir),
      });
      report.diagnostics.push(...document.diagnostics);
      if (!engine.has(document.meta.template)) {
        throw new DiagnosticError(
          diagnostic(
            input.displayPath,
            undefined,
            "error",
            "template/unknown",
            `no template "${document.meta.template}"`,
            `templates in ${path.relative(config.cwd, config.templatesDir)}: ${engine.names().join(", ")}`,
          ),
        );
      }
      if (report.diagnostics.some((d) => d.severity === "error")) {
        finish(failed(report, started));
        continue;
      }
      prepared.push({ document, report, started: Date.now() });
    } catch (error) {
      report.diagnostics.push(toDiagnostic(error, input.displayPath, config.debug));
      finish(failed(report, started));
    }
  }

  const needsBrowser = config.formats.has("pdf") && prepared.length > 0;
  const session = needsBrowser
    ? await BrowserSession.launch((await findBrowser()).executablePath, config.concurrency)
    : undefined;
  const context: KindContext = { config, engine, session, generator };
  try {
    await Promise.all(prepared.map((item) => produce(item, context).then(finish)));
  } finally {
    await session?.close();
  }
  reports.sort((a, b) => a.source.localeCompare(b.source));
  return { documents: reports, ok: reports.every((r) => r.status === "built") };
}

/** Render one prepared document and write what it produced; never throws. */
async function produce(item: Prepared, context: KindContext): Promise<DocumentReport> {
  const { document, report } = item;
  try {
    const produced = await PRODUCERS[document.meta.kind](document, context);
    report.diagnostics.push(...produced.diagnostics);
    if (report.diagnostics.some((d) => d.severity === "error")) return failed(report, item.started);
    for (const artefact of produced.artefacts) {
      writeFileAtomic(artefact.path, artefact.data);
      report.outputs.push(artefact.path);
    }
    report.pages = produced.artefacts.find((a) => a.format === "pdf")?.pages ?? null;
    report.milliseconds = Date.now() - item.started;
    return report;
  } catch (error) {
    report.diagnostics.push(toDiagnostic(error, document.source.displayPath, context.config.debug));
    return failed(report, item.started);
  }
}

function failed(report: DocumentReport, started: number): DocumentReport {
  return { ...report, status: "failed", outputs: [], milliseconds: Date.now() - started };
}

function toDiagnostic(error: unknown, file: string, debug: boolean): Diagnostic {
  if (error instanceof DiagnosticError) return error.diagnostic;
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug && error instanceof Error ? error.stack : undefined;
  return diagnostic(file, undefined, "error", "build", message, hint);
}
