/** HTML to PDF bytes in a page of the pool. */
import type { Page } from "puppeteer-core";

export interface PdfOptions {
  /** Milliseconds before a page is given up. */
  timeout: number;
  /** A print only to measure (where headings fall): no tags, no outline, quicker. */
  draft?: boolean;
}

/** Load the HTML into the page, then print it. */
export async function renderPdf(page: Page, html: string, options: PdfOptions): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: "load", timeout: options.timeout });
  return printPdf(page, options);
}

/** Print what the page holds now: tagged, with an outline, at the size its CSS asks for. */
export function printPdf(page: Page, options: PdfOptions): Promise<Uint8Array> {
  return page.pdf({
    preferCSSPageSize: true,
    printBackground: true,
    outline: !options.draft,
    tagged: !options.draft,
    timeout: options.timeout,
  });
}
