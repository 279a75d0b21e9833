/**
 * A deck: the HTML to present, the deck PDF (one slide a page) and the printed handout.
 * Every slide is measured in the browser; one that overflows is shrunk until it fits, and a note
 * says so at its source line; with `fit: false` it is left overflowing and reported there (an
 * error with --strict).
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "puppeteer-core";
import type { PressDocument, Slide } from "../document.js";
import type { FinishedPdf } from "../pdf/finish.js";
import type { Placement } from "../pdf/impose.js";
import type { BrowserSession } from "../render/browser.js";
import { continueNotes } from "../render/handout-notes.js";
import { hiddenText, hiddenTextDiagnostics } from "../render/hidden-text.js";
import { printPdf } from "../render/pdf.js";
import { measureSlides, type SlideMeasure } from "../render/slide-overflow.js";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import { trace } from "../report/trace.js";
import { isRightToLeft } from "../template/context.js";
import { localDigits } from "../template/digits.js";
import type { TemplateEngine } from "../template/engine.js";
import { type Labels, loadLabels } from "../template/labels.js";
import { templateCandidates } from "../template/layers.js";
import { PAPER } from "../template/paper.js";
import {
  baseContext,
  blockedRequestWarnings,
  contentSecurityPolicy,
  finishPdf,
  PALETTE,
  unmarkedDiagnostics,
  withContent,
} from "./common.js";
import { boxStyle, HANDOUT_MARGIN_MM, handoutGeometry } from "./handout-geometry.js";
import { slideOutline } from "./slide-outline.js";
import type { Artefact, Kind, KindContext, PrintCounts, Produced } from "./types.js";

const SIZES = { "16:9": { width: 1280, height: 720 }, "4:3": { width: 960, height: 720 } } as const;
const MAX_FIT_PASSES = 4;
/** Points in a CSS pixel. */
const PT = 0.75;

interface HandoutItem {
  slide: SlideView;
  slideStyle: string;
  notesStyle: string;
  linesStyle: string;
}

/** Per slide number, the zoom that makes it fit (only for slides that asked to fit). */
type FitScales = Map<number, number>;

interface SlideView extends Slide {
  titleSlide: boolean;
  fitScale: number | null;
  /** The slide number as shown, in the document's digits. */
  numberText: string;
}

export const slides: Kind = {
  produce: produceSlides,
  dependencies: (document, { engine, config }) => [
    ...engine.files(document.meta.template),
    ...engine.files("handout"),
    ...engine.files("slides").filter((f) => f.endsWith(".css")),
    ...engine.files(PALETTE),
    ...templateCandidates(config.templateDirs, "js/deck.js"),
  ],
};

async function produceSlides(document: PressDocument, context: KindContext): Promise<Produced> {
  const { config } = context;
  const session = config.formats.has("pdf") ? await context.browser?.() : undefined;
  const base = path.join(config.outDir, document.source.outputStem);
  const diagnostics: Diagnostic[] = [];
  const artefacts: Artefact[] = [];
  const prints: PrintCounts = {};

  let fits: FitScales = new Map();
  if (session) {
    // The first layout's HTML is made before a page is asked for, as a briefing's is (toc-pages.ts).
    const unfitted = deckHtml(document, context, fits);
    const htmlFor = (f: FitScales) => (f.size === 0 ? unfitted : deckHtml(document, context, f));
    const deck = await session.withPage(
      async (page, run) => {
        const result = await fitSlides(page, document, htmlFor, config.timeout);
        const hidden = await hiddenText(page);
        const printed = await printPdf(page, { timeout: config.timeout });
        return { ...result, printed, blocked: [...run.blocked], hidden };
      },
      { deadline: config.timeout },
    );
    fits = deck.fits;
    prints.deck = 1;
    diagnostics.push(...overflowDiagnostics(document, deck.measures, config.strict));
    diagnostics.push(...fitDiagnostics(document, deck.fits));
    diagnostics.push(...blockedRequestWarnings(document, deck.blocked));
    diagnostics.push(...hiddenTextDiagnostics(document.source.displayPath, deck.hidden, config.strict));
    // The deck PDF is finished while the handout is made.
    // A copy: the print's buffer moves to the worker that finishes it, and the handout is made from it too.
    const { labels } = loadLabels(config.templateDirs, document.meta.lang);
    const outline = slideOutline(document, labels, (slide) => ({ page: slide + 1 }));
    const deckPdf = finishPdf(deck.printed.slice(), document, context, [], undefined, outline);
    // Awaited below; a failure of it while the handout is still printing must not go unhandled.
    deckPdf.catch(() => undefined);
    const handout = await makeHandout(document, context, session, deck.printed, fits);
    Object.assign(prints, handout.prints);
    diagnostics.push(...handout.diagnostics);
    const handoutPdf = handout.pdf;
    const finishedDeck = await deckPdf;
    diagnostics.push(...unmarkedDiagnostics(document, context, `${base}.pdf`, finishedDeck.unmarked));
    diagnostics.push(...unmarkedDiagnostics(document, context, `${base}.handout.pdf`, handoutPdf.unmarked));
    artefacts.push(
      { path: `${base}.pdf`, kind: "deck", format: "pdf", data: finishedDeck.pdf, pages: finishedDeck.pageCount },
      {
        path: `${base}.handout.pdf`,
        kind: "handout",
        format: "pdf",
        data: handoutPdf.pdf,
        pages: handoutPdf.pageCount,
      },
    );
  }
  if (config.formats.has("html")) {
    artefacts.unshift({
      path: `${base}.html`,
      kind: "deck",
      format: "html",
      data: deckHtml(document, context, fits, presentingScript(context.engine)),
      pages: null,
    });
  }
  return { artefacts, diagnostics, prints };
}

