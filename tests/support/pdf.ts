/**
 * Reading PDFs back in tests, with libraries independent of the ones Press renders with:
 * pdfjs-dist for text, outline, destinations and metadata; pdf-lib to inspect font objects.
 */
import { PDFDict, PDFDocument, PDFName, PDFRef } from "pdf-lib";
import { getDocument, OPS } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfFacts {
  pageCount: number;
  /** Text of each page, whitespace folded. */
  pageTexts: string[];
  /** The words of each page, each text run split at white space (a table cell is a run of its own). */
  pageWords: string[][];
  /** Width and height of each page, in points. */
  pageSizes: [number, number][];
  /** Text of each page read line by line from the right edge (for right-to-left documents). */
  rightToLeftTexts: string[];
  /** Each page's runs of text as pdf.js gives them, in the order drawn (a word split by a gap is two runs, or one with a space). */
  pageRuns: string[][];
  /** Outline titles, depth first. */
  outline: string[];
  /** Named destination → 1-based page. */
  destinations: Map<string, number>;
  info: Record<string, unknown>;
  /** The catalog's /Lang. */
  language: string | null;
  isTagged: boolean;
}

/** pdf.js's document, read with no code evaluated and no fonts loaded. */
function openPdf(bytes: Uint8Array) {
  return getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 })
    .promise;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfFacts> {
  const pdf = await openPdf(bytes);
  const pageTexts: string[] = [];
  const rightToLeftTexts: string[] = [];
  const pageRuns: string[][] = [];
  const pageSizes: [number, number][] = [];
  const pageWords: string[][] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const viewport = page.getViewport({ scale: 1 });
    pageSizes.push([Math.round(viewport.width), Math.round(viewport.height)]);
    const content = await page.getTextContent();
    const text = content.items.map((item) => ("str" in item ? `${item.str}${item.hasEOL ? " " : ""}` : "")).join("");
    pageTexts.push(text.replace(/\s+/g, " ").trim());
    pageRuns.push(content.items.flatMap((item) => ("str" in item && item.str.trim() ? [item.str] : [])));
    pageWords.push(content.items.flatMap((item) => ("str" in item ? item.str.split(/\s+/).filter(Boolean) : [])));
    const items = content.items
      .filter((item) => "str" in item)
      .map((item) => {
        const t = item as { str: string; transform: number[] };
        return { text: t.str, x: t.transform[4] ?? 0, y: t.transform[5] ?? 0 };
      });
    rightToLeftTexts.push(rightToLeftText(items));
  }
  const outline: string[] = [];
  const walk = (items: { title: string; items: unknown[] }[] | null) => {
    for (const item of items ?? []) {
      outline.push(item.title);
      walk(item.items as never);
    }
  };
  walk((await pdf.getOutline()) as never);
  const destinations = new Map<string, number>();
  for (const [name, dest] of Object.entries((await pdf.getDestinations()) as Record<string, unknown[]>)) {
    const ref = dest?.[0];
    if (ref && typeof ref === "object") destinations.set(name, (await pdf.getPageIndex(ref as never)) + 1);
  }
  const metadata = await pdf.getMetadata();
  const markInfo = await pdf.getMarkInfo();
  const language = (metadata.info as Record<string, unknown>).Language ?? null;
  await pdf.destroy();
  return {
    pageCount: pageTexts.length,
    pageTexts,
    pageSizes,
    pageWords,
    rightToLeftTexts,
    pageRuns,
    outline,
    destinations,
    info: metadata.info as Record<string, unknown>,
    language: typeof language === "string" ? language : null,
    isTagged: markInfo?.Marked === true,
  };
}

export interface PdfFont {
  name: string;
  embedded: boolean;
}

/** Every font dictionary in the file (pages and form XObjects alike), and whether its program is embedded. */
export async function pdfFonts(bytes: Uint8Array): Promise<PdfFont[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const fonts: PdfFont[] = [];
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of("Type")) !== PDFName.of("Font")) continue;
    const subtype = object.get(PDFName.of("Subtype"));
    if (subtype === PDFName.of("Type0")) continue; // its descendant font is checked on its own
    const name = object.get(PDFName.of("BaseFont"))?.toString().replace(/^\//, "") ?? "(unnamed)";
    const descriptorRef = object.get(PDFName.of("FontDescriptor"));
    const descriptor = descriptorRef instanceof PDFRef ? pdf.context.lookup(descriptorRef, PDFDict) : undefined;
    const embedded = ["FontFile", "FontFile2", "FontFile3"].some((key) => descriptor?.has(PDFName.of(key)));
    fonts.push({ name, embedded });
  }
  return fonts;
}

