/**
 * Structure elements given the text the source writes for them (ISO 32000-1 14.9.4 ActualText),
 * where what their content shows reads otherwise: a paragraph whose lines wrap (Chromium draws no
 * space at the wrap, so its tagged text runs "for" into "publication"), a heading set in capitals,
 * and Arabic, which Chromium draws, and tags, line by line in visual word order. And a `Lang` where
 * the source block's language is not the document's (the English title on an Arabic cover).
 *
 * Each element is matched to a source block by its letters and digits: the same ones in the same
 * order, or for right-to-left text the same ones in any order (a few fewer allowed, for glyphs
 * Chromium maps to no character), so an element never receives a text other than its own.
 */
import type { SourceBlock } from "./pdf-metadata.js";
import { type PdfFile, type PdfValue, resolve } from "./pdf-syntax.js";
import type { Structure, StructureElement } from "./structure.js";

/** Types whose text is a block's: what the source's paragraphs, headings, cells and captions become. */
const BLOCK_TYPES = new Set("P H H1 H2 H3 H4 H5 H6 TD TH Caption LI NonStruct Div".split(" "));
/** Types inside which a block's element is another block (its own text then belongs to that one). */
const NESTED_BLOCKS = new Set(
  "P H H1 H2 H3 H4 H5 H6 TD TH Caption LI L Table Figure Sect Part Art BlockQuote Note".split(" "),
);
const RIGHT_TO_LEFT = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
/** How many blocks ahead of the last match a right-to-left element's block is looked for. */
const WINDOW = 40;

/**
 * What an element gets: its entries, to add to its dictionary (or to its list body's, for an LI);
 * and the list items that are footnotes, with each one's id.
 */
export interface SourceEntries {
  entries: Map<StructureElement, string>;
  notes: Map<StructureElement, string>;
}

export function sourceTexts(
  file: PdfFile,
  structure: Structure,
  /** Page object → MCID → the text its marked content shows. */
  marked: Map<number, Map<number, string>>,
  blocks: SourceBlock[],
  pdfText: (text: string) => string,
): SourceEntries {
  const entries = new Map<StructureElement, string>();
  const notes = new Map<StructureElement, string>();
  const byKey = new Map<string, number[]>();
  const keys = blocks.map((block) => key(block.text));
  keys.forEach((k, index) => {
    if (k) byKey.set(k, [...(byKey.get(k) ?? []), index]);
  });
  let next = 0;
  const matched = new Set<StructureElement>();
  const withinMatched = (element: StructureElement) => {
    for (let p = element.parent; p; p = p.parent) if (matched.has(p)) return true;
    return false;
  };
  for (const element of structure.elements) {
    if (!BLOCK_TYPES.has(element.type) || element.direct || withinMatched(element) || hasNestedBlock(file, element))
      continue;
    const shown = elementText(file, element, marked);
    const k = key(shown);
    if (!k) continue;
    let index = (byKey.get(k) ?? []).find((i) => i >= next) ?? byKey.get(k)?.[0];
    // Words in another order: not for one short word (read right as it is, and another word may
    // have the same letters).
    /** A number the element shows after the block's text: a contents entry's page number. */
    let pageNumber = "";
    if (index === undefined && RIGHT_TO_LEFT.test(shown) && (/\S\s+\S/.test(shown) || k.length >= 6)) {
      index = nearestAnagram(keys, k, next);
      // A contents entry (a list item or link): a heading and, drawn at one end or the other, its
      // page number.
      for (const end of element.type === "LI" || element.type === "Link" ? [/(\p{N}+)\s*$/u, /^\s*(\p{N}+)/u] : []) {
        const number = end.exec(shown);
        if (index !== undefined || !number?.[1]) continue;
        index = nearestAnagram(keys, key(shown.replace(number[0], "")), next);
        if (index !== undefined) pageNumber = number[1];
      }
    }
    const block = index === undefined ? undefined : blocks[index];
    if (index === undefined || !block) continue;
    // A contents entry matches a heading far ahead: the body is still to come.
    if (!pageNumber) next = index + 1;
    matched.add(element);
    const parts: string[] = [];
    const written = pageNumber ? `${block.text} ${pageNumber}` : block.text;
    // Right-to-left runs are read in an order of each reader's own (pdf.js reverses Chromium's
    // /ReversedChars): their text is always given. Left to right, a block with a part in another
    // language gets its source text run by run instead, so that the part keeps its Lang (an
    // ActualText on the block would stand for it and its Lang).
    const rightToLeft = RIGHT_TO_LEFT.test(shown);
    // A right-to-left run among them is matched by its letters (Chromium draws it in visual order),
    // and gets its text in logical order like the others: a whole block's ActualText would stand
    // for its parts' Lang (an `<em lang="de">` beside an Arabic phrase lost its language).
    const byRuns =
      block.spans !== undefined &&
      (collapse(shown) !== written || rightToLeft) &&
      textByRuns(file, structure, element, written, marked, entries, pdfText);
    if ((collapse(shown) !== written || rightToLeft) && !byRuns) parts.push(`/ActualText ${pdfText(written)}`);
    // Chromium writes one itself for `<p lang>`: a second would be a duplicate key.
    if (block.lang && !element.dict.value.has("Lang")) parts.push(`/Lang ${pdfText(block.lang)}`);
    if (parts.length > 0) entries.set(element, parts.join(" "));
    if (block.spans) inlineLanguages(file, structure, element, block.spans, marked, entries, pdfText);
    const item = block.note === undefined ? undefined : listItemOf(element);
    if (item && block.note !== undefined && !notes.has(item)) notes.set(item, block.note);
  }
  notesByPlace(structure, blocks, notes);
  return { entries, notes };
}

