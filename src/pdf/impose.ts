/**
 * A handout made from the deck PDF's own pages: each slide's content stream copied into a page of
 * the handout's frame (its header, footer, marking, notes and ruled lines, printed without the
 * slides), under `q … cm … Q`, clipped to the slide, its resources renamed; the deck's fonts,
 * images and structure elements copied with it. Both inputs are PDFs as Chromium prints them
 * (pdf-syntax.ts); so is the result, which is then finished like any print (finish-plain.ts).
 *
 * Why the content is copied and not placed as a form XObject: the slide's marked content then
 * sits in the page's own content stream, under the page's MCIDs, and its structure elements
 * point at the page. Every reader follows that (pdf.js reads a page's structure only through the
 * page's StructParents; PDF/UA checkers look for untagged painting in page content), and the
 * finishing's artifact marking and structure repairs work on it unchanged. Marked content inside
 * a form XObject needs MCRs with /Stm, which Chromium writes for opacity groups but which readers
 * follow unevenly.
 */
import { inflateSync } from "node:zlib";
import pako from "pako";
import { operations } from "./content-stream.js";
import {
  type PdfDict,
  type PdfFile,
  type PdfValue,
  pdfText,
  readPdf,
  resolve,
  textOf,
  UnexpectedPdf,
} from "./pdf-syntax.js";

/** One slide on a handout page, in PDF points from the page's top-left corner. */
export interface Placement {
  /** The deck page, from 0. */
  slide: number;
  left: number;
  top: number;
  /** The slide's width on the handout page; its height follows from its shape. */
  width: number;
}

export interface ImposeRequest {
  deck: Uint8Array;
  /** The handout's frame: one page per handout page. */
  frame: Uint8Array;
  /** Per frame page, the slides placed on it, in reading order. */
  pages: Placement[][];
  /** The slides' border: width in points and colour (RGB, 0–1). */
  border?: { width: number; rgb: [number, number, number] };
}

const RESOURCE_FOR: Record<string, string> = {
  Tf: "Font",
  gs: "ExtGState",
  Do: "XObject",
  sh: "Shading",
  cs: "ColorSpace",
  CS: "ColorSpace",
  scn: "Pattern",
  SCN: "Pattern",
  BDC: "Properties",
};

/** The handout, as an unfinished PDF. */
export function imposeHandout(request: ImposeRequest): Uint8Array {
  const deck = readPdf(request.deck);
  const frame = readPdf(request.frame);
  const deckPages = pageList(deck);
  const framePages = pageList(frame);
  if (framePages.length !== request.pages.length)
    throw new UnexpectedPdf(`a frame of ${framePages.length} pages for ${request.pages.length}`);
  return new Imposition(deck, frame, deckPages, framePages, request).run();
}

interface StructRoot {
  num: number;
  dict: PdfDict;
  /** The parent tree's entries, by key: the value as written (a reference or an array). */
  parentTree: Map<number, PdfValue>;
  parentTreeNum: number;
  nextKey: number;
}

class Imposition {
  /** Deck object number → its number in the handout. */
  private readonly offset: number;
  private readonly copied = new Set<number>();
  /** Deck page → the frame page it is placed on. */
  private readonly pageOf = new Map<number, number>();
  /** Deck page → what its MCIDs become on the handout page: added to each. */
  private readonly mcidShift = new Map<number, number>();
  /** Deck objects left behind whose references become the frame's document element. */
  private readonly containers = new Set<number>();
  private readonly out = new Map<number, { body: string; data?: Uint8Array }>();
  private size: number;
  private frameDocument = 0;
  private deckKeyBase = 0;
  /** The entries of a document element made for a frame without one. */
  private syntheticDocument = "";
  private readonly catalogEntries = new Map<string, string>();
  /** A link on a slide → the slide's page. */
  private readonly annotationPage = new Map<number, number>();
  /** Deck page → where a point of it goes on its handout page: x' = scale·x + dx, y' = scale·y + dy. */
  private readonly transforms = new Map<number, { scale: number; dx: number; dy: number }>();

  constructor(
    readonly deck: PdfFile,
    readonly frame: PdfFile,
    readonly deckPages: number[],
    readonly framePages: number[],
    readonly request: ImposeRequest,
  ) {
    this.offset = sizeOf(frame);
    this.size = this.offset + sizeOf(deck);
  }

