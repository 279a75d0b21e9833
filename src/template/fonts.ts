/**
 * @font-face rules with the font files inlined as `data:` URLs, built from the @fontsource
 * packages named in templates/fonts.yaml. Only WOFF2 is inlined; every browser that prints reads it.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parse } from "yaml";
import { PACKAGE_ROOT } from "../package-root.js";
import { loadFontkit } from "../pdf/font-texts.js";
import { KEYCAP_FAMILY } from "../transform/keycaps.js";
import { type TemplateDirs, templateFile } from "./layers.js";

interface FontEntry {
  package: string;
  styles: (string | number)[];
  subsets: string[];
  /** The characters to take the face for, instead of its package's unicode-range (a fallback face). */
  "unicode-range"?: string;
  /**
   * The characters to take the face for at most: each of the package's rules keeps the part of its
   * own range inside this one, and a rule left with none is dropped (an emoji face sliced in eleven
   * files, whose slices also hold the digits, `#` and `*` of keycaps).
   */
  "within-range"?: string;
}

const require = createRequire(import.meta.url);
export interface FontRule {
  family: string;
  css: string;
  /** From the rule's unicode-range: [first, last] code points; empty means every character. */
  ranges: [number, number][];
  /** Matches a text holding at least one character of the ranges (a native scan, not a loop in JavaScript). */
  covers: RegExp | null;
  /**
   * For a face whose range Press set (fonts.yaml's `unicode-range`), which the face's glyphs need
   * not fill: the code points it has a glyph for, read from the font when first asked.
   */
  glyphs?: () => Set<number>;
}

export interface FontFaces {
  /** Each rule with the family it declares and the code points it covers. */
  rules: FontRule[];
  /** The font files inlined (for the cache key). */
  files: string[];
}

const cache = new Map<string, FontFaces>();

/**
 * The CSS and the font files it inlines (for the cache key): the fonts.yaml of the first templates
 * folder that has one. Font packages are looked for from that folder, the working folder and Press.
 */
