/**
 * Chromium maps some glyphs to U+0000 in a font's ToUnicode map (a dash drawn in an SVG chart, an
 * Arabic ligature), so a screen reader or a copy gets nothing there (Matterhorn 31-028). Each such
 * code (a glyph id: Chromium's fonts are Identity-H with CIDToGIDMap Identity) is mapped to the
 * text the fonts given say the glyph stands for (font-texts.ts): the embedded program's own cmap,
 * then the original font file's cmap and substitutions. Only a font whose known mappings agree
 * with the map's is asked, so that another subset file of the same family is never taken for it.
 * A code none of them knows is left as it is.
 */
import type { FontTexts } from "./font-texts.js";
import { utf16Hex } from "./pdf-syntax.js";
import { readUnicodeMap } from "./unicode-map.js";

/** The ToUnicode CMap with its U+0000 targets repaired from `fonts`; undefined when it has none or none could be. */
export function repairToUnicode(cmap: Uint8Array, fonts: () => (FontTexts | undefined)[]): Uint8Array | undefined {
  const text = Buffer.from(cmap).toString("latin1");
  if (!/<[0-9A-Fa-f]+>\s*<0000>/.test(text)) return undefined;
  const known = readUnicodeMap(cmap).chars;
  const fitting = fonts().filter((font): font is FontTexts => font !== undefined && agrees(font, known));
  const lookUp = (glyph: number) => {
    for (const font of fitting) {
      // A glyph added by a substitution stands for no character: a zero-width joiner, which
      // reads as nothing and, between Arabic letters, says what the stroke does.
      const found = font.mapped.get(glyph) ?? (font.inserted.has(glyph) ? "\u200D" : font.substituted.get(glyph));
      if (found) return found;
    }
    return undefined;
  };
  let changed = false;
  const repaired = text.replace(
    /(\d+)(\s+)beginbfchar([\s\S]*?)endbfchar/g,
    (_, _count, space: string, body: string) => {
      const entries = [...body.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)].map(([, code = "", target = ""]) => {
        if (target !== "0000") return `<${code}> <${target}>`;
        const found = lookUp(Number.parseInt(code, 16));
        // None known: kept as Chromium wrote it (pdf.js then finds the letter from the font itself).
        changed ||= found !== undefined;
        return `<${code}> <${found === undefined ? "0000" : utf16Hex(found)}>`;
      });
      return `${entries.length}${space}beginbfchar\n${entries.join("\n")}\nendbfchar`;
    },
  );
  return changed ? Buffer.from(repaired, "latin1") : undefined;
}

/**
 * Whether `font` is the font the map was written for. Of the map's glyphs that the font's cmap
 * draws some character with, one agrees when its character is one of those (a glyph drawn for two
 * characters, a space and a no-break space, agrees for either), and disagrees otherwise (another
 * subset file of the same font). At most one in ten may disagree, and at least three (or all that
 * count) must agree.
 */
function agrees(font: FontTexts, known: Map<number, string>): boolean {
  let same = 0;
  let other = 0;
  for (const [glyph, text] of known) {
    if (text === "\0" || [...text].length !== 1) continue;
    // Only glyphs of the font's cmap count: another glyph may be a form of the character that a
    // substitution makes (Arabic's initial, medial and final forms).
    if (!font.mapped.has(glyph)) continue;
    if (font.glyphs.get(text) === glyph) same++;
    else other++;
  }
  return same > 0 && same >= Math.min(3, same + other) && other * 10 <= same;
}