  run(): Uint8Array {
    const deckRoot = structRoot(this.deck);
    if (!deckRoot) throw new UnexpectedPdf("an untagged deck");
    // A frame with nothing tagged (no notes) has no structure tree: it gets one, for the slides.
    const frameRoot = structRoot(this.frame) ?? this.newStructRoot();
    this.deckKeyBase = frameRoot.nextKey;
    const frameDocument = frameRoot.num < 0 ? this.newDocument(frameRoot) : documentElement(this.frame, frameRoot);
    this.frameDocument = frameDocument.num;
    const slideElements = this.deckTopElements(deckRoot);

    // Where each slide goes, and its MCIDs after the frame's and the slides' before it on that page.
    const frameMcids = this.framePages.map((page) => mcidCount(this.frame, frameRoot, page));
    this.request.pages.forEach((placements, index) => {
      let next = frameMcids[index] ?? 0;
      for (const { slide } of placements) {
        const page = this.deckPages[slide];
        if (page === undefined || this.pageOf.has(page)) throw new UnexpectedPdf(`slide ${slide + 1} placed twice`);
        this.pageOf.set(page, this.framePages[index] as number);
        this.mcidShift.set(page, next);
        next += mcidCount(this.deck, deckRoot, page);
      }
    });
    if (this.pageOf.size !== this.deckPages.length) throw new UnexpectedPdf("a slide left out of the handout");

    // The deck's objects the slides need: their resources, links, structure elements and outline.
    for (const page of this.deckPages) {
      const dict = this.deck.objects.get(page)?.value;
      if (dict?.type !== "dict") throw new UnexpectedPdf("a malformed slide page");
      this.reach(dict.value.get("Resources"));
      const [annots] = resolve(this.deck, dict.value.get("Annots"), page);
      for (const annot of annots?.type === "array" ? annots.value : []) {
        if (annot.type !== "ref") throw new UnexpectedPdf("an annotation that is not an object of its own");
        this.annotationPage.set(annot.value, page);
        this.reach(annot);
      }
    }
    for (const { num } of slideElements) this.reach({ type: "ref", value: num, start: 0, end: 0 });
    const [deckCatalog] = resolve(this.deck, this.deck.trailer.value.get("Root"), 0);
    const outlines = deckCatalog?.type === "dict" ? deckCatalog.value.get("Outlines") : undefined;
    const [frameCatalog] = resolve(this.frame, this.frame.trailer.value.get("Root"), 0);
    if (outlines?.type === "ref" && frameCatalog?.type === "dict" && !frameCatalog.value.has("Outlines")) {
      this.reach(outlines);
      this.catalogEntries.set("Outlines", this.ref(outlines.value));
    }

    this.framePages.forEach((page, index) => {
      this.buildPage(page, this.request.pages[index] ?? []);
    });
    for (const num of [...this.copied].sort((a, b) => a - b)) this.copyDeckObject(num);
    this.moveDestinations(deckCatalog, frameCatalog);
    this.rebuildStructure(frameRoot, deckRoot, frameDocument, slideElements);
    this.writeCatalog();
    return this.write();
  }

  /** The deck's named destinations (the targets of its internal links), moved with their slides. */
  private moveDestinations(deckCatalog: PdfValue | undefined, frameCatalog: PdfValue | undefined): void {
    const [dests] = resolve(this.deck, deckCatalog?.type === "dict" ? deckCatalog.value.get("Dests") : undefined, 0);
    if (dests?.type !== "dict" || dests.value.size === 0) return;
    const entries: string[] = [];
    const [own] = resolve(this.frame, frameCatalog?.type === "dict" ? frameCatalog.value.get("Dests") : undefined, 0);
    if (own?.type === "dict")
      for (const [name, v] of own.value) entries.push(`/${nameText(name)} ${source(this.frame, v)}`);
    for (const [name, v] of dests.value) {
      const [value] = resolve(this.deck, v, 0);
      const [array] = resolve(this.deck, value?.type === "dict" ? value.value.get("D") : value, 0);
      if (array?.type === "array") entries.push(`/${nameText(name)} ${this.emitDestination(array)}`);
    }
    this.catalogEntries.set("Dests", `<<${entries.join(" ")}>>`);
  }

  /** The frame's catalog with the entries the handout sets. */
  private writeCatalog(): void {
    if (this.catalogEntries.size === 0) return;
    const [catalog, num] = resolve(this.frame, this.frame.trailer.value.get("Root"), 0);
    if (catalog?.type !== "dict") throw new UnexpectedPdf("no catalog");
    const entries = [...catalog.value]
      .filter(([key]) => !this.catalogEntries.has(key))
      .map(([key, v]) => `/${nameText(key)} ${source(this.frame, v)}`);
    for (const [key, value] of this.catalogEntries) entries.push(`/${key} ${value}`);
    this.out.set(num, { body: `<<${entries.join(" ")}>>` });
  }

  private newStructRoot(): StructRoot {
    const [catalog] = resolve(this.frame, this.frame.trailer.value.get("Root"), 0);
    if (catalog?.type !== "dict" || catalog.value.has("MarkInfo") || catalog.value.has("StructTreeRoot"))
      throw new UnexpectedPdf("an untagged frame with marked content");
    const num = this.size++;
    this.catalogEntries.set("MarkInfo", "<</Type /MarkInfo /Marked true>>");
    this.catalogEntries.set("StructTreeRoot", `${num} 0 R`);
    const empty: PdfDict = { type: "dict", value: new Map(), start: 0, end: 0 };
    // Numbers below zero stand for "not in the frame": written from scratch in rebuildStructure.
    return { num: -num, dict: empty, parentTree: new Map(), parentTreeNum: -this.size++, nextKey: 0 };
  }

