/** HTML to PDF bytes in a page of the pool. */
import type { Page } from "puppeteer-core";
import { trace } from "../report/trace.js";

export interface PdfOptions {
  /** Milliseconds before a page is given up. */
  timeout: number;
}

/** Load the HTML into the page, then print it. */
export async function renderPdf(page: Page, html: string, options: PdfOptions): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: "load", timeout: options.timeout });
  return printPdf(page, options);
}

/**
 * Print what the page holds now: tagged, with an outline, at the size its CSS asks for. Every font
 * face the document declares is loaded first: a face only the page margins use (the running header,
 * the page number) is otherwise still loading when the page is printed, and with `font-display:
 * block` its text is left out.
 */
export async function printPdf(page: Page, options: PdfOptions): Promise<Uint8Array> {
  await page.evaluate(async () => {
    // Iterated, not `forEach`: the page runs no script, so it cannot call back into one.
    const faces = [...(document.fonts as unknown as Iterable<FontFace>)];
    await Promise.all(faces.map((face) => face.load().catch(() => undefined)));
  });
  return printLoaded(page, options);
}

/** The same, for a page whose font faces are all loaded already (predict-pages.ts loads them). */
export function printLoaded(page: Page, options: PdfOptions): Promise<Uint8Array> {
  trace("print");
  return page.pdf({
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    timeout: options.timeout,
  });
}
