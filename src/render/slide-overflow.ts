/**
 * How far each slide's content runs past its box, measured in the browser through the DevTools
 * protocol (the page itself runs no script).
 */
import type { Page } from "puppeteer-core";

export interface SlideMeasure {
  /** The slide's number in the deck. */
  number: number;
  /** Pixels past the bottom of the slide's content box (0 when it fits). */
  overflowY: number;
  /** Pixels past its right edge. */
  overflowX: number;
  /** The content's height and width at its current size, and the box's. */
  contentHeight: number;
  boxHeight: number;
  contentWidth: number;
  boxWidth: number;
  /** Source line of a table that runs past the box (the overflow is that table's), else null. */
  tableLine: number | null;
}

export async function measureSlides(page: Page): Promise<SlideMeasure[]> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page.evaluate(() =>
    Array.from(document.querySelectorAll(".deck-slides > .slide")).map((slide, index) => {
      const body = slide.querySelector(".slide-body") as HTMLElement;
      const content = slide.querySelector(".slide-content") as HTMLElement;
      const box = body.getBoundingClientRect();
      const inner = content.getBoundingClientRect();
      let right = inner.right;
      for (const element of Array.from(content.querySelectorAll("*"))) {
        right = Math.max(right, element.getBoundingClientRect().right);
      }
      const table = Array.from(content.querySelectorAll<HTMLElement>("table[data-line]")).find((t) => {
        const rect = t.getBoundingClientRect();
        return rect.right > box.right + 0.5 || rect.bottom > box.bottom + 0.5;
      });
      return {
        number: index + 1,
        overflowY: Math.max(0, Math.ceil(inner.bottom - box.bottom)),
        overflowX: Math.max(0, Math.ceil(right - box.right)),
        contentHeight: inner.height,
        boxHeight: box.height,
        contentWidth: right - inner.left,
        boxWidth: box.width,
        tableLine: table ? Number(table.dataset.line) : null,
      };
    }),
  );
}
