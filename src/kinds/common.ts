/** Pieces every kind shares: the base template context and the PDF's finishing touches. */
import { createHash } from "node:crypto";
import path from "node:path";
import type { PressDocument } from "../document.js";
import type { FinishedPdf, FinishRequest } from "../pdf/finish.js";
import type { PageOutlineEntry } from "../pdf/page-outline.js";
import type { PdfMetadata, SourceBlock } from "../pdf/pdf-metadata.js";
import { type Diagnostic, DiagnosticError, diagnostic } from "../report/diagnostic.js";
import { formatDate, type PageNumbers, templateContext } from "../template/context.js";
import { fontFaces, fontFacesFor, fontFamily, svgWithFonts, withListedFamilies } from "../template/fonts.js";
import { loadLabels } from "../template/labels.js";
import type { TemplateDirs } from "../template/layers.js";
import { themeCss, themeFontPackages, themeLogo } from "../template/theme.js";
import { blockTexts } from "./block-texts.js";
import type { KindContext } from "./types.js";

/** The stylesheet every template starts from. */
export const PALETTE = "palette";

/** A warning for each request a page made that was not allowed. */
export function blockedRequestWarnings(document: PressDocument, urls: string[]): Diagnostic[] {
  return urls.map((url) =>
    diagnostic(document.source.displayPath, undefined, "warning", "request/blocked", `blocked a request for ${url}`),
  );
}

/** The context of `templateContext` for a document, with `css` from the palette and the named stylesheets. */
export function baseContext(
  document: PressDocument,
  context: KindContext,
  stylesheets: string[],
  pages: PageNumbers = new Map(),
): Record<string, unknown> {
  const { config, engine } = context;
  const { labels } = loadLabels(config.templateDirs, document.meta.lang);
  const theme = themeCss(config.theme, fontFamily);
  return templateContext({
    document,
    labels,
    // The theme's colours, fonts and stylesheet come after the templates' own, and win.
    css: withListedFamilies(
      [...[PALETTE, ...stylesheets].map((name) => engine.css(name)), theme].join("\n"),
      config.templateDirs,
    ),
    fontFaces: documentFontFaces(document, config.templateDirs, labels, themeFontPackages(config.theme)),
    theme: {
      logo: themeLogo(config.theme, (svg) => svgWithFonts(svg, config.templateDirs, themeFontPackages(config.theme))),
    },
    generator: context.generator,
    pages,
  });
}

const fontFacesByDocument = new WeakMap<PressDocument, string>();

/** Only the faces whose characters the document holds (its text, front matter and labels); once per document. */
function documentFontFaces(
  document: PressDocument,
  templateDirs: TemplateDirs,
  labels: Record<string, string>,
  themePackages: readonly string[],
): string {
  let css = fontFacesByDocument.get(document);
  if (css === undefined) {
    const notes = document.slides.map((s) => s.notesHtml).join("");
    css = fontFacesFor(
      templateDirs,
      `${document.bodyHtml}${notes}${JSON.stringify(document.meta)}${JSON.stringify(labels)}`,
      themePackages,
    );
    fontFacesByDocument.set(document, css);
  }
  return css;
}

/**
 * The HTML a template made, refused when it leaves out some of the document's content: a template
 * edited without `{{{body}}}` (or a slide partial without `{{{html}}}`) built, exit 0, outputs that
 * held none of the document's text. `parts` are the pieces of HTML it must hold, each whole, as
 * the document gave them; `what` names the first one missing.
 */
export function withContent(
  html: string,
  parts: { html: string; what: string }[],
  template: string,
  context: KindContext,
): string {
  const missing = parts.find((part) => part.html !== "" && !html.includes(part.html));
  if (!missing) return html;
  const file = path.relative(context.config.cwd, context.engine.file(`${template}.hbs`));
  throw new DiagnosticError(
    diagnostic(
      file,
      undefined,
      "error",
      "template/content",
      `the template (with its partials) does not print ${missing.what}: the outputs would lose it`,
      "print it with three braces, {{{body}}} in a briefing's template, {{{html}}} in a slide's partial",
    ),
  );
}

/**
 * A Content-Security-Policy for an output: nothing loads but inline styles and `data:` fonts and
 * images; the one script allowed, if any, is Press's own, by its hash.
 */
export function contentSecurityPolicy(script?: string): string {
  const scripts = script ? `'sha256-${createHash("sha256").update(script).digest("base64")}'` : "'none'";
  return `default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; script-src ${scripts}`;
}

/** What the finished PDF's document information says. */
function pdfMetadata(document: PressDocument, context: KindContext): PdfMetadata {
  const { meta } = document;
  const targets = linkTargets(document);
  const { labels } = loadLabels(context.config.templateDirs, meta.lang);
  return {
    title: meta.title,
    authors: meta.authors,
    subject: meta.summary ?? meta.subtitle,
    keywords: meta.keywords,
    lang: meta.lang,
    creator: context.generator,
    date: context.config.buildDate,
    targets,
    // What the outline's titles should say: Chromium writes them from the layout (words in visual
    // order in Arabic, no space at a line wrap); the finishing picks the source text they match.
    headings: [meta.title, ...Object.values(targets), ...Object.values(labels)],
    headingLayouts: headingLayouts(document, targets),
    blocks: [...sourceBlocks(document), ...Object.values(labels).map((text) => ({ tag: "p", text }))],
  };
}

