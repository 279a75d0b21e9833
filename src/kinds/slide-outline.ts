/**
 * The bookmarks of a deck and of its handout: one a slide, in the order of the slides, so that a
 * slide with no heading (a quotation, an image, a blank slide) is there too (pdf/page-outline.ts).
 */
import type { PressDocument } from "../document.js";
import type { PageOutlineEntry } from "../pdf/page-outline.js";
import { localDigits } from "../template/digits.js";
import type { Labels } from "../template/labels.js";

/** Words of a slide's text that title a slide with no heading. */
const TITLE_WORDS = 60;

/**
 * One bookmark a slide, the title slide first: titled by the slide's heading, else its first words,
 * else its images' alt text, else "Slide N"; its other headings under it. `where` says which page
 * a slide (0 for the title slide) is on, and where on it.
 */
export function slideOutline(
  document: PressDocument,
  labels: Labels,
  where: (slide: number) => { page: number; top?: number } | undefined,
): PageOutlineEntry[] {
  const { meta } = document;
  const entries: PageOutlineEntry[] = [];
  const first = where(0);
  if (first) entries.push({ title: meta.title, ...first });
  document.slides.forEach((slide, index) => {
    const place = where(index + 1);
    if (!place) return;
    const { headings, text, alt } = slide.outline;
    // A slide's heading is its title; else one in its columns; else its first block's words.
    const title =
      slide.title ||
      headings[0] ||
      firstWords(text) ||
      firstWords(alt) ||
      `${labels.slide ?? "Slide"} ${localDigits(String(slide.number), meta.digits)}`;
    const own = headings.indexOf(title);
    const children = headings.filter((_, k) => k !== own);
    entries.push({ title, ...place, ...(children.length > 0 ? { children } : {}) });
  });
  return entries;
}

/** The start of a text, cut after a word: "Peacekeeping is not a spectator sport…". */
function firstWords(text: string): string {
  if (text.length <= TITLE_WORDS) return text;
  const cut = text.slice(0, TITLE_WORDS + 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > TITLE_WORDS / 2 ? cut.slice(0, space) : cut.slice(0, TITLE_WORDS)).replace(/[\s,;:.]+$/, "")}…`;
}
