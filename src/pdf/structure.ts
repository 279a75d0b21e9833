/**
 * Repairs of the structure tree Chromium writes, spliced: ids that depend on the document alone,
 * a RoleMap for its PDF 2.0 types, list items with a body, figures around figures made divisions,
 * and decoration marked inside tables and lists made an artifact.
 */
import type { Edit } from "./edit.js";
import { type PdfDict, type PdfValue, resolve, textOf, UnexpectedPdf } from "./pdf-syntax.js";
import { ROLE_MAP, STANDARD_TYPES } from "./structure-types.js";

export interface StructureElement {
  dict: PdfDict;
  /** The object it is, or lives in. */
  num: number;
  /** Whether it is an object of its own. */
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
 */
export function renumberStructureIds(edit: Edit, { root, elements }: Structure): void {
  const renamed = new Map<string, string>();
  for (const { dict } of elements) {
    const id = textOf(dict.value.get("ID"));
    if (id !== undefined) renamed.set(id, `id${String(renamed.size + 1).padStart(6, "0")}`);
  }
  if (renamed.size === 0) return;
  const rename = (num: number, value: PdfValue | undefined) => {
    const fresh = renamed.get(textOf(value) ?? "");
    if (value && fresh) edit.splice(num, value.start, value.end, `(${fresh})`);
    return fresh;
  };
  const names: string[] = [];
  for (const { dict, num, direct } of elements) {
    const fresh = rename(num, dict.value.get("ID"));
    if (fresh) {
      if (direct) throw new UnexpectedPdf("a structure element with an id that is not an object of its own");
      names.push(`(${fresh}) ${num} 0 R`);
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
  // The new names sort as the elements come, so the tree is one sorted leaf.
  const tree = root.value.get("IDTree");
  if (tree?.type !== "ref") throw new UnexpectedPdf("an id tree that is not an object of its own");
  edit.dropTree(tree.value);
  edit.replace(tree.value, `<</Names [${names.join(" ")}]>>`);
}

/** What the repairs did that the page content and the parent tree must follow. */
export interface Repairs {
  /** Page object → MCIDs whose marked content is now an artifact. */
  untagged: Map<number, Set<number>>;
  /** Element object → the element now holding its content. */
  moved: Map<number, number>;
}

/** Grouping elements whose own content can only be decoration (borders, backgrounds): their text is in their parts. */
const GROUPING = new Set(["Table", "THead", "TBody", "TFoot", "TR", "L"]);

/**
 * The repairs, and `entries` (source-text.ts: an ActualText, a Lang) added to their elements; a
 * list item's go onto its list body.
 */
export function repairStructure(edit: Edit, structure: Structure, entries: Map<StructureElement, string>): Repairs {
  const repairs: Repairs = { untagged: new Map(), moved: new Map() };
  for (const element of structure.elements) {
    const extra = entries.get(element);
    if (GROUPING.has(element.type)) untagDecoration(edit, element, repairs);
    else if (element.type === "LI") {
      if (addListBody(edit, element, repairs, extra)) continue;
    } else if (element.type === "Figure") unnestFigure(edit, element, structure);
    if (extra) edit.insert(element.num, element.dict, extra);
  }
  return repairs;
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

/** A list item's content other than its label moves into an LBody (09-005), `extra` entries with it; whether it did. */
function addListBody(edit: Edit, element: StructureElement, repairs: Repairs, extra?: string): boolean {
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
  const page = element.dict.value.get("Pg");
  const source = (value: PdfValue) => edit.source(value);
  edit.replace(
    num,
    `<</Type /StructElem\n/S /LBody\n/P ${element.num} 0 R${page ? `\n/Pg ${source(page)}` : ""}\n/K [${body.map(source).join(" ")}]${extra ? `\n${extra}` : ""}>>`,
  );
  edit.splice(element.num, k.start, k.end, `[${[...labels.map(source), `${num} 0 R`].join(" ")}]`);
  for (const item of body) {
    if (item.type !== "ref") continue;
    const kid = edit.file.objects.get(item.value)?.value;
    const parent = kid?.type === "dict" ? kid.value.get("P") : undefined;
    if (kid?.type === "dict" && kid.value.has("S") && parent)
      edit.splice(item.value, parent.start, parent.end, `${num} 0 R`);
  }
  repairs.moved.set(element.num, num);
  return true;
}

/** Chromium wraps a figure's image in a second Figure without alternative text: the outer one is a Div (13-004). */
function unnestFigure(edit: Edit, element: StructureElement, structure: Structure): void {
  if (element.dict.value.has("Alt") || element.dict.value.has("ActualText")) return;
  const inner = structure.elements.some(
    (other) => other.type === "Figure" && other !== element && isWithin(other, element),
  );
  const s = element.dict.value.get("S");
  if (inner && s) edit.splice(element.num, s.start, s.end, "/Div");
}

function isWithin(element: StructureElement, ancestor: StructureElement): boolean {
  for (let p = element.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
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