/** The cover's texts and the body's blocks, as written (block-texts.ts). */
function sourceBlocks(document: PressDocument): SourceBlock[] {
  const { meta } = document;
  const cover: SourceBlock[] = [{ tag: "h1", text: meta.title }];
  // The date as the templates write it (cover, document control, title slide).
  const date = formatDate(meta.date, meta.lang, meta.digits);
  // Each as the cover and the document control print it (partials/cover.hbs): an Arabic author's
  // words were otherwise read in Chromium's visual order.
  const authors = meta.authors.length > 0 ? meta.authors.join("; ") : undefined;
  for (const text of [
    meta.subtitle,
    meta.summary,
    meta.organisation,
    meta.distribution,
    date,
    authors,
    meta.reference,
    meta.version,
  ])
    if (text) cover.push({ tag: "p", text });
  const alt = meta.altLang && meta.altLang !== meta.lang ? { lang: meta.altLang } : {};
  if (meta.altTitle) cover.push({ tag: "p", text: meta.altTitle, ...alt });
  if (meta.altSubtitle) cover.push({ tag: "p", text: meta.altSubtitle, ...alt });
  // The tree's, which holds a deck's notes too.
  return [...cover, ...(document.blocks ?? blockTexts(document.bodyHtml, meta.lang))];
}

/** Headings and list items (notes) with an id, and their text: what a link to them is a link to. */
function linkTargets(document: PressDocument): Record<string, string> {
  const targets: Record<string, string> = {};
  for (const entry of document.toc) targets[entry.id] = `${entry.number} ${entry.text}`.trim();
  for (const { id, html } of elementsWithIds(document.bodyHtml)) {
    // An image left out counts as its alt text, as in the contents (transform/numbering.ts).
    const text = shownText(html);
    if (id && text && !(id in targets)) targets[id] = text.length > 160 ? `${text.slice(0, 159)}…` : text;
  }
  return targets;
}

/** The placeholder's words and address, which an image left out lays out beside its alt text. */
const PLACEHOLDER_WORDS = /<span class="image-placeholder-(?:problem|file)"[^>]*>[^<]*<\/span>/g;

/** Headings with an image left out: what Chromium lays out (and titles the outline with), and their text. */
function headingLayouts(document: PressDocument, targets: Record<string, string>): { layout: string; text: string }[] {
  if (!document.bodyHtml.includes("image-placeholder")) return [];
  return elementsWithIds(document.bodyHtml)
    .filter(({ tag, html }) => tag !== "li" && html.includes("image-placeholder"))
    .map(({ id, html }) => ({ layout: plainText(html), text: targets[id] ?? "" }))
    .filter(({ layout, text }) => text !== "" && layout !== text);
}

function elementsWithIds(html: string): { tag: string; id: string; html: string }[] {
  if (!html.includes(" id=")) return [];
  return [...html.matchAll(/<(h[1-6]|li)\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)].map((match) => ({
    tag: match[1] ?? "",
    id: match[2] ?? "",
    html: match[3] ?? "",
  }));
}

/** An HTML fragment's text as a reader sees it: an image left out counts as its alt text. */
function shownText(html: string): string {
  return plainText(html.replace(PLACEHOLDER_WORDS, ""));
}

function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[e] ?? "",
    )
    .replace(/\s+/g, " ")
    .replace(/\s*↩\s*$/, "")
    .trim();
}

/**
 * Make a printed PDF final (metadata, stable structure ids), in a worker when the build has them,
 * and read the page of each of `ids` from its named destinations.
 */
export async function finishPdf(
  printed: Uint8Array,
  document: PressDocument,
  context: KindContext,
  ids: string[] = [],
  impose?: FinishRequest["impose"],
  pageOutline?: PageOutlineEntry[],
): Promise<FinishedPdf> {
  const { config } = context;
  const fontFiles = fontFaces(config.templateDirs, themeFontPackages(config.theme)).files;
  const metadata = { ...pdfMetadata(document, context), pageOutline };
  const marking = markingText(document, context);
  return context.offload.finishPdf({ pdf: printed, ids, metadata, impose, fontFiles, ...(marking ? { marking } : {}) });
}

/** The classification marking as the templates print it (in the document's language when its locale names it). */
function markingText(document: PressDocument, context: KindContext): string | undefined {
  const marking = document.meta.classification?.toUpperCase();
  if (!marking) return undefined;
  const { labels } = loadLabels(context.config.templateDirs, document.meta.lang);
  return labels[`classification-${marking}`] ?? marking;
}

/**
 * A warning (an error when strict) for the pages of an output that do not show the document's
 * classification marking: a template without its page furniture, or margins too small for it.
 */
export function unmarkedDiagnostics(
  document: PressDocument,
  context: KindContext,
  output: string,
  unmarked: readonly number[] | undefined,
): Diagnostic[] {
  if (!unmarked || unmarked.length === 0) return [];
  const pages =
    unmarked.length > 12 ? `${unmarked.slice(0, 12).join(", ")} and ${unmarked.length - 12} more` : unmarked.join(", ");
  return [
    diagnostic(
      document.source.displayPath,
      undefined,
      context.config.strict ? "error" : "warning",
      "marking/missing",
      `the marking "${markingText(document, context)}" is not on ${unmarked.length === 1 ? "page" : "pages"} ${pages} of ${path.relative(context.config.cwd, output)}`,
      "the templates print it in the page margins (partials/page-furniture.hbs, partials/slide-furniture.hbs): keep them, and margins wide enough to hold it",
    ),
  ];
}
