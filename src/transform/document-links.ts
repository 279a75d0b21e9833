/**
 * Links between documents, as a docs tree on GitHub writes them: `[the API](api/README.md)`. Press
 * writes `api/README.html` beside this document's HTML (the output tree is the content tree), so a
 * link to a Markdown file that is there is pointed at its HTML, as Quarto does; one to a file that
 * is not there is said (`links/document`), as it would open nothing.
 */
import fs from "node:fs";
import path from "node:path";
import type { Root } from "hast";
import type { VFile } from "vfile";
import { resolveInside } from "./images.js";
import { walkElements } from "./walk.js";

const MARKDOWN_LINK = /^([^?#]*\.(?:md|markdown))([?#].*)?$/i;

export function rehypeDocumentLinks(options: { root: string }) {
  return (tree: Root, file: VFile) => {
    walkElements(tree, (node) => {
      if (node.tagName !== "a" || typeof node.properties.href !== "string") return undefined;
      const href = node.properties.href;
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return undefined;
      const match = MARKDOWN_LINK.exec(href);
      if (!match) return undefined;
      const [, target = "", rest = ""] = match;
      const resolved = resolveInside(options.root, file.dirname ?? options.root, target);
      if (resolved && fs.statSync(resolved, { throwIfNoEntry: false })?.isFile()) {
        // From this document's folder, as the output tree mirrors the content tree: a link from the
        // project root (`/content/other.md`) is one to `other.html` beside it there.
        const from = file.dirname ?? options.root;
        const relative = path.relative(from, resolved).split(path.sep).map(encodeURIComponent).join("/");
        node.properties.href = `${relative.replace(/\.(md|markdown)$/i, ".html")}${rest}`;
        return undefined;
      }
      const message = file.message(`link to a document that is not there: ${target}`, node);
      message.ruleId = "links/document";
      message.source = "press";
      message.note = resolved
        ? `no file ${path.relative(options.root, resolved)} in the project: correct the path, or link to the document's address`
        : "the path leaves the project: link to the document's address instead";
      return undefined;
    });
  };
}