/**
 * A page's text read right to left: the runs of each line from its right edge leftwards, each run
 * as stored (pdf.js keeps a run's own letters in logical order). Runs of one line can sit a point or
 * two apart (marks, mixed fonts), so lines are grouped by a coarse baseline.
 */
export function rightToLeftText(items: { text: string; x: number; y: number }[]): string {
  const lines = new Map<number, { text: string; x: number }[]>();
  for (const item of items) {
    const key = Math.round(item.y / 4);
    lines.set(key, [...(lines.get(key) ?? []), item]);
  }
  return [...lines.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, line]) =>
      line
        .sort((a, b) => b.x - a.x)
        .map((i) => i.text)
        .join(""),
    )
    .join(" ");
}

/** A path a page paints or clips by, as its bounding box on the page, in PDF points (origin bottom left). */
/** Each run of text on a page with where it starts, in points from the page's bottom left. */
export async function pageTextItems(
  bytes: Uint8Array,
  pageNumber: number,
): Promise<{ text: string; x: number; y: number }[]> {
  const pdf = await openPdf(bytes);
  const content = await (await pdf.getPage(pageNumber)).getTextContent();
  const items = content.items.flatMap((item) =>
    "str" in item && item.str.trim() ? [{ text: item.str, x: item.transform[4] ?? 0, y: item.transform[5] ?? 0 }] : [],
  );
  await pdf.destroy();
  return items;
}

export interface PagePath {
  paint: "fill" | "stroke" | "clip" | "other";
  /** [left, bottom, right, top], in points. */
  box: [number, number, number, number];
  /** The stroke's width in points (half of it lies outside `box`). */
  lineWidth: number;
}

/**
 * The paths painted on a page (pdf.js's operator list, with the transformation matrix followed
 * through save, restore and transform), so that a test can tell where a border or a rule is drawn.
 */
export async function pagePaths(bytes: Uint8Array, pageNumber: number): Promise<PagePath[]> {
  const pdf = await openPdf(bytes);
  const list = await (await pdf.getPage(pageNumber)).getOperatorList();
  type Matrix = [number, number, number, number, number, number];
  const multiply = (m: Matrix, n: Matrix): Matrix => [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
  const apply = (m: Matrix, x: number, y: number): [number, number] => [
    m[0] * x + m[2] * y + m[4],
    m[1] * x + m[3] * y + m[5],
  ];
  let state = { matrix: [1, 0, 0, 1, 0, 0] as Matrix, lineWidth: 1 };
  const stack: (typeof state)[] = [];
  let clipping = false;
  const paths: PagePath[] = [];
  list.fnArray.forEach((fn, i) => {
    const args = list.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push({ ...state });
    else if (fn === OPS.restore) state = stack.pop() ?? state;
    else if (fn === OPS.transform) state = { ...state, matrix: multiply(state.matrix, args as Matrix) };
    else if (fn === OPS.setLineWidth) state = { ...state, lineWidth: args[0] as number };
    else if (fn === OPS.clip || fn === OPS.eoClip) clipping = true;
    else if (fn === OPS.constructPath) {
      const [paintOp, , minMax] = args as [number, unknown, ArrayLike<number>];
      const corners = [
        apply(state.matrix, minMax[0] ?? 0, minMax[1] ?? 0),
        apply(state.matrix, minMax[2] ?? 0, minMax[3] ?? 0),
      ];
      const xs = corners.map((c) => c[0]);
      const ys = corners.map((c) => c[1]);
      const scale = Math.hypot(state.matrix[0], state.matrix[1]);
      const paint = clipping
        ? "clip"
        : [OPS.stroke, OPS.closeStroke].includes(paintOp)
          ? "stroke"
          : [OPS.fill, OPS.eoFill].includes(paintOp)
            ? "fill"
            : "other";
      clipping = false;
      paths.push({
        paint,
        box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
        lineWidth: state.lineWidth * scale,
      });
    }
  });
  await pdf.destroy();
  return paths;
}

interface StructNode {
  role?: string;
  lang?: string;
  alt?: string;
  children?: (StructNode | { type: string; id: string })[];
}

/**
 * The text of the structure tree, in its order (what a screen reader reads): each page's marked
 * content found by its id, elements one after another; an element's ActualText (or Alt) instead
 * of its content. `role` lists the structure types met. With `lineEnds: false`, a line end that
 * pdf.js finds from the layout adds no space: the text is what the tagged content itself says.
 */
export async function structureText(
  bytes: Uint8Array,
  { lineEnds = true }: { lineEnds?: boolean } = {},
): Promise<{ text: string; roles: string[]; elements: { role: string; text: string; lang?: string }[] }> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const parts: string[] = [];
  const roles: string[] = [];
  const elements: { role: string; text: string; lang?: string }[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const byId = new Map<string, string>();
    // Marked content nests (Chromium's /ReversedChars inside a tagged run): the innermost id holds the text.
    const open: (string | undefined)[] = [];
    for (const item of content.items) {
      const current = open.findLast((id) => id !== undefined);
      if ("str" in item) {
        if (current !== undefined)
          byId.set(current, (byId.get(current) ?? "") + item.str + (item.hasEOL && lineEnds ? "\n" : ""));
      } else if (item.type === "beginMarkedContentProps" || item.type === "beginMarkedContent")
        open.push(item.type === "beginMarkedContentProps" ? item.id : undefined);
      else if (item.type === "endMarkedContent") open.pop();
    }
    const walk = (node: StructNode | { type: string; id: string }) => {
      if ("type" in node && node.type === "content" && "id" in node) parts.push(byId.get(node.id) ?? "");
      else if ("role" in node || "children" in node) {
        const element = node as StructNode;
        const from = parts.length;
        if (element.role) roles.push(element.role);
        // pdf.js gives an element's Alt, or else its ActualText, as `alt`: it stands for the content.
        if (element.alt) parts.push(` ${element.alt} `);
        else for (const child of element.children ?? []) walk(child);
        if (element.role && /^(P|H\d?|LI|TD|TH|Caption|Lbl|Note|BlockQuote)$/.test(element.role)) parts.push(" ");
        if (element.role) {
          const text = parts.slice(from).join("").replace(/\s+/g, " ").trim();
          elements.push({ role: element.role, text, ...(element.lang ? { lang: element.lang } : {}) });
        }
      }
    };
    const tree = (await page.getStructTree()) as StructNode | null;
    if (tree) walk(tree);
  }
  await pdf.destroy();
  return { text: parts.join("").replace(/\s+/g, " ").trim(), roles, elements };
}

