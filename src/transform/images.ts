/**
 * Local images become `data:` URLs so every HTML output is one self-contained file.
 * A path that leaves the project root is refused; a remote image is never fetched.
 */
import path from "node:path";
import type { Image, Root } from "mdast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";

export interface ImageOptions {
  /** Reads an asset; returns undefined when it does not exist. Paths are absolute. */
  readAsset: (absolutePath: string) => Uint8Array | undefined;
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

export function remarkImages(options: ImageOptions) {
  return (tree: Root, file: VFile) => {
    visit(tree, "image", (image: Image) => {
      const url = image.url.trim();
      if (url.startsWith("data:")) return;
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) {
        report(
          file,
          image,
          "image/remote",
          `remote image not fetched: ${url}`,
          "save a copy in the project and link to it by a relative path",
        );
        image.url = "";
        return;
      }
      const resolved = resolveInside(options.root, file.dirname ?? options.root, url);
      if (!resolved) {
        fail(file, image, "image/outside-project", `image path leaves the project: ${url}`);
        image.url = "";
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
        image.url = "";
        return;
      }
      const bytes = options.readAsset(resolved);
      if (!bytes) {
        fail(file, image, "image/missing", `image not found: ${url}`);
        image.url = "";
        return;
      }
      options.assets?.add(resolved);
      const data =
        mime === "image/svg+xml" && options.prepareSvg
          ? Buffer.from(options.prepareSvg(Buffer.from(bytes).toString("utf8")))
          : Buffer.from(bytes);
      image.url = `data:${mime};base64,${data.toString("base64")}`;
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
  if (path.isAbsolute(decoded) || decoded.includes("\0")) return undefined;
  const resolved = path.resolve(dir, decoded);
  const relative = path.relative(root, resolved);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return resolved;
}

function report(file: VFile, node: Image, rule: string, reason: string, note?: string): void {
  const message = file.message(reason, node);
  message.ruleId = rule;
  message.source = "press";
  if (note) message.note = note;
}

function fail(file: VFile, node: Image, rule: string, reason: string, note?: string): void {
  const message = file.message(reason, node);
  message.ruleId = rule;
  message.source = "press";
  message.fatal = true;
  if (note) message.note = note;
}