/**
 * A footnote none of whose text matched (an image alone) is found by its place: the notes are the
 * items of one list, in the source's order. When the items that matched sit where that order puts
 * them, every item of their list gets the footnote of its place.
 */
function notesByPlace(structure: Structure, blocks: SourceBlock[], notes: Map<StructureElement, string>): void {
  if (notes.size === 0) return;
  const order = [...new Set(blocks.flatMap((block) => (block.note === undefined ? [] : [block.note])))];
  const list = [...notes.keys()][0]?.parent;
  if (list?.type !== "L") return;
  const items = structure.elements.filter((e) => e.parent === list && e.type === "LI");
  if (items.length !== order.length) return;
  if (![...notes].every(([item, id]) => item.parent === list && order[items.indexOf(item)] === id)) return;
  items.forEach((item, i) => {
    const id = order[i];
    if (id !== undefined && !notes.has(item)) notes.set(item, id);
  });
}

/**
 * The source text of a block given to each of its kids (Chromium's runs: text, a span, an emphasis,
 * a link), in order: each kid's letters taken from the source's, the spaces and punctuation after
 * them with them. False, and nothing given, when the kids' letters are not the source's.
 */
function textByRuns(
  file: PdfFile,
  structure: Structure,
  block: StructureElement,
  written: string,
  marked: Map<number, Map<number, string>>,
  entries: Map<StructureElement, string>,
  pdfText: (text: string) => string,
): boolean {
  const kids = structure.elements.filter((e) => e.parent === block);
  if (kids.length === 0) return false;
  const characters = [...written];
  // Where each letter or digit of the source is, in characters.
  const letters: number[] = [];
  characters.forEach((c, i) => {
    if (key(c) !== "") letters.push(i);
  });
  const runs: [StructureElement, string][] = [];
  let taken = 0;
  let from = 0;
  for (const [i, kid] of kids.entries()) {
    const shownText = elementText(file, kid, marked);
    const k = key(shownText);
    const last = letters[taken + k.length - 1];
    if (last === undefined && k.length > 0) return false;
    const own = characters
      .slice(from, (last ?? from - 1) + 1)
      .map(key)
      .join("");
    if (own !== k && !(RIGHT_TO_LEFT.test(shownText) && sortedLetters(own) === sortedLetters(k))) return false;
    taken += k.length;
    const to = i === kids.length - 1 ? characters.length : (letters[taken] ?? characters.length);
    runs.push([kid, characters.slice(from, to).join("")]);
    from = to;
  }
  if (taken !== letters.length) return false;
  for (const [kid, text] of runs) {
    const entry = `/ActualText ${pdfText(text)}`;
    const before = entries.get(kid);
    entries.set(kid, before ? `${before} ${entry}` : entry);
  }
  return true;
}

