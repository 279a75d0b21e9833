/**
 * The text a glyph reached only by OpenType substitution stands for: a figure-height en dash that
 * Inter's contextual alternates put between digits, an Amiri ligature or contextual form. Such a
 * glyph is in no cmap, so Chromium maps it to U+0000 in the PDF's ToUnicode map (Matterhorn
 * 31-028), and the font program it embeds has lost the substitution that made it (the subsetter
 * keeps a rule only when its input glyph is kept). The original font file still has it: walking
 * its GSUB backwards from the cmap's glyphs gives each substituted glyph the characters of its
 * input (single, alternate and reverse-chaining substitutions: the input's text; a ligature: its
 * components' texts joined). fontkit reads the font (WOFF2, WOFF, TrueType); the walk is Press's,
 * as fontkit maps glyphs to text from the cmap alone.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * fontkit, loaded when a font first needs it: it takes about 100 ms to load, and most documents
 * have no glyph to repair (its CommonJS build, so that the finishing stays synchronous).
 */
const require = createRequire(import.meta.url);
let fontkit: typeof import("fontkit") | undefined;
export function loadFontkit(): typeof import("fontkit") {
  fontkit ??= require("fontkit") as typeof import("fontkit");
  return fontkit;
}

/** What fontkit gives of a font: the parts used here (its typings leave the GSUB table out). */
interface ParsedFont {
  postscriptName: string;
  characterSet: number[];
  glyphForCodePoint(codePoint: number): { id: number };
  GSUB?: { lookupList?: Listing<Lookup> };
}

/** fontkit's arrays are lazy: arrays or objects with `toArray()`. */
type Listing<T> = T[] | { toArray(): T[] };

interface Coverage {
  version: number;
  glyphs?: Listing<number>;
  rangeRecords?: Listing<{ start: number; end: number }>;
}

interface Lookup {
  lookupType: number;
  subTables: Listing<Subtable>;
}

interface Subtable {
  version?: number;
  lookupType?: number;
  extension?: Subtable;
  coverage?: Coverage;
  deltaGlyphID?: number;
  substitute?: Listing<number>;
  substitutes?: Listing<number>;
  alternateSet?: Listing<Listing<number>>;
  ligatureSets?: Listing<Listing<{ glyph: number; components: Listing<number> }>>;
  sequences?: Listing<Listing<number>>;
}

/** Passes over the substitutions at most: a glyph substituted from a substituted glyph takes two. */
const MAX_PASSES = 6;

export interface FontTexts {
  postscriptName: string;
  /** Glyph id → the text its cmap maps to it (the lowest code point of those that do). */
  mapped: Map<number, string>;
  /** Character → its glyph, as the cmap maps it (each character of a glyph drawn for several). */
  glyphs: Map<string, number>;
  /**
   * Glyph id → the text of the glyphs a substitution makes it from, for glyphs no cmap maps: the
   * shortest derivation, the font's first rule among those as short.
   */
  substituted: Map<number, string>;
  /**
   * Glyphs a multiple substitution adds after the glyph it replaces (Amiri's connecting strokes):
   * drawn for no character of the text.
   */
  inserted: Set<number>;
}

/** Each glyph's text, from `font` (the bytes of a WOFF2, WOFF or TrueType file); undefined for a font fontkit cannot read. */
export function fontTexts(font: Uint8Array): FontTexts | undefined {
  try {
    return readTexts(
      loadFontkit().create(Buffer.from(font.buffer, font.byteOffset, font.byteLength)) as unknown as ParsedFont,
    );
  } catch {
    // fontkit reads tables as they are asked for: a damaged one throws then.
    return undefined;
  }
}

function readTexts(parsed: ParsedFont): FontTexts | undefined {
  if (!parsed || typeof parsed.glyphForCodePoint !== "function") return undefined;
  const mapped = new Map<number, string>();
  const glyphs = new Map<string, number>();
  for (const codePoint of [...parsed.characterSet].sort((a, b) => a - b)) {
    const glyph = parsed.glyphForCodePoint(codePoint).id;
    if (glyph === 0) continue;
    const character = String.fromCodePoint(codePoint);
    glyphs.set(character, glyph);
    if (!mapped.has(glyph)) mapped.set(glyph, character);
  }
  // Each substitution as (output glyph, input glyphs), in the font's lookup order.
  const rules: [number, number[]][] = [];
  const inserted = new Set<number>();
  for (const lookup of list(parsed.GSUB?.lookupList)) {
    for (const table of list(lookup.subTables)) {
      const type = lookup.lookupType === 7 ? table.lookupType : lookup.lookupType;
      const subtable = lookup.lookupType === 7 ? table.extension : table;
      if (subtable) collect(type, subtable, rules, inserted);
    }
  }
  const substituted = new Map<number, string>();
  const text = (glyph: number) => mapped.get(glyph) ?? substituted.get(glyph);
  // One derivation step a pass, each from what the passes before found: the shortest wins.
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const found = new Map<number, string>();
    for (const [output, inputs] of rules) {
      if (output === 0 || text(output) !== undefined || found.has(output)) continue;
      const parts = inputs.map(text);
      if (parts.some((part) => part === undefined)) continue;
      found.set(output, parts.join(""));
    }
    if (found.size === 0) break;
    for (const [glyph, value] of found) substituted.set(glyph, value);
  }
  return { postscriptName: parsed.postscriptName, mapped, glyphs, substituted, inserted };
}

