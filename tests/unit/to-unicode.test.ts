/**
 * ToUnicode repairs on the bundled fonts themselves: a glyph Chromium maps to U+0000 gets the text
 * the original font file's cmap and substitutions give it, read only from the file that is that font.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as fontkit from "fontkit";
import { describe, expect, it } from "vitest";
import { fontTexts, originalFonts } from "../../src/pdf/font-texts.js";
import { repairToUnicode } from "../../src/pdf/to-unicode.js";

const require = createRequire(import.meta.url);
const filesOf = (family: string) => {
  const dir = path.join(path.dirname(require.resolve(`@fontsource/${family}/package.json`)), "files");
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".woff2"))
    .map((file) => path.join(dir, file));
};
const INTER = filesOf("inter");
const AMIRI = filesOf("amiri");
const file = (files: string[], name: string) => files.find((f) => f.endsWith(name)) ?? "";

/** Glyph ids as fontkit reads them (an independent reading of the same file). */
function glyphOf(fontFile: string, character: string): number {
  const font = fontkit.create(fs.readFileSync(fontFile)) as unknown as {
    glyphForCodePoint(c: number): { id: number };
  };
  return font.glyphForCodePoint(character.codePointAt(0) ?? 0).id;
}

/** A glyph's name in the font's post table (the woff2 files keep them). */
function glyphName(fontFile: string, glyph: number): string | undefined {
  const font = fontkit.create(fs.readFileSync(fontFile)) as unknown as { getGlyph(id: number): { name?: string } };
  return font.getGlyph(glyph).name;
}

/** A ToUnicode CMap as Chromium writes one: bfchar entries, glyph id → UTF-16BE hex. */
function cmap(entries: [number, string][]): Uint8Array {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const target = (text: string) => [...text].map((c) => hex(c.charCodeAt(0))).join("") || "0000";
  const lines = entries.map(([glyph, text]) => `<${hex(glyph)}> <${text === "\0" ? "0000" : target(text)}>`);
  return Buffer.from(
    `/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${entries.length} beginbfchar\n${lines.join("\n")}\nendbfchar\nendcmap\n`,
    "latin1",
  );
}

const targets = (map: Uint8Array | undefined) =>
  Object.fromEntries(
    [
      ...Buffer.from(map ?? [])
        .toString("latin1")
        .matchAll(/<([0-9A-F]{4})> <([0-9A-F]*)>/g),
    ].map((m) => [Number.parseInt(m[1] ?? "", 16), m[2]]),
  );

describe("ToUnicode repairs", () => {
  const latin600 = file(INTER, "inter-latin-600-normal.woff2");
  // Inter's contextual alternates draw a figure-height en dash between digits: endash.case, in no cmap.
  const known: [number, string][] = [..."0123456789ACGNOTU"].map((c) => [glyphOf(latin600, c), c]);
  const dashCase = (() => {
    const texts = fontTexts(fs.readFileSync(latin600));
    const found = [...(texts?.substituted ?? [])].find(([, text]) => text === "–");
    return found?.[0] ?? -1;
  })();

  it("finds the substituted glyphs of the original file, and the file by its PostScript name, weight and cmap", () => {
    // The glyph the walk gives "–" is the one the font's designers named the case form of the en dash.
    expect(glyphName(latin600, dashCase)).toBe("endash.case");
    expect(glyphOf(latin600, "–")).not.toBe(dashCase);
    const candidates = originalFonts("HAAAAA+Inter-SemiBold", [...INTER, ...AMIRI]);
    // Every subset file of Inter SemiBold, and nothing of another weight or family.
    expect(candidates.length).toBe(INTER.filter((f) => f.endsWith("-600-normal.woff2")).length);
    expect(
      originalFonts(
        "HAAAAA+Inter-Bold",
        INTER.filter((f) => f.includes("-600-")),
      ),
    ).toEqual([]);
    expect(originalFonts("HAAAAA+Amiri-Regular", INTER)).toEqual([]);
    expect(originalFonts("", [...INTER, ...AMIRI])).toEqual([]);
  });

  it("maps Inter's en dash between figures to U+2013, from the latin file and not another subset's", () => {
    const map = cmap([...known, [dashCase, "\0"], [4000, "\0"]]);
    const repaired = repairToUnicode(map, () => originalFonts("HAAAAA+Inter-SemiBold", INTER));
    const after = targets(repaired);
    expect(after[dashCase]).toBe("2013");
    // A glyph no file knows (beyond the font's glyphs) is left as Chromium wrote it.
    expect(after[4000]).toBe("0000");
    for (const [glyph, text] of known)
      expect(after[glyph]).toBe(text.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0"));
  });

  it("asks no file whose cmap disagrees with the map's known glyphs (another subset of the same font)", () => {
    const latinExt = INTER.filter((f) => f.includes("-latin-ext-600-normal."));
    const map = cmap([...known, [dashCase, "\0"]]);
    const fromOther = targets(repairToUnicode(map, () => originalFonts("HAAAAA+Inter-SemiBold", latinExt)) ?? map);
    expect(fromOther[dashCase]).toBe("0000");
  });

  it("maps an Amiri form to its letter, and a connecting stroke Amiri adds to a zero-width joiner", () => {
    const arabic = file(AMIRI, "amiri-arabic-400-normal.woff2");
    const texts = fontTexts(fs.readFileSync(arabic));
    const letters: [number, string][] = [..."لكنهاتمحر"].map((c) => [glyphOf(arabic, c), c]);
    // A form of ن that only a substitution reaches, and a glyph a multiple substitution adds.
    const form =
      [...(texts?.substituted ?? [])].find(([g, text]) => text === "ن" && !texts?.inserted.has(g))?.[0] ?? -1;
    const stroke = [...(texts?.inserted ?? [])].find((g) => !texts?.mapped.has(g)) ?? -1;
    expect(form).toBeGreaterThan(0);
    expect(stroke).toBeGreaterThan(0);
    const repaired = targets(
      repairToUnicode(cmap([...letters, [form, "\0"], [stroke, "\0"]]), () =>
        originalFonts("BAAAAA+Amiri-Regular", AMIRI),
      ),
    );
    expect(repaired[form]).toBe("0646");
    expect(repaired[stroke]).toBe("200D");
  });

  it("maps a ligature to its components' texts, in order", () => {
    // Inter composes A, a combining diaeresis and a macron into one glyph (ccmp) that no cmap maps.
    const texts = fontTexts(fs.readFileSync(latin600));
    const composed = [...(texts?.substituted ?? [])].find(([, text]) => text === "A\u0308\u0304")?.[0] ?? -1;
    expect(composed).toBeGreaterThan(0);
    const repaired = targets(
      repairToUnicode(cmap([...known, [composed, "\0"]]), () => originalFonts("HAAAAA+Inter-SemiBold", INTER)),
    );
    expect(repaired[composed]).toBe("004103080304");
  });

  it("leaves a map without U+0000 alone, without reading a font", () => {
    let read = false;
    const good = cmap([[3, "A"]]);
    expect(
      repairToUnicode(good, () => {
        read = true;
        return [];
      }),
    ).toBeUndefined();
    expect(read).toBe(false);
  });
});
