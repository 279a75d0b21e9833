/**
 * Repairs of the structure tree Chromium writes, spliced: ids that depend on the document alone,
 * a RoleMap for its PDF 2.0 types, list items with a body, figures around figures made divisions,
 * and decoration marked inside tables and lists made an artifact.
 */
import type { Edit } from "./edit.js";
import { type PdfDict, type PdfValue, resolve, textOf, UnexpectedPdf } from "./pdf-syntax.js";
import type { SourceEntries } from "./source-text.js";
import { ROLE_MAP, STANDARD_TYPES } from "./structure-types.js";

export interface StructureElement {
  dict: PdfDict;
  /** The object it is, or lives in. */
  num: number;
  /** Whether it is a dictionary inside another object (not an object of its own). */
  direct: boolean;
  type: string;
  parent?: StructureElement;
}

export interface Structure {
  root: PdfDict;
  rootNum: number;
  /** Every element, in reading order. */
  elements: StructureElement[];
}

export function readStructure(edit: Edit, catalog: PdfDict): Structure | undefined {
  const [root, rootNum] = resolve(edit.file, catalog.value.get("StructTreeRoot"), 0);
  if (root?.type !== "dict") return undefined;
  const elements: StructureElement[] = [];
  const seen = new Set<PdfDict>();
  const visit = (value: PdfValue | undefined, owner: number, parent: StructureElement | undefined) => {
    const [object, num] = resolve(edit.file, value, owner);
    if (object?.type === "array") for (const item of object.value) visit(item, num, parent);
    else if (object?.type === "dict" && !seen.has(object) && object.value.has("S")) {
      seen.add(object);
      const s = object.value.get("S");
      const type = s?.type === "name" ? s.value : "";
      const element = { dict: object, num, direct: value?.type !== "ref", type, parent };
      elements.push(element);
      visit(object.value.get("K"), num, element);
    }
  };
  visit(root.value.get("K"), rootNum, undefined);
  return { root, rootNum, elements };
}

/** Chromium writes PDF 2.0's Strong and Em in a PDF 1.7 file: a RoleMap maps them to standard types (02-001). */
export function mapRoles(edit: Edit, { root, rootNum, elements }: Structure): void {
  const unmapped = new Set(elements.map((e) => e.type).filter((type) => type !== "" && !STANDARD_TYPES.has(type)));
  if (unmapped.size === 0) return;
  if (root.value.has("RoleMap")) throw new UnexpectedPdf("a structure tree with a role map");
  const entries = [...unmapped].sort().map((type) => `/${type} /${ROLE_MAP[type] ?? "NonStruct"}`);
  edit.insert(rootNum, root, `/RoleMap <<${entries.join(" ")}>>`);
}

/**
 * Chromium names the structure elements of a tagged PDF after its DOM node ids (`node00000895`),
 * which count every node the renderer process ever made: the same document rendered after another
 * gets other names. Renumbering them in reading order makes the bytes depend on the document alone.
 * Returns the id tree's entries (writeIdTree writes it, with the notes' ids).
 */
export function renumberStructureIds(edit: Edit, { elements }: Structure): IdEntry[] {
  const renamed = new Map<string, string>();
  for (const { dict } of elements) {
    const id = textOf(dict.value.get("ID"));
    if (id !== undefined) renamed.set(id, `id${String(renamed.size + 1).padStart(6, "0")}`);
  }
  if (renamed.size === 0) return [];
  const rename = (num: number, value: PdfValue | undefined) => {
    const fresh = renamed.get(textOf(value) ?? "");
    if (value && fresh) edit.splice(num, value.start, value.end, `(${fresh})`);
    return fresh;
  };
  const names: IdEntry[] = [];
  for (const { dict, num, direct } of elements) {
    const fresh = rename(num, dict.value.get("ID"));
    if (fresh) {
      if (direct) throw new UnexpectedPdf("a structure element with an id that is not an object of its own");
      names.push([fresh, num]);
    }
    const [attributes, attributesNum] = resolve(edit.file, dict.value.get("A"), num);
    const list = attributes?.type === "array" ? attributes.value : [attributes];
    for (const item of list) {
      const [entry, entryNum] = resolve(edit.file, item, attributesNum);
      const [headers, headersNum] = resolve(
        edit.file,
        entry?.type === "dict" ? entry.value.get("Headers") : undefined,
        entryNum,
      );
      if (headers?.type === "array") for (const header of headers.value) rename(headersNum, header);
    }
  }
  return names;
}

