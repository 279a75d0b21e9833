/**
 * The texts of a document's blocks as the source writes them (paragraphs, headings, list items,
 * cells, captions), for the PDF finishing: the words a printed line may break inside of, and the
 * text in logical order that a structure element drawn in visual order stands for.
 */
import type { Element, ElementContent, Root as HastRoot } from "hast";
import { fromParse5 } from "hast-util-from-parse5";
import { parseFragment } from "parse5";
import type { SourceBlock } from "../pdf/pdf-metadata.js";

const BLOCKS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "td",
  "th",
  "dt",
  "dd",
  "figcaption",
  "caption",
  "blockquote",
  "pre",
  "div",
  "section",
  "aside",
  "header",
  "footer",
  "figure",
  "table",
  "ul",
  "ol",
  "dl",
  "tr",
  "thead",
  "tbody",
  "tfoot",
  "nav",
  "article",
  "main",
]);

/** Blocks of `html` with text of their own, in document order; `lang` the document's language. */
export function blockTexts(html: string, lang: string): SourceBlock[] {
  return treeBlockTexts(fromParse5(parseFragment(html)) as HastRoot, lang);
}

/**
 * The same from a document's tree (the worker has it when it writes the HTML: no second parse).
 * A tree and its HTML give the same blocks.
 */
export function treeBlockTexts(tree: HastRoot | Element, lang: string): SourceBlock[] {
  const blocks: SourceBlock[] = [];
  let notes = 0;
  /** `inNotes`: within the footnotes' section; `note`: the id of the footnote being visited. */
  const visit = (element: HastRoot | Element, inherited: string, inNotes = false, note?: string) => {
    const properties = element.type === "element" ? element.properties : {};
    const own = text(properties.lang);
    const language = own || inherited;
    const tag = element.type === "element" ? element.tagName : "";
    const notesHere = inNotes || properties.dataFootnotes !== undefined;
    // A footnote's label, from its id (`user-content-fn-haiti`); a list inside it is part of it.
    const startsNote = notesHere && tag === "li" && note === undefined;
    if (startsNote) {
      notes++;
      note = (text(properties.id) || String(notes)).replace(/^user-content-/, "").replace(/^fn-/, "");
    }
    let content = "";
    const collect = (node: ElementContent) => {
      if (node.type === "text") content += node.value;
      else if (node.type === "element") {
        const { properties: attributes, tagName } = node;
        // Hidden, and a footnote's way back to the text (the print leaves it out).
        if (
          String(attributes.ariaHidden) === "true" ||
          (attributes.hidden !== undefined && attributes.hidden !== false) ||
          attributes.dataFootnoteBackref !== undefined
        )
          return;
        if (tagName === "br") content += " ";
        else if (BLOCKS.has(tagName)) {
          content += " ";
          visit(node, language, notesHere, note);
        } else if (tagName !== "script" && tagName !== "style" && tagName !== "template") {
          const from = content.length;
          for (const child of node.children) collect(child);
          const spanLang = text(attributes.lang);
          const spanText = content.slice(from).replace(/\s+/g, " ").trim();
          if (spanLang && spanLang !== language && spanText) spans.push({ text: spanText, lang: spanLang });
        }
      }
    };
    const spans: { text: string; lang: string }[] = [];
    const index = blocks.length;
    for (const child of element.children) collect(child as ElementContent);
    const collapsed = content.replace(/\s+/g, " ").trim();
    // Every footnote has its place in the list of notes, one with no text (an image) too.
    if (tag && (collapsed || startsNote)) {
      const block: SourceBlock = { tag, text: collapsed };
      if (language !== lang) block.lang = language;
      if (note !== undefined) block.note = note;
      if (spans.length > 0) block.spans = spans;
      // Before the blocks nested in it: the order the elements start in.
      blocks.splice(index, 0, block);
    }
  };
  visit(tree, lang);
  return blocks;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}