export function fontFaces(dirs: TemplateDirs, themePackages: readonly string[] = []): FontFaces {
  const listFile = templateFile(dirs, "fonts.yaml");
  const key = [...dirs, ...themePackages].join("\0");
  const cached = cache.get(key);
  if (cached) return cached;
  const listed = fs.existsSync(listFile)
    ? ((parse(fs.readFileSync(listFile, "utf8")) as FontEntry[] | null) ?? [])
    : [];
  const entries = [...listed, ...themePackages.map((name) => themeEntry(name, listFile))];
  const rules: FontFaces["rules"] = [];
  const files: string[] = [];
  for (const entry of entries ?? []) {
    const dir = packageDir(entry.package, listFile);
    const where = `${path.relative(process.cwd(), listFile)}: ${entry.package}`;
    for (const style of entry.styles) {
      const cssFile = path.join(dir, `${style}.css`);
      // A style or subset the package does not have left the face out without a word (the
      // machine's font printed instead), or stopped the build with a bare ENOENT.
      if (!fs.existsSync(cssFile)) throw new Error(`${where} has no style ${style} (it has ${stylesOf(dir)})`);
      const css = fs.readFileSync(cssFile, "utf8");
      const subsets = subsetsOf(css, entry.package);
      const unknown = entry.subsets.filter((subset) => subset !== "*" && subsets.size > 0 && !subsets.has(subset));
      if (unknown.length > 0)
        throw new Error(`${where} has no subset ${unknown.join(", ")} (it has ${[...subsets].join(", ")})`);
      for (const rule of css.match(/@font-face\s*\{[^}]*\}/g) ?? []) {
        const woff2 = /url\(\.\/files\/([^)]+?\.woff2)\)/.exec(rule)?.[1];
        if (!woff2 || !entry.subsets.some((subset) => subsetMatches(woff2, subset))) continue;
        const file = path.join(dir, "files", woff2);
        files.push(file);
        const bytes = fs.readFileSync(file);
        const range = entry["unicode-range"] ?? within(rule, entry["within-range"]);
        if (range === "") continue;
        const own = range === undefined ? rule : setRange(rule, range);
        const css = own
          .replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${bytes.toString("base64")}) format("woff2");`)
          .replace(/font-display:[^;]+;/, "font-display: block;");
        const ranges = unicodeRanges(own);
        rules.push({
          family: /font-family:\s*'([^']+)'/.exec(rule)?.[1] ?? "",
          css,
          ranges,
          covers: rangePattern(ranges),
          ...(entry["unicode-range"] === undefined ? {} : { glyphs: once(() => glyphsOf(bytes)) }),
        });
        // A face kept from the digits that has keycaps (keycaps.ts): the same file again, for the
        // whole sequence, under a family only a keycap's span asks for, inlined only where one is.
        if (entry["within-range"] !== undefined && holdsKeycaps(rule)) {
          rules.push({
            family: KEYCAP_FAMILY,
            css: setRange(css.replace(/font-family:\s*'[^']+'/, `font-family: '${KEYCAP_FAMILY}'`), KEYCAP_RANGE),
            ranges: [[0x20e3, 0x20e3]],
            covers: /\u20E3/u,
          });
        }
      }
    }
  }
  const result = { rules, files };
  cache.set(key, result);
  return result;
}

/**
 * A theme's font package: its regular, bold and italic faces where it has them, every subset (each
 * inlined only where used: a Chinese face's script was left out, only its Latin taken, and its
 * characters printed as boxes).
 */
function themeEntry(name: string, listFile: string): FontEntry {
  const dir = packageDir(name, listFile);
  const styles = ["400", "400-italic", "600", "700", "700-italic"].filter((style) =>
    fs.existsSync(path.join(dir, `${style}.css`)),
  );
  return { package: name, styles: styles.length ? styles : ["index"], subsets: ["*"] };
}

/**
 * The stylesheets with each family fonts.yaml lists that none of them names added to the end of
 * `--fallbacks` (palette.css), so that the font stacks reach it: a face added to fonts.yaml for a
 * script (as the missing-glyph hint says) was inlined and counted as covering its characters, but
 * no stack named it, and they printed as boxes.
 */
export function withListedFamilies(css: string, dirs: TemplateDirs): string {
  const named = (family: string) => css.includes(`"${family}"`) || css.includes(`'${family}'`);
  const families = [...new Set(fontFaces(dirs).rules.map((rule) => rule.family))].filter(
    (family) => family && family !== KEYCAP_FAMILY && !named(family),
  );
  if (families.length === 0) return css;
  const current = [...css.matchAll(/--fallbacks:\s*([^;]+);/g)].pop()?.[1]?.trim();
  if (!current) return css;
  return `${css}\n:root { --fallbacks: ${current}, ${families.map((family) => `"${family}"`).join(", ")}; }`;
}

/** The family a font package declares (`Lora` for @fontsource/lora). */
export function fontFamily(name: string): string | undefined {
  const dir = packageDir(name, path.join(process.cwd(), "press.config.yaml"));
  for (const file of ["400.css", "index.css"]) {
    const css = path.join(dir, file);
    if (fs.existsSync(css)) return /font-family:\s*'([^']+)'/.exec(fs.readFileSync(css, "utf8"))?.[1];
  }
  return undefined;
}

function packageDir(name: string, listFile: string): string {
  try {
    return path.dirname(
      // Beside the fonts.yaml naming it, then the working folder, then Press's own (its fonts are its dependencies).
      require.resolve(`${name}/package.json`, { paths: [path.dirname(listFile), process.cwd(), PACKAGE_ROOT] }),
    );
  } catch {
    throw new Error(`font package ${name} (named in ${listFile}) is not installed: npm install ${name}`);
  }
}

/** The subsets a package's stylesheet names (`inter-latin-ext-400-normal.woff2`: latin-ext). */
function subsetsOf(css: string, name: string): Set<string> {
  const prefix = `${name.replace(/^@[^/]+\//, "")}-`;
  const subsets = new Set<string>();
  for (const [, file = ""] of css.matchAll(/url\(\.\/files\/([^)]+?)\.woff2\)/g)) {
    if (file.startsWith(prefix)) subsets.add(file.slice(prefix.length).replace(/-\d+-(?:normal|italic)$/, ""));
  }
  return subsets;
}

/** The styles a package has (its `400.css`, `700-italic.css`, …). */
function stylesOf(dir: string): string {
  const styles = fs.readdirSync(dir).flatMap((file) => /^(\d+(?:-italic)?)\.css$/.exec(file)?.slice(1) ?? []);
  return styles.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || a.localeCompare(b)).join(", ");
}

/** `inter-latin-400-normal.woff2` is the latin subset; `inter-latin-ext-…` is latin-ext, not latin. */
function subsetMatches(file: string, subset: string): boolean {
  if (subset === "*") return true;
  return new RegExp(`-${subset}-\\d+-(?:normal|italic)\\.woff2$`).test(file);
}

/**
 * An SVG shown through <img> cannot see the document's fonts, so Chromium would draw its text in a
 * system font. Give it the @font-face rules of the bundled families it names, inside the SVG itself.
 */
export function svgWithFonts(svg: string, dirs: TemplateDirs, themePackages: readonly string[] = []): string {
  // Of those, the faces its characters need (a Cyrillic subset only for Cyrillic text).
  const rules = fontFaces(dirs, themePackages).rules.filter(
    (rule) => rule.family && svg.includes(rule.family) && (rule.covers === null || rule.covers.test(svg)),
  );
  if (rules.length === 0) return svg;
  const style = `<style>${rules.map((r) => r.css).join("\n")}</style>`;
  return svg.replace(/<svg\b[^>]*>/, (open) => `${open}${style}`);
}