/** The overflow report of a deck, without writing anything (for `press check`). */
export async function slideOverflow(document: PressDocument, context: KindContext): Promise<Diagnostic[]> {
  const session = await context.browser?.();
  if (!session) return [];
  const html = (fits: FitScales) => deckHtml(document, context, fits);
  const { measures, fits } = await session.withPage((page) => fitSlides(page, document, html, context.config.timeout));
  return [...overflowDiagnostics(document, measures, context.config.strict), ...fitDiagnostics(document, fits)];
}

/** Lay the deck out; shrink the slides that may be fitted until they fit (or passes run out). */
async function fitSlides(page: Page, document: PressDocument, htmlFor: (fits: FitScales) => string, timeout: number) {
  const fits: FitScales = new Map();
  const mayFit = new Set(document.slides.filter((s) => s.fit || document.meta.fit).map((s) => s.number));
  let measures: SlideMeasure[] = [];
  for (let pass = 1; ; pass++) {
    await page.setContent(htmlFor(fits), { waitUntil: "load", timeout });
    measures = await measureSlides(page);
    const toShrink = measures.filter((m) => (m.overflowY > 0 || m.overflowX > 0) && mayFit.has(m.number));
    if (toShrink.length === 0 || pass === MAX_FIT_PASSES) break;
    for (const m of toShrink) {
      // The content measured m.contentHeight at zoom `current`; at zoom z it is about contentHeight·z/current
      // (and so for its width: a table too wide shrinks too).
      const current = fits.get(m.number) ?? 1;
      const scale = Math.min(1, m.boxHeight / m.contentHeight, m.boxWidth / m.contentWidth);
      fits.set(m.number, Math.floor(current * scale * 0.98 * 1000) / 1000);
    }
  }
  return { fits, measures };
}

/** Below this scale a fitted slide's text is too small to read from a room's back (24 px → 12 px). */
const LEGIBLE_SCALE = 0.5;

/**
 * What `fit` did: each slide it shrank, as a note, or a warning when its text came out at less
 * than half its size (the slide wants splitting, not shrinking).
 */
function fitDiagnostics(document: PressDocument, fits: FitScales): Diagnostic[] {
  const lines = new Map(document.slides.map((s) => [s.number, s.line]));
  return [...fits]
    .filter(([, scale]) => scale < 1)
    .sort(([a], [b]) => a - b)
    .map(([number, scale]) => {
      const percent = Math.round(scale * 100);
      const small = scale < LEGIBLE_SCALE;
      return diagnostic(
        document.source.displayPath,
        { line: lines.get(number) ?? 1, column: 1 },
        small ? "warning" : "note",
        "slides/fit",
        `slide ${number} shrunk to ${percent} % to fit${small ? ": its text is less than half its size" : ""}`,
        small ? "split the slide, or cut its text" : undefined,
      );
    });
}

