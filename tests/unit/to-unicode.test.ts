/** ToUnicode repairs: a glyph Chromium maps to U+0000 gets the character the font's own cmap gives it. */
import { describe, expect, it } from "vitest";
import { repairToUnicode } from "../../src/pdf/to-unicode.js";

/** A TrueType file holding only a cmap table with one format 4 subtable: `code` → glyph `glyph`. */
function fontWithCmap(code: number, glyph: number): Uint8Array {
  const segments = 2;
  const subtable = new DataView(new ArrayBuffer(16 + segments * 8));
  subtable.setUint16(0, 4);
  subtable.setUint16(2, subtable.byteLength);
  subtable.setUint16(6, segments * 2);
  const ends = 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  subtable.setUint16(ends, code);
  subtable.setUint16(ends + 2, 0xffff);
  subtable.setUint16(starts, code);
  subtable.setUint16(starts + 2, 0xffff);
  subtable.setInt16(deltas, ((glyph - code) << 16) >> 16);
  subtable.setInt16(deltas + 2, 1);
  const cmap = new DataView(new ArrayBuffer(12 + subtable.byteLength));
  cmap.setUint16(2, 1);
  cmap.setUint16(4, 3);
  cmap.setUint16(6, 1);
  cmap.setUint32(8, 12);
  new Uint8Array(cmap.buffer).set(new Uint8Array(subtable.buffer), 12);
  const font = new DataView(new ArrayBuffer(12 + 16 + cmap.byteLength));
  font.setUint32(0, 0x00010000);
  font.setUint16(4, 1);
  font.setUint32(12, 0x636d6170);
  font.setUint32(20, 28);
  font.setUint32(24, cmap.byteLength);
  new Uint8Array(font.buffer).set(new Uint8Array(cmap.buffer), 28);
  return new Uint8Array(font.buffer);
}

const CMAP =
  "/CIDInit /ProcSet findresource begin\n3 beginbfchar\n<0003> <0041>\n<015D> <0000>\n<0170> <0000>\nendbfchar\nendcmap\n";

describe("ToUnicode repairs", () => {
  it("maps a glyph the map gave U+0000 to the font's character for it, and keeps one the font has none for", () => {
    const repaired = repairToUnicode(Buffer.from(CMAP, "latin1"), () => fontWithCmap(0x2013, 0x15d));
    expect(Buffer.from(repaired ?? []).toString("latin1")).toContain(
      "3 beginbfchar\n<0003> <0041>\n<015D> <2013>\n<0170> <0000>\nendbfchar",
    );
  });

  it("leaves a map without U+0000 alone, without reading the font", () => {
    let read = false;
    const good = "1 beginbfchar\n<0003> <0041>\nendbfchar\n";
    expect(
      repairToUnicode(Buffer.from(good, "latin1"), () => {
        read = true;
        return undefined;
      }),
    ).toBeUndefined();
    expect(read).toBe(false);
  });
});
