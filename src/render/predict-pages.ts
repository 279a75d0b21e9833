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
  return new Map(await page.evaluate(measureColumns, ids, box.width, box.height, digits ?? null));
}

/** Runs in the page (through the DevTools protocol: the page itself runs no script). */
async function measureColumns(
  ids: string[],
  widthMm: number,
  heightMm: number,
  digits: string | null,
): Promise<[string, number][]> {
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
  try {
    const body = document.body.getBoundingClientRect();
    const rtl = getComputedStyle(document.body).direction === "rtl";
    const result: [string, number][] = [];
    for (const id of ids) {
      const box = document.getElementById(id)?.getClientRects()[0];
      if (!box) continue;
      // The middle of the element's first box, so that a hanging number or outdent does not count.
      const middle = (box.left + box.right) / 2;
      const offset = rtl ? body.right - middle : middle - body.left;
      result.push([id, Math.floor(offset / body.width) + 1]);
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
    return result;
  } finally {
    columns.remove();
    for (const [element, style] of restyled) {
      if (style === null) element.removeAttribute("style");
      else element.setAttribute("style", style);
    }
  }
}
