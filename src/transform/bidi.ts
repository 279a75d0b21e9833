/**
 * In a right-to-left document, runs of Latin script (names, acronyms, titles in English or French)
 * are isolated in <bdi>, so that their words keep their order and neighbouring punctuation stays
 * where the author put it. In a left-to-right one, a block written mostly in a right-to-left script
 * (an Arabic paragraph in an English briefing) is laid out right to left.
 */
import type { Element, ElementContent, Root, Text } from "hast";
import { toString as hastToString } from "hast-util-to-string";
import { SKIP, walkHtml } from "./walk.js";

const LATIN_RUN =
  /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9 .,'’&/-]*[A-Za-z\u00C0-\u024F0-9]|[A-Za-z\u00C0-\u024F]/g;
const LEAVE_ALONE = new Set(["code", "pre", "bdi", "bdo", "kbd", "samp", "script", "style"]);
/**
 * A negative number in Latin digits (−21000.01, -4.25 %): right to left, the minus went to its
 * right, printed and extracted as `21000.01−`. Set left to right, as ICU formats it there.
 */
const NEGATIVE = /(?<![\p{L}\p{N}])[−-]\d[\d.,]*(?:\s?%)?/u;
const RUNS = new RegExp(`${LATIN_RUN.source}|${NEGATIVE.source}`, "gu");

/** A link whose text is an address (`https://…`, `www.…`, `mailto:…`): read left to right whole. */
const ADDRESS = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)\S+\s*$/i;

export function rehypeIsolateLatin() {
  return (tree: Root) => {
    walkHtml(tree, (node, index, parent) => {
      if (node.type === "element" && (node.tagName === "pre" || node.tagName === "code" || node.tagName === "kbd")) {
        // Code is left to right in any document: laid out right to left, `const x = f(1);` printed
        // as `;const x = f(1)`, and a line of it with Arabic in a string in another order still.
        node.properties.dir ??= "ltr";
        return SKIP;
      }
      if (node.type === "element" && node.tagName === "a" && ADDRESS.test(hastToString(node))) {
        // An address in Arabic text was printed `/www.fao.org/giews/ar//:https`, four links in one.
        node.properties.dir ??= "ltr";
        return SKIP;
      }
      if (node.type === "element" && LEAVE_ALONE.has(node.tagName)) return SKIP;
      if (node.type !== "text") return undefined;
      const pieces = isolate(node);
      if (!pieces) return undefined;
      (parent.children as ElementContent[]).splice(index, 1, ...pieces);
      return index + pieces.length;
    });
  };
}

function isolate(node: Text): ElementContent[] | undefined {
  const pieces: ElementContent[] = [];
  let last = 0;
  for (const match of node.value.matchAll(RUNS)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push({ type: "text", value: node.value.slice(last, start) });
    const bdi: Element = {
      type: "element",
      tagName: "bdi",
      properties: /^[−-]/.test(match[0]) ? { dir: "ltr" } : {},
      children: [{ type: "text", value: match[0] }],
    };
    pieces.push(bdi);
    last = start + match[0].length;
  }
  if (pieces.length === 0) return undefined;
  if (last < node.value.length) pieces.push({ type: "text", value: node.value.slice(last) });
  return pieces;
}

/** Blocks that take a direction of their own: those whose text is a line or a paragraph. */
const DIRECTED = new Set("p li h1 h2 h3 h4 h5 h6 td th dt dd figcaption caption".split(" "));
const RIGHT_TO_LEFT_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu;
const LETTER = /\p{L}/gu;

/**
 * In a left-to-right document, `dir="rtl"` on a block most of whose letters are of a right-to-left
 * script (its own text: a list nested in an item, a code span, decide nothing). Without it, the
 * block's runs are laid out from the left: its first words at the left edge and its full stop at
 * the right, in the wrong order for its reader. A block with a `dir` of its own keeps it; the
 * document's language is not touched.
 */
export function rehypeBlockDirection() {
  return (tree: Root) => {
    walkHtml(tree, (node) => {
      if (node.type !== "element") return undefined;
      if (LEAVE_ALONE.has(node.tagName)) return SKIP;
      if (!DIRECTED.has(node.tagName) || node.properties.dir !== undefined) return undefined;
      const text = ownText(node);
      const letters = text.match(LETTER)?.length ?? 0;
      const rightToLeft = text.match(RIGHT_TO_LEFT_LETTER)?.length ?? 0;
      if (letters > 0 && rightToLeft * 2 > letters) node.properties.dir = "rtl";
      return undefined;
    });
  };
}

/** An element's text, without that of the blocks inside it that decide for themselves, or of code. */
function ownText(element: Element): string {
  let text = "";
  for (const child of element.children) {
    if (child.type === "text") text += child.value;
    else if (child.type === "element" && !DIRECTED.has(child.tagName) && !LEAVE_ALONE.has(child.tagName))
      text += ownText(child);
  }
  return text;
}
