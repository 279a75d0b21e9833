/**
 * Section numbers (1, 1.1, 1.1.1; annexes A, A.1) and the contents entries. The top heading
 * level used in the Markdown, whatever it is, becomes h2. A heading's depth is that of its place
 * in the outline, not its level: `#` then `####` (a jump, warned about as headings/jump) numbers
 * the second 1.1, an h3, where it would otherwise be 1.0.0.1, an h5 after an h2.
 * Headings inside callouts and figures are not sections. A heading with class `unnumbered`
 * gets no number and does not advance the count, nor does an empty one (`#` alone, warned about as
 * headings/empty); `unlisted` keeps it out of the contents.
 */
import type { Element, ElementContent, Root } from "hast";
import { toString as hastToString } from "hast-util-to-string";
import type { VFile } from "vfile";
import { type DigitStyle, localDigits } from "../template/digits.js";
import type { Labels } from "../template/labels.js";
import { classes } from "./notes.js";
import { SKIP, walkElements } from "./walk.js";

export interface TocEntry {
  id: string;
  /** 1 for a section, 2 for a subsection, … */
  level: number;
  /** "1.2", "A", "A.1", or "" when unnumbered. */
  number: string;
  text: string;
  annex: boolean;
}

export interface NumberingOptions {
  labels: Labels;
  digits?: DigitStyle;
  numberSections: boolean;
  tocDepth: number;
}

const HEADING = /^h([1-6])$/;

export function rehypeNumbering(options: NumberingOptions) {
  return (tree: Root, file: VFile) => {
    const headings = sectionHeadings(tree);
    // The levels of the headings a heading is under, and its own: its depth is their count.
    const open: number[] = [];
    const counters: number[] = [];
    let annexes = 0;
    let inAnnex = false;
    const alphabet = annexLetters(options.labels);
    const letter = (n: number) => lettered(n, alphabet);
    const toc: TocEntry[] = [];
    for (const heading of headings) {
      const own = level(heading);
      while (open.length > 0 && (open.at(-1) ?? 0) >= own) open.pop();
      open.push(own);
      const depth = open.length;
      const names = classes(heading);
      const isAnnex = names.includes("annex");
      let number = "";
      if (isAnnex) {
        inAnnex = true;
        annexes++;
        counters.length = 0;
        number = letter(annexes);
      } else if (!names.includes("unnumbered") && options.numberSections && heading.children.length > 0) {
        counters.length = depth;
        for (let i = 0; i < depth; i++) counters[i] ??= 0;
        counters[depth - 1] = (counters[depth - 1] ?? 0) + 1;
        const parts = inAnnex ? [letter(annexes), ...counters.slice(1)] : counters;
        number = parts.join(".");
      }
      // Sections are h2 in the HTML: the title on the cover is the page's only h1.
      heading.tagName = `h${Math.min(6, depth + 1)}`;
      const text = headingText(heading);
      const shown = localDigits(isAnnex ? `${options.labels.annex} ${number}` : number, options.digits ?? "latin");
      // The space keeps "1.2 Title" apart in the outline, the text layer and for screen readers.
      if (shown) heading.children.unshift(secno(shown), { type: "text", value: " " });
      const id = String(heading.properties.id ?? "");
      if (id && depth <= options.tocDepth && !names.includes("unlisted")) {
        toc.push({ id, level: depth, number: shown, text, annex: isAnnex });
      }
    }
    file.data.toc = toc;
  };
}

function sectionHeadings(tree: Root): Element[] {
  const found: Element[] = [];
  walkElements(tree, (node) => {
    if (node.tagName === "aside" || node.tagName === "figure" || node.tagName === "table") return SKIP;
    if (HEADING.test(node.tagName)) found.push(node);
    return undefined;
  });
  return found;
}

function level(heading: Element): number {
  return Number(HEADING.exec(heading.tagName)?.[1] ?? 6);
}

const LATIN = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];

/**
 * The letters annexes are lettered with, in order: a locale's `annex-letters` (Arabic's, in abjad
 * order: أ ب ج د …), else A to Z.
 */
function annexLetters(labels: Labels): string[] {
  const own = labels["annex-letters"]?.split(/\s+/).filter(Boolean) ?? [];
  return own.length > 1 ? own : LATIN;
}

/** A, B, … Z, AA, AB, … (in the alphabet given). */
function lettered(n: number, alphabet: string[]): string {
  const base = alphabet.length;
  let out = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / base)) out = (alphabet[(k - 1) % base] ?? "") + out;
  return out;
}

/**
 * A heading's text for the contents: an image left out of it (a README's logo in its title) counts
 * as its alt text, not as the placeholder's "Remote image not included" and address.
 */
function headingText(heading: Element): string {
  const text = (node: ElementContent): string => {
    if (node.type === "text") return node.value;
    if (node.type !== "element") return "";
    // A note's marker is no part of the title: "Heading with note", not "Heading with note1".
    if (node.properties.dataFootnoteRef !== undefined) return "";
    if (classes(node).includes("image-placeholder")) {
      const alt = node.children.find(
        (child) => child.type === "element" && classes(child).includes("image-placeholder-alt"),
      );
      return alt ? hastToString(alt) : "";
    }
    return node.children.map(text).join("");
  };
  return heading.children.map(text).join("").replace(/\s+/g, " ").trim();
}

function secno(text: string): Element {
  return {
    type: "element",
    tagName: "span",
    properties: { className: ["secno"] },
    children: [{ type: "text", value: text }],
  };
}

declare module "vfile" {
  interface DataMap {
    toc: TocEntry[];
  }
}