function overflowDiagnostics(document: PressDocument, measures: SlideMeasure[], strict: boolean): Diagnostic[] {
  const lines = new Map(document.slides.map((s) => [s.number, s.line]));
  return measures
    .filter((m) => m.overflowY > 0 || m.overflowX > 0)
    .map((m) => {
      const parts = [
        m.overflowY > 0 ? `by ${m.overflowY}px` : "",
        m.overflowX > 0 ? `${m.overflowX}px to the right` : "",
      ];
      const table = m.tableLine !== null ? `: its table is too ${m.overflowX > 0 ? "wide" : "long"}` : "";
      const why = document.meta.fit === false ? " (the deck's `fit: false` keeps the others from being shrunk)" : "";
      return diagnostic(
        document.source.displayPath,
        { line: m.tableLine ?? lines.get(m.number) ?? 1, column: 1 },
        strict ? "error" : "warning",
        "slides/overflow",
        `slide ${m.number} overflows ${parts.filter(Boolean).join(" and ")}${table}`,
        table
          ? `split the table over two slides, keep fewer columns or rows, or add <!-- fit --> at the slide's top${why}`
          : `split the slide, cut its text, or add <!-- fit --> at its top${why}`,
      );
    });
}

function presentingScript(engine: TemplateEngine): string {
  return fs.readFileSync(engine.file("js/deck.js"), "utf8");
}

/**
 * The deck's HTML: without `script`, what is printed and measured (no script, no notes); with
 * Press's presenting script, the file to present.
 */
function deckHtml(document: PressDocument, context: KindContext, fits: FitScales, script?: string): string {
  const html = context.engine.render(document.meta.template, {
    ...deckContext(document, context, fits),
    interactive: script !== undefined,
    script: script ?? "",
    contentSecurityPolicy: contentSecurityPolicy(script),
  });
  const slides = document.slides.map((s) => ({ html: s.html, what: `slide ${s.number} ({{{html}}})` }));
  return withContent(html, slides, document.meta.template, context);
}

function deckContext(
  document: PressDocument,
  context: KindContext,
  fits: FitScales,
  stylesheets: string[] = ["slides"],
): Record<string, unknown> {
  const size = SIZES[document.meta.aspect];
  const titleSlide: SlideView = {
    number: 1,
    line: 1,
    layout: "title",
    fit: false,
    title: document.meta.title,
    html: "",
    notesHtml: "",
    outline: { headings: [], text: "", alt: "" },
    titleSlide: true,
    fitScale: null,
    numberText: localDigits("1", document.meta.digits),
  };
  const slides: SlideView[] = document.slides.map((s) => ({
    ...s,
    titleSlide: false,
    fitScale: fits.get(s.number) ?? null,
    numberText: localDigits(String(s.number), document.meta.digits),
  }));
  return {
    ...baseContext(document, context, stylesheets),
    deck: { ...size, aspectClass: document.meta.aspect.replace(":", "-") },
    allSlides: [titleSlide, ...slides],
  };
}

/**
 * The handout: its frame (header, footer, marking, notes, ruled lines) printed without the slides,
 * and the deck PDF's own pages placed into it (pdf/impose.ts). A deck PDF the imposition cannot
 * read (`UnexpectedPdf`), or `PRESS_HANDOUT=print`, prints the whole handout instead, slides and all.
 */
async function makeHandout(
  document: PressDocument,
  context: KindContext,
  session: BrowserSession,
  deckPrint: Uint8Array,
  fits: FitScales,
): Promise<{ pdf: FinishedPdf; prints: PrintCounts; diagnostics: Diagnostic[] }> {
  const { timeout } = context.config;
  const { labels } = loadLabels(context.config.templateDirs, document.meta.lang);
  const notesLabel = `${labels["handout-notes"] ?? "Notes"} (${labels.continued ?? "continued"})`;
  const print = (html: string) =>
    session.withPage(
      async (page, run) => {
        await page.setContent(html, { waitUntil: "load", timeout });
        const continued = await continueNotes(page, notesLabel);
        return { printed: await printPdf(page, { timeout }), blocked: [...run.blocked], continued };
      },
      { deadline: timeout },
    );
  const prints: PrintCounts = {};
  const diagnostics: Diagnostic[] = [];
  if (process.env.PRESS_HANDOUT !== "print") {
    const frame = await print(handoutHtml(document, context, fits, true));
    prints["handout frame"] = 1;
    diagnostics.push(...blockedRequestWarnings(document, frame.blocked), ...notesContinued(document, frame.continued));
    // Placed and finished in a worker, like any print.
    const pages = placements(document, context, frame.continued);
    const border = { width: 0.75, rgb: [0x9a / 255, 0xa3 / 255, 0xad / 255] as [number, number, number] };
    const impose = { deck: deckPrint, pages, border };
    const pdf = await finishPdf(frame.printed, document, context, [], impose, handoutOutline(document, labels, pages));
    if (pdf.unimposed === undefined) {
      trace("imposed", document.source.displayPath);
      return { pdf, prints, diagnostics };
    }
    trace("handout printed whole", pdf.unimposed);
  }
  const whole = await print(handoutHtml(document, context, fits, false));
  prints.handout = 1;
  const outline = handoutOutline(document, labels, placements(document, context, whole.continued));
  return {
    pdf: await finishPdf(whole.printed, document, context, [], undefined, outline),
    prints,
    diagnostics: [
      ...diagnostics.filter((d) => d.rule !== NOTES_CONTINUED),
      ...blockedRequestWarnings(document, whole.blocked),
      ...notesContinued(document, whole.continued),
    ],
  };
}

