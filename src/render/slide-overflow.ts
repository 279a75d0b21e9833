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
  /** The content's height at its current size, and the box's. */
  contentHeight: number;
  boxHeight: number;
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
      return {
        number: index + 1,
        overflowY: Math.max(0, Math.ceil(inner.bottom - box.bottom)),
        overflowX: Math.max(0, Math.ceil(right - box.right)),
        contentHeight: inner.height,
        boxHeight: box.height,
      };
    }),
  );
}
