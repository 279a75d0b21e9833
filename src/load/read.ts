/** Reading sources and assets; nothing outside the project root is read. */
import fs from "node:fs";
import path from "node:path";
import type { Source } from "../document.js";
import { DiagnosticError, diagnostic, positionOf } from "../report/diagnostic.js";
import type { AssetRead } from "../transform/images.js";
import { describeFsError } from "../write/atomic.js";
import type { Input } from "./discover.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Read a source as UTF-8; a file that is not valid UTF-8 is an error at the first bad byte. */
export function readSource(input: Input): Source {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(input.path);
  } catch (error) {
    throw new DiagnosticError(
      diagnostic(input.displayPath, undefined, "error", "read", `cannot read the file: ${describeFsError(error)}`),
    );
  }
  try {
    return { ...input, text: strictUtf8.decode(bytes) };
  } catch {
    const text = bytes.toString("utf8");
    throw new DiagnosticError(
      diagnostic(
        input.displayPath,
        positionOf(text, text.indexOf("\uFFFD")),
        "error",
        "encoding",
        "file is not valid UTF-8",
        "save it as UTF-8",
      ),
    );
  }
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