  private newDocument(root: StructRoot): { num: number; dict: PdfDict } {
    const num = this.size++;
    this.syntheticDocument = `/Type /StructElem /S /Document /P ${-root.num} 0 R`;
    return { num, dict: { type: "dict", value: new Map(), start: 0, end: 0 } };
  }

  /** The deck's elements under its document (one a slide, as Chromium tags them), each with its page. */
  private deckTopElements(root: StructRoot): { num: number; page: number | undefined }[] {
    let [node, num] = resolve(this.deck, root.dict.value.get("K"), root.num);
    // Down through the document and the body's wrapper: elements of one kid and no page of their own.
    for (let depth = 0; node?.type === "dict" && !node.value.has("Pg") && depth < 8; depth++) {
      this.containers.add(num);
      const k = node.value.get("K");
      if (k?.type !== "ref") break;
      [node, num] = resolve(this.deck, k, num);
    }
    if (node?.type === "dict" && node.value.has("Pg")) return [{ num, page: firstPage(this.deck, node, num) }];
    const k = node?.type === "dict" ? node.value.get("K") : undefined;
    const [kids] = resolve(this.deck, k, num);
    if (kids?.type !== "array") throw new UnexpectedPdf("a deck whose structure is not one element a slide");
    return kids.value.map((kid) => {
      if (kid.type !== "ref") throw new UnexpectedPdf("a structure element that is not an object of its own");
      const [element] = resolve(this.deck, kid, num);
      if (element?.type !== "dict") throw new UnexpectedPdf("a malformed structure element");
      return { num: kid.value, page: firstPage(this.deck, element, kid.value) };
    });
  }

  /** Every deck object a value leads to, but the pages and the structure above the slides. */
  private reach(value: PdfValue | undefined): void {
    const stack: PdfValue[] = value ? [value] : [];
    while (stack.length > 0) {
      const item = stack.pop() as PdfValue;
      if (item.type === "array") stack.push(...item.value);
      else if (item.type === "dict") for (const [key, v] of item.value) key !== "P" && key !== "Pg" && stack.push(v);
      else if (item.type === "ref" && !this.copied.has(item.value) && !this.pageOf.has(item.value)) {
        const object = this.deck.objects.get(item.value);
        if (!object) throw new UnexpectedPdf(`no object ${item.value}`);
        if (this.containers.has(item.value)) continue;
        const type = object.value.type === "dict" ? object.value.value.get("Type")?.value : undefined;
        if (type === "Page" || type === "Pages" || type === "Catalog" || type === "StructTreeRoot")
          throw new UnexpectedPdf(`a slide's resources lead to its document's ${type}`);
        this.copied.add(item.value);
        stack.push(object.value);
      }
    }
  }

  private ref(num: number): string {
    const page = this.pageOf.get(num);
    if (page !== undefined) return `${page} 0 R`;
    if (this.containers.has(num)) return `${this.frameDocument} 0 R`;
    if (!this.copied.has(num)) throw new UnexpectedPdf(`a reference to deck object ${num}, not copied`);
    return `${num + this.offset} 0 R`;
  }

  /** A deck value as the handout writes it: references renumbered, MCIDs and structure ids moved. */
  private emit(value: PdfValue, element?: { page: number | undefined }, annotation?: number): string {
    switch (value.type) {
      case "ref":
        return this.ref(value.value);
      case "array":
        return `[${value.value.map((item) => this.emit(item, element)).join(" ")}]`;
      case "dict": {
        const isElement = value.value.has("S") && value.value.has("P");
        const page = value.value.get("Pg");
        const own = isElement ? { page: page?.type === "ref" ? page.value : undefined } : element;
        const entries = [...value.value].map(([key, v]) => {
          let text: string;
          if (isElement && key === "K") text = this.emitKids(v, own?.page);
          else if (key === "MCID" && v.type === "number" && !value.value.has("Stm")) {
            const at = page?.type === "ref" ? page.value : element?.page;
            text = String(v.value + (at === undefined ? 0 : (this.mcidShift.get(at) ?? 0)));
          } else if ((key === "StructParents" || key === "StructParent") && v.type === "number")
            text = String(v.value + this.deckKeyBase);
          else if ((key === "Rect" || key === "QuadPoints") && annotation !== undefined)
            text = this.emitPoints(v, annotation);
          else if ((key === "Dest" || key === "D") && v.type === "array") text = this.emitDestination(v);
          else if ((key === "ID" && isElement) || key === "Headers") text = this.emitIds(v);
          else text = this.emit(v, own);
          return `/${nameText(key)} ${text}`;
        });
        return `<<${entries.join(" ")}>>`;
      }
      default:
        return source(this.deck, value);
    }
  }

