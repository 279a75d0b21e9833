/** HTML to PDF bytes in a page of the pool. */
import type { Page } from "puppeteer-core";

export interface PdfOptions {
  /** Milliseconds before a page is given up. */
  timeout: number;
}

export async function renderPdf(page: Page, html: string, options: PdfOptions): Promise<Uint8Array> {
  await page.setContent(html, { waitUntil: "load", timeout: options.timeout });
  return page.pdf({
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    timeout: options.timeout,
  });
}
