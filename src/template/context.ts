/** What a template sees: the document's fields, labels, body HTML, contents and page geometry. */
import type { PressDocument } from "../document.js";
import type { Labels } from "./labels.js";

/** Page numbers of the contents entries by heading id; empty before the first rendering. */
export type PageNumbers = ReadonlyMap<string, number>;

const PAPER = {
  A4: { size: "A4", height: 297 },
  Letter: { size: "letter", height: 279.4 },
} as const;
const MARGIN = { top: 24, bottom: 22, side: 22 };

const MARKING_TONES: Record<string, string> = {
  unclassified: "unclassified",
  official: "official",
  "official-sensitive": "restricted",
  restricted: "restricted",
  confidential: "confidential",
  secret: "secret",
  "top secret": "top-secret",
};

export interface ContextInput {
  document: PressDocument;
  labels: Labels;
  css: string;
  fontFaces: string;
  generator: string;
  pages: PageNumbers;
}

export function templateContext(input: ContextInput): Record<string, unknown> {
  const { document, labels, pages } = input;
  const { meta } = document;
  const paper = PAPER[meta.paper];
  const contentHeight = paper.height - MARGIN.top - MARGIN.bottom;
  return {
    meta,
    labels,
    dir: isRightToLeft(meta.lang) ? "rtl" : "ltr",
    dateText: formatDate(meta.date, meta.lang),
    kindLabel: labels[meta.kind] ?? null,
    marking: meta.classification
      ? { text: meta.classification.toUpperCase(), tone: markingTone(meta.classification) }
      : null,
    body: document.bodyHtml,
    toc: document.toc.map((entry) => ({ ...entry, page: pages.get(entry.id) ?? null })),
    css: `:root { --content-height: ${contentHeight - 8}mm; }\n${input.css}`,
    fontFaces: input.fontFaces,
    generator: input.generator,
    page: {
      size: paper.size,
      marginTop: `${MARGIN.top}mm`,
      marginBottom: `${MARGIN.bottom}mm`,
      marginSide: `${MARGIN.side}mm`,
    },
  };
}

export function markingTone(classification: string): string {
  const key = classification
    .trim()
    .toLowerCase()
    .replace(/\s*\/.*$/, "");
  return MARKING_TONES[key] ?? "other";
}

/** `2026-11-25` becomes "25 November 2026" in the document's language; other text is kept. */
export function formatDate(date: string | null, lang: string): string | null {
  if (!date) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(value.getTime())) return date;
  try {
    // Plain "en" would give the US "November 25, 2026"; briefings use day-month-year.
    const locale = lang.toLowerCase() === "en" ? "en-GB" : lang;
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
      value,
    );
  } catch {
    return date;
  }
}

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ku"]);

export function isRightToLeft(lang: string): boolean {
  return RTL_LANGUAGES.has(lang.toLowerCase().split("-")[0] ?? "");
}
