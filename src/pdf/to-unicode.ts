/**
 * Chromium maps some glyphs to U+0000 in a font's ToUnicode map (a dash drawn in an SVG chart, an
 * Arabic ligature), so a screen reader or a copy gets nothing there (Matterhorn 31-028). The
 * embedded font program's own cmap table says which character a glyph is drawn for: those
 * entries are mapped to it instead; any the cmap does not know are left as they are.
 */

/** The ToUnicode CMap with its U+0000 targets repaired from `font` (a TrueType program); undefined when it has none. */
export function repairToUnicode(cmap: Uint8Array, font: () => Uint8Array | undefined): Uint8Array | undefined {
  const text = Buffer.from(cmap).toString("latin1");
  if (!/<[0-9A-Fa-f]+>\s*<0000>/.test(text)) return undefined;
  const program = font();
  const characters = program ? glyphCharacters(program) : new Map<number, number>();
  let changed = false;
  const repaired = text.replace(
    /(\d+)(\s+)beginbfchar([\s\S]*?)endbfchar/g,
    (_, _count, space: string, body: string) => {
      const entries = [...body.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)].flatMap(
        ([, code = "", target = ""]) => {
          if (target !== "0000") return [`<${code}> <${target}>`];
          const character = characters.get(Number.parseInt(code, 16));
          // None known: kept as Chromium wrote it (pdf.js then finds the letter from the font itself).
          changed ||= character !== undefined;
          return [`<${code}> <${character === undefined ? "0000" : utf16Hex(character)}>`];
        },
      );
      return `${entries.length}${space}beginbfchar\n${entries.join("\n")}\nendbfchar`;
    },
  );
  return changed ? Buffer.from(repaired, "latin1") : undefined;
}

function utf16Hex(code: number): string {
  const units = code > 0xffff ? [0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff)] : [code];
  return units.map((unit) => unit.toString(16).toUpperCase().padStart(4, "0")).join("");
}

/** Glyph id → the character the font's cmap maps to it (the first met), from its Unicode subtables. */
export function glyphCharacters(font: Uint8Array): Map<number, number> {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const result = new Map<number, number>();
  const tables = view.getUint16(4);
  let cmap = -1;
  for (let i = 0; i < tables; i++) {
    const entry = 12 + i * 16;
    if (entry + 16 > font.length) return result;
    if (view.getUint32(entry) === 0x636d6170) cmap = view.getUint32(entry + 8);
  }
  if (cmap < 0 || cmap + 4 > font.length) return result;
  const subtables = view.getUint16(cmap + 2);
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + i * 8;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    if (!(platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10)))) continue;
    const table = cmap + view.getUint32(record + 4);
    const format = view.getUint16(table);
    const add = (code: number, glyph: number) => {
      if (glyph !== 0 && !result.has(glyph)) result.set(glyph, code);
    };
    if (format === 4) readFormat4(view, table, add);
    else if (format === 12) {
      const groups = view.getUint32(table + 12);
      for (let g = 0; g < groups; g++) {
        const at = table + 16 + g * 12;
        const start = view.getUint32(at);
        const end = view.getUint32(at + 4);
        const glyph = view.getUint32(at + 8);
        for (let code = start; code <= end && code - start < 0x10000; code++) add(code, glyph + code - start);
      }
    }
  }
  return result;
}

function readFormat4(view: DataView, table: number, add: (code: number, glyph: number) => void): void {
  const segments = view.getUint16(table + 6) / 2;
  const ends = table + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const offsets = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const start = view.getUint16(starts + s * 2);
    const end = view.getUint16(ends + s * 2);
    const delta = view.getInt16(deltas + s * 2);
    const offset = view.getUint16(offsets + s * 2);
    for (let code = start; code <= end && code !== 0xffff; code++) {
      let glyph: number;
      if (offset === 0) glyph = (code + delta) & 0xffff;
      else {
        const at = offsets + s * 2 + offset + (code - start) * 2;
        if (at + 2 > view.byteLength) continue;
        glyph = view.getUint16(at);
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      add(code, glyph);
    }
  }
}
