/** A briefing: one HTML file and one PDF whose contents carry the real page numbers. */
import path from "node:path";
import type { PressDocument } from "../document.js";
import type { TableFit, TableFitOptions } from "../render/fit-tables.js";
import { hiddenTextDiagnostics } from "../render/hidden-text.js";
import { layOutForPrint } from "../render/predict-pages.js";
import { renderWithPageNumbers } from "../render/toc-pages.js";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import type { PageNumbers } from "../template/context.js";
import { localDigits } from "../template/digits.js";
import { loadLabels } from "../template/labels.js";
import { briefingContentBox, briefingLandscapeBox } from "../template/paper.js";
import {
  baseContext,
  blockedRequestWarnings,
  contentSecurityPolicy,
  finishPdf,
  PALETTE,
  unmarkedDiagnostics,
  withContent,
} from "./common.js";
import { estimateTables } from "./table-estimate.js";
import type { Artefact, Kind, KindContext, PrintCounts, Produced } from "./types.js";

export const briefing: Kind = {
  produce: produceBriefing,
  dependencies: (document, { engine }) => [...engine.files(document.meta.template), ...engine.files(PALETTE)],
};

async function produceBriefing(document: PressDocument, context: KindContext): Promise<Produced> {
  const { config, engine } = context;
  const session = config.formats.has("pdf") ? await context.browser?.() : undefined;
  const template = document.meta.template;
  const htmlFor = (pages: PageNumbers) =>
    withContent(
      engine.render(template, {
        ...baseContext(document, context, [template], pages),
        contentSecurityPolicy: contentSecurityPolicy(),
      }),
      [{ html: document.bodyHtml, what: "the document's body ({{{body}}})" }],
      template,
      context,
    );
  const base = path.join(config.outDir, document.source.outputStem);
  const artefacts: Artefact[] = [];
  const diagnostics: Diagnostic[] = [];
  const prints: PrintCounts = {};
  // Without a PDF the HTML has no page numbers; with one, it gets those the PDF holds.
  let html: string;
  if (session) {
    const result = await renderWithPageNumbers(session, htmlFor, {
      ids: document.meta.toc ? document.toc.map((entry) => entry.id) : [],
      box: briefingContentBox(document.meta.paper),
      digits: localDigits("0123456789", document.meta.digits),
      tables: tableFitOptions(document, context),
      timeout: config.timeout,
      finish: (printed, ids) => finishPdf(printed, document, context, ids),
    });
    html = result.html;
    prints.briefing = result.prints;
    diagnostics.push(...blockedRequestWarnings(document, result.blocked));
    diagnostics.push(...tableDiagnostics(document, result.tables));
    diagnostics.push(...hiddenTextDiagnostics(document.source.displayPath, result.hidden, config.strict));
    diagnostics.push(...unmarkedDiagnostics(document, context, `${base}.pdf`, result.pdf.unmarked));
    artefacts.push({
      path: `${base}.pdf`,
      kind: "briefing",
      format: "pdf",
      data: result.pdf.pdf,
      pages: result.pdf.pageCount,
    });
  } else {
    html = htmlFor(new Map());
  }
  if (config.formats.has("html")) {
    artefacts.unshift({ path: `${base}.html`, kind: "briefing", format: "html", data: html, pages: null });
  }
  return { artefacts, diagnostics, prints };
}

/**
 * What fitting the tables to the page would do, without printing (for `press check`): measured in
 * the browser, or, without one (`--no-browser`), estimated from the tables' words.
 */
export async function tableFitReport(document: PressDocument, context: KindContext): Promise<Diagnostic[]> {
  const tables = tableFitOptions(document, context);
  if (tables && !context.browser) return tableEstimateDiagnostics(document);
  const session = tables ? await context.browser?.() : undefined;
  if (!session || !tables) return [];
  const template = document.meta.template;
  const html = context.engine.render(template, {
    ...baseContext(document, context, [template], new Map()),
    contentSecurityPolicy: contentSecurityPolicy(),
  });
  const { timeout } = context.config;
  const layout = await session.withPage(
    async (page) => {
      await page.setContent(html, { waitUntil: "load", timeout });
      return layOutForPrint(page, { ids: [], box: briefingContentBox(document.meta.paper), tables });
    },
    { media: "print" },
  );
  return tableDiagnostics(document, layout.tables);
}

/** How to fit the document's tables to the page; undefined when it has none (nothing to measure). */
function tableFitOptions(document: PressDocument, context: KindContext): TableFitOptions | undefined {
  if (!document.bodyHtml.includes('class="table-block"')) return undefined;
  const { labels } = loadLabels(context.config.templateDirs, document.meta.lang);
  return {
    portrait: briefingContentBox(document.meta.paper),
    landscape: briefingLandscapeBox(document.meta.paper),
    continued: labels.continued ?? "continued",
    columns: labels["table-columns"] ?? "columns {from}–{to} of {total}",
    digits: localDigits("0123456789", document.meta.digits),
  };
}

/** The tables that likely need a landscape page or a split, told without a browser (kinds/table-estimate.ts). */
function tableEstimateDiagnostics(document: PressDocument): Diagnostic[] {
  const portrait = briefingContentBox(document.meta.paper).width;
  const landscape = briefingLandscapeBox(document.meta.paper).width;
  return estimateTables(document.bodyHtml, { portrait, landscape }).map((estimate) => {
    const least = `table of ${estimate.columns} columns needs about ${Math.round(estimate.tightMm)} mm even in 7 pt type (its longest words and numbers side by side), the page ${Math.round(portrait)} mm`;
    const place = { line: estimate.line, column: 1 };
    const hint = "an estimate made without a browser; `press check` without --no-browser measures it";
    return estimate.likely === "landscape"
      ? diagnostic(
          document.source.displayPath,
          place,
          "note",
          "tables/landscape",
          `${least}: likely set on a landscape page`,
          hint,
        )
      : diagnostic(
          document.source.displayPath,
          place,
          "note",
          "tables/split",
          `${least}, a landscape page ${Math.round(landscape)} mm: likely split into groups of columns`,
          hint,
        );
  });
}

/** What Press did to fit each table, at the table's line: a note for smaller type or a landscape page, a warning for a split. */
export function tableDiagnostics(document: PressDocument, fits: TableFit[]): Diagnostic[] {
  return fits.map((fit) => {
    const wide = `table of ${fit.columns} columns is ${Math.round(fit.widthMm)} mm wide, the page ${Math.round(fit.blockMm)} mm`;
    const shrunk = fit.shrunk ? ", and its type made smaller than 7 pt to fit" : "";
    const place = { line: fit.line || 1, column: 1 };
    const file = document.source.displayPath;
    if (fit.choice === "tight") {
      return diagnostic(file, place, "note", "tables/tight", `${wide}: set in smaller type to fit`);
    }
    if (fit.choice === "landscape") {
      return diagnostic(file, place, "note", "tables/landscape", `${wide}: set on a landscape page${shrunk}`);
    }
    return diagnostic(
      file,
      place,
      "warning",
      "tables/split",
      `${wide}: too wide even for a landscape page, split into ${fit.groups} groups of columns, the first column repeated in each${shrunk}`,
      "fewer or narrower columns keep it whole: shorter headers, or a table per topic",
    );
  });
}
