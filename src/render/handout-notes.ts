/**
 * Speaker notes longer than their box on a 1-a-page handout continue on pages of their own, after
 * their slide's page, instead of being cut off at the box's foot. Done in the laid-out handout
 * before it prints (through the DevTools protocol: the page runs no script of its own), so the
 * breaks fall where the print breaks the lines: whole blocks move; the block the box's foot falls
 * in is split between words, its inline markup carried over (a DOM Range's extractContents).
 */
import type { Page } from "puppeteer-core";

/**
 * Continue every handout page's overflowing notes; for each page of the handout as written, how
 * many pages of notes now follow it.
 */
export async function continueNotes(page: Page, label: string): Promise<number[]> {
  // A function's text run as an expression: the `__name` shim stands for the helper a bundler may
  // wrap named functions in (predict-pages.ts does the same).
  const call = `((__name) => (${continueNotesInPage.toString()})(${JSON.stringify(label)}))((f) => f)`;
  return (await page.evaluate(call)) as number[];
}

/** Runs in the page. Self-contained: no imports, no helpers outside it. */
export function continueNotesInPage(label: string): number[] {
  /** More pages than this for one slide's notes is not a handout any more: the rest stays cut. */
  const MOST_PAGES = 20;

  /** Moves what runs past `from`'s foot into `to`; false when nothing does (only a margin overflows). */
  function moveOverflow(from: HTMLElement, to: HTMLElement): boolean {
    const limit = from.getBoundingClientRect().bottom + 0.5;
    const kids = Array.from(from.children).filter((kid) => !kid.classList.contains("handout-notes-label"));
    const first = kids.findIndex((kid) => kid.getBoundingClientRect().bottom > limit);
    const kid = kids[first] as HTMLElement | undefined;
    if (!kid) return false;
    const after = kids.slice(first + 1);
    const texts: Text[] = [];
    const walker = document.createTreeWalker(kid, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) texts.push(walker.currentNode as Text);
    /** The text node and offset of the `k`th character of the block's text. */
    const at = (k: number): [Text, number] | undefined => {
      let left = k;
      for (const text of texts) {
        if (left <= text.length) return [text, left];
        left -= text.length;
      }
      return undefined;
    };
    const fits = (k: number) => {
      const point = at(k);
      if (!point) return false;
      const range = document.createRange();
      range.setStart(kid, 0);
      range.setEnd(point[0], point[1]);
      const rects = Array.from(range.getClientRects()).filter((rect) => rect.height > 0);
      return rects.every((rect) => rect.bottom <= limit);
    };
    // The most of the block's text that ends above the foot, then back to the last space before it.
    const total = texts.reduce((sum, text) => sum + text.length, 0);
    let low = 0;
    let high = total;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(middle)) low = middle;
      else high = middle - 1;
    }
    const whole = texts.map((text) => text.data).join("");
    let cut = low;
    while (cut > 0 && !/\s/.test(whole[cut - 1] ?? "")) cut--;
    if (cut === 0) cut = low;
    const point = cut > 0 && cut < total ? at(cut) : undefined;
    if (point) {
      const range = document.createRange();
      range.setStart(point[0], point[1]);
      range.setEnd(kid, kid.childNodes.length);
      const rest = kid.cloneNode(false) as HTMLElement;
      rest.append(range.extractContents());
      rest.removeAttribute("id");
      to.append(rest, ...after);
    } else {
      to.append(kid, ...after);
    }
    return true;
  }

  const added: number[] = [];
  for (const handoutPage of Array.from(document.querySelectorAll<HTMLElement>(".handout-page"))) {
    let host = handoutPage;
    let box = handoutPage.querySelector<HTMLElement>(".handout-notes");
    let count = 0;
    while (box && box.scrollHeight > box.clientHeight + 1 && count < MOST_PAGES) {
      const next = document.createElement("div");
      next.className = "handout-page handout-notes-page";
      const rest = document.createElement("div");
      rest.className = "handout-notes handout-notes-continued";
      rest.style.cssText = `top: 0; left: ${box.offsetLeft}px; width: ${box.offsetWidth}px; height: ${handoutPage.clientHeight}px;`;
      const heading = document.createElement("p");
      heading.className = "handout-notes-label";
      heading.textContent = label;
      rest.append(heading);
      next.append(rest);
      host.after(next);
      if (!moveOverflow(box, rest)) {
        next.remove();
        break;
      }
      host = next;
      box = rest;
      count++;
    }
    added.push(count);
  }
  return added;
}
