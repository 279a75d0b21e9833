/** Reading a source: UTF-8 only, and a file in another encoding said as such. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkLimits } from "../../src/load/limits.js";
import { readSource } from "../../src/load/read.js";
import { DiagnosticError } from "../../src/report/diagnostic.js";

const TEXT = "---\ntitle: UTF-16\n---\n\n# Heading\n\nText.\n";

function bigEndian(text: string): Buffer {
  return Buffer.from(text, "utf16le").swap16();
}

/** What reading these bytes as a source gives: its text, or its error. */
function read(bytes: Uint8Array) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-read-"));
  const file = path.join(dir, "doc.md");
  fs.writeFileSync(file, bytes);
  try {
    return { text: readSource({ path: file, displayPath: "doc.md", outputStem: "doc" }).text };
  } catch (error) {
    if (error instanceof DiagnosticError) return { error: error.diagnostic };
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("reading a source", () => {
  it("says a UTF-16 file is UTF-16, with or without its byte-order mark, either byte order", () => {
    const cases: [Buffer, string][] = [
      [bigEndian(TEXT), "big-endian"],
      [Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian(TEXT)]), "big-endian"],
      [Buffer.from(TEXT, "utf16le"), "little-endian"],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")]), "little-endian"],
      // Arabic after a Latin front matter: NULs in only some of the pairs.
      [bigEndian("---\ntitle: t\n---\n\nمرحبا بالعالم، هذا نص عربي\n"), "big-endian"],
    ];
    for (const [bytes, order] of cases) {
      expect(read(bytes).error, order).toMatchObject({
        line: 1,
        column: 1,
        severity: "error",
        rule: "encoding",
        message: `file is UTF-16 (${order}), not UTF-8`,
        hint: "save it as UTF-8",
      });
    }
  });

  it("says a file over the size limit in exact figures, not two sizes that round to the same", () => {
    expect(checkLimits("doc.md", "x".repeat(2 * 1024 * 1024 + 113))?.message).toBe(
      "file is 2,097,265 bytes; the limit is 2,097,152 (2 MiB)",
    );
  });

  it("still says a NUL byte in UTF-8 text, and invalid UTF-8, as before", () => {
    const nul = read(Buffer.from("# Title\n\nText\u0000with a NUL.\n"));
    expect(nul.text).toBeDefined();
    expect(checkLimits("doc.md", nul.text ?? "")).toMatchObject({ line: 3, column: 5, rule: "limits/binary" });
    expect(read(Buffer.from([0x23, 0x20, 0x41, 0x0a, 0xff, 0xfe, 0x41, 0x0a])).error).toMatchObject({
      line: 2,
      column: 1,
      rule: "encoding",
      message: "file is not valid UTF-8",
    });
    // A PNG named .md: NULs on both sides of its pairs, so not UTF-16.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    expect(read(png).error).toMatchObject({ rule: "encoding", message: "file is not valid UTF-8" });
    expect(read(Buffer.from(TEXT)).text).toBe(TEXT);
  });
});
