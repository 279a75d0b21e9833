/**
 * The texts of a document's blocks as the source writes them (paragraphs, headings, list items,
 * cells, captions), for the PDF finishing: the words a printed line may break inside of, and the
 * text in logical order that a structure element drawn in visual order stands for.
 */
import { type DefaultTreeAdapterTypes, parseFragment } from "parse5";
import type { SourceBlock } from "../pdf/pdf-metadata.js";

type Node = DefaultTreeAdapterTypes.ChildNode;
type Parent = DefaultTreeAdapterTypes.ParentNode;

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
  const blocks: SourceBlock[] = [];
  let notes = 0;
  /** `inNotes`: within the footnotes' section; `note`: the id of the footnote being visited. */
  const visit = (element: Parent, inherited: string, inNotes = false, note?: string) => {
    const attribute = (name: string) => ("attrs" in element ? element.attrs.find((a) => a.name === name) : undefined);
    const own = attribute("lang")?.value;
    const language = own || inherited;
    const tag = "tagName" in element ? element.tagName : "";
    const notesHere = inNotes || attribute("data-footnotes") !== undefined;
    // A footnote's label, from its id (`user-content-fn-haiti`); a list inside it is part of it.
    if (notesHere && tag === "li" && note === undefined) {
      notes++;
      note = (attribute("id")?.value ?? String(notes)).replace(/^user-content-/, "").replace(/^fn-/, "");
    }
    let text = "";
    const collect = (node: Node) => {
      if (node.nodeName === "#text") text += (node as DefaultTreeAdapterTypes.TextNode).value;
      else if ("tagName" in node) {
        // Hidden, and a footnote's way back to the text (the print leaves it out).
        if (
          node.attrs.some(
            (a) =>
              (a.name === "aria-hidden" && a.value === "true") ||
              a.name === "hidden" ||
              a.name === "data-footnote-backref",
          )
        )
          return;
        if (node.tagName === "br") text += " ";
        else if (BLOCKS.has(node.tagName)) {
          text += " ";
          visit(node, language, notesHere, note);
        } else if (node.tagName !== "script" && node.tagName !== "style" && node.tagName !== "template") {
          const from = text.length;
          for (const child of node.childNodes) collect(child);
          const spanLang = node.attrs.find((a) => a.name === "lang")?.value;
          const spanText = text.slice(from).replace(/\s+/g, " ").trim();
          if (spanLang && spanLang !== language && spanText) spans.push({ text: spanText, lang: spanLang });
        }
      }
    };
    const spans: { text: string; lang: string }[] = [];
    const index = blocks.length;
    for (const child of element.childNodes) collect(child);
    const collapsed = text.replace(/\s+/g, " ").trim();
    if (tag && collapsed) {
      const block: SourceBlock = { tag, text: collapsed };
      if (language !== lang) block.lang = language;
      if (note !== undefined) block.note = note;
      if (spans.length > 0) block.spans = spans;
      // Before the blocks nested in it: the order the elements start in.
      blocks.splice(index, 0, block);
    }
  };
  visit(parseFragment(html), lang);
  return blocks;
}