const NOTES_CONTINUED = "handout/notes-continued";

/** A note at each slide whose notes went on past their box, on pages of their own. */
function notesContinued(document: PressDocument, continued: number[]): Diagnostic[] {
  return continued.flatMap((pages, index) => {
    // The handout's first page is the title slide's, which has no notes.
    const slide = document.slides[index - 1];
    if (pages === 0 || !slide) return [];
    return [
      diagnostic(
        document.source.displayPath,
        { line: slide.line, column: 1 },
        "note",
        NOTES_CONTINUED,
        `the notes of slide ${slide.number} are longer than their box on the 1-a-page handout: continued on ${pages} page${pages === 1 ? "" : "s"} of their own after the slide's`,
      ),
    ];
  });
}

/** Where each slide goes on the handout's pages, in PDF points (a CSS pixel is 0.75 pt). */
/** The handout's bookmarks: each slide's at its place on its handout page. */
function handoutOutline(document: PressDocument, labels: Labels, pages: Placement[][]) {
  const place = new Map<number, { page: number; top: number }>();
  pages.forEach((placed, index) => {
    for (const { slide, top } of placed) place.set(slide, { page: index + 1, top });
  });
  return slideOutline(document, labels, (slide) => place.get(slide));
}

function placements(document: PressDocument, context: KindContext, continued: number[] = []): Placement[][] {
  const layout = context.config.handout ?? document.meta.handout;
  const geometry = handoutGeometry(layout, document.meta.paper, SIZES[document.meta.aspect]);
  const rtl = isRightToLeft(document.meta.lang);
  const count = document.slides.length + 1;
  const pages: Placement[][] = [];
  for (let first = 0; first < count; first += layout) {
    const page: Placement[] = [];
    for (let slide = first; slide < Math.min(count, first + layout); slide++) {
      const box = geometry.cells[slide - first]?.slide;
      if (!box) throw new Error(`no cell ${slide - first} in a handout of ${layout}`);
      const x = rtl ? geometry.contentWidth - box.x - box.width : box.x;
      page.push({
        slide,
        left: (geometry.margin.side + x) * PT,
        top: (geometry.margin.top + box.y) * PT,
        width: box.width * PT,
      });
    }
    pages.push(page);
    // The notes' own pages after it hold no slide.
    for (let more = continued[first / layout] ?? 0; more > 0; more--) pages.push([]);
  }
  return pages;
}

/** The handout's HTML: with `frame`, without the slides (their boxes left empty for the imposition). */
function handoutHtml(document: PressDocument, context: KindContext, fits: FitScales, frame: boolean): string {
  const layout = context.config.handout ?? document.meta.handout;
  const deck = deckContext(document, context, fits, ["slides", "handout"]);
  const slides = deck.allSlides as SlideView[];
  const geometry = handoutGeometry(layout, document.meta.paper, SIZES[document.meta.aspect]);
  const pages: HandoutItem[][] = [];
  for (let i = 0; i < slides.length; i += layout)
    pages.push(
      slides.slice(i, i + layout).map((slide, j) => {
        const cell = geometry.cells[j];
        return {
          slide,
          slideStyle: cell ? boxStyle(cell.slide) : "",
          notesStyle: cell?.notes ? boxStyle(cell.notes) : "",
          linesStyle: cell?.lines ? boxStyle(cell.lines) : "",
        };
      }),
    );
  const lines = geometry.cells[0]?.lines;
  return context.engine.render("handout", {
    ...deck,
    pages,
    handout: {
      ...geometry,
      frame,
      linePitch: lines?.pitch ?? 0,
      lineList: Array.from({ length: lines?.count ?? 0 }, (_, i) => i),
    },
    page: {
      ...(deck.page as object),
      size: PAPER[document.meta.paper].size,
      marginTop: `${HANDOUT_MARGIN_MM.top}mm`,
      marginBottom: `${HANDOUT_MARGIN_MM.bottom}mm`,
      marginSide: `${HANDOUT_MARGIN_MM.side}mm`,
    },
    contentSecurityPolicy: contentSecurityPolicy(),
  });
}
