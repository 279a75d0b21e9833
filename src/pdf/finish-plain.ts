/**
 * Finishing a PDF as Chromium writes it (pdf-syntax.ts), without a full PDF library: the pages of
 * the named destinations are read, the document information and the catalog's /Lang are written,
 * the structure elements' ids renumbered in reading order, and the file saved again with its plain
 * objects packed into compressed object streams. The objects are not rebuilt: each is its original
 * bytes with the few changes spliced in, which makes this several times cheaper than pdf-lib.
 */
import { inflateSync } from "node:zlib";
import pako from "pako";
import { markArtifacts } from "./artifacts.js";
import { Edit } from "./edit.js";
import type { FinishedPdf, FinishRequest } from "./finish.js";
import { fontTexts, originalFonts } from "./font-texts.js";
import { markedTexts, type PageFont, shownText, spaceLineEnds } from "./line-spaces.js";
import { writePageOutline } from "./page-outline.js";
import { keywordsText, type PdfMetadata, type SourceBlock } from "./pdf-metadata.js";
import {
  destinationId,
  type PdfDict,
  type PdfFile,
  type PdfObject,
  type PdfValue,
  pdfText,
  readPdf,
  resolve,
  textOf,
  UnexpectedPdf,
} from "./pdf-syntax.js";
import { sourceTexts } from "./source-text.js";
import {
  levelHeadings,
  mapRoles,
  type Repairs,
  readStructure,
  renumberStructureIds,
  repairStructure,
  rewriteParentTree,
  writeIdTree,
} from "./structure.js";
import { repairToUnicode } from "./to-unicode.js";
import { readUnicodeMap } from "./unicode-map.js";
import { xmpPacket } from "./xmp.js";

export function finishPlainPdf(request: FinishRequest): FinishedPdf {
  const file = readPdf(request.pdf);
  const root = file.trailer.value.get("Root");
  const [catalog] = resolve(file, root, 0);
  if (root?.type !== "ref" || catalog?.type !== "dict") throw new UnexpectedPdf("no catalog");
  const edit = new Edit(file);

  const pageNumbers = pageNumbersOf(file, catalog);
  const pages = request.ids.length > 0 ? destinationPages(file, catalog, pageNumbers, request.ids) : new Map();
  setCatalogEntries(edit, catalog, root.value, request.metadata.lang);
  const structure = readStructure(edit, catalog);
  // First, so that the text read below (line ends, the source's blocks) reads those glyphs too.
  const toUnicode = repairFontUnicode(edit, request.fontFiles ?? []);
  const contents = pageContents(file, pageNumbers, toUnicode);
  const blocks = request.metadata.blocks ?? [];
  let repairs: Repairs | undefined;
  if (structure) {
    const ids = renumberStructureIds(edit, structure);
    mapRoles(edit, structure);
    const sources =
      blocks.length > 0
        ? sourceTexts(file, structure, markedContentTexts(contents), blocks, pdfText)
        : { entries: new Map(), notes: new Map() };
    repairs = repairStructure(edit, structure, sources);
    levelHeadings(edit, structure);
    writeIdTree(edit, structure, [...ids, ...repairs.noteIds]);
    rewriteParentTree(edit, structure, repairs, structParentsOf(file, pageNumbers));
  }
  describeLinks(edit, pageNumbers, request.metadata.targets ?? {});
  markPageArtifacts(edit, contents, repairs?.untagged ?? new Map(), sourceWords(blocks));
  trimToMedia(edit, pageNumbers);
  if (request.metadata.pageOutline)
    writePageOutline(edit, catalog, root.value, request.metadata.pageOutline, [...pageNumbers.keys()]);
  else if (request.metadata.headings)
    retitleOutline(edit, catalog, request.metadata.headings, request.metadata.headingLayouts ?? []);
  addXmp(edit, catalog, root.value, request.metadata);
  const info = file.trailer.value.get("Info");
  const infoNum = info?.type === "ref" ? info.value : edit.add();
  edit.replace(infoNum, infoDict(request.metadata));
  const unmarked = request.marking
    ? unmarkedPages(contents, pageNumbers, request.marking, (pageNum) => formsText(file, pageNum, toUnicode))
    : undefined;
  return { pdf: edit.save(root.value, infoNum), pageCount: pageNumbers.size, pages, ...(unmarked ? { unmarked } : {}) };
}