/**
 * An inline part of a block in another language (`<span lang="fr">`): Chromium gives it an
 * element of its own (a NonStruct) but no `Lang` (it does for `<em lang>`). The element within the
 * block whose text is the part's gets it (PDF/UA-1 7.2). A part with markup inside it
 * (`<span lang="fr">le <em>mot</em> juste</span>`) has no element of its own: its text nodes and
 * inner elements are kids of the block side by side, and each kid of the run whose texts together
 * are the part's gets it.
 */
function inlineLanguages(
  file: PdfFile,
  structure: Structure,
  block: StructureElement,
  spans: { text: string; lang: string }[],
  marked: Map<number, Map<number, string>>,
  entries: Map<StructureElement, string>,
  pdfText: (text: string) => string,
): void {
  const left = spans.map((span) => ({ key: key(span.text), lang: span.lang }));
  for (const element of structure.elements) {
    if (!isWithin(element, block) || languageSet(element, block)) continue;
    const shown = elementText(file, element, marked);
    const k = key(shown);
    // A right-to-left part is drawn in visual order: its letters, not their order, are the span's.
    const rtl = RIGHT_TO_LEFT.test(shown);
    const found = left.findIndex(
      (span) => k !== "" && (span.key === k || (rtl && sortedLetters(span.key) === sortedLetters(k))),
    );
    if (found < 0) continue;
    const [span] = left.splice(found, 1);
    if (!span) continue;
    addLang(entries, element, span.lang, pdfText);
  }
  if (left.length > 0) languagesOfRuns(file, structure, block, left, marked, entries, pdfText);
}

function addLang(
  entries: Map<StructureElement, string>,
  element: StructureElement,
  lang: string,
  pdfText: (text: string) => string,
): void {
  const entry = `/Lang ${pdfText(lang)}`;
  const before = entries.get(element);
  entries.set(element, before ? `${before} ${entry}` : entry);
}

/**
 * Parts not matched by one element: a run of two or more kids of one element of the block whose
 * letters, in order, are the part's and nothing more, the first run found for each part.
 */
function languagesOfRuns(
  file: PdfFile,
  structure: Structure,
  block: StructureElement,
  spans: { key: string; lang: string }[],
  marked: Map<number, Map<number, string>>,
  entries: Map<StructureElement, string>,
  pdfText: (text: string) => string,
): void {
  const kidsOf = new Map<StructureElement, StructureElement[]>();
  for (const element of structure.elements) {
    const parent = element.parent;
    if (!parent || (parent !== block && !isWithin(parent, block))) continue;
    const kids = kidsOf.get(parent);
    if (kids) kids.push(element);
    else kidsOf.set(parent, [element]);
  }
  const keyOf = new Map<StructureElement, string>();
  const keyFor = (element: StructureElement) => {
    const known = keyOf.get(element);
    if (known !== undefined) return known;
    const k = key(elementText(file, element, marked));
    keyOf.set(element, k);
    return k;
  };
  for (const span of spans) {
    let run: StructureElement[] | undefined;
    for (const kids of kidsOf.values()) {
      for (let start = 0; start < kids.length && !run; start++) {
        const first = kids[start];
        if (!first || keyFor(first) === "" || !span.key.startsWith(keyFor(first))) continue;
        let joined = "";
        for (let end = start; end < kids.length && span.key.startsWith(joined); end++) {
          const kid = kids[end];
          if (!kid) break;
          joined += keyFor(kid);
          if (joined === span.key && end > start && keyFor(kid) !== "") run = kids.slice(start, end + 1);
          if (joined.length >= span.key.length) break;
        }
      }
      if (run) break;
    }
    for (const kid of run ?? []) if (!languageSet(kid, block)) addLang(entries, kid, span.lang, pdfText);
  }
}

/** Whether the element or a parent below `block` has a Lang already (Chromium's, on `<em lang>`). */
function languageSet(element: StructureElement, block: StructureElement): boolean {
  for (let e: StructureElement | undefined = element; e && e !== block; e = e.parent)
    if (e.dict.value.has("Lang")) return true;
  return false;
}

