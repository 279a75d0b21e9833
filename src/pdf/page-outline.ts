/**
 * A deck's outline, one bookmark a slide. Chromium bookmarks headings, so a slide without one (a
 * quotation, an image, a blank slide) had none, and a reader's bookmarks skipped it. The finishing
 * writes the outline anew from the slides: each slide titled by its heading, or its first words,
 * and its other headings under it (closed), as PowerPoint and Marp's `--pdf-outlines` do.
 */
import type { Edit } from "./edit.js";
import { type PdfDict, type PdfValue, pdfText, resolve } from "./pdf-syntax.js";

export interface PageOutlineEntry {
  title: string;
  /** The page it is on, from 1. */
  page: number;
  /** Its top on that page, in points from the page's top; the whole page when not given. */
  top?: number;
  /** Its other headings, bookmarked under it. */
  children?: string[];
}

/** Longest bookmark title written, in characters: a viewer's side panel shows far fewer. */
const TITLE_LENGTH = 120;

/** The catalog's outline replaced by `entries`; `pages` lists the page objects, in order. */
export function writePageOutline(
  edit: Edit,
  catalog: PdfDict,
  catalogNum: number,
  entries: readonly PageOutlineEntry[],
  pages: readonly number[],
): void {
  const { file } = edit;
  const current = catalog.value.get("Outlines");
  let rootNum: number;
  if (current?.type === "ref") {
    rootNum = current.value;
    dropItems(edit, file.objects.get(rootNum)?.value, rootNum);
  } else {
    rootNum = edit.add();
    if (current) edit.splice(catalogNum, current.start, current.end, `${rootNum} 0 R`);
    else edit.insert(catalogNum, catalog, `/Outlines ${rootNum} 0 R`);
  }
  const shown = entries.filter((entry) => pages[entry.page - 1] !== undefined);
  if (shown.length === 0) {
    edit.replace(rootNum, "<</Type /Outlines /Count 0>>");
    return;
  }
  const destination = (entry: PageOutlineEntry) => {
    const page = pages[entry.page - 1] as number;
    if (entry.top === undefined) return `[${page} 0 R /Fit]`;
    const height = pageHeight(edit, page);
    return `[${page} 0 R /XYZ 0 ${round(height - entry.top)} null]`;
  };
  const title = (text: string) => pdfText(text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text);
  const nums = shown.map(() => edit.add());
  shown.forEach((entry, index) => {
    const num = nums[index] as number;
    const parts = [`/Title ${title(entry.title)}`, `/Parent ${rootNum} 0 R`, `/Dest ${destination(entry)}`];
    if (index > 0) parts.push(`/Prev ${nums[index - 1]} 0 R`);
    if (index < nums.length - 1) parts.push(`/Next ${nums[index + 1]} 0 R`);
    const children = entry.children ?? [];
    if (children.length > 0) {
      const kids = children.map(() => edit.add());
      // Closed: a slide's own headings are there to be opened, not to lengthen the list.
      parts.push(`/First ${kids[0]} 0 R`, `/Last ${kids.at(-1)} 0 R`, `/Count -${kids.length}`);
      children.forEach((text, k) => {
        const own = [`/Title ${title(text)}`, `/Parent ${num} 0 R`, `/Dest ${destination(entry)}`];
        if (k > 0) own.push(`/Prev ${kids[k - 1]} 0 R`);
        if (k < kids.length - 1) own.push(`/Next ${kids[k + 1]} 0 R`);
        edit.replace(kids[k] as number, `<<${own.join(" ")}>>`);
      });
    }
    edit.replace(num, `<<${parts.join(" ")}>>`);
  });
  edit.replace(rootNum, `<</Type /Outlines /First ${nums[0]} 0 R /Last ${nums.at(-1)} 0 R /Count ${shown.length}>>`);
}

/** The items under an outline node, left out of the saved file. */
function dropItems(edit: Edit, node: PdfValue | undefined, owner: number, depth = 0): void {
  if (node?.type !== "dict" || depth > 32) return;
  let [item, num] = resolve(edit.file, node.value.get("First"), owner);
  for (let count = 0; item?.type === "dict" && count < 100_000; count++) {
    dropItems(edit, item, num, depth + 1);
    edit.drop(num);
    [item, num] = resolve(edit.file, item.value.get("Next"), num);
  }
}

function pageHeight(edit: Edit, page: number): number {
  const dict = edit.file.objects.get(page)?.value;
  const [box] = resolve(edit.file, dict?.type === "dict" ? dict.value.get("MediaBox") : undefined, page);
  const values = box?.type === "array" ? box.value.map((v) => (v.type === "number" ? v.value : 0)) : [];
  return (values[3] ?? 0) - (values[1] ?? 0);
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100);
}