/**
 * The pages (from 1) whose text does not show the marking, its letters compared without case or
 * spaces: a template edited without its page furniture, or margins too small for it, printed pages
 * with no classification, without a word.
 */
function unmarkedPages(
  contents: Map<number, PageContent>,
  pageNumbers: Map<number, number>,
  marking: string,
  /** The text of the forms a page paints (a marking under `opacity` is drawn in one), asked for only when needed. */
  inForms: (pageNum: number) => string,
): number[] {
  const letters = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, "").toLocaleUpperCase();
  const wanted = letters(marking);
  if (!wanted) return [];
  // Right-to-left text is shown in the order it is drawn: its letters are counted, not read in order.
  const counted = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(wanted);
  const holds = (shown: string) => {
    if (!counted) return shown.includes(wanted);
    const left = new Map<string, number>();
    for (const c of shown) left.set(c, (left.get(c) ?? 0) + 1);
    return [...wanted].every((c) => {
      const n = left.get(c) ?? 0;
      left.set(c, n - 1);
      return n > 0;
    });
  };
  const missing: number[] = [];
  for (const [pageNum, page] of pageNumbers) {
    const content = contents.get(pageNum);
    const shown = content?.streams.map((stream) => shownText(stream.content, content.fonts)).join("") ?? "";
    if (!holds(letters(shown)) && !holds(letters(shown + inForms(pageNum)))) missing.push(page);
  }
  return missing.sort((a, b) => a - b);
}

/**
 * Every link annotation gets an alternate description (28-012): what it points to, the heading or
 * note the document says is there, or the address it opens.
 */
function describeLinks(edit: Edit, pageNumbers: Map<number, number>, targets: Record<string, string>): void {
  for (const pageNum of pageNumbers.keys()) {
    const page = edit.file.objects.get(pageNum)?.value;
    const [annots] = resolve(edit.file, page?.type === "dict" ? page.value.get("Annots") : undefined, pageNum);
    if (annots?.type !== "array") continue;
    for (const item of annots.value) {
      const [annot, num] = resolve(edit.file, item, pageNum);
      if (annot?.type !== "dict" || annot.value.get("Subtype")?.value !== "Link" || annot.value.has("Contents"))
        continue;
      if (item.type !== "ref") throw new UnexpectedPdf("a link annotation that is not an object of its own");
      const description = linkDescription(edit.file, annot, num, targets);
      if (description) edit.insert(num, annot, `/Contents ${pdfText(description)}`);
    }
  }
}

function linkDescription(file: PdfFile, annot: PdfDict, num: number, targets: Record<string, string>): string {
  const [action] = resolve(file, annot.value.get("A"), num);
  const uri = action?.type === "dict" ? textOf(resolve(file, action.value.get("URI"), num)[0]) : undefined;
  if (uri !== undefined) return uri.replace(/^mailto:/, "");
  const dest = annot.value.get("Dest");
  const name = dest?.type === "name" ? dest.value : textOf(dest);
  if (name === undefined) return "";
  const id = destinationId(name);
  return targets[id] ?? id.replace(/^user-content-/, "").replace(/[-_]+/g, " ");
}

/** Page object → its key in the structure's parent tree. */
function structParentsOf(file: PdfFile, pageNumbers: Map<number, number>): Map<number, number> {
  const keys = new Map<number, number>();
  for (const num of pageNumbers.keys()) {
    const page = file.objects.get(num)?.value;
    const key = page?.type === "dict" ? page.value.get("StructParents") : undefined;
    if (key?.type === "number") keys.set(num, key.value);
  }
  return keys;
}

/** A page's content streams, decompressed, and its fonts. */
interface PageContent {
  streams: { num: number; dict: PdfDict; compressed: boolean; content: Uint8Array }[];
  fonts: Map<string, PageFont>;
  /** The page's form XObjects whose own content is tagged (`/StructParents`): never painted inside an artifact. */
  taggedForms: Set<string>;
}

