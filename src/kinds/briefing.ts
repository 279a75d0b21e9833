/** A briefing: one HTML file and one PDF whose contents carry the real page numbers. */
import path from "node:path";
import type { PressDocument } from "../document.js";
import { renderWithPageNumbers } from "../render/toc-pages.js";
import type { PageNumbers } from "../template/context.js";
import { localDigits } from "../template/digits.js";
import { briefingContentBox } from "../template/paper.js";
import { baseContext, blockedRequestWarnings, contentSecurityPolicy, finishPdf, PALETTE } from "./common.js";
import type { Artefact, Kind, KindContext, Produced } from "./types.js";

export const briefing: Kind = {
  produce: produceBriefing,
  dependencies: (document, { engine }) => [...engine.files(document.meta.template), ...engine.files(PALETTE)],
};

async function produceBriefing(document: PressDocument, context: KindContext): Promise<Produced> {
  const { config, engine } = context;
  const session = config.formats.has("pdf") ? await context.browser?.() : undefined;
  const template = document.meta.template;
  const htmlFor = (pages: PageNumbers) =>
    engine.render(template, {
      ...baseContext(document, context, [template], pages),
      contentSecurityPolicy: contentSecurityPolicy(),
    });
  const base = path.join(config.outDir, document.source.outputStem);
  const artefacts: Artefact[] = [];
  const diagnostics = [];
  // Without a PDF the HTML has no page numbers; with one, it gets those the PDF holds.
  let html: string;
  if (session) {
    const result = await renderWithPageNumbers(session, htmlFor, {
      ids: document.meta.toc ? document.toc.map((entry) => entry.id) : [],
      box: briefingContentBox(document.meta.paper),
      digits: localDigits("0123456789", document.meta.digits),
      timeout: config.timeout,
      finish: (printed, ids) => finishPdf(printed, document, context, ids),
    });
    html = result.html;
    diagnostics.push(...blockedRequestWarnings(document, result.blocked));
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
  return { artefacts, diagnostics };
}