  /** An annotation's rectangle or quadrilaterals, moved with its slide. */
  private emitPoints(value: PdfValue, page: number): string {
    const t = this.transforms.get(page);
    if (value.type !== "array" || !t) throw new UnexpectedPdf("an annotation without a rectangle");
    const xy = numbers(value);
    const moved = xy.map((v, i) => (i % 2 === 0 ? t.scale * v + t.dx : t.scale * v + t.dy));
    if (value.value.length === 4) {
      const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = moved;
      return `[${[Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)].map(fixed).join(" ")}]`;
    }
    return `[${moved.map(fixed).join(" ")}]`;
  }

  /** A destination on a slide, moved with it: [page /XYZ left top zoom], /FitH top, /FitR box… */
  private emitDestination(value: Extract<PdfValue, { type: "array" }>): string {
    const [page, kind, ...rest] = value.value;
    const t = page?.type === "ref" ? this.transforms.get(page.value) : undefined;
    if (!t || page?.type !== "ref" || kind?.type !== "name") return this.emit(value);
    const x = (v: PdfValue | undefined) => (v?.type === "number" ? fixed(t.scale * v.value + t.dx) : "null");
    const y = (v: PdfValue | undefined) => (v?.type === "number" ? fixed(t.scale * v.value + t.dy) : "null");
    const args: Record<string, string[]> = {
      XYZ: [x(rest[0]), y(rest[1]), rest[2]?.type === "number" ? fixed(rest[2].value) : "null"],
      FitH: [y(rest[0])],
      FitBH: [y(rest[0])],
      FitV: [x(rest[0])],
      FitBV: [x(rest[0])],
      FitR: [x(rest[0]), y(rest[1]), x(rest[2]), y(rest[3])],
    };
    return `[${this.ref(page.value)} /${kind.value}${(args[kind.value] ?? []).map((a) => ` ${a}`).join("")}]`;
  }

  /** An element's kids: its own MCIDs follow its page's shift. */
  private emitKids(value: PdfValue, page: number | undefined): string {
    if (value.type === "number") {
      if (page === undefined) throw new UnexpectedPdf("marked content of no page");
      return String(value.value + (this.mcidShift.get(page) ?? 0));
    }
    if (value.type === "array") return `[${value.value.map((item) => this.emitKids(item, page)).join(" ")}]`;
    return this.emit(value, { page });
  }

  /** Structure ids of the deck, told from the frame's (both are Chromium's node ids). */
  private emitIds(value: PdfValue): string {
    if (value.type === "array") return `[${value.value.map((item) => this.emitIds(item)).join(" ")}]`;
    const text = textOf(value);
    return text === undefined ? this.emit(value) : pdfText(`deck-${text}`);
  }

  private copyDeckObject(num: number): void {
    const object = this.deck.objects.get(num);
    if (!object) return;
    const body = this.emit(object.value, undefined, this.annotationPage.get(num));
    const data = object.stream ? this.deck.bytes.subarray(object.stream.start, object.stream.end) : undefined;
    this.out.set(num + this.offset, data ? { body, data } : { body });
  }

  /** A frame page with its slides: their resources added, their content drawn after the frame's. */
  private buildPage(pageNum: number, placements: Placement[]): void {
    const page = this.frame.objects.get(pageNum)?.value;
    if (page?.type !== "dict") throw new UnexpectedPdf("a malformed frame page");
    const media = numbers(page.value.get("MediaBox"));
    const resources = new Map<string, string[]>();
    const [frameResources, resourcesNum] = resolve(this.frame, page.value.get("Resources"), pageNum);
    if (frameResources?.type !== "dict") throw new UnexpectedPdf("a frame page without resources");
    for (const [category, entries] of frameResources.value) {
      if (category === "ProcSet") continue;
      const [dict] = resolve(this.frame, entries, resourcesNum);
      if (dict?.type !== "dict") throw new UnexpectedPdf(`resources /${category} that are not a dictionary`);
      resources.set(
        category,
        [...dict.value].map(([name, v]) => `/${nameText(name)} ${source(this.frame, v)}`),
      );
    }
    const drawn: string[] = [];
    for (const placement of placements) drawn.push(this.drawSlide(placement, media[3] ?? 0, resources));
    // The frame's content between q and Q, so the slides start from the initial graphics state.
    const saveNum = this.size++;
    this.out.set(saveNum, { body: "<<>>", data: latin1Bytes("q") });
    const contentNum = this.size++;
    const slides = latin1Bytes(["Q", ...drawn].join("\n"));
    // Level 2, as the finishing writes: it inflates this stream and writes it again when it marks
    // anything in it, and a slower level gained nothing there.
    this.out.set(contentNum, { body: "<</Filter /FlateDecode>>", data: pako.deflate(slides, { level: 2 }) });
    const contents = page.value.get("Contents");
    const [list] = resolve(this.frame, contents, pageNum);
    const frameContents =
      list?.type === "array"
        ? list.value.map((c) => source(this.frame, c))
        : contents
          ? [source(this.frame, contents)]
          : [];
    const resourceText = [...resources].map(([category, entries]) => `/${category} <<${entries.join(" ")}>>`).join(" ");
    const [frameAnnots] = resolve(this.frame, page.value.get("Annots"), pageNum);
    const annots = frameAnnots?.type === "array" ? frameAnnots.value.map((a) => source(this.frame, a)) : [];
    for (const { slide } of placements) {
      const deckPage = this.deck.objects.get(this.deckPages[slide] as number)?.value;
      const [list] = resolve(this.deck, deckPage?.type === "dict" ? deckPage.value.get("Annots") : undefined, 0);
      if (list?.type === "array")
        for (const annot of list.value) if (annot.type === "ref") annots.push(this.ref(annot.value));
    }
    const entries = [...page.value]
      .filter(([key]) => key !== "Contents" && key !== "Resources" && key !== "Annots")
      .map(([key, v]) => `/${nameText(key)} ${source(this.frame, v)}`);
    if (annots.length > 0) entries.push(`/Annots [${annots.join(" ")}]`);
    this.out.set(pageNum, {
      body: `<<${entries.join(" ")} /Resources <</ProcSet [/PDF /Text /ImageB /ImageC /ImageI] ${resourceText}>> /Contents [${[`${saveNum} 0 R`, ...frameContents, `${contentNum} 0 R`].join(" ")}]>>`,
    });
  }

