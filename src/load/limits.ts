/**
 * Limits on what a source may be, checked before parsing, so that a hostile or broken file gets a
 * clear error instead of a hang or a stack overflow.
 */
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import { checkMarkup } from "./markup-limits.js";

export const LIMITS = {
  /** Bytes in one source file. */
  bytes: 2 * 1024 * 1024,
  /** Columns of leading white space on a line (how deep lists and indented blocks can nest). */
  indent: 256,
  /** Nested block quotations on a line. */
  quoteDepth: 64,
};

export function checkLimits(file: string, text: string): Diagnostic | undefined {
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.bytes) {
    return diagnostic(
      file,
      undefined,
      "error",
      "limits/size",
      `file is ${bytes.toLocaleString("en")} bytes; the limit is ${LIMITS.bytes.toLocaleString("en")} (${mib(LIMITS.bytes)} MiB)`,
      "split it into several documents",
    );
  }
  if (text.includes("\0")) {
    const at = text.slice(0, text.indexOf("\0")).split("\n");
    return diagnostic(
      file,
      { line: at.length, column: (at.at(-1)?.length ?? 0) + 1 },
      "error",
      "limits/binary",
      "file holds a NUL byte: it is not text",
    );
  }
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const indent = /^[ \t]*/.exec(line)?.[0].replace(/\t/g, "    ").length ?? 0;
    if (indent > LIMITS.indent) {
      return diagnostic(
        file,
        { line: i + 1, column: 1 },
        "error",
        "limits/nesting",
        `line is indented ${indent} columns; the limit is ${LIMITS.indent} (nesting too deep)`,
      );
    }
    const quotes = /^(?:[ \t]*>)+/.exec(line)?.[0].split(">").length ?? 1;
    if (quotes - 1 > LIMITS.quoteDepth) {
      return diagnostic(
        file,
        { line: i + 1, column: 1 },
        "error",
        "limits/nesting",
        `block quotations nested ${quotes - 1} deep; the limit is ${LIMITS.quoteDepth}`,
      );
    }
  }
  return checkMarkup(file, text);
}

/** A stack overflow while parsing or transforming becomes this error, never a crash. */
export function nestingError(file: string): Diagnostic {
  return diagnostic(
    file,
    undefined,
    "error",
    "limits/nesting",
    "the document is nested too deeply to process",
    "flatten its lists, quotations or emphasis",
  );
}

function mib(bytes: number): string {
  return String(Math.round((bytes / 1024 / 1024) * 10) / 10);
}
