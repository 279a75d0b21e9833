/**
 * Local images, from Markdown or raw HTML, become `data:` URLs so every HTML output is one
 * self-contained file. A path that leaves the project root (by `..`, an absolute path or a symbolic
 * link) is refused; a remote image is never fetched.
 */
import path from "node:path";
import type { Element, Root } from "hast";
import type { VFile } from "vfile";
import { walkElements } from "./walk.js";

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
}

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
    walkElements(tree, (image: Element) => {
      if (image.tagName !== "img" && image.tagName !== "source") return;
      const attribute = image.tagName === "img" ? "src" : "srcSet";
      const url = String(image.properties[attribute] ?? "").trim();
      if (!url || url.startsWith("data:")) return;
      const drop = () => {
        delete image.properties[attribute];
      };
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//") || url.startsWith("\\\\")) {
        report(
          file,
          image,
          "image/remote",
          `remote image not fetched: ${url}`,
          "save a copy in the project and link to it by a relative path",
        );
        drop();
        return;
      }
      const resolved = resolveInside(options.root, file.dirname ?? options.root, url);
      if (!resolved) {
        fail(file, image, "image/outside-project", `image path leaves the project: ${url}`);
        drop();
        return;
      }
      const mime = MIME_TYPES[path.extname(resolved).toLowerCase()];
      if (!mime) {
        fail(
          file,
          image,
          "image/type",
          `unsupported image type: ${url}`,
          `use one of ${Object.keys(MIME_TYPES).join(" ")}`,
        );
        drop();
        return;
      }
      const read = options.readAsset(resolved);
      if ("problem" in read) {
        if (read.problem === "outside")
          fail(file, image, "image/outside-project", `image path leaves the project through a symbolic link: ${url}`);
        else fail(file, image, "image/missing", `image not found: ${url}`);
        drop();
        return;
      }
      options.assets?.add(resolved);
      const data =
        mime === "image/svg+xml" && options.prepareSvg
          ? Buffer.from(options.prepareSvg(Buffer.from(read.bytes).toString("utf8")))
          : Buffer.from(read.bytes);
      image.properties[attribute] = `data:${mime};base64,${data.toString("base64")}`;
    });
  };
}

/** The absolute path of `url` relative to `dir`, or undefined if it is outside `root`. */
export function resolveInside(root: string, dir: string, url: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.split(/[?#]/)[0] ?? "");
  } catch {
    return undefined;
  }
  if (path.isAbsolute(decoded) || /^[a-z]:[\\/]/i.test(decoded) || decoded.includes("\0")) return undefined;
  const resolved = path.resolve(dir, decoded);
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
