/**
 * An ordered list whose numbers have two digits or more (10., 100.) is marked with how many, so
 * that the stylesheets give its markers the room: a slide's list indented for "9." printed "10."
 * as "0.", its first digit cut off at the slide's edge, in the text layer too.
 */
import type { Root } from "hast";
import { walkElements } from "./walk.js";

export function rehypeListDigits() {
  return (tree: Root) => {
    walkElements(tree, (node) => {
      if (node.tagName !== "ol") return undefined;
      const start = Number(node.properties.start ?? 1);
      const items = node.children.filter((child) => child.type === "element" && child.tagName === "li").length;
      const last = Math.max(Math.abs(start), Math.abs(start + items - 1));
      const digits = Number.isFinite(last) ? String(Math.trunc(last)).length : 1;
      if (digits < 2) return undefined;
      const own = node.properties.className;
      const names = Array.isArray(own) ? own.map(String) : own ? String(own).split(" ") : [];
      node.properties.className = [...names, `marker-digits-${Math.min(digits, 4)}`];
      return undefined;
    });
  };
}
