/**
 * Break opportunities in very long words. Chromium breaks a word wider than its line anywhere
 * (`overflow-wrap`), but finding each break costs it time that grows with the square of the word's
 * length: a word of 20,000 letters took 8 s to lay out, one of 120,000 more than a minute. A word
 * of more than 48 characters gets a `<wbr>` after every 24, which adds no character to the text
 * (copying and searching find the word whole) and makes each break cheap.
 */
import type { ElementContent, Root, Text } from "hast";
import { walkHtml } from "./walk.js";

const LONGEST = 48;
const STEP = 24;
const LONG_WORD = new RegExp(`\\S{${LONGEST + 1},}`, "g");
const HAS_LONG_WORD = new RegExp(`\\S{${LONGEST + 1}}`);

export function rehypeBreakLongWords() {
  return (tree: Root) => {
    walkHtml(tree, (node, index, parent) => {
      if (node.type !== "text" || !HAS_LONG_WORD.test(node.value)) return undefined;
      const parts = withBreaks(node.value);
      parent.children.splice(index, 1, ...(parts as never[]));
      return index + parts.length;
    });
  };
}

function withBreaks(value: string): ElementContent[] {
  const parts: ElementContent[] = [];
  let text = "";
  let last = 0;
  LONG_WORD.lastIndex = 0;
  for (let match = LONG_WORD.exec(value); match; match = LONG_WORD.exec(value)) {
    text += value.slice(last, match.index);
    // By code points, so that no surrogate pair is split.
    const letters = [...match[0]];
    for (let at = 0; at < letters.length; at += STEP) {
      if (at > 0) {
        parts.push({ type: "text", value: text } satisfies Text);
        parts.push({ type: "element", tagName: "wbr", properties: {}, children: [] });
        text = "";
      }
      text += letters.slice(at, at + STEP).join("");
    }
    last = match.index + match[0].length;
  }
  text += value.slice(last);
  if (text) parts.push({ type: "text", value: text });
  return parts;
}
