/**
 * Pandoc-style attributes at the end of a heading: `## Notes {-}` or `{.unnumbered}` (not numbered),
 * `{.unlisted}` (not in the contents), `{#custom-id}`.
 */
import type { Properties } from "hast";
import type { Data, Root } from "mdast";
import { walkMarkdown } from "./walk.js";

const TRAILING_ATTRIBUTES = /\s*\{([^{}]*)\}\s*$/;

export function remarkHeadingAttributes() {
  return (tree: Root) => {
    walkMarkdown(tree, (heading) => {
      if (heading.type !== "heading") return;
      const last = heading.children.at(-1);
      if (last?.type !== "text") return;
      const attributes = trailingAttributes(last.value);
      if (!attributes) return;
      const { tokens } = attributes;
      last.value = last.value.slice(0, attributes.at);
      const classes: string[] = [];
      const properties: Properties = {};
      for (const token of tokens) {
        if (token === "-") classes.push("unnumbered");
        else if (token.startsWith(".")) classes.push(token.slice(1));
        else properties.id = token.slice(1);
      }
      addProperties(heading, { ...properties, ...(classes.length ? { className: classes } : {}) });
    });
  };
}

/** A heading text's trailing attribute block, `{#id .class -}`: its tokens and where it starts. */
function trailingAttributes(text: string): { tokens: string[]; at: number } | undefined {
  const match = TRAILING_ATTRIBUTES.exec(text);
  if (!match?.[1]) return undefined;
  const tokens = match[1].trim().split(/\s+/);
  if (!tokens.every((t) => t === "-" || /^[.#][\w-]+$/.test(t))) return undefined;
  return { tokens, at: match.index };
}

/** A heading's text without its attribute block (a title taken from the heading kept `{#intro}`). */
export function withoutAttributes(text: string): string {
  const attributes = trailingAttributes(text);
  return attributes ? text.slice(0, attributes.at).trim() : text;
}

/** Merge hast properties into an mdast node's `data.hProperties` (classes are appended). */
export function addProperties(node: { data?: Data }, add: Properties): void {
  node.data ??= {};
  const current = node.data.hProperties ?? {};
  const classes = [...asArray(current.className), ...asArray(add.className)];
  node.data.hProperties = { ...current, ...add, ...(classes.length ? { className: classes } : {}) };
}

function asArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" ? value.split(/\s+/).filter(Boolean) : [];
}