function pageContents(
  file: PdfFile,
  pageNumbers: Map<number, number>,
  toUnicode: Map<number, Uint8Array>,
): Map<number, PageContent> {
  const fontCache = new Map<number, PageFont | null>();
  const result = new Map<number, PageContent>();
  for (const pageNum of pageNumbers.keys()) {
    const page = file.objects.get(pageNum)?.value;
    const contents = page?.type === "dict" ? page.value.get("Contents") : undefined;
    const [list] = resolve(file, contents, pageNum);
    const refs = list?.type === "array" ? list.value : [contents];
    const fonts = page?.type === "dict" ? pageFonts(file, page, pageNum, fontCache, toUnicode) : new Map();
    const streams: PageContent["streams"] = [];
    for (const ref of refs) {
      if (ref?.type !== "ref") throw new UnexpectedPdf("page content that is not a stream of its own");
      const object = file.objects.get(ref.value);
      if (object?.value.type !== "dict" || !object.stream) throw new UnexpectedPdf("page content that is not a stream");
      const filter = object.value.value.get("Filter");
      if (filter && filter.value !== "FlateDecode") throw new UnexpectedPdf("page content of another filter");
      const data = file.bytes.subarray(object.stream.start, object.stream.end);
      streams.push({
        num: ref.value,
        dict: object.value,
        compressed: !!filter,
        content: filter ? inflateSync(data) : data,
      });
    }
    result.set(pageNum, {
      streams,
      fonts,
      taggedForms: page?.type === "dict" ? taggedForms(file, page, pageNum) : new Set(),
    });
  }
  return result;
}

/** Page object → MCID → the text shown in its marked content. */
function markedContentTexts(contents: Map<number, PageContent>): Map<number, Map<number, string>> {
  const result = new Map<number, Map<number, string>>();
  for (const [pageNum, { streams, fonts }] of contents) {
    const texts = new Map<number, string>();
    for (const { content } of streams) markedTexts(content, fonts, texts);
    result.set(pageNum, texts);
  }
  return result;
}

/**
 * Each page's untagged painting wrapped as artifacts (artifacts.ts), and a space shown where a line
 * of tagged text wraps (line-spaces.ts).
 */
function markPageArtifacts(
  edit: Edit,
  contents: Map<number, PageContent>,
  untagged: Map<number, Set<number>>,
  words: ReadonlySet<string>,
): void {
  for (const [pageNum, { streams, fonts, taggedForms }] of contents)
    for (const { num, dict, compressed, content } of streams) {
      const spaced = spaceLineEnds(content, fonts, words);
      const marked = markArtifacts(spaced ?? content, untagged.get(pageNum), taggedForms) ?? spaced;
      if (marked) edit.replaceStream(num, dict, compressed ? pako.deflate(marked, { level: 2 }) : marked);
    }
}

/**
 * A page's form XObjects, by resource name, that hold tagged content of their own: Chromium draws
 * text under `opacity` (a title slide's subtitle) in one, tagged inside it. Wrapped as an artifact
 * where it is painted, that text was hidden from assistive technology (veraPDF 7.1-2).
 */
function taggedForms(file: PdfFile, page: PdfDict, pageNum: number): Set<string> {
  const names = new Set<string>();
  const [dict, dictNum] = pageResources(file, page, pageNum, "XObject");
  if (dict?.type !== "dict") return names;
  for (const [name, value] of dict.value) {
    const [object] = resolve(file, value, dictNum);
    if (object?.type === "dict" && object.value.has("StructParents")) names.add(name);
  }
  return names;
}

/** The text shown in the form XObjects a page paints, and in the forms they paint (each once). */
function formsText(file: PdfFile, pageNum: number, toUnicode: Map<number, Uint8Array>): string {
  const page = file.objects.get(pageNum)?.value;
  if (page?.type !== "dict") return "";
  const seen = new Set<number>();
  const cache = new Map<number, PageFont | null>();
  let text = "";
  const visit = (owner: PdfDict, ownerNum: number, depth: number) => {
    const [dict] = pageResources(file, owner, ownerNum, "XObject");
    if (dict?.type !== "dict" || depth > 8) return;
    for (const value of dict.value.values()) {
      if (value.type !== "ref" || seen.has(value.value)) continue;
      seen.add(value.value);
      const object = file.objects.get(value.value);
      const form = object?.value;
      if (!object?.stream || form?.type !== "dict" || form.value.get("Subtype")?.value !== "Form") continue;
      text += shownText(streamData(file, object), pageFonts(file, form, value.value, cache, toUnicode));
      visit(form, value.value, depth + 1);
    }
  };
  visit(page, pageNum, 0);
  return text;
}