  /** One slide's content, renamed, moved and clipped; its resources added to the page's. */
  private drawSlide(placement: Placement, pageHeight: number, resources: Map<string, string[]>): string {
    const pageNum = this.deckPages[placement.slide] as number;
    const page = this.deck.objects.get(pageNum)?.value;
    if (page?.type !== "dict") throw new UnexpectedPdf("a malformed slide page");
    const [x0, y0, x1, y1] = numbers(page.value.get("MediaBox"));
    const width = (x1 ?? 0) - (x0 ?? 0);
    const height = (y1 ?? 0) - (y0 ?? 0);
    if (!(width > 0 && height > 0)) throw new UnexpectedPdf("a slide without a MediaBox of its own");
    const names = new Map<string, string>();
    const [own, ownNum] = resolve(this.deck, page.value.get("Resources"), pageNum);
    if (own?.type !== "dict") throw new UnexpectedPdf("a slide without resources of its own");
    for (const [category, entries] of own.value) {
      if (category === "ProcSet") continue;
      const [dict] = resolve(this.deck, entries, ownNum);
      if (dict?.type !== "dict") throw new UnexpectedPdf(`slide resources /${category} that are not a dictionary`);
      const list = resources.get(category) ?? [];
      for (const [name, v] of dict.value) {
        const fresh = v.type === "ref" ? `Dk${v.value}` : `Dk${placement.slide}.${name}`;
        names.set(`${category}/${name}`, fresh);
        const entry = `/${nameText(fresh)} ${v.type === "ref" ? this.ref(v.value) : this.emit(v)}`;
        if (!list.includes(entry)) list.push(entry);
      }
      resources.set(category, list);
    }
    const content = rewriteContent(slideContent(this.deck, page, pageNum), names, this.mcidShift.get(pageNum) ?? 0);
    const scale = placement.width / width;
    const left = placement.left;
    const bottom = pageHeight - placement.top - height * scale;
    this.transforms.set(pageNum, { scale, dx: left - (x0 ?? 0) * scale, dy: bottom - (y0 ?? 0) * scale });
    const n = (v: number) => fixed(v);
    const parts = [
      "q",
      `${n(scale)} 0 0 ${n(scale)} ${n(left - (x0 ?? 0) * scale)} ${n(bottom - (y0 ?? 0) * scale)} cm`,
      `${n(x0 ?? 0)} ${n(y0 ?? 0)} ${n(width)} ${n(height)} re W n`,
      content,
      "Q",
    ];
    const border = this.request.border;
    if (border) {
      const half = border.width / 2;
      parts.push(
        `q ${border.rgb.map(n).join(" ")} RG ${n(border.width)} w ${n(left - half)} ${n(bottom - half)} ${n(width * scale + border.width)} ${n(height * scale + border.width)} re S Q`,
      );
    }
    return parts.join("\n");
  }

