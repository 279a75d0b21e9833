/**
 * Block directives of the briefing: callouts (`:::key-points`, `:::note`, `:::warning`, …),
 * `:::references`, `::annex[Title]` and `::pagebreak`. Unknown directives are reported and kept
 * as plain blocks. Text directives are not parsed at all (markdown.ts): `10:30` and `UNIFIL:mission` are text.
 */
import type { Heading, Paragraph, PhrasingContent, Root, RootContent } from "mdast";
import type { ContainerDirective, LeafDirective } from "mdast-util-directive";
import type { VFile } from "vfile";
import type { Labels } from "../template/labels.js";
import { addProperties } from "./heading-attributes.js";
import { walkMarkdown } from "./walk.js";

export const CALLOUTS = ["key-points", "bluf", "note", "warning", "important", "tip", "caution"] as const;
const BLOCK_DIRECTIVES = new Set<string>([...CALLOUTS, "references", "annex", "pagebreak", "details"]);
/** VitePress's and Docusaurus's names for callouts Press has under another. */
const ALIASES: Record<string, (typeof CALLOUTS)[number]> = { info: "note", danger: "warning" };

export interface DirectiveOptions {
  labels: Labels;
  /** Names another plugin handles (e.g. slide layouts); left alone here. */
  handledElsewhere?: readonly string[];
}

export function remarkDirectives(options: DirectiveOptions) {
  const elsewhere = new Set(options.handledElsewhere ?? []);
  return (tree: Root, file: VFile) => {
    const depth = topHeadingDepth(tree);
    walkMarkdown(tree, (node, index, parent) => {
      if (node.type !== "containerDirective" && node.type !== "leafDirective") return;
      if (elsewhere.has(node.name)) return;
      node.name = ALIASES[node.name] ?? node.name;
      if (!BLOCK_DIRECTIVES.has(node.name)) {
        const message = file.message(`unknown directive "${node.name}"`, node);
        message.ruleId = "unknown-directive";
        message.source = "press";
        message.note = `known directives: ${[...BLOCK_DIRECTIVES, ...elsewhere].join(", ")}`;
        addProperties(node, { className: [node.name] });
        node.data = { ...node.data, hName: "div" };
        return;
      }
      if (node.type === "containerDirective") containerDirective(node, depth, options.labels);
      else parent.children[index] = leafDirective(node, depth) as never;
    });
  };
}

function containerDirective(node: ContainerDirective, depth: number, labels: Labels): void {
  const first = node.children[0];
  const custom = first?.type === "paragraph" && first.data?.directiveLabel ? first : undefined;
  if (custom) node.children.shift();
  const titleContent: PhrasingContent[] = custom ? custom.children : [{ type: "text", value: labels[node.name] ?? "" }];
  if (node.name === "details") {
    // VitePress's `::: details Click me`: a <details>, open so that its content is printed.
    const summary: Paragraph = {
      type: "paragraph",
      children: custom ? titleContent : [{ type: "text", value: labels.details ?? "Details" }],
    };
    summary.data = { hName: "summary" };
    node.children.unshift(summary);
    node.data = { ...node.data, hName: "details" };
    return;
  }
  if (node.name === "references") {
    const heading: Heading = { type: "heading", depth: depth as Heading["depth"], children: titleContent };
    addProperties(heading, { className: ["unnumbered"] });
    node.children.unshift(heading);
    node.data = { ...node.data, hName: "section" };
    addProperties(node, { className: ["references"] });
    return;
  }
  const title: Paragraph = { type: "paragraph", children: titleContent };
  addProperties(title, { className: ["callout-title"] });
  node.children.unshift(title);
  node.data = { ...node.data, hName: "aside" };
  addProperties(node, { className: ["callout", `callout-${node.name}`], role: "note" });
}

function leafDirective(node: LeafDirective, depth: number): RootContent {
  if (node.name === "pagebreak") {
    return { type: "thematicBreak", data: { hName: "div", hProperties: { className: ["page-break"] } } };
  }
  const heading: Heading = {
    type: "heading",
    depth: depth as Heading["depth"],
    children: node.children,
    position: node.position,
  };
  addProperties(heading, { className: ["annex"] });
  return heading;
}

/** The smallest heading depth used in the document: the level of its sections. */
export function topHeadingDepth(tree: Root): number {
  let depth = 6;
  let found = false;
  walkMarkdown(tree, (node) => {
    if (node.type !== "heading") return;
    found = true;
    depth = Math.min(depth, node.depth);
  });
  return found ? depth : 1;
}
