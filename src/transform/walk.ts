/**
 * Tree walks for Press's own plugins. unist-util-visit does the same, but for every node it makes
 * a closure and renames it for debugging, which costs more than most of the plugins' own work.
 *
 * Nodes are met in document order, each before its children. A visitor may replace the node at
 * `parent.children[index]` or remove later siblings; the walk then goes into the children of the
 * node it was given. It returns `SKIP` not to go into them, or an index to go on from; anything
 * else it returns is ignored.
 */
import type { Element, Nodes as HastNodes, Parents as HastParents, Root as HastRoot } from "hast";
import type { Nodes as MdastNodes, Parents as MdastParents, Root as MdastRoot } from "mdast";

export const SKIP = "skip";

type Visitor = (node: never, index: number, parent: never) => unknown;

export function walkMarkdown(
  tree: MdastRoot,
  visitor: (node: MdastNodes, index: number, parent: MdastParents) => unknown,
): void {
  walkChildren(tree, visitor as Visitor, false);
}

export function walkHtml(
  tree: HastRoot,
  visitor: (node: HastNodes, index: number, parent: HastParents) => unknown,
): void {
  walkChildren(tree, visitor as Visitor, false);
}

/** Elements only (the walk still goes through every node). */
export function walkElements(
  tree: HastRoot,
  visitor: (node: Element, index: number, parent: HastParents) => unknown,
): void {
  walkChildren(tree, visitor as Visitor, true);
}

interface Node {
  type: string;
  children?: Node[];
}

function walkChildren(parent: Node, visitor: Visitor, elementsOnly: boolean): void {
  const children = parent.children ?? [];
  for (let index = 0; index < children.length; index++) {
    const node = children[index] as Node;
    const step = elementsOnly && node.type !== "element" ? undefined : visitor(node as never, index, parent as never);
    if (typeof step === "number") index = step - 1;
    else if (step !== SKIP && node.children) walkChildren(node, visitor, elementsOnly);
  }
}