  /** The frame's structure with the slides' elements in it: each slide, then what the frame has on its page. */
  private rebuildStructure(
    frameRoot: StructRoot,
    deckRoot: StructRoot,
    frameDocument: { num: number; dict: PdfDict },
    slideElements: { num: number; page: number | undefined }[],
  ): void {
    const frameKids = topKids(this.frame, frameDocument);
    const order: string[] = [];
    this.framePages.forEach((framePage) => {
      for (const element of slideElements)
        if (element.page !== undefined && this.pageOf.get(element.page) === framePage)
          order.push(this.ref(element.num));
      for (const kid of frameKids) if (kid.page === framePage) order.push(`${kid.num} 0 R`);
    });
    for (const kid of frameKids)
      if (kid.page === undefined || !this.framePages.includes(kid.page)) order.push(`${kid.num} 0 R`);
    for (const element of slideElements) if (element.page === undefined) order.push(this.ref(element.num));
    const doc = frameDocument.dict;
    const entries = [...doc.value]
      .filter(([key]) => key !== "K")
      .map(([key, v]) => `/${nameText(key)} ${source(this.frame, v)}`);
    if (this.syntheticDocument) entries.push(this.syntheticDocument);
    this.out.set(frameDocument.num, { body: `<<${entries.join(" ")} /K [${order.join(" ")}]>>` });

    // The parent tree: each page's frame entries, then its slides'; the deck's form XObjects after the frame's keys.
    const nums: [number, string][] = [];
    const pageKeys = new Map<number, number>();
    for (const page of this.framePages) {
      const key = this.frame.objects.get(page)?.value;
      const value = key?.type === "dict" ? key.value.get("StructParents") : undefined;
      if (value?.type === "number") pageKeys.set(value.value, page);
    }
    for (const [key, value] of frameRoot.parentTree) {
      const page = pageKeys.get(key);
      if (page === undefined) {
        nums.push([key, source(this.frame, value)]);
        continue;
      }
      const [array] = resolve(this.frame, value, frameRoot.parentTreeNum);
      const items = array?.type === "array" ? array.value.map((item) => source(this.frame, item)) : [];
      for (const deckPage of this.deckPages)
        if (this.pageOf.get(deckPage) === page) items.push(...this.deckEntries(deckRoot, deckPage));
      // The frame's own array object takes the longer list (a direct one is replaced by a new object).
      const num = value.type === "ref" ? value.value : this.size++;
      this.out.set(num, { body: `[${items.join(" ")}]` });
      nums.push([key, `${num} 0 R`]);
    }
    const deckPageKeys = new Set<number>();
    for (const page of this.deckPages) {
      const dict = this.deck.objects.get(page)?.value;
      const key = dict?.type === "dict" ? dict.value.get("StructParents") : undefined;
      if (key?.type === "number") deckPageKeys.add(key.value);
    }
    // A frame page without a key of its own gets one, if slides with marked content land on it.
    let nextKey = this.deckKeyBase + deckRoot.nextKey;
    for (const page of this.framePages) {
      if ([...pageKeys.values()].includes(page)) continue;
      const items: string[] = [];
      for (const deckPage of this.deckPages)
        if (this.pageOf.get(deckPage) === page) items.push(...this.deckEntries(deckRoot, deckPage));
      if (items.length === 0) continue;
      const key = nextKey++;
      const num = this.size++;
      this.out.set(num, { body: `[${items.join(" ")}]` });
      nums.push([key, `${num} 0 R`]);
      const body = this.out.get(page)?.body ?? "";
      this.out.set(page, { body: body.replace(/>>$/, ` /StructParents ${key}>>`) });
    }
    for (const [key, value] of deckRoot.parentTree) {
      if (deckPageKeys.has(key)) continue;
      const [array] = resolve(this.deck, value, deckRoot.parentTreeNum);
      const text = array?.type === "array" ? this.emit(array) : this.emit(value);
      nums.push([key + this.deckKeyBase, text]);
    }
    nums.sort((a, b) => a[0] - b[0]);
    const rootNum = Math.abs(frameRoot.num);
    const treeNum = Math.abs(frameRoot.parentTreeNum);
    this.out.set(treeNum, {
      body: `<</Type /ParentTree /Nums [${nums.map(([key, value]) => `${key} ${value}`).join(" ")}]>>`,
    });
    const rootEntries = ["/Type /StructTreeRoot", `/K ${frameDocument.num} 0 R`, `/ParentTree ${treeNum} 0 R`];
    const idTree = frameRoot.dict.value.get("IDTree");
    let idTreeText = idTree ? source(this.frame, idTree) : undefined;
    if (!idTreeText && deckRoot.dict.value.has("IDTree")) {
      const num = this.size++;
      this.out.set(num, { body: "<</Names []>>" });
      idTreeText = `${num} 0 R`;
    }
    if (frameRoot.dict.value.has("RoleMap") || deckRoot.dict.value.has("RoleMap"))
      throw new UnexpectedPdf("a structure tree with a role map");
    this.out.set(rootNum, {
      body: `<<${rootEntries.join(" ")} /ParentTreeNextKey ${nextKey}${idTreeText ? ` /IDTree ${idTreeText}` : ""}>>`,
    });
  }

  /** A deck page's parent tree entry: an element per MCID, renumbered. */
  private deckEntries(root: StructRoot, page: number): string[] {
    const dict = this.deck.objects.get(page)?.value;
    const key = dict?.type === "dict" ? dict.value.get("StructParents") : undefined;
    if (key?.type !== "number") return [];
    const value = root.parentTree.get(key.value);
    const [array] = resolve(this.deck, value, root.parentTreeNum);
    if (array?.type !== "array") return [];
    return array.value.map((item) => (item.type === "ref" ? this.ref(item.value) : source(this.deck, item)));
  }