/** One category of a page's resources (`Font`, `XObject`), and the object it is in. */
function pageResources(file: PdfFile, page: PdfDict, pageNum: number, category: string) {
  const [resources, resourcesNum] = resolve(file, page.value.get("Resources"), pageNum);
  return resolve(file, resources?.type === "dict" ? resources.value.get(category) : undefined, resourcesNum);
}

/** A page's fonts by resource name: each one's ToUnicode map and the code it shows a space with. */
function pageFonts(
  file: PdfFile,
  page: PdfDict,
  pageNum: number,
  cache: Map<number, PageFont | null>,
  toUnicode: Map<number, Uint8Array>,
): Map<string, PageFont> {
  const fonts = new Map<string, PageFont>();
  const [dict, dictNum] = pageResources(file, page, pageNum, "Font");
  if (dict?.type !== "dict") return fonts;
  for (const [name, value] of dict.value) {
    if (value.type !== "ref") continue;
    let font = cache.get(value.value);
    if (font === undefined) {
      const [object] = resolve(file, value, dictNum);
      const ref = object?.type === "dict" ? object.value.get("ToUnicode") : undefined;
      const cmap = ref?.type === "ref" ? file.objects.get(ref.value) : undefined;
      const repaired = ref?.type === "ref" ? toUnicode.get(ref.value) : undefined;
      const map = cmap?.stream ? readUnicodeMap(repaired ?? streamData(file, cmap)) : undefined;
      const space = map ? [...map.chars].find(([, text]) => text === " ")?.[0] : undefined;
      font = map ? { map, space } : null;
      cache.set(value.value, font);
    }
    if (font) fonts.set(name, font);
  }
  return fonts;
}

/** The words of the source's texts, lower case: where a line broke inside one, no space is added. */
function sourceWords(blocks: SourceBlock[]): Set<string> {
  const words = new Set<string>();
  for (const { text } of blocks)
    for (const word of text.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) ?? []) words.add(word);
  return words;
}

/**
 * Outline titles as the source writes the headings: Chromium takes them from the layout, so an
 * Arabic title has its words in visual order and a title that wraps loses the space at the wrap.
 * A title is replaced by the heading whose characters, spaces aside, are the same ones (or whose
 * laid-out text has them, for a heading with an image left out).
 */
function retitleOutline(
  edit: Edit,
  catalog: PdfDict,
  headings: string[],
  layouts: { layout: string; text: string }[],
): void {
  const key = (text: string) => [...text.replace(/\s+/g, "")].sort().join("");
  const byKey = new Map<string, string | null>();
  const add = (laidOut: string, heading: string) => {
    const k = key(laidOut);
    const known = byKey.get(k);
    byKey.set(k, known === undefined || known === heading ? heading : null);
  };
  for (const heading of headings) add(heading, heading);
  // A heading with an image left out: titled by the image's alt text, not the placeholder's words.
  for (const { layout, text } of layouts) add(layout, text);
  const { file } = edit;
  const walk = (first: PdfValue | undefined, owner: number, depth: number) => {
    let [item, num] = resolve(file, first, owner);
    for (let count = 0; item?.type === "dict" && count < 100_000 && depth < 32; count++) {
      const title = item.value.get("Title");
      const text = textOf(title);
      const source = text === undefined ? undefined : byKey.get(key(text));
      if (title && source && source !== text) edit.splice(num, title.start, title.end, pdfText(source));
      walk(item.value.get("First"), num, depth + 1);
      [item, num] = resolve(file, item.value.get("Next"), num);
    }
  };
  const [outlines, num] = resolve(file, catalog.value.get("Outlines"), 0);
  if (outlines?.type === "dict") walk(outlines.value.get("First"), num, 0);
}

