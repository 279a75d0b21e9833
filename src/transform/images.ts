/**
 * Local images, from Markdown or raw HTML, become `data:` URLs so every HTML output is one
 * self-contained file. A path that leaves the project root (by `..`, an absolute path or a symbolic
 * link) is refused; a remote image is never fetched. An image that is missing, of a type Press
 * cannot inline, no image Chromium can draw (image-content.ts), or remote costs the document nothing: a warning, and in its place a framed box
 * naming the file and its alt text, so a reader sees what is missing (`--strict` makes the
 * warning an error, and a release is strict).
 */
import fs from "node:fs";
import path from "node:path";
import type { Element, ElementContent, Parents, Root } from "hast";
import type { VFile } from "vfile";
import type { Labels } from "../template/labels.js";
import { imageContent } from "./image-content.js";
import { SKIP, walkElements } from "./walk.js";

export type AssetRead = { bytes: Uint8Array } | { problem: "missing" | "outside" };

export interface ImageOptions {
  /** Reads an asset by its absolute path; says why when it cannot. */
  readAsset: (absolutePath: string) => AssetRead;
  /** Absolute path of the project root: nothing outside it is read. */
  root: string;
  /** Every asset read is added here (for the incremental cache). */
  assets?: Set<string>;
  /** Rewrites an SVG before it is inlined (to give it the bundled fonts). */
  prepareSvg?: (svg: string) => string;
  /** The document's labels: the placeholder says what is wrong in the document's language. */
  labels?: Labels;
}

/** Images that are left out of a document and stand as a placeholder: warnings, or errors when strict. */
export const PLACEHOLDER_RULES = ["image/missing", "image/unsupported", "image/unreadable", "image/remote"] as const;
type PlaceholderRule = (typeof PLACEHOLDER_RULES)[number];

/**
 * The hint of an SVG that refers to a remote image: it is shown all the same, without it, so no
 * placeholder stands in its place (its warning is an error under `--strict` like the others).
 */
export const SVG_SHOWN_WITHOUT = "the SVG is shown without it";

const PLACEHOLDER_LABELS: Record<PlaceholderRule, [key: string, english: string]> = {
  "image/missing": ["image-missing", "Image not found"],
  "image/unsupported": ["image-unsupported", "Image type not supported"],
  "image/unreadable": ["image-unreadable", "Image cannot be read"],
  "image/remote": ["image-remote", "Remote image not included"],
};

const MIME_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".svg": "image/svg+xml",
  ".avif": "image/avif",
};

export function rehypeImages(options: ImageOptions) {
  return (tree: Root, file: VFile) => {
    walkElements(tree, (image: Element, index: number, parent: Parents) => {
      if (image.tagName !== "img" && image.tagName !== "source") return;
      const attribute = image.tagName === "img" ? "src" : "srcSet";
      const url = String(image.properties[attribute] ?? "").trim();
      if (!url || url.startsWith("data:")) return;
      // An <img> gives way to a placeholder; a <source> of a <picture> is dropped, its <img> stays.
      const leaveOut = (rule: PlaceholderRule, reason: string, note: string) => {
        report(file, image, rule, reason, note);
        if (image.tagName === "img") {
          parent.children[index] = placeholder(image, url, rule, options.labels);
          return SKIP;
        }
        delete image.properties[attribute];
        return SKIP;
      };
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//") || url.startsWith("\\\\")) {
        return leaveOut(
          "image/remote",
          `remote image not fetched: ${url}`,
          "save a copy in the project and link to it by a relative path",
        );
      }
      const resolved = resolveInside(options.root, file.dirname ?? options.root, url);
      if (!resolved) {
        fail(file, image, "image/outside-project", `image path leaves the project: ${url}`);
        delete image.properties[attribute];
        return;
      }
      const mime = MIME_TYPES[path.extname(resolved).toLowerCase()];
      if (!mime) {
        return leaveOut(
          "image/unsupported",
          `unsupported image type: ${url}`,
          `use one of ${Object.keys(MIME_TYPES).join(" ")}`,
        );
      }
      const read = options.readAsset(resolved);
      if ("problem" in read) {
        if (read.problem === "outside") {
          fail(file, image, "image/outside-project", `image path leaves the project through a symbolic link: ${url}`);
          delete image.properties[attribute];
          return;
        }
        // The build depends on the file that is not there: once it is, the document is rebuilt.
        options.assets?.add(resolved);
        return leaveOut("image/missing", `image not found: ${url}`, "add the file to the project, or correct the path");
      }
      options.assets?.add(resolved);
      // Inlined, a file Chromium cannot draw would print as its broken-image icon, and say nothing.
      const content = imageContent(read.bytes, mime);
      if ("problem" in content) {
        return leaveOut(
          "image/unreadable",
          `${url} ${content.problem}`,
          "open it in an image viewer or editor, and save or export it again",
        );
      }
      if (content.remote.length > 0) {
        // The SVG is shown; what it refers to outside itself is not (nothing is fetched).
        const more = content.remote.length > 3 ? ` and ${content.remote.length - 3} more` : "";
        const names = content.remote.slice(0, 3).join(", ");
        report(
          file,
          image,
          "image/remote",
          `remote image not fetched: ${names}${more}, inside ${url}`,
          `save a copy and put it in the SVG as a data: URL; ${SVG_SHOWN_WITHOUT}`,
        );
      }
      const data =
        content.svg === undefined
          ? Buffer.from(read.bytes)
          : Buffer.from(options.prepareSvg ? options.prepareSvg(content.svg) : content.svg);
      image.properties[attribute] = `data:${content.mime};base64,${data.toString("base64")}`;
    });
  };
}