function collect(type: number | undefined, table: Subtable, rules: [number, number[]][], inserted: Set<number>): void {
  const covered = table.coverage ? coverage(table.coverage) : [];
  if (type === 1) {
    const substitutes = list(table.substitute);
    covered.forEach((glyph, i) => {
      const output = table.version === 1 ? (glyph + (table.deltaGlyphID ?? 0)) & 0xffff : substitutes[i];
      if (output !== undefined) rules.push([output, [glyph]]);
    });
  } else if (type === 3) {
    list(table.alternateSet).forEach((set, i) => {
      const glyph = covered[i];
      if (glyph !== undefined) for (const output of list(set)) rules.push([output, [glyph]]);
    });
  } else if (type === 4) {
    list(table.ligatureSets).forEach((set, i) => {
      const first = covered[i];
      if (first !== undefined)
        for (const ligature of list(set)) rules.push([ligature.glyph, [first, ...list(ligature.components)]]);
    });
  } else if (type === 8) {
    const substitutes = list(table.substitutes);
    covered.forEach((glyph, i) => {
      const output = substitutes[i];
      if (output !== undefined) rules.push([output, [glyph]]);
    });
  } else if (type === 2) {
    // A glyph made into several: the first stands for it, the others are added.
    list(table.sequences).forEach((sequence, i) => {
      const glyph = covered[i];
      list(sequence).forEach((output, at) => {
        if (glyph === undefined || output === glyph) return;
        if (at === 0) rules.push([output, [glyph]]);
        else inserted.add(output);
      });
    });
  }
  // Contextual substitutions (5, 6) apply lookups of the list, which are walked themselves.
}

function coverage(table: Coverage): number[] {
  if (table.version === 1) return list(table.glyphs);
  return list(table.rangeRecords).flatMap(({ start, end }) =>
    Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => start + i),
  );
}

function list<T>(value: Listing<T> | undefined | null): T[] {
  if (!value) return [];
  return Array.isArray(value) ? value : value.toArray();
}

/** A font file's texts; undefined when it cannot be read (the glyphs then stay as Chromium mapped them). */
function readFont(file: string): FontTexts | undefined {
  try {
    return fontTexts(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Each font file read once per process: a build meets the same few fonts in every document. */
const read = new Map<string, FontTexts | undefined>();

const WEIGHTS: Record<string, number> = {
  Thin: 100,
  ExtraLight: 200,
  Light: 300,
  Regular: 400,
  Medium: 500,
  SemiBold: 600,
  Bold: 700,
  ExtraBold: 800,
  Black: 900,
};

/**
 * The texts of the font files among `files` that may be the original of the PDF font `baseFont`
 * (`HAAAAA+Inter-SemiBold`): those whose PostScript name is the same. Only the files whose name
 * (`inter-latin-600-normal.woff2`, as @fontsource names them) fits the family and weight are read.
 */
export function originalFonts(baseFont: string, files: readonly string[]): FontTexts[] {
  const name = baseFont.replace(/^[A-Z]{6}\+/, "");
  const [family = "", style = ""] = name.split("-");
  if (family === "") return [];
  const weight = WEIGHTS[style.replace(/Italic$/, "")];
  const italic = style.endsWith("Italic") ? "italic" : "normal";
  const squeezed = family.toLowerCase();
  const fonts: FontTexts[] = [];
  for (const file of files) {
    const base = path.basename(file).toLowerCase();
    if (!base.replace(/[-_ ]/g, "").startsWith(squeezed)) continue;
    if (weight && /-\d{3}-(normal|italic)\./.test(base) && !base.includes(`-${weight}-${italic}.`)) continue;
    if (!read.has(file)) read.set(file, readFont(file));
    const font = read.get(file);
    if (font?.postscriptName === name) fonts.push(font);
  }
  return fonts;
}
