/**
 * A word in angle brackets in prose (`Vec<String>`, `the <SmartAPI> client`, `a <T> param`) is an
 * opening tag to Markdown: raw HTML, which the browser and the sanitiser then take out, and the
 * word was gone from the page, GitHub's and Pandoc's alike. One that names no HTML or SVG element
 * and is never closed in its paragraph is what its author wrote, text: it is printed as written.
 * An unknown element that is closed (`<Listing …>…</Listing>`) is still an element, unwrapped by
 * the sanitiser with its content kept.
 */
import { htmlTagNames } from "html-tag-names";
import type { Html, Root, Text } from "mdast";
import { svgTagNames } from "svg-tag-names";
import { walkMarkdown } from "./walk.js";

const KNOWN = new Set([...htmlTagNames, ...svgTagNames].map((name) => name.toLowerCase()));
/** An opening (or self-closing) tag, alone: its name. */
const OPENING = /^<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?\/?>$/;
const CLOSING = /^<\/([A-Za-z][A-Za-z0-9-]*)\s*>$/;

export function remarkAngleWords() {
  return (tree: Root) => {
    walkMarkdown(tree, (node, _index, parent) => {
      if (node.type !== "html" || parent.type === "root") return undefined;
      const name = OPENING.exec(node.value)?.[1]?.toLowerCase();
      if (name === undefined || KNOWN.has(name)) return undefined;
      const closed = parent.children.some(
        (other) => other.type === "html" && CLOSING.exec((other as Html).value)?.[1]?.toLowerCase() === name,
      );
      if (closed) return undefined;
      (node as unknown as Text).type = "text";
      return undefined;
    });
  };
}