/**
 * The framed box that stands for an image left out: what is wrong, the file as written and the
 * alt text, as text (so it is read aloud, found by a search and kept in the PDF's text layer).
 */
function placeholder(image: Element, url: string, rule: PlaceholderRule, labels: Labels | undefined): Element {
  const [key, english] = PLACEHOLDER_LABELS[rule];
  const alt = String(image.properties.alt ?? "").trim();
  const part = (className: string, text: string, extra: Element["properties"] = {}): Element => ({
    type: "element",
    tagName: "span",
    properties: { className: [className], ...extra },
    children: [{ type: "text", value: text }],
  });
  const children: ElementContent[] = [
    part("image-placeholder-problem", labels?.[key] ?? english),
    { type: "text", value: " " },
    part("image-placeholder-file", url, { dir: "ltr" }),
  ];
  if (alt) children.push({ type: "text", value: " " }, part("image-placeholder-alt", alt));
  const title = image.properties.title;
  return {
    type: "element",
    tagName: "span",
    properties: {
      className: ["image-placeholder", key],
      ...(title === undefined || title === null ? {} : { title: String(title) }),
    },
    children,
    position: image.position,
  };
}

/**
 * The absolute path of `url` relative to `dir`, or undefined if it is outside `root`. A path that
 * starts with `/` is read from the project root, as a web site reads it from its root (`/images/a.png`
 * is `<root>/images/a.png`): it can never name a file outside the project.
 */
export function resolveInside(root: string, dir: string, url: string): string | undefined {
  // `?` and `#` start a query and a fragment, as on the web: `chart.svg#view` is chart.svg. But a
  // file whose name holds one (`img#1/x.png`, written as it is) is that file, when it is there.
  const whole = url.split(/[?#]/)[0] !== url ? inside(root, dir, decoded(url)) : undefined;
  if (whole && fs.existsSync(whole)) return whole;
  return inside(root, dir, decoded(url.split(/[?#]/)[0] ?? ""));
}

/** A path's %-escapes decoded; one that is no escape (`%A.png`) is taken as written. */
function decoded(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function inside(root: string, dir: string, decoded: string): string | undefined {
  if (/^[a-z]:[\\/]/i.test(decoded) || decoded.includes("\0") || decoded.startsWith("\\")) return undefined;
  const resolved = decoded.startsWith("/") ? path.join(root, decoded) : path.resolve(dir, decoded);
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return resolved;
}

function report(file: VFile, node: Element, rule: string, reason: string, note?: string): void {
  const message = file.message(reason, node);
  message.ruleId = rule;
  message.source = "press";
  if (note) message.note = note;
}

function fail(file: VFile, node: Element, rule: string, reason: string, note?: string): void {
  const message = file.message(reason, node);
  message.ruleId = rule;
  message.source = "press";
  message.fatal = true;
  if (note) message.note = note;
}
