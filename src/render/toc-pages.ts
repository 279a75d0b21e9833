/**
 * Contents with real page numbers. Chromium has no `target-counter()`, so: render, read the page of
 * every listed heading from the PDF's named destinations, fill the numbers in, render again, and
 * repeat until the numbers hold (they normally do on the second rendering: the numbers sit in a
 * fixed-width column, so filling them in moves nothing).
 */
import type { PDFDocument } from "pdf-lib";
import type { PageNumbers } from "../template/context.js";
import type { BrowserSession } from "./browser.js";
import { destinationPages } from "./destinations.js";
import { renderPdf } from "./pdf.js";
import { loadPdf } from "./pdf-metadata.js";

export interface PagedResult {
  html: string;
  pdf: PDFDocument;
  /** Page of every contents entry, by heading id. */
  pages: Map<string, number>;
  blocked: string[];
  renderings: number;
}

const MAX_RENDERINGS = 4;

export async function renderWithPageNumbers(
  session: BrowserSession,
  htmlFor: (pages: PageNumbers) => string,
  ids: string[],
  timeout: number,
): Promise<PagedResult> {
  return session.withPage(async (page, run) => {
    let pages: Map<string, number> = new Map();
    for (let renderings = 1; ; renderings++) {
      const html = htmlFor(pages);
      const pdf = await loadPdf(await renderPdf(page, html, { timeout }));
      if (ids.length === 0) return { html, pdf, pages, blocked: run.blocked, renderings };
      const found = pickPages(destinationPages(pdf), ids);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new Error(`no page found for contents entries: ${missing.join(", ")}`);
      if (samePages(found, pages) || renderings >= MAX_RENDERINGS) {
        if (!samePages(found, pages)) throw new Error("contents page numbers did not settle");
        return { html, pdf, pages, blocked: run.blocked, renderings };
      }
      pages = found;
    }
  });
}

function pickPages(all: Map<string, number>, ids: string[]): Map<string, number> {
  const picked = new Map<string, number>();
  for (const id of ids) {
    const page = all.get(id);
    if (page !== undefined) picked.set(id, page);
  }
  return picked;
}

function samePages(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return a.size === b.size && [...a].every(([id, page]) => b.get(id) === page);
}
