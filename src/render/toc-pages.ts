/**
 * Contents with real page numbers. Chromium has no `target-counter()`, so: guess the page of every
 * listed heading by laying the document out as page-sized columns (predict-pages.ts), fill the
 * guesses in, print, and read the true pages from the PDF's named destinations. When the guess
 * holds, which is the usual case, that one print is the PDF; when not, the document is printed
 * again with the true numbers, until they hold (the numbers sit in a fixed-width column, so
 * filling them in moves nothing).
 */

import type { FinishedPdf } from "../pdf/finish.js";
import { trace } from "../report/trace.js";
import type { PageNumbers } from "../template/context.js";
import type { BrowserSession } from "./browser.js";
import type { TableFit, TableFitOptions } from "./fit-tables.js";
import { type HiddenText, hiddenText } from "./hidden-text.js";
import { printLoaded, printPdf } from "./pdf.js";
import { type ContentBox, layOutForPrint } from "./predict-pages.js";

export interface PagedResult {
  html: string;
  /** The final PDF, finished; its `pages` are the contents entries' pages. */
  pdf: FinishedPdf;
  /** How many times the document was printed: 1 when the guess held. */
  prints: number;
  blocked: string[];
  /** What was done to tables that did not fit the page. */
  tables: TableFit[];
  /** The document's words the stylesheets keep out of the print. */
  hidden: HiddenText;
}

export interface PageNumbering {
  /** Ids of the headings the contents list. */
  ids: string[];
  /** The text box of a page, for the guess. */
  box: ContentBox;
  /** The ten digits the document writes page numbers with, 0 to 9. */
  digits: string;
  timeout: number;
  /** When the document holds tables: how to fit them (render/fit-tables.ts). */
  tables?: TableFitOptions;
  /** Makes a print final and reads the page of each id from it (finish.ts, perhaps in a worker). */
  finish: (printed: Uint8Array, ids: string[]) => Promise<FinishedPdf>;
}

const MAX_PRINTS = 4;

export async function renderWithPageNumbers(
  session: BrowserSession,
  htmlFor: (pages: PageNumbers) => string,
  numbering: PageNumbering,
): Promise<PagedResult> {
  const { ids, timeout } = numbering;
  let pages: PageNumbers = new Map();
  // Made before a page is asked for: while it waits for one (the first document waits for the
  // browser's first page to open), not while a page waits for it.
  const html = htmlFor(pages);
  // The page is laid out for print from the start (the print then has less to do), and goes back
  // to the pool as soon as it has printed: reading the PDF back needs no browser.
  const first = await session.withPage(
    async (page, run) => {
      trace("page", ids[0]);
      await page.setContent(html, { waitUntil: "load", timeout });
      trace("loaded", ids[0]);
      const hidden = await hiddenText(page);
      let printed: Uint8Array;
      let tables: TableFit[] = [];
      if (ids.length > 0 || numbering.tables) {
        // Tables are fitted and the guesses go into the laid-out page in the same call (through
        // the DevTools protocol: the page runs no script), when there is one for every entry:
        // cheaper than loading the document again, and the page is laid out for nothing else
        // before it prints.
        const layout = await layOutForPrint(page, { ...numbering, ids });
        if (layout.pages.size === ids.length) pages = layout.pages;
        tables = layout.tables;
        trace(
          "guessed",
          `${ids[0] ?? ""} (${layout.pieces.continued} table pieces, ${layout.pieces.corrected} corrected)`,
        );
        printed = await printLoaded(page, { timeout });
      } else {
        printed = await printPdf(page, { timeout });
      }
      trace("printed", ids[0]);
      return { html, printed, blocked: [...run.blocked], tables, hidden };
    },
    { media: "print", deadline: timeout },
  );
  let printed = first.printed;
  for (let prints = 1; ; prints++) {
    const pdf = await numbering.finish(printed, ids);
    const missing = ids.filter((id) => !pdf.pages.has(id));
    if (missing.length) {
      // Said of the stylesheets when they hide words: a heading hidden is one no page holds.
      const why = first.hidden.words
        ? ` (the stylesheets hide ${first.hidden.words.toLocaleString("en")} words of the document from the print, from "${first.hidden.sample}")`
        : "";
      throw new Error(`no page found for contents entries: ${missing.join(", ")}${why}`);
    }
    if (samePages(pdf.pages, pages)) {
      // The HTML written out gets the numbers that held, from the template.
      return {
        html: pages.size ? htmlFor(pages) : first.html,
        pdf,
        prints,
        blocked: first.blocked,
        tables: first.tables,
        hidden: first.hidden,
      };
    }
    if (prints >= MAX_PRINTS) throw new Error("contents page numbers did not settle");
    pages = pdf.pages;
    const html = htmlFor(pages);
    printed = await session.withPage(
      async (page) => {
        await page.setContent(html, { waitUntil: "load", timeout });
        if (!numbering.tables) return printPdf(page, { timeout });
        // The tables are fitted again, as before (the same layout, the same choices).
        await layOutForPrint(page, { ids: [], box: numbering.box, tables: numbering.tables });
        return printLoaded(page, { timeout });
      },
      { media: "print", deadline: timeout },
    );
  }
}

function samePages(a: PageNumbers, b: PageNumbers): boolean {
  return a.size === b.size && [...a].every(([id, page]) => b.get(id) === page);
}
