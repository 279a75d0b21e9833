/**
 * Reading PDFs back in tests, with libraries independent of the ones Press renders with:
 * pdfjs-dist for text, outline, destinations and metadata; pdf-lib to inspect font objects.
 */
import { PDFDict, PDFDocument, PDFName, PDFRef } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface PdfFacts {
  pageCount: number;
  /** Text of each page, whitespace folded. */
  pageTexts: string[];
  /** Text of each page read line by line from the right edge (for right-to-left documents). */
  rightToLeftTexts: string[];
  /** Outline titles, depth first. */
  outline: string[];
  /** Named destination → 1-based page. */
  destinations: Map<string, number>;
  info: Record<string, unknown>;
  /** The catalog's /Lang. */
  language: string | null;
  isTagged: boolean;
}

export async function readPdf(bytes: Uint8Array): Promise<PdfFacts> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    verbosity: 0,
  }).promise;
  const pageTexts: string[] = [];
  const rightToLeftTexts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    const text = content.items.map((item) => ("str" in item ? `${item.str}${item.hasEOL ? " " : ""}` : "")).join("");
    pageTexts.push(text.replace(/\s+/g, " ").trim());
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
    rightToLeftTexts,
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
