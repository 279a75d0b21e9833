/**
 * Numbered captions. An image alone in its paragraph becomes a figure whose caption is the
 * image's title, else its alt text (as in Pandoc); so does the placeholder of an image left out,
 * which keeps its number. A paragraph `Table: caption` (or `table:`) right before a table, or
 * else right after it, becomes that table's caption, as in Pandoc.
 */
import type { Element, ElementContent, Root, RootContent } from "hast";
import type { VFile } from "vfile";
import { type DigitStyle, localDigits } from "../template/digits.js";
import type { Labels } from "../template/labels.js";
import { walkElements } from "./walk.js";

export function rehypeCaptions(options: { labels: Labels; numbered?: boolean; digits?: DigitStyle }) {
  const numbered = options.numbered ?? true;
  const n = (value: number) => localDigits(String(value), options.digits ?? "latin");
  const captionWord = captionWordOf(options.labels);
  return (tree: Root, file: VFile) => {
    let figures = 0;
    let tables = 0;
    const source = String(file.value ?? "");
    walkElements(tree, (node, index, parent) => {
      const image = loneImage(node, source);
      if (image) {
        const caption = String(image.properties.title ?? image.properties.alt ?? placeholderAlt(image) ?? "");
        delete image.properties.title;
        // An image with no caption shows no number, and takes none: Figure 1, an image, Figure 2.
        if (caption) figures++;
        const number = numbered && caption ? `${options.labels.figure} ${n(figures)}` : "";
        parent.children[index] = figure(image, number, caption);
        return;
      }
      if (node.tagName === "table") {
        // The paragraph before first: a table earlier in the document has taken the one after it.
        // The one after is not taken when a table follows it: it is right before that table.
        const before = previousElement(parent.children, index);
        const after = nextElement(parent.children, index);
        const afterIsNext = after && nextElement(parent.children, after.index)?.node.tagName === "table";
        const next = [before, afterIsNext ? undefined : after].find(
          (sibling) => sibling && isCaptionParagraph(sibling.node, captionWord),
        );
        if (!next) return;
        tables++;
        stripPrefix(next.node, captionWord);
        const caption: Element = {
          type: "element",
          tagName: "caption",
          properties: {},
          children: [...(numbered ? [label(`${options.labels.table} ${n(tables)}`)] : []), ...next.node.children],
        };
        node.children.unshift(caption);
        parent.children.splice(next.index, 1);
        // A caption from before the table: the table moved up one, go on after it.
        if (next.index < index) return index;
      }
    });
  };
}

/**
 * An image alone in its paragraph, written in Markdown (`![…](…)`). One written as raw HTML
 * (`<img alt="…" src="…">`, the Rust book's, followed by its own caption) is no figure, as in
 * Pandoc: it was captioned with its alt text, and again by its author.
 */
function loneImage(node: Element, source: string): Element | undefined {
  if (node.tagName !== "p") return undefined;
  const meaningful = node.children.filter((c) => !(c.type === "text" && c.value.trim() === ""));
  const only = meaningful[0];
  if (meaningful.length !== 1 || only?.type !== "element") return undefined;
  if (isPlaceholder(only)) return only;
  if (only.tagName !== "img") return undefined;
  const at = only.position?.start.offset;
  return at !== undefined && source.charAt(at) === "<" ? undefined : only;
}

function isPlaceholder(node: Element): boolean {
  const names = node.properties.className;
  return node.tagName === "span" && Array.isArray(names) && names.includes("image-placeholder");
}

/** The alt text a placeholder shows (see images.ts). */
function placeholderAlt(node: Element): string | undefined {
  if (!isPlaceholder(node)) return undefined;
  for (const child of node.children) {
    if (child.type !== "element") continue;
    const names = child.properties.className;
    const text = child.children[0];
    if (Array.isArray(names) && names.includes("image-placeholder-alt") && text?.type === "text") return text.value;
  }
  return undefined;
}

/**
 * A caption that only repeats the image's alt text (no title given) would be read twice, in the
 * HTML and in the tagged PDF: as in Pandoc it is hidden from assistive technology, and the alt text
 * takes the figure's number ("Figure 2. …") so that nothing is lost to a listener.
 */
function figure(image: Element, number: string, caption: string): Element {
  const children: ElementContent[] = [image];
  if (caption) {
    const repeatsAlt = image.tagName === "img" && caption === String(image.properties.alt ?? "");
    if (repeatsAlt && number) image.properties.alt = `${number}. ${caption}`;
    children.push({
      type: "element",
      tagName: "figcaption",
      properties: repeatsAlt ? { ariaHidden: "true" } : {},
      children: [...(number ? [label(number)] : []), { type: "text", value: caption }],
    });
  }
  return { type: "element", tagName: "figure", properties: {}, children };
}

function label(text: string): Element {
  return {
    type: "element",
    tagName: "span",
    properties: { className: ["caption-label"] },
    children: [{ type: "text", value: `${text}. ` }],
  };
}

function nextElement(
  siblings: (RootContent | ElementContent)[],
  index: number,
): { node: Element; index: number } | undefined {
  for (let i = index + 1; i < siblings.length; i++) {
    const sibling = siblings[i];
    if (sibling?.type === "text" && sibling.value.trim() === "") continue;
    return sibling?.type === "element" ? { node: sibling, index: i } : undefined;
  }
  return undefined;
}

function previousElement(
  siblings: (RootContent | ElementContent)[],
  index: number,
): { node: Element; index: number } | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const sibling = siblings[i];
    if (sibling?.type === "text" && sibling.value.trim() === "") continue;
    return sibling?.type === "element" ? { node: sibling, index: i } : undefined;
  }
  return undefined;
}

function isCaptionParagraph(node: Element, word: RegExp): boolean {
  const text = paragraphText(node);
  return text !== undefined && word.test(text);
}

/**
 * What starts a table's caption paragraph: `Table:` or `table:`, or the document language's word
 * for a table (`Tableau :`, `الجدول:` or `جدول:`, without the article, as Arabic writers also write it).
 */
function captionWordOf(labels: Labels): RegExp {
  const local = labels.table ?? "Table";
  const words = new Set(["Table", "table", local, local.replace(/^ال/u, "")]);
  const escaped = [...words].filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^(?:${escaped.join("|")})[ \\u00a0\\u202f]?:\\s*`, "u");
}

function paragraphText(node: Element): string | undefined {
  const first = node.children[0];
  return node.tagName === "p" && first?.type === "text" ? first.value : undefined;
}

function stripPrefix(node: Element, prefix: RegExp): void {
  const first = node.children[0];
  if (first?.type === "text") first.value = first.value.replace(prefix, "");
}
