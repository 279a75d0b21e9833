/** Parse Markdown text as Press does, without the file system or a browser. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PressDocument } from "../../src/document.js";
import type { FieldValues } from "../../src/parse/front-matter.js";
import { parseDocument } from "../../src/parse/markdown.js";
import { loadLabels } from "../../src/template/labels.js";
import type { HtmlPolicy } from "../../src/transform/sanitize.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TEMPLATES = path.join(REPO, "templates");

/** A PNG of one pixel: an image as Press reads it (its first bytes say PNG). */
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

export function parseText(
  text: string,
  options: {
    file?: string;
    defaults?: FieldValues;
    /** Images by path from the project root, or "repository": read from this repository. */
    assets?: Record<string, string | Uint8Array> | "repository";
    htmlPolicy?: HtmlPolicy;
    strict?: boolean;
  } = {},
): Promise<PressDocument> {
  const file = options.file ?? "doc.md";
  const root = "/project";
  return parseDocument(
    { path: path.join(root, file), displayPath: file, outputStem: file.replace(/\.md$/, ""), text },
    {
      defaults: options.defaults ?? {},
      root,
      labelsFor: (lang) => loadLabels([TEMPLATES], lang).labels,
      htmlPolicy: options.htmlPolicy,
      strict: options.strict,
      readAsset: (absolute) => {
        if (options.assets === "repository") {
          const file = path.join(REPO, path.relative(root, absolute));
          return fs.existsSync(file) ? { bytes: fs.readFileSync(file) } : { problem: "missing" };
        }
        const content = options.assets?.[path.relative(root, absolute)];
        if (content === undefined) return { problem: "missing" };
        return { bytes: typeof content === "string" ? Buffer.from(content) : content };
      },
    },
  );
}