/**
 * The @font-face rules a text needs: a rule whose unicode-range holds none of the text's
 * characters would never be used, so it is left out (an English document carries no Arabic font).
 */
export function fontFacesFor(dirs: TemplateDirs, text: string, themePackages: readonly string[] = []): string {
  return fontFaces(dirs, themePackages)
    .rules.filter((rule) => rule.covers === null || rule.covers.test(text))
    .map((rule) => rule.css)
    .join("\n");
}

/**
 * The characters of `text` that no bundled font face covers (white space, controls and format
 * characters aside): Chromium draws them in a system font if the machine has one that does, and
 * as nothing otherwise, so the reader may never see them.
 */
export function uncoveredCharacters(dirs: TemplateDirs, text: string): string[] {
  const { rules } = fontFaces(dirs);
  if (rules.length === 0 || rules.some((rule) => rule.covers === null && !rule.glyphs)) return [];
  // Faces taken at their word first (their range is their package's); a character only a face of a
  // range Press set may have is then looked up in that face's glyphs.
  const ranges = rules.flatMap((rule) => (rule.glyphs ? [] : rule.ranges));
  const covered = rangePattern(ranges)?.source.slice(1, -1) ?? "";
  // Variation selectors (U+FE0F after ❤ and ⚠) choose a glyph's style; nothing draws them.
  const outside = new RegExp(`[^${covered}\\s\\p{Cc}\\p{Cf}\\p{Zs}\\u{FE00}-\\u{FE0F}]`, "gu");
  const set = rules.filter((rule) => rule.glyphs);
  return [...new Set(text.match(outside) ?? [])].filter(
    (c) => !set.some((rule) => rule.covers?.test(c) && rule.glyphs?.().has(c.codePointAt(0) ?? -1)),
  );
}

/** The characters of a keycap: the digits, `#`, `*`, the emoji selector and the keycap mark. */
const KEYCAP_RANGE = "U+23, U+2A, U+30-39, U+FE0F, U+20E3";

/** Whether a rule's own range holds a keycap's every character. */
function holdsKeycaps(rule: string): boolean {
  const ranges = unicodeRanges(rule);
  const has = (c: number) => ranges.some(([a, b]) => a <= c && c <= b);
  return [0x23, 0x2a, 0x30, 0x39, 0xfe0f, 0x20e3].every(has);
}

/** The rule with its unicode-range set to `range`. */
function setRange(rule: string, range: string): string {
  const declaration = `unicode-range: ${range};`;
  return /unicode-range:[^;]+;/.test(rule)
    ? rule.replace(/unicode-range:[^;]+;/, declaration)
    : rule.replace(/\}\s*$/, `  ${declaration}\n}`);
}

/** The code points a font file has glyphs for. */
function glyphsOf(bytes: Buffer): Set<number> {
  const font = loadFontkit().create(bytes);
  return new Set("characterSet" in font ? font.characterSet : []);
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** The part of a rule's unicode-range inside `limit`, as a unicode-range; "" for none; undefined for no limit. */
function within(rule: string, limit: string | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const bounds = unicodeRanges(`unicode-range: ${limit};`);
  const own = unicodeRanges(rule);
  const kept: string[] = [];
  for (const [a, b] of own.length > 0 ? own : [[0, 0x10ffff] as [number, number]])
    for (const [c, d] of bounds) {
      const first = Math.max(a, c);
      const last = Math.min(b, d);
      if (first <= last)
        kept.push(first === last ? `U+${first.toString(16)}` : `U+${first.toString(16)}-${last.toString(16)}`);
    }
  return kept.join(", ");
}

/** A character class of the ranges, for the `u` flag; null for no ranges (every character). */
function rangePattern(ranges: [number, number][]): RegExp | null {
  if (ranges.length === 0) return null;
  const hex = (c: number) => `\\u{${c.toString(16)}}`;
  return new RegExp(`[${ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("")}]`, "u");
}

function unicodeRanges(rule: string): [number, number][] {
  const list = /unicode-range:\s*([^;]+);/.exec(rule)?.[1] ?? "";
  return list
    .split(",")
    .map((part) => part.trim().replace(/^U\+/i, ""))
    .filter(Boolean)
    .map((part): [number, number] => {
      if (part.includes("?"))
        return [Number.parseInt(part.replace(/\?/g, "0"), 16), Number.parseInt(part.replace(/\?/g, "F"), 16)];
      const [first, last] = part.split("-");
      const a = Number.parseInt(first ?? "0", 16);
      return [a, last ? Number.parseInt(last, 16) : a];
    });
}
