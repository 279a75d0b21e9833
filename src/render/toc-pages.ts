/**
 * Contents with real page numbers. Chromium has no `target-counter()`, so: render, read the page of
 * every listed heading from the PDF's named destinations, fill the numbers in, render again, and
 * repeat until the numbers hold (they normally do on the second rendering: the numbers sit in a
 * fixed-width column, so filling them in moves nothing).
 */
import type { PDFDocument } from "pdf-lib";
import type { Page } from "puppeteer-core";
import type { PageNumbers } from "../template/context.js";
import type { BrowserSession } from "./browser.js";
import { destinationPages } from "./destinations.js";
import { printPdf } from "./pdf.js";
import { loadPdf } from "./pdf-metadata.js";

export interface PagedResult {
  html: string;
  pdf: PDFDocument;
  /** Page of every contents entry, by heading id. */
  pages: Map<string, number>;
  blocked: string[];
}

const MAX_RENDERINGS = 4;

export async function renderWithPageNumbers(
  session: BrowserSession,
  htmlFor: (pages: PageNumbers) => string,
  ids: string[],
  timeout: number,
): Promise<PagedResult> {
  return session.withPage(async (page, run) => {
    const firstHtml = htmlFor(new Map());
    await page.setContent(firstHtml, { waitUntil: "load", timeout });
    let pages: Map<string, number> = new Map();
    // The HTML written out is rendered once, at the end, with the numbers that held.
    const finished = (pdf: PDFDocument) => ({
      html: pages.size ? htmlFor(pages) : firstHtml,
      pdf,
      pages,
      blocked: run.blocked,
    });
    for (let renderings = 1; ; renderings++) {
      // The first print only finds where the headings fall when there are page numbers to fill in.
      const draft = renderings === 1 && ids.length > 0;
      const pdf = await loadPdf(await printPdf(page, { timeout, draft }));
      if (ids.length === 0) return finished(pdf);
      const found = pickPages(destinationPages(pdf), ids);
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length) throw new Error(`no page found for contents entries: ${missing.join(", ")}`);
      if (samePages(found, pages)) return finished(pdf);
      if (renderings >= MAX_RENDERINGS) throw new Error("contents page numbers did not settle");
      pages = found;
      // The numbers go into the laid-out page through the DevTools protocol (the page runs no
      // script): cheaper than loading the whole document again. The HTML written out gets the
      // same numbers from the template.
      await fillPageNumbers(page, pages);
    }
  });
}

async function fillPageNumbers(page: Page, pages: Map<string, number>): Promise<void> {
  await page.evaluate(
    (entries: [string, number][]) => {
      const byId = new Map(entries);
      for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>("a[href^='#']"))) {
        const target = byId.get(decodeURIComponent(link.getAttribute("href")?.slice(1) ?? ""));
        const cell = link.querySelector(".toc-page");
        if (cell && target !== undefined) cell.textContent = String(target);
      }
    },
    [...pages],
  );
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