/** A TrimBox equal to each page's MediaBox: print workflows ask for one (Chromium prints no bleed). */
function trimToMedia(edit: Edit, pageNumbers: Map<number, number>): void {
  for (const num of pageNumbers.keys()) {
    const page = edit.file.objects.get(num)?.value;
    if (page?.type !== "dict" || page.value.has("TrimBox")) continue;
    const media = page.value.get("MediaBox");
    if (media?.type !== "array") throw new UnexpectedPdf("a page without a MediaBox of its own");
    edit.insert(num, page, `/TrimBox ${edit.source(media)}`);
  }
}

/**
 * ToUnicode maps without U+0000 targets (to-unicode.ts), from the embedded programs and
 * `fontFiles`: each repaired map's object and its new data.
 */
function repairFontUnicode(edit: Edit, fontFiles: readonly string[]): Map<number, Uint8Array> {
  const repairs = new Map<number, Uint8Array>();
  const { file } = edit;
  for (const [num, object] of file.objects) {
    const font = object.value;
    if (font.type !== "dict" || font.value.get("Type")?.value !== "Font") continue;
    const toUnicode = font.value.get("ToUnicode");
    const cmap = toUnicode?.type === "ref" ? file.objects.get(toUnicode.value) : undefined;
    if (!cmap?.stream || cmap.value.type !== "dict" || toUnicode?.type !== "ref" || repairs.has(toUnicode.value))
      continue;
    const baseFont = font.value.get("BaseFont");
    const repaired = repairToUnicode(streamData(file, cmap), () => {
      // Codes are glyph ids only in a Type 0 font, Identity-H, whose CIDs are its glyph ids.
      if (font.value.get("Encoding")?.value !== "Identity-H") return [];
      const program = fontProgram(file, font, num);
      if (program === null) return [];
      const name = baseFont?.type === "name" ? String(baseFont.value) : "";
      return [program && fontTexts(program), ...originalFonts(name, fontFiles)];
    });
    if (!repaired) continue;
    edit.replaceStream(toUnicode.value, cmap.value, deflateIf(cmap.value, repaired));
    repairs.set(toUnicode.value, repaired);
  }
  return repairs;
}

/**
 * The TrueType program of a Type 0 font whose CIDs are its glyph ids: undefined if it embeds none,
 * null if its CIDs are not its glyph ids.
 */
function fontProgram(file: PdfFile, font: PdfDict, num: number): Uint8Array | undefined | null {
  const [descendants, owner] = resolve(file, font.value.get("DescendantFonts"), num);
  const [cidFont, cidNum] = resolve(file, descendants?.type === "array" ? descendants.value[0] : undefined, owner);
  if (cidFont?.type !== "dict" || cidFont.value.get("CIDToGIDMap")?.value !== "Identity") return null;
  const [descriptor] = resolve(file, cidFont.value.get("FontDescriptor"), cidNum);
  const program = descriptor?.type === "dict" ? descriptor.value.get("FontFile2") : undefined;
  const object = program?.type === "ref" ? file.objects.get(program.value) : undefined;
  return object?.stream ? streamData(file, object) : undefined;
}

/** A stream's data, decompressed when it is Flate-compressed. */
function streamData(file: PdfFile, object: PdfObject): Uint8Array {
  const data = file.bytes.subarray(object.stream?.start ?? 0, object.stream?.end ?? 0);
  const filter = object.value.type === "dict" ? object.value.value.get("Filter") : undefined;
  if (!filter) return data;
  if (filter.value !== "FlateDecode") throw new UnexpectedPdf("a stream of another filter");
  return inflateSync(data);
}

function deflateIf(dict: PdfDict, data: Uint8Array): Uint8Array {
  return dict.value.has("Filter") ? pako.deflate(data, { level: 6 }) : data;
}

/** XMP metadata saying what the document information says, and that the file is PDF/UA-1 (06-001…003). */
function addXmp(edit: Edit, catalog: PdfDict, catalogNum: number, meta: PdfMetadata): void {
  if (catalog.value.has("Metadata")) throw new UnexpectedPdf("a catalog with metadata");
  const num = edit.add();
  edit.addStream(num, "/Type /Metadata\n/Subtype /XML", Buffer.from(xmpPacket(meta), "utf8"));
  edit.insert(catalogNum, catalog, `/Metadata ${num} 0 R`);
}

