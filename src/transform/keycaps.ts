/**
 * Keycaps (1️⃣ #️⃣ *️⃣): a digit, `#` or `*`, the emoji selector and U+20E3, drawn by the emoji face
 * as one glyph. The emoji face is taken for the selector and the keycap mark only (fonts.yaml's
 * `within-range`: a digit never brings it in), so the digit came from the text face and the mark,
 * alone, printed as a box. Each keycap is set in a span of the family fonts.ts declares for the
 * whole sequence (KEYCAP_FAMILY), so that Chromium shapes it in one face, into one glyph.
 */
import type { ElementContent, Root } from "hast";
import { walkHtml } from "./walk.js";

export const KEYCAP_FAMILY = "Press Keycaps";
const KEYCAP = /[0-9#*]\uFE0F?\u20E3/gu;

export function rehypeKeycaps() {
  return (tree: Root) => {
    walkHtml(tree, (node, index, parent) => {
      if (node.type !== "text" || !node.value.includes("\u20E3")) return undefined;
      const parts: ElementContent[] = [];
      let last = 0;
      for (const match of node.value.matchAll(KEYCAP)) {
        if (match.index > last) parts.push({ type: "text", value: node.value.slice(last, match.index) });
        parts.push({
          type: "element",
          tagName: "span",
          properties: { className: ["keycap"] },
          children: [{ type: "text", value: match[0] }],
        });
        last = match.index + match[0].length;
      }
      if (parts.length === 0) return undefined;
      if (last < node.value.length) parts.push({ type: "text", value: node.value.slice(last) });
      parent.children.splice(index, 1, ...(parts as never[]));
      return index + parts.length;
    });
  };
}