/** An element's ID (ASCII, no parentheses or backslashes) and its object. */
export type IdEntry = [string, number];

/** The id tree, as one sorted leaf: Chromium's, renumbered, and the notes' ids. */
export function writeIdTree(edit: Edit, { root, rootNum }: Structure, names: IdEntry[]): void {
  if (names.length === 0) return;
  const sorted = [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = `<</Names [${sorted.map(([id, num]) => `(${id}) ${num} 0 R`).join(" ")}]>>`;
  const tree = root.value.get("IDTree");
  if (tree === undefined) {
    const num = edit.add();
    edit.replace(num, body);
    edit.insert(rootNum, root, `/IDTree ${num} 0 R`);
    return;
  }
  if (tree.type !== "ref") throw new UnexpectedPdf("an id tree that is not an object of its own");
  edit.dropTree(tree.value);
  edit.replace(tree.value, body);
}

/** What the repairs did that the page content and the parent tree must follow. */
export interface Repairs {
  /** Page object → MCIDs whose marked content is now an artifact. */
  untagged: Map<number, Set<number>>;
  /** Element object → the element now holding its content. */
  moved: Map<number, number>;
  /** The notes made: each one's ID and object, for the id tree. */
  noteIds: IdEntry[];
}

/** Grouping elements whose own content can only be decoration (borders, backgrounds): their text is in their parts. */
const GROUPING = new Set(["Table", "THead", "TBody", "TFoot", "TR", "L"]);

/**
 * The repairs, and `entries` (source-text.ts: an ActualText, a Lang) added to their elements; a
 * list item's go onto its list body. A list item that is a footnote (`notes`) gets its body in a
 * `Note` with the footnote's id (PDF/UA-1 7.9, Matterhorn 19-003).
 */
export function repairStructure(
  edit: Edit,
  structure: Structure,
  { entries, notes }: Pick<SourceEntries, "entries" | "notes">,
): Repairs {
  const repairs: Repairs = { untagged: new Map(), moved: new Map(), noteIds: [] };
  const taken = new Set<string>();
  for (const element of structure.elements) {
    const extra = entries.get(element);
    if (GROUPING.has(element.type)) untagDecoration(edit, element, repairs);
    if (element.type === "Table" && dropEmpty(edit, element)) continue;
    else if (element.type === "LI") {
      const note = notes.get(element);
      if (addListBody(edit, element, repairs, extra, note === undefined ? undefined : uniqueId(note, taken))) continue;
    } else if (element.type === "Figure") unnestFigure(edit, element);
    if (extra) edit.insert(element.num, element.dict, extra);
  }
  return repairs;
}

/**
 * Heading levels that skip none, starting at H1 (PDF/UA-1 7.4.2, Matterhorn 14-002 and 14-003):
 * a briefing's sections are numbered by their place in the outline already (numbering.ts), but a
 * heading in a callout, a deck's headings or raw HTML may still jump (`###` to `######` is tagged
 * H3 then H4), so that the structure a screen reader walks has no gap; the page looks as written.
 */
export function levelHeadings(edit: Edit, structure: Structure): void {
  let previous = 0;
  for (const element of structure.elements) {
    const match = /^H([1-6])$/.exec(element.type);
    if (!match) continue;
    const level = Math.min(Number(match[1]), previous + 1);
    const s = element.dict.value.get("S");
    if (level !== Number(match[1]) && s) edit.splice(element.num, s.start, s.end, `/H${level}`);
    previous = level;
  }
}

/** Marked content directly in a table, row or list (Chromium's row rules) becomes an artifact (09-004). */
function untagDecoration(edit: Edit, element: StructureElement, repairs: Repairs): void {
  const k = element.dict.value.get("K");
  const items = k?.type === "array" ? k.value : [k];
  for (const item of items) {
    if (item?.type !== "number" && !(item?.type === "dict" && item.value.get("Type")?.value === "MCR")) continue;
    const mcid = item.type === "number" ? item : item.value.get("MCID");
    const page = (item.type === "dict" && item.value.get("Pg")) || element.dict.value.get("Pg");
    if (mcid?.type !== "number") continue;
    if (page?.type !== "ref") throw new UnexpectedPdf("marked content of no known page");
    const set = repairs.untagged.get(page.value) ?? new Set();
    set.add(mcid.value);
    repairs.untagged.set(page.value, set);
    if (k?.type === "array") edit.splice(element.num, item.start, item.end, "");
    else if (k) edit.splice(element.num, k.start, k.end, "[]");
  }
}

/**
 * An element with no kids left out of the tree: the pieces of a long table after its first, whose
 * rows the first owns (fit-tables.ts) and whose caption and header row are artifacts, were empty
 * Tables that a screen reader announced as tables of no rows.
 */
function dropEmpty(edit: Edit, element: StructureElement): boolean {
  // Marked content directly in it is an artifact by now (untagDecoration): no kid.
  const k = element.dict.value.get("K");
  const kids = k?.type === "array" ? k.value : k ? [k] : [];
  const marked = (item: PdfValue) =>
    item.type === "number" || (item.type === "dict" && item.value.get("Type")?.value === "MCR");
  if (!kids.every(marked) || element.direct || !element.parent) return false;
  const parent = element.parent;
  const siblings = parent.dict.value.get("K");
  const items = siblings?.type === "array" ? siblings.value : [siblings];
  const own = items.find((item) => item?.type === "ref" && item.value === element.num);
  if (!own || !siblings) return false;
  if (siblings.type === "array") edit.splice(parent.num, own.start, own.end, "");
  else edit.splice(parent.num, siblings.start, siblings.end, "[]");
  edit.drop(element.num);
  return true;
}

/** `note-` and the footnote's id, in ASCII without PDF string delimiters, never one already taken. */
function uniqueId(id: string, taken: Set<string>): string {
  const safe = `note-${id.replace(/[^A-Za-z0-9._-]/g, (c) => `_${c.codePointAt(0)?.toString(16)}`)}`;
  let unique = safe;
  for (let n = 2; taken.has(unique); n++) unique = `${safe}-${n}`;
  taken.add(unique);
  return unique;
}

/**
 * A list item's content other than its label moves into an LBody (09-005), `extra` entries with
 * it; into a Note in the LBody when `noteId` is given. Whether it did.
 */
function addListBody(
  edit: Edit,
  element: StructureElement,
  repairs: Repairs,
  extra?: string,
  noteId?: string,
): boolean {
  const k = element.dict.value.get("K");
  if (!k) return false;
  if (element.direct) throw new UnexpectedPdf("a list item that is not an object of its own");
  if (k.type === "ref" && edit.file.objects.get(k.value)?.value.type === "array")
    throw new UnexpectedPdf("a list item whose kids are an object of their own");
  const items = k.type === "array" ? k.value : [k];
  const typeOf = (item: PdfValue) => {
    const [kid] = resolve(edit.file, item, element.num);
    const s = kid?.type === "dict" ? kid.value.get("S") : undefined;
    return s?.type === "name" ? s.value : undefined;
  };
  const labels = items.filter((item) => typeOf(item) === "Lbl");
  const body = items.filter((item) => typeOf(item) !== "Lbl");
  if (body.length === 0 || body.every((item) => typeOf(item) === "LBody")) return false;
  const num = edit.add();
  // The element holding the body's kids: the list body, or the note in it.
  const holder = noteId === undefined ? num : edit.add();
  const page = element.dict.value.get("Pg");
  const source = (value: PdfValue) => edit.source(value);
  const pg = page ? `\n/Pg ${source(page)}` : "";
  const kids = `[${body.map(source).join(" ")}]`;
  edit.replace(
    num,
    `<</Type /StructElem\n/S /LBody\n/P ${element.num} 0 R${pg}\n/K ${noteId === undefined ? kids : `[${holder} 0 R]`}${extra ? `\n${extra}` : ""}>>`,
  );
  if (noteId !== undefined) {
    edit.replace(holder, `<</Type /StructElem\n/S /Note\n/ID (${noteId})\n/P ${num} 0 R${pg}\n/K ${kids}>>`);
    repairs.noteIds.push([noteId, holder]);
  }
  edit.splice(element.num, k.start, k.end, `[${[...labels.map(source), `${num} 0 R`].join(" ")}]`);
  for (const item of body) {
    if (item.type !== "ref") continue;
    const kid = edit.file.objects.get(item.value)?.value;
    const parent = kid?.type === "dict" ? kid.value.get("P") : undefined;
    if (kid?.type === "dict" && kid.value.has("S") && parent)
      edit.splice(item.value, parent.start, parent.end, `${holder} 0 R`);
  }
  repairs.moved.set(element.num, holder);
  return true;
}

/**
 * A Figure without alternative text is a Div (13-004): Chromium wraps a figure's image in a second
 * Figure, which has the alt text, and tags a `<figure>` holding no image at all (the placeholder
 * Press prints for an image not found, with its file and alt text as text) a Figure too.
 */
function unnestFigure(edit: Edit, element: StructureElement): void {
  if (element.dict.value.has("Alt") || element.dict.value.has("ActualText")) return;
  const s = element.dict.value.get("S");
  if (s) edit.splice(element.num, s.start, s.end, "/Div");
}

/**
 * The parent tree follows: content moved into a list body is found in it, and content now an
 * artifact in no element. Each entry is an element's reference, or an array of them per MCID.
 */
export function rewriteParentTree(
  edit: Edit,
  structure: Structure,
  repairs: Repairs,
  pageKeys: Map<number, number>,
): void {
  if (repairs.moved.size === 0 && repairs.untagged.size === 0) return;
  const untaggedByKey = new Map<number, Set<number>>();
  for (const [page, mcids] of repairs.untagged) {
    const key = pageKeys.get(page);
    if (key === undefined) throw new UnexpectedPdf("a page with marked content and no StructParents");
    untaggedByKey.set(key, mcids);
  }
  const fix = (value: PdfValue | undefined, owner: number) => {
    if (value?.type === "ref") {
      const moved = repairs.moved.get(value.value);
      if (moved !== undefined) edit.splice(owner, value.start, value.end, `${moved} 0 R`);
    }
  };
  const walk = (node: PdfValue | undefined, owner: number, depth: number) => {
    const [dict, num] = resolve(edit.file, node, owner);
    if (dict?.type !== "dict" || depth > 32) throw new UnexpectedPdf("a malformed parent tree");
    const [nums, numsNum] = resolve(edit.file, dict.value.get("Nums"), num);
    if (nums?.type === "array")
      for (let i = 0; i + 1 < nums.value.length; i += 2) {
        const key = nums.value[i];
        const value = nums.value[i + 1];
        const [entry, entryNum] = resolve(edit.file, value, numsNum);
        if (entry?.type === "array") {
          const untagged = key?.type === "number" ? untaggedByKey.get(key.value) : undefined;
          entry.value.forEach((item, mcid) => {
            if (untagged?.has(mcid)) edit.splice(entryNum, item.start, item.end, "null");
            else fix(item, entryNum);
          });
        } else fix(value, numsNum);
      }
    const [kids, kidsNum] = resolve(edit.file, dict.value.get("Kids"), num);
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, kidsNum, depth + 1);
  };
  walk(structure.root.value.get("ParentTree"), structure.rootNum, 0);
}
