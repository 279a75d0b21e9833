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
  const utf16 = utf16Order(bytes);
  if (utf16) {
    throw new DiagnosticError(
      diagnostic(
        input.displayPath,
        { line: 1, column: 1 },
        "error",
        "encoding",
        `file is UTF-16 (${utf16}), not UTF-8`,
        "save it as UTF-8",
      ),
    );
  }
  try {
    return { ...input, text: openingRule(strictUtf8.decode(bytes)) };
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

/** Bytes looked at for UTF-16 written without a byte-order mark. */
const SNIFF_BYTES = 512;

/**
 * The byte order of a file in UTF-16: by its byte-order mark, or, without one, by the NUL bytes that
 * text in Latin letters has at every other byte (before each character's in big-endian, after it in
 * little-endian) in its first bytes: NULs all on one side, in at least a quarter of the pairs (Latin front matter
 * above Arabic text has them in fewer than half). UTF-8 text
 * holds no NUL byte at all, so no text Press reads is taken for UTF-16.
 */
export function utf16Order(bytes: Uint8Array): "big-endian" | "little-endian" | undefined {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "big-endian";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes[2] === 0 && bytes[3] === 0 ? undefined : "little-endian";
  const pairs = Math.floor(Math.min(bytes.length, SNIFF_BYTES) / 2);
  if (pairs < 2) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [bytes[2 * i], bytes[2 * i + 1]];
    if (a === 0 && b === 0) return undefined;
    if (a === 0) even++;
    if (b === 0) odd++;
  }
  if (even >= pairs / 4 && odd === 0) return "big-endian";
  if (odd >= pairs / 4 && even === 0) return "little-endian";
  return undefined;
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

/**
 * A file that opens with `---`, a blank line and no `key:` line before the next `---` opens with a
 * rule, not front matter, as Pandoc and GitHub read it; remark's front matter took the text down to
 * the next `---` for YAML, and the document failed ("front matter must be a mapping"). The rule is
 * written `***`, which is the same rule (and the same slide break), the same length: lines and
 * columns stay as they are.
 */
export function openingRule(text: string): string {
  const match = /^(\uFEFF?)---([ \t]*\r?\n[ \t]*\r?\n)/.exec(text);
  if (!match) return text;
  // Front matter whose first line is blank is front matter still (remark, Jekyll and Hugo read it
  // so): a block down to the next `---` with a `key:` line in it is taken for YAML, as before.
  const rest = text.slice(match[0].length, match[0].length + 65_536);
  const block = rest.split(/\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/)[0] ?? "";
  if (/^[ \t]*["']?[\p{L}\p{N}_][^:\n]*:(?:[ \t]|\r?$)/mu.test(block)) return text;
  return `${match[1]}***${text.slice((match[1] ?? "").length + 3)}`;
}