  /** The file: the frame's objects (those changed, changed), the deck's copied ones, the new ones. */
  private write(): Uint8Array {
    const parts: Uint8Array[] = [latin1Bytes("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")];
    let length = parts[0]?.length ?? 0;
    const offsets = new Map<number, number>();
    const add = (num: number, body: string | Uint8Array, data?: Uint8Array) => {
      offsets.set(num, length);
      let head = typeof body === "string" ? body : Buffer.from(body).toString("latin1");
      if (data) head = setLength(head, data.length);
      const chunks = [latin1Bytes(`${num} 0 obj\n${head}\n`)];
      if (data) chunks.push(latin1Bytes("stream\n"), data, latin1Bytes("\nendstream\n"));
      chunks.push(latin1Bytes("endobj\n"));
      for (const chunk of chunks) {
        parts.push(chunk);
        length += chunk.length;
      }
    };
    for (const [num, object] of [...this.frame.objects].sort((a, b) => a[0] - b[0])) {
      const changed = this.out.get(num);
      if (changed) {
        add(num, changed.body, changed.data);
        this.out.delete(num);
        continue;
      }
      const body = this.frame.bytes.subarray(object.value.start, object.value.end);
      const data = object.stream ? this.frame.bytes.subarray(object.stream.start, object.stream.end) : undefined;
      add(num, body, data);
    }
    for (const [num, { body, data }] of [...this.out].sort((a, b) => a[0] - b[0])) add(num, body, data);
    const xref = length;
    const rows = ["xref", `0 ${this.size}`, "0000000000 65535 f "];
    for (let num = 1; num < this.size; num++) {
      const at = offsets.get(num);
      rows.push(at === undefined ? "0000000000 00000 f " : `${String(at).padStart(10, "0")} 00000 n `);
    }
    const root = this.frame.trailer.value.get("Root");
    const info = this.frame.trailer.value.get("Info");
    const trailer = `trailer\n<</Size ${this.size} /Root ${root ? source(this.frame, root) : ""}${info ? ` /Info ${source(this.frame, info)}` : ""}>>\nstartxref\n${xref}\n%%EOF\n`;
    parts.push(latin1Bytes(`${rows.join("\n")}\n${trailer}`));
    return Buffer.concat(parts);
  }
}