/**
 * The text of a PDF's tagged glyphs, page by page in the order drawn, each glyph's Unicode as
 * pdf.js maps it, spaces included, and no space made up from the layout: what a tool that joins
 * the content of the structure's marked content reads (pdf.js's own text keeps no drawn space at
 * a line's end, and puts a line end there instead). Artifacts and untagged content left out.
 */
export async function taggedGlyphText(bytes: Uint8Array): Promise<string> {
  const pdf = await openPdf(bytes);
  let text = "";
  for (let i = 1; i <= pdf.numPages; i++) {
    const list = await (await pdf.getPage(i)).getOperatorList();
    /** Open marked content: whether each tags (has an MCID). */
    const open: boolean[] = [];
    list.fnArray.forEach((fn, index) => {
      const args = list.argsArray[index] as unknown[];
      if (fn === OPS.beginMarkedContentProps) open.push(typeof args[1] === "number");
      else if (fn === OPS.beginMarkedContent) open.push(false);
      else if (fn === OPS.endMarkedContent) open.pop();
      else if (fn === OPS.showText && open.includes(true))
        for (const glyph of args[0] as ({ unicode?: string } | number | null)[])
          if (glyph && typeof glyph === "object") text += glyph.unicode ?? "";
    });
  }
  await pdf.destroy();
  return text;
}

/**
 * For each font (by pdf.js's id) and each character the text layer says, the glyph codes drawn for
 * it: one code per character unless the font drew some occurrences with another glyph (a
 * contextual alternate, such as Inter's × for an x between digits).
 */
export async function glyphCodes(bytes: Uint8Array): Promise<Map<string, Map<string, Set<number>>>> {
  const pdf = await openPdf(bytes);
  const codes = new Map<string, Map<string, Set<number>>>();
  for (let i = 1; i <= pdf.numPages; i++) {
    const list = await (await pdf.getPage(i)).getOperatorList();
    let font = "";
    list.fnArray.forEach((fn, index) => {
      const args = list.argsArray[index] as unknown[];
      if (fn === OPS.setFont) font = String(args[0]);
      else if (fn === OPS.showText)
        for (const glyph of args[0] as ({ unicode?: string; originalCharCode?: number } | number | null)[]) {
          if (!glyph || typeof glyph !== "object" || glyph.unicode === undefined) continue;
          const byChar = codes.get(font) ?? new Map<string, Set<number>>();
          codes.set(font, byChar);
          const set = byChar.get(glyph.unicode) ?? new Set<number>();
          byChar.set(glyph.unicode, set);
          set.add(glyph.originalCharCode ?? -1);
        }
    });
  }
  await pdf.destroy();
  return codes;
}
