/**
 * GFM footnotes become the document's numbered "Notes": a section heading at the level of the
 * document's sections (listed in the contents, not numbered), placed before the references
 * section or the first annex, whichever comes first.
 */
import type { Element, Root } from "hast";
import { type DigitStyle, localDigits } from "../template/digits.js";
import { walkElements } from "./walk.js";

export function rehypeNotes(options: { label: string; depth: number; digits?: DigitStyle }) {
  return (tree: Root) => {
    // The markers in the text and the notes' numbers in the document's digits (١, ٢ in Arabic-Indic).
    const digits = options.digits ?? "latin";
    if (digits !== "latin") {
      walkElements(tree, (node) => {
        if (node.tagName === "a" && node.properties.dataFootnoteRef !== undefined) {
          for (const child of node.children) if (child.type === "text") child.value = localDigits(child.value, digits);
        }
        return undefined;
      });
    }
    const index = tree.children.findIndex((n) => n.type === "element" && n.properties.dataFootnotes !== undefined);
    const section = tree.children[index] as Element | undefined;
    if (!section) return;
    section.properties.className = ["notes"];
    if (digits !== "latin") {
      for (const list of section.children)
        if (list.type === "element" && list.tagName === "ol") list.properties.className = [`digits-${digits}`];
    }
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
