/**
 * In a right-to-left document, runs of Latin script (names, acronyms, titles in English or French)
 * are isolated in <bdi>, so that their words keep their order and neighbouring punctuation stays
 * where the author put it.
 */
import type { Element, ElementContent, Root, Text } from "hast";
import { SKIP, walkHtml } from "./walk.js";

const LATIN_RUN =
  /[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9 .,'’&/-]*[A-Za-z\u00C0-\u024F0-9]|[A-Za-z\u00C0-\u024F]/g;
const LEAVE_ALONE = new Set(["code", "pre", "bdi", "bdo", "kbd", "samp", "script", "style"]);

export function rehypeIsolateLatin() {
  return (tree: Root) => {
    walkHtml(tree, (node, index, parent) => {
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
  for (const match of node.value.matchAll(LATIN_RUN)) {
    const start = match.index ?? 0;
    if (start > last) pieces.push({ type: "text", value: node.value.slice(last, start) });
    const bdi: Element = {
      type: "element",
      tagName: "bdi",
      properties: {},
      children: [{ type: "text", value: match[0] }],
    };
    pieces.push(bdi);
    last = start + match[0].length;
  }
  if (pieces.length === 0) return undefined;
  if (last < node.value.length) pieces.push({ type: "text", value: node.value.slice(last) });
  return pieces;
}
