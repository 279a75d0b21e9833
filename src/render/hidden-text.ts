/**
 * Text of the document the stylesheets keep out of the print: a project's `theme.css` with
 * `table { display: none }`, `p { visibility: hidden }` or `body { display: none }` built, exit 0,
 * PDFs without those words. Read in the laid-out page (through the DevTools protocol: the page
 * runs no script) with Element.checkVisibility(): not rendered, `visibility: hidden`, opacity 0.
 * What Press's own stylesheets hide in print (a note's back-link ↩) is not counted.
 */
import type { Page } from "puppeteer-core";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";

export interface HiddenText {
  /** Words hidden. */
  words: number;
  /** The first hidden text, cut short. */
  sample: string;
}

/** The hidden words of the document's content: `#press-body` of a briefing, `.deck-slides` of a deck. */
export function hiddenText(page: Page): Promise<HiddenText> {
  // No function declared inside: a test runner's transform would wrap it in a call the page lacks.
  return page.evaluate(() => {
    const root = document.getElementById("press-body") ?? document.querySelector(".deck-slides") ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const visible = new Map<Element, boolean>();
    let words = 0;
    let sample = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? "").trim();
      const element = node.parentElement;
      // A ruby's fallback parentheses (`rp`) are hidden by the browser itself where ruby is drawn.
      if (!text || !element || element.closest(".data-footnote-backref, style, script, template, rp")) continue;
      let shown = visible.get(element);
      if (shown === undefined) {
        shown = element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
        visible.set(element, shown);
      }
      if (shown) continue;
      words += text.split(/\s+/).length;
      if (!sample) sample = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    }
    return { words, sample };
  });
}

/** A warning (an error when strict) that the print lacks words the stylesheets hide; none when none are. */
export function hiddenTextDiagnostics(file: string, hidden: HiddenText | undefined, strict: boolean): Diagnostic[] {
  if (!hidden || hidden.words === 0) return [];
  const count = hidden.words.toLocaleString("en");
  return [
    diagnostic(
      file,
      undefined,
      strict ? "error" : "warning",
      "css/hidden",
      `the stylesheets hide ${count} ${hidden.words === 1 ? "word" : "words"} of the document from the print, from "${hidden.sample}": the PDF does not hold them`,
      "look for display: none, visibility: hidden or opacity: 0 in the theme's css or the templates' stylesheets",
    ),
  ];
}