function isWithin(element: StructureElement, ancestor: StructureElement): boolean {
  for (let p = element.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

/** The outermost list item an element is, or is in (a footnote, not a list in it). */
function listItemOf(element: StructureElement): StructureElement | undefined {
  let item: StructureElement | undefined;
  for (let e: StructureElement | undefined = element; e; e = e.parent) if (e.type === "LI") item = e;
  return item;
}

/** Letters and digits, lower case, compatibility forms folded (what both the print and the source say). */
function sortedLetters(text: string): string {
  return [...text].sort().join("");
}

function key(text: string): string {
  // The apostrophe is one glyph for ’ and ʼ (a letter, to Unicode): neither counts.
  const letters = text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\u02BC/g, "");
  return letters.replace(/[^\p{L}\p{N}]+/gu, "");
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The first block whose letters are the element's, in any order, or at most a few more: looked for
 * from `from` on, then from the start (the cover's blocks do not come in the order it prints them).
 */
function nearestAnagram(keys: string[], k: string, from: number): number | undefined {
  const counts = letterCounts(k);
  const order = [...range(from, Math.min(keys.length, from + WINDOW)), ...range(0, keys.length)];
  for (const i of order) {
    const candidate = keys[i] ?? "";
    const extra = candidate.length - k.length;
    if (extra < 0 || extra > Math.max(2, Math.floor(k.length / 50))) continue;
    const left = new Map(counts);
    for (const letter of candidate) left.set(letter, (left.get(letter) ?? 0) - 1);
    // The element's letters all in the block, and what the block has more of only letters (of glyphs
    // Chromium maps to none), never a number (a section number shown as an element of its own).
    const fits = [...left].every(([letter, count]) => count <= 0 && (count === 0 || !/\p{N}/u.test(letter)));
    if (fits) return i;
  }
  return undefined;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function letterCounts(k: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const letter of k) counts.set(letter, (counts.get(letter) ?? 0) + 1);
  return counts;
}

/** Whether a block element holds another (a list item's paragraph): that one is matched instead. */
function hasNestedBlock(file: PdfFile, element: StructureElement): boolean {
  let found = false;
  walkKids(file, element.dict.value.get("K"), element.num, 0, {
    element: (type) => {
      if (NESTED_BLOCKS.has(type)) found = true;
      return !found;
    },
  });
  return found;
}

/** The text of an element's marked content, its kids' in order (a list item's label left out). */
function elementText(file: PdfFile, element: StructureElement, marked: Map<number, Map<number, string>>): string {
  let text = "";
  const page = element.dict.value.get("Pg");
  walkKids(file, element.dict.value.get("K"), element.num, 0, {
    element: (type) => type !== "Lbl",
    content: (mcid, pageRef) => {
      const pageNum = pageRef?.type === "ref" ? pageRef.value : page?.type === "ref" ? page.value : -1;
      text += marked.get(pageNum)?.get(mcid) ?? "";
    },
  });
  return text;
}

interface Visitor {
  /** An element kid: whether to go into it. */
  element(type: string): boolean;
  content?(mcid: number, page: PdfValue | undefined): void;
}

function walkKids(file: PdfFile, k: PdfValue | undefined, owner: number, depth: number, visitor: Visitor): void {
  if (depth > 64) return;
  const [value, num] = resolve(file, k, owner);
  if (value?.type === "array") for (const item of value.value) walkKids(file, item, num, depth, visitor);
  else if (value?.type === "number") visitor.content?.(value.value, undefined);
  else if (value?.type === "dict") {
    const type = value.value.get("Type")?.value;
    if (type === "MCR") {
      const mcid = value.value.get("MCID");
      if (mcid?.type === "number") visitor.content?.(mcid.value, value.value.get("Pg"));
    } else if (type !== "OBJR" && value.value.has("S")) {
      const s = value.value.get("S");
      if (!visitor.element(s?.type === "name" ? s.value : "")) return;
      // A kid's marked content is on its own page, or else on its parent's.
      const page = value.value.get("Pg");
      walkKids(file, value.value.get("K"), num, depth + 1, {
        element: visitor.element,
        content: (mcid, pg) => visitor.content?.(mcid, pg ?? page),
      });
    }
  }
}
