/** Reading sources and assets; nothing outside the project root is read. */
import fs from "node:fs";
import path from "node:path";
import type { Source } from "../document.js";
import type { AssetRead } from "../transform/images.js";
import type { Input } from "./discover.js";

export function readSource(input: Input): Source {
  return { ...input, text: fs.readFileSync(input.path, "utf8") };
}

/** A reader for images and other assets that refuses anything whose real path leaves `root`. */
export function assetReader(root: string): (absolutePath: string) => AssetRead {
  const realRoot = fs.realpathSync(root);
  return (absolutePath) => {
    let real: string;
    try {
      real = fs.realpathSync(absolutePath);
    } catch {
      return { problem: "missing" };
    }
    const relative = path.relative(realRoot, real);
    if (relative.startsWith("..") || path.isAbsolute(relative)) return { problem: "outside" };
    if (!fs.statSync(real).isFile()) return { problem: "missing" };
    return { bytes: fs.readFileSync(real) };
  };
}
