/**
 * GFM footnotes become the document's numbered "Notes": a section heading at the level of the
 * document's sections (listed in the contents, not numbered), placed before the references
 * section or the first annex, whichever comes first.
 */
import type { Element, Root } from "hast";

export function rehypeNotes(options: { label: string; depth: number }) {
  return (tree: Root) => {
    const index = tree.children.findIndex((n) => n.type === "element" && n.properties.dataFootnotes !== undefined);
    const section = tree.children[index] as Element | undefined;
    if (!section) return;
    section.properties.className = ["notes"];
    const heading = section.children.find((c): c is Element => c.type === "element" && /^h[1-6]$/.test(c.tagName));
    if (heading) {
      heading.tagName = `h${options.depth}`;
      heading.properties = { id: heading.properties.id ?? "notes", className: ["unnumbered"] };
      heading.children = [{ type: "text", value: options.label }];
    }
    const before = tree.children.findIndex(
      (n) => n.type === "element" && (classes(n).includes("annex") || classes(n).includes("references")),
    );
    if (before !== -1 && before < index) {
      tree.children.splice(index, 1);
      tree.children.splice(before, 0, section);
    }
  };
}

export function classes(node: Element): string[] {
  const value: unknown = node.properties.className;
  if (Array.isArray(value)) return value.map(String);
  return typeof value === "string" ? value.split(" ") : [];
}