/** Page object number → page number (1-based), in the page tree's order. */
function pageNumbersOf(file: PdfFile, catalog: PdfDict): Map<number, number> {
  const numbers = new Map<number, number>();
  const walk = (node: PdfValue | undefined, depth: number) => {
    if (node?.type !== "ref" || depth > 32) throw new UnexpectedPdf("a malformed page tree");
    const [dict] = resolve(file, node, 0);
    if (dict?.type !== "dict") throw new UnexpectedPdf("a malformed page tree");
    const kids = dict.value.get("Kids");
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, depth + 1);
    else numbers.set(node.value, numbers.size + 1);
  };
  walk(catalog.value.get("Pages"), 0);
  return numbers;
}

/** Page number of each of `ids` that has a destination, in the catalog's /Dests or the /Dests name tree. */
function destinationPages(
  file: PdfFile,
  catalog: PdfDict,
  pageNumbers: Map<number, number>,
  ids: string[],
): Map<string, number> {
  const wanted = new Set(ids);
  const result = new Map<string, number>();
  const add = (name: string, value: PdfValue | undefined) => {
    const id = destinationId(name);
    if (!wanted.has(id)) return;
    let [target] = resolve(file, value, 0);
    if (target?.type === "dict") [target] = resolve(file, target.value.get("D"), 0);
    const page = target?.type === "array" ? target.value[0] : undefined;
    const number = page?.type === "ref" ? pageNumbers.get(page.value) : undefined;
    if (number !== undefined) result.set(id, number);
  };
  const [dests] = resolve(file, catalog.value.get("Dests"), 0);
  if (dests?.type === "dict") for (const [name, value] of dests.value) add(name, value);
  const [names] = resolve(file, catalog.value.get("Names"), 0);
  const walk = (node: PdfValue | undefined, depth: number) => {
    const [dict] = resolve(file, node, 0);
    if (dict?.type !== "dict" || depth > 32) return;
    const pairs = resolve(file, dict.value.get("Names"), 0)[0];
    if (pairs?.type === "array")
      for (let i = 0; i + 1 < pairs.value.length; i += 2) {
        const key = textOf(pairs.value[i]);
        if (key !== undefined) add(key, pairs.value[i + 1]);
      }
    const kids = resolve(file, dict.value.get("Kids"), 0)[0];
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, depth + 1);
  };
  if (names?.type === "dict") walk(names.value.get("Dests"), 0);
  return result;
}

/** /Lang as the document says, and a window title from the document's title. */
function setCatalogEntries(edit: Edit, catalog: PdfDict, num: number, lang: string): void {
  const current = catalog.value.get("Lang");
  if (textOf(current) !== lang) {
    if (current) edit.splice(num, current.start, current.end, pdfText(lang));
    else edit.insert(num, catalog, `/Lang ${pdfText(lang)}`);
  }
  const [preferences] = resolve(edit.file, catalog.value.get("ViewerPreferences"), num);
  if (!preferences) edit.insert(num, catalog, "/ViewerPreferences <</DisplayDocTitle true>>");
  else if (preferences.type !== "dict" || preferences.value.get("DisplayDocTitle")?.value !== "true")
    throw new UnexpectedPdf("viewer preferences without the document title");
}

function infoDict(meta: PdfMetadata): string {
  const entries: [string, string | null][] = [
    ["Title", meta.title],
    ["Author", meta.authors.length ? meta.authors.join("; ") : null],
    ["Subject", meta.subject],
    ["Keywords", meta.keywords.length ? keywordsText(meta.keywords) : null],
    ["Creator", meta.creator],
    ["Producer", meta.creator],
  ];
  const date = pdfDate(meta.date);
  const text = entries.filter(([, value]) => value !== null).map(([key, value]) => `/${key} ${pdfText(value ?? "")}`);
  return `<<${text.join("\n")}\n/CreationDate ${date}\n/ModDate ${date}>>`;
}

function pdfDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `(D:${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z)`;
}