/** A slide's content, its resource names and MCIDs changed; other bytes as they are. */
export function rewriteContent(bytes: Uint8Array, names: Map<string, string>, shift: number): string {
  const text = Buffer.from(bytes).toString("latin1");
  const parts: string[] = [];
  let from = 0;
  for (const operation of operations(bytes)) {
    const category = RESOURCE_FOR[operation.op];
    if (!category) continue;
    const original = text.slice(operation.start, operation.end);
    let changed = original.replace(/\/([^\s/[\]<>(){}%]+)/g, (whole, name: string) => {
      const fresh = names.get(`${category}/${name}`);
      return fresh ? `/${fresh}` : whole;
    });
    if (operation.op === "BDC" && shift !== 0)
      changed = changed.replace(/\/MCID\s+(\d+)/, (_, mcid: string) => `/MCID ${Number(mcid) + shift}`);
    if (changed === original) continue;
    parts.push(text.slice(from, operation.start), changed);
    from = operation.end;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

function slideContent(file: PdfFile, page: PdfDict, pageNum: number): Uint8Array {
  const contents = page.value.get("Contents");
  const [list] = resolve(file, contents, pageNum);
  const refs = list?.type === "array" ? list.value : [contents];
  const streams: Uint8Array[] = [];
  for (const ref of refs) {
    const object = ref?.type === "ref" ? file.objects.get(ref.value) : undefined;
    if (!object?.stream || object.value.type !== "dict") throw new UnexpectedPdf("slide content that is not a stream");
    const data = file.bytes.subarray(object.stream.start, object.stream.end);
    const filter = object.value.value.get("Filter");
    if (filter && filter.value !== "FlateDecode") throw new UnexpectedPdf("slide content of another filter");
    streams.push(filter ? inflateSync(data) : data, latin1Bytes("\n"));
  }
  return Buffer.concat(streams);
}

function structRoot(file: PdfFile): StructRoot | undefined {
  const [catalog] = resolve(file, file.trailer.value.get("Root"), 0);
  if (catalog?.type !== "dict") throw new UnexpectedPdf("no catalog");
  const rootRef = catalog.value.get("StructTreeRoot");
  const [dict, num] = resolve(file, rootRef, 0);
  if (dict?.type !== "dict" || rootRef?.type !== "ref") return undefined;
  const [tree, treeNum] = resolve(file, dict.value.get("ParentTree"), num);
  const treeRef = dict.value.get("ParentTree");
  if (tree?.type !== "dict" || treeRef?.type !== "ref" || tree.value.has("Kids"))
    throw new UnexpectedPdf("a parent tree that is not one object");
  const parentTree = new Map<number, PdfValue>();
  const [pairs] = resolve(file, tree.value.get("Nums"), treeNum);
  if (pairs?.type === "array")
    for (let i = 0; i + 1 < pairs.value.length; i += 2) {
      const key = pairs.value[i];
      const value = pairs.value[i + 1];
      if (key?.type === "number" && value) parentTree.set(key.value, value);
    }
  const next = dict.value.get("ParentTreeNextKey");
  const nextKey = next?.type === "number" ? next.value : Math.max(-1, ...parentTree.keys()) + 1;
  return { num, dict, parentTree, parentTreeNum: treeRef.value, nextKey };
}

function documentElement(file: PdfFile, root: StructRoot): { num: number; dict: PdfDict } {
  const k = root.dict.value.get("K");
  const [dict] = resolve(file, k, root.num);
  if (k?.type !== "ref" || dict?.type !== "dict") throw new UnexpectedPdf("a structure tree of more than one element");
  return { num: k.value, dict };
}

/** The document element's kids, each with the page its content starts on. */
function topKids(file: PdfFile, document: { num: number; dict: PdfDict }): { num: number; page: number | undefined }[] {
  const [kids] = resolve(file, document.dict.value.get("K"), document.num);
  const list = kids?.type === "array" ? kids.value : kids ? [document.dict.value.get("K") as PdfValue] : [];
  return list.map((kid) => {
    if (kid.type !== "ref") throw new UnexpectedPdf("a structure element that is not an object of its own");
    const [element] = resolve(file, kid, document.num);
    return { num: kid.value, page: element?.type === "dict" ? firstPage(file, element, kid.value) : undefined };
  });
}

/** The page an element's first content is on. */
function firstPage(file: PdfFile, element: PdfDict, num: number, depth = 0): number | undefined {
  const pg = element.value.get("Pg");
  const k = element.value.get("K");
  const items = k?.type === "array" ? k.value : k ? [k] : [];
  for (const item of items) {
    if (item.type === "number" && pg?.type === "ref") return pg.value;
    const [kid, kidNum] = resolve(file, item, num);
    if (kid?.type !== "dict") continue;
    const type = kid.value.get("Type")?.value;
    if (type === "MCR" || type === "OBJR") {
      const own = kid.value.get("Pg") ?? pg;
      if (own?.type === "ref") return own.value;
    } else if (depth < 64) {
      const page = firstPage(file, kid, kidNum, depth + 1);
      if (page !== undefined) return page;
    }
  }
  return undefined;
}

/** How many MCIDs a page's parent tree entry holds. */
function mcidCount(file: PdfFile, root: StructRoot, page: number): number {
  const dict = file.objects.get(page)?.value;
  const key = dict?.type === "dict" ? dict.value.get("StructParents") : undefined;
  if (key?.type !== "number") return 0;
  const [array] = resolve(file, root.parentTree.get(key.value), root.parentTreeNum);
  return array?.type === "array" ? array.value.length : 0;
}

function pageList(file: PdfFile): number[] {
  const [catalog] = resolve(file, file.trailer.value.get("Root"), 0);
  if (catalog?.type !== "dict") throw new UnexpectedPdf("no catalog");
  const pages: number[] = [];
  const walk = (node: PdfValue | undefined, depth: number) => {
    if (node?.type !== "ref" || depth > 32) throw new UnexpectedPdf("a malformed page tree");
    const [dict] = resolve(file, node, 0);
    if (dict?.type !== "dict") throw new UnexpectedPdf("a malformed page tree");
    const kids = dict.value.get("Kids");
    if (kids?.type === "array") for (const kid of kids.value) walk(kid, depth + 1);
    else pages.push(node.value);
  };
  walk(catalog.value.get("Pages"), 0);
  return pages;
}

function sizeOf(file: PdfFile): number {
  const size = file.trailer.value.get("Size");
  return Math.max(size?.type === "number" ? size.value : 1, ...[...file.objects.keys()].map((n) => n + 1));
}

function numbers(value: PdfValue | undefined): number[] {
  if (value?.type !== "array") throw new UnexpectedPdf("a page without a MediaBox of its own");
  return value.value.map((item) => (item.type === "number" ? item.value : 0));
}

function source(file: PdfFile, value: { start: number; end: number }): string {
  return Buffer.from(file.bytes.subarray(value.start, value.end)).toString("latin1");
}

/** A stream dictionary's /Length set to the data's. */
function setLength(dict: string, length: number): string {
  if (/\/Length\s+\d+/.test(dict)) return dict.replace(/\/Length\s+\d+/, `/Length ${length}`);
  return dict.replace(/>>\s*$/, ` /Length ${length}>>`);
}

function nameText(name: string): string {
  return name.replace(/[^!-~]|[#/[\]<>(){}%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function fixed(value: number): string {
  const text = value.toFixed(4).replace(/\.?0+$/, "");
  return text === "-0" ? "0" : text;
}

function latin1Bytes(text: string): Uint8Array {
  return Buffer.from(text, "latin1");
}
