/** What a template sees: the document's fields, labels, body HTML, contents and page geometry. */
import type { PressDocument } from "../document.js";
import { counterStyle, type DigitStyle, localDigits } from "./digits.js";
import type { Labels } from "./labels.js";
import { briefingContentBox, BRIEFING_MARGIN_MM as MARGIN, PAPER } from "./paper.js";

/** Page numbers of the contents entries by heading id; empty before the first rendering. */
export type PageNumbers = ReadonlyMap<string, number>;

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
  /** What the project's theme gives templates: the logo as a data: URL. */
  theme?: { logo: string | null };
}

export function templateContext(input: ContextInput): Record<string, unknown> {
  const { document, labels, pages } = input;
  const { meta } = document;
  const paper = PAPER[meta.paper];
  const contentHeight = briefingContentBox(meta.paper).height;
  const rtl = isRightToLeft(meta.lang);
  const marking = meta.classification?.toUpperCase();
  const altLang = meta.altLang ?? meta.lang;
  return {
    meta,
    labels,
    dir: rtl ? "rtl" : "ltr",
    dateText: formatDate(meta.date, meta.lang, meta.digits),
    kindLabel: labels[meta.kind] ?? null,
    // The marking in the document's language when its locale names it, else as written.
    marking: marking ? { text: labels[`classification-${marking}`] ?? marking, tone: markingTone(marking) } : null,
    alt: meta.altTitle
      ? { title: meta.altTitle, subtitle: meta.altSubtitle, lang: altLang, dir: isRightToLeft(altLang) ? "rtl" : "ltr" }
      : null,
    counterStyle: counterStyle(meta.digits),
    body: document.bodyHtml,
    toc: document.toc.map((entry) => {
      const page = pages.get(entry.id);
      return { ...entry, page: page === undefined ? null : localDigits(String(page), meta.digits) };
    }),
    css: `:root { --content-height: ${contentHeight - 8}mm; }\n${input.css}`,
    fontFaces: input.fontFaces,
    generator: input.generator,
    theme: input.theme ?? { logo: null },
    page: {
      // Margin boxes are physical: in a right-to-left document the running header and the page
      // number change sides.
      start: rtl ? "right" : "left",
      end: rtl ? "left" : "right",
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
export function formatDate(date: string | null, lang: string, digits: DigitStyle = "latin"): string | null {
  if (!date) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const value = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (Number.isNaN(value.getTime())) return date;
  try {
    return dateFormat(lang, digits).format(value);
  } catch {
    return date;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Made once per language and digits (making one costs more than formatting with it). */
function dateFormat(lang: string, digits: DigitStyle): Intl.DateTimeFormat {
  const key = `${lang}/${digits}`;
  let format = dateFormats.get(key);
  if (!format) {
    // Plain "en" would give the US "November 25, 2026"; briefings use day-month-year.
    const locale = lang.toLowerCase() === "en" ? "en-GB" : lang;
    const numberingSystem = digits === "arabic-indic" ? "arab" : "latn";
    format = new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "UTC",
      numberingSystem,
    });
    dateFormats.set(key, format);
  }
  return format;
}

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ku"]);

export function isRightToLeft(lang: string): boolean {
  return RTL_LANGUAGES.has(lang.toLowerCase().split("-")[0] ?? "");
}
