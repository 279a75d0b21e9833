/**
 * A build: every document goes load → parse → transform → template first (no browser), then the
 * ones that need a PDF are rendered through one browser's page pool. A document that fails is
 * reported and the others still build; nothing is written for it.
 */
import path from "node:path";
import { type BuildConfig, packageVersion } from "./config.js";
import type { PressDocument } from "./document.js";
import { discoverInputs } from "./load/discover.js";
import { assetReader, readSource } from "./load/read.js";
import { parseDocument } from "./parse/markdown.js";
import { BrowserSession } from "./render/browser.js";
import { findBrowser } from "./render/find-browser.js";
import { applyMetadata, savePdf } from "./render/pdf-metadata.js";
import { renderWithPageNumbers } from "./render/toc-pages.js";
import { type Diagnostic, DiagnosticError, diagnostic } from "./report/diagnostic.js";
import { type PageNumbers, templateContext } from "./template/context.js";
import { TemplateEngine } from "./template/engine.js";
import { fontFaces, svgWithFonts } from "./template/fonts.js";
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
  htmlFor: (pages: PageNumbers) => string;
  report: DocumentReport;
  started: number;
}

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
      prepared.push({
        document,
        htmlFor: htmlRenderer(document, engine, config, generator),
        report,
        started: Date.now(),
      });
    } catch (error) {
      report.diagnostics.push(toDiagnostic(error, input.displayPath, config.debug));
      finish(failed(report, started));
    }
  }

  const needsBrowser = config.formats.has("pdf") && prepared.length > 0;
  const session = needsBrowser
    ? await BrowserSession.launch((await findBrowser()).executablePath, config.concurrency)
    : undefined;
  try {
    await Promise.all(prepared.map((item) => produce(item, config, session).then(finish)));
  } finally {
    await session?.close();
  }
  reports.sort((a, b) => a.source.localeCompare(b.source));
  return { documents: reports, ok: reports.every((r) => r.status === "built") };
}

/** Render and write one prepared document; never throws. */
async function produce(
  item: Prepared,
  config: BuildConfig,
  session: BrowserSession | undefined,
): Promise<DocumentReport> {
  const { document, report } = item;
  const base = path.join(config.outDir, document.source.outputStem);
  try {
    let html = item.htmlFor(new Map());
    let pdfBytes: Uint8Array | undefined;
    if (session) {
      const ids = document.meta.toc ? document.toc.map((entry) => entry.id) : [];
      const result = await renderWithPageNumbers(session, item.htmlFor, ids, config.timeout);
      html = result.html;
      for (const url of result.blocked) {
        report.diagnostics.push(
          diagnostic(
            document.source.displayPath,
            undefined,
            "warning",
            "request/blocked",
            `blocked a request for ${url}`,
            "Press loads nothing from the network or outside the document",
          ),
        );
      }
      applyMetadata(result.pdf, {
        title: document.meta.title,
        authors: document.meta.authors,
        subject: document.meta.summary ?? document.meta.subtitle,
        keywords: document.meta.keywords,
        lang: document.meta.lang,
        creator: `Press ${packageVersion()}`,
        date: config.buildDate,
      });
      report.pages = result.pdf.getPageCount();
      pdfBytes = await savePdf(result.pdf);
    }
    if (config.formats.has("html")) {
      writeFileAtomic(`${base}.html`, html);
      report.outputs.push(`${base}.html`);
    }
    if (pdfBytes) {
      writeFileAtomic(`${base}.pdf`, pdfBytes);
      report.outputs.push(`${base}.pdf`);
    }
    report.milliseconds = Date.now() - item.started;
    return report;
  } catch (error) {
    report.diagnostics.push(toDiagnostic(error, document.source.displayPath, config.debug));
    return failed(report, item.started);
  }
}

function htmlRenderer(document: PressDocument, engine: TemplateEngine, config: BuildConfig, generator: string) {
  const { labels } = loadLabels(config.templatesDir, document.meta.lang);
  const css = engine.css(document.meta.template);
  const fonts = fontFaces(config.templatesDir).css;
  return (pages: PageNumbers) =>
    engine.render(
      document.meta.template,
      templateContext({ document, labels, css, fontFaces: fonts, generator, pages }),
    );
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
