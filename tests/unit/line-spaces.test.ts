/**
 * The finishing's reader of shown text (src/pdf/line-spaces.ts), on content streams written by
 * hand in the shapes Chromium and other writers use: what each MCID's marked content says, and
 * where a space is put back at a wrapped line's end.
 */
import { describe, expect, it } from "vitest";
import { markedTexts, type PageFont, spaceLineEnds } from "../../src/pdf/line-spaces.js";

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));
const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString("latin1");

/** F1: two-byte codes, code = 0x100 + the character's code; F2: one-byte codes, code = the character's. */
function fonts(): Map<string, PageFont> {
  const two = new Map<number, string>();
  const one = new Map<number, string>();
  for (let c = 32; c < 127; c++) {
    two.set(0x100 + c, String.fromCharCode(c));
    one.set(c, String.fromCharCode(c));
  }
  return new Map([
    ["F1", { map: { chars: two, bytes: 2 }, space: 0x120 }],
    ["F2", { map: { chars: one, bytes: 1 }, space: 32 }],
  ]);
}

/** A word shown glyph by glyph, as Chromium does: each glyph placed with its own Td, in F1. */
function glyphs(word: string): string {
  return [...word]
    .map(
      (c, i) =>
        `${i === 0 ? "" : "6.5 0 Td "}<${(0x100 + c.charCodeAt(0)).toString(16).toUpperCase().padStart(4, "0")}> Tj`,
    )
    .join("\n");
}

describe("the text each marked-content sequence shows", () => {
  it("reads hexadecimal, literal and array operands, in each font's code width", () => {
    const content = [
      "/P <</MCID 0 >>BDC BT /F1 12 Tf 1 0 0 -1 10 100 Tm",
      glyphs("Glyph"),
      "ET EMC",
      "/P <</MCID 1>> BDC BT /F2 10 Tf 1 0 0 1 10 80 Tm (lit\\(er\\)al) Tj [(ar) -250 (ray)] TJ ET EMC",
      "/Span <</MCID 2 /Lang (fr)>> BDC BT /F2 10 Tf 0 -20 Td <616263> Tj ET EMC",
    ].join("\n");
    expect(Object.fromEntries(markedTexts(bytes(content), fonts()))).toEqual({
      0: "Glyph",
      1: "lit(er)alarray",
      2: "abc",
    });
  });

  it("gives text to the innermost sequence that tags, and none to artifacts or untagged text", () => {
    const content = [
      "/Artifact <</Type /Pagination>> BDC BT /F2 9 Tf 10 10 Td (Page 1) Tj ET EMC",
      "BT /F2 9 Tf 10 20 Td (untagged) Tj ET",
      "/P <</MCID 4>> BDC /ReversedChars BMC BT /F2 9 Tf 10 30 Td (cba) Tj ET EMC",
      "/Span BMC BT /F2 9 Tf 10 40 Td (inner) Tj ET EMC EMC",
    ].join("\n");
    expect(Object.fromEntries(markedTexts(bytes(content), fonts()))).toEqual({ 4: "cbainner" });
  });

  it("is not misled by comments, keyword operands, inline images or operator names inside strings", () => {
    const content = [
      "% a comment: (BT /F2 9 Tf (no) Tj ET)",
      "/P <</MCID 7 /Flag true>> BDC",
      "BI /W 2 /H 1 /BPC 8 /CS /G ID \x00Tj(\xff EI",
      "BT /F2 9 Tf 10 10 Td (Tj ET BDC) Tj ET EMC",
    ].join("\n");
    expect(Object.fromEntries(markedTexts(bytes(content), fonts()))).toEqual({ 7: "Tj ET BDC" });
  });

  it("takes only true, false and null for operands: another word is an operator, and its operands go with it", () => {
    // `nope` ends the operands before it: Tf then has a size but no font, and the text no map.
    const content =
      "/P <</MCID 0>> BDC BT /F2 nope 12 Tf (A) Tj ET EMC /P <</MCID 1 /X true>> BDC BT /F2 12 Tf (B) Tj ET EMC";
    expect(Object.fromEntries(markedTexts(bytes(content), fonts()))).toEqual({ 0: "", 1: "B" });
  });
});

describe("a space put back where a line wraps", () => {
  it("shows the font's space after the last glyph of each wrapped line, and after no other", () => {
    const content = [
      "/P <</MCID 0>> BDC BT /F1 12 Tf 1 0 0 -1 10 100 Tm",
      glyphs("Not"),
      "6.5 0 Td <0120> Tj 6.5 0 Td",
      glyphs("for"),
      "ET BT /F1 12 Tf 1 0 0 -1 10 116 Tm",
      glyphs("publication"),
      "ET EMC",
    ].join("\n");
    const spaced = text(spaceLineEnds(bytes(content), fonts(), new Set(["not", "for", "publication"])));
    // One space, after the "r" that ends the first line; the last line of the paragraph gets one too
    // (it is where the next block begins), so count those placed before "publication".
    const first = spaced.slice(0, spaced.indexOf("<0170>"));
    expect(first.match(/<0120> Tj/g)).toHaveLength(2);
    expect(first).toMatch(/<0172> Tj\n<0120> Tj\nET/);
  });

  it("adds no space after a hyphen, nor where the line broke inside a word of the source", () => {
    const hyphen = [
      "/P <</MCID 0>> BDC BT /F2 10 Tf 1 0 0 -1 10 100 Tm (well-) Tj ET",
      "BT /F2 10 Tf 1 0 0 -1 10 114 Tm (known) Tj ET EMC",
    ].join("\n");
    const hyphenated = text(spaceLineEnds(bytes(hyphen), fonts(), new Set()));
    expect(hyphenated.slice(0, hyphenated.indexOf("(known)"))).not.toContain("<20> Tj");
    const split = [
      "/P <</MCID 0>> BDC BT /F2 10 Tf 1 0 0 -1 10 100 Tm (extra) Tj ET",
      "BT /F2 10 Tf 1 0 0 -1 10 114 Tm (ordinary) Tj ET EMC",
    ].join("\n");
    const words = new Set(["extraordinary"]);
    const joined = text(spaceLineEnds(bytes(split), fonts(), words));
    expect(joined.slice(0, joined.indexOf("(ordinary)"))).not.toContain("<20> Tj");
  });

  it("follows the text matrix through cm, Td, TD, T* and the quote operators", () => {
    // Three lines, each reached a different way, under a scaling cm; each wraps, so each gets a space.
    const content = [
      "q 2 0 0 2 0 0 cm /P <</MCID 0>> BDC BT /F2 10 Tf 12 TL 1 0 0 -1 10 50 Tm (one) Tj",
      "T* (two) Tj 0 -12 TD (three) Tj (four) ' 1 2 (five) \" ET EMC Q",
    ].join("\n");
    const spaced = text(spaceLineEnds(bytes(content), fonts(), new Set()));
    expect(spaced.match(/<20> Tj/g)).toHaveLength(5);
    expect(Object.fromEntries(markedTexts(bytes(content), fonts()))).toEqual({ 0: "onetwothreefourfive" });
  });
});
