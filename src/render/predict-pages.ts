/**
 * A guess, before printing, of the page each contents entry falls on. The page is laid out once
 * more, for print, as columns the size of a page's text box: Chromium fragments columns the way it
 * fragments pages (the same break rules, widows, orphans and `break-inside: avoid`), so the column
 * a heading lands in is, almost always, its page. The printed PDF checks the guess; a wrong one
 * costs a second print, nothing more. The page must already be in print media (`withPage`'s
 * `media: "print"`); it is left as it was found, but for its font faces, all loaded (as a print
 * needs them), and, with `digits`, the guesses written into the contents.
 */
import type { Page } from "puppeteer-core";
import { fitTablesInPage, type TableFit, type TableFitOptions, type TableLayout } from "./fit-tables.js";

/** Millimetres. */
export interface ContentBox {
  width: number;
  height: number;
}

/**
 * Page of every id that could be placed; ids whose element is missing or not laid out are left out.
 * With `digits` (the ten digits the document writes), when every id was placed, the guesses are
 * written into the contents' page cells in the same call: nothing is laid out again before the
 * print but the print itself.
 */
export async function predictPages(
  page: Page,
  ids: string[],
  box: ContentBox,
  digits?: string,
): Promise<Map<string, number>> {
  return (await layOutForPrint(page, { ids, box, digits })).pages;
}

export interface PrintLayout {
  /** The guessed page of every id that could be placed. */
  pages: Map<string, number>;
  /** What was done to tables that did not fit (render/fit-tables.ts). */
  tables: TableFit[];
  /** Pieces long tables were cut into beyond their first, and how many of them the check of the plan added. */
  pieces: { continued: number; corrected: number };
}

/**
 * The one call into the page before it prints: with `tables`, the tables are fitted to the page
 * (their changes stay for the print), then the contents' pages are guessed on that layout.
 */
export async function layOutForPrint(
  page: Page,
  request: { ids: string[]; box: ContentBox; digits?: string; tables?: TableFitOptions },
): Promise<PrintLayout> {
  const { ids, box, digits, tables } = request;
  // Composed as text: the page gets both functions, and a no-op for the `__name` calls a test
  // runner's transform may add to them.
  const call = `((__name) => (${measureColumns.toString()})(${JSON.stringify([ids, box.width, box.height, digits ?? null]).slice(1, -1)}, ${tables ? fitTablesInPage.toString() : "null"}, ${JSON.stringify(tables ?? null)}))((f) => f)`;
  const [pages, fits, pieces] = (await page.evaluate(call)) as [[string, number][], TableFit[], PrintLayout["pieces"]];
  return { pages: new Map(pages), tables: fits, pieces };
}

/** Runs in the page (through the DevTools protocol: the page itself runs no script). */
async function measureColumns(
  ids: string[],
  widthMm: number,
  heightMm: number,
  digits: string | null,
  fitTables: ((options: TableFitOptions) => TableLayout) | null,
  tableOptions: TableFitOptions | null,
): Promise<[[string, number][], TableFit[], { continued: number; corrected: number }]> {
  // Every face the document declares, loaded: the layout measured is then the printed one, and a
  // face only the page margins use is ready for the print. Iterated, not `forEach`: the page runs
  // no script, so it cannot call back into one.
  const faces = [...(document.fonts as unknown as Iterable<FontFace>)];
  await Promise.all(faces.map((face) => face.load().catch(() => undefined)));
  const pageBreaks = new Set(["page", "left", "right", "recto", "verso"]);
  // Page breaks do not break columns: they become column breaks while measuring.
  const restyled: [HTMLElement, string | null][] = [];
  for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
    const style = getComputedStyle(element);
    const before = pageBreaks.has(style.breakBefore);
    const after = pageBreaks.has(style.breakAfter);
    if (!before && !after) continue;
    restyled.push([element, element.getAttribute("style")]);
    if (before) element.style.breakBefore = "column";
    if (after) element.style.breakAfter = "column";
  }
  const columns = document.createElement("style");
  columns.textContent = `html, body { margin: 0 !important; padding: 0 !important; }
body { column-width: ${widthMm}mm; column-gap: 0; column-fill: auto; width: ${widthMm}mm; height: ${heightMm}mm; }`;
  document.head.append(columns);
  let tables: TableLayout | null = null;
  try {
    if (fitTables && tableOptions) tables = fitTables(tableOptions);
    const body = document.body.getBoundingClientRect();
    const rtl = getComputedStyle(document.body).direction === "rtl";
    const result: [string, number][] = [];
    // The middle of the element's first box, so that a hanging number or outdent does not count.
    const columnIn = (box: DOMRect, edges: DOMRect, width: number) => {
      const middle = (box.left + box.right) / 2;
      return Math.floor((rtl ? edges.right - middle : middle - edges.left) / width);
    };
    for (const id of ids) {
      const element = document.getElementById(id);
      const box = element?.getClientRects()[0];
      if (!element || !box) continue;
      // A heading on a landscape page (fit-tables.ts) is laid out apart, in landscape columns.
      const frame = element.closest<HTMLElement>(".press-landscape-frame");
      const stand = frame ? document.getElementById(frame.dataset.stand ?? "")?.getClientRects()[0] : undefined;
      if (frame && stand) {
        const edges = frame.getBoundingClientRect();
        const inFrame = columnIn(box, edges, Number.parseFloat(getComputedStyle(frame).columnWidth));
        result.push([id, columnIn(stand, body, body.width) + inFrame + 1]);
      } else {
        result.push([id, columnIn(box, body, body.width) + 1]);
      }
    }
    if (digits !== null && result.length === ids.length) {
      const byId = new Map(result);
      for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>("a[href^='#']"))) {
        const number = byId.get(decodeURIComponent(link.getAttribute("href")?.slice(1) ?? ""));
        const cell = link.querySelector(".toc-page");
        if (cell && number !== undefined)
          cell.textContent = String(number).replace(/[0-9]/g, (d) => digits[Number(d)] ?? d);
      }
    }
    return [result, tables?.fits ?? [], { continued: tables?.continued ?? 0, corrected: tables?.corrected ?? 0 }];
  } finally {
    tables?.restore();
    columns.remove();
    for (const [element, style] of restyled) {
      if (style === null) element.removeAttribute("style");
      else element.setAttribute("style", style);
    }
  }
}
