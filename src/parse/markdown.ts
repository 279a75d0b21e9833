/**
 * Source → PressDocument: front matter, then the unified pipeline
 * (remark-parse → remark plugins → remark-rehype → rehype plugins → rehype-stringify).
 */

import type { Root as HastRoot } from "hast";
import type { Root, RootContent } from "mdast";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { type PluggableList, type Processor, unified } from "unified";
import { VFile } from "vfile";
import type { PressDocument, Source } from "../document.js";
import { treeBlockTexts } from "../kinds/block-texts.js";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import { isRightToLeft } from "../template/context.js";
import type { Labels } from "../template/labels.js";
import { remarkAngleWords } from "../transform/angle-words.js";
import { rehypeBlockDirection, rehypeIsolateLatin } from "../transform/bidi.js";
import { rehypeDocumentChecks, remarkDocumentChecks } from "../transform/checks.js";
import { remarkDirectives, topHeadingDepth } from "../transform/directives.js";
import { rehypeDocumentLinks } from "../transform/document-links.js";
import { rehypeCaptions } from "../transform/figures.js";
import { remarkHeadingAttributes } from "../transform/heading-attributes.js";
import { type AssetRead, rehypeImages } from "../transform/images.js";
import { rehypeKeycaps } from "../transform/keycaps.js";
import { rehypeListDigits } from "../transform/lists.js";
import { rehypeBreakLongWords } from "../transform/long-words.js";
import { rehypeNotes } from "../transform/notes.js";
import { rehypeNumbering } from "../transform/numbering.js";
import {
  type HtmlPolicy,
  rehypeCaptionedElements,
  rehypeOpenDetails,
  rehypeReportUnsafe,
  rehypeSafeStyles,
  rehypeSanitizeFor,
} from "../transform/sanitize.js";
import { extractSlides, remarkSlides, SLIDE_DIRECTIVES } from "../transform/slides.js";
import { rehypeTables } from "../transform/tables.js";
import { remarkCloseDirectives } from "../transform/unclosed.js";
import { type FieldValues, readFrontMatter, resolveMeta } from "./front-matter.js";
import { parseWithGuards, remarkGfmGuarded } from "./gfm.js";
import { readPandocDivs } from "./pandoc-divs.js";

export interface ParseOptions {
  /** Project defaults for front matter (from press.config.yaml). */
  defaults: FieldValues;
  root: string;
  /** Labels for a language (Contents, Annex, Notes, …). */
  labelsFor: (lang: string) => Labels;
  readAsset: (absolutePath: string) => AssetRead;
  prepareSvg?: (svg: string) => string;
  /** How much raw HTML to let through (a project setting, never a document's). */
  htmlPolicy?: HtmlPolicy;
  /** Told as each stage begins, so that a stage that takes too long can be named. */
  onStage?: (stage: "parsing Markdown" | "transforming" | "writing HTML") => void;
  /** `--strict`: an unknown front matter key is an error, not a warning. */
  strict?: boolean;
}

/**
 * The directive syntax's blocks (`:::name`, `::name[…]`) and not its text directives: Press has
 * none, and `:name` inside a line is common text (10:30, 16:9, note:warning). It was put back as
 * written everywhere but in an image's description, whose text micromark flattens first: "at 10:30"
 * came out "at 10", silently.
 */
function remarkBlockDirectives(this: Processor): void {
  remarkDirective.call(this as never);
  const own = this.data().micromarkExtensions?.at(-1);
  if (own && "text" in own) delete own.text;
}

const parser = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ["yaml"])
  .use(remarkGfmGuarded)
  .use(remarkBlockDirectives);

/** The lines (from 1) of the document's code blocks, fenced or indented, wherever they are. */
function codeLines(tree: Root): Set<number> {
  const lines = new Set<number>();
  // Without recursion: a document may nest thousands deep.
  const pending: (Root | RootContent)[] = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === "code" && node.position)
      for (let l = node.position.start.line; l <= node.position.end.line; l++) lines.add(l);
    if ("children" in node) for (const child of node.children) pending.push(child);
  }
  return lines;
}

export async function parseDocument(source: Source, options: ParseOptions): Promise<PressDocument> {
  const divs = readPandocDivs(source.text.replace(/^\uFEFF/, ""), (raw) =>
    codeLines(parseWithGuards(raw, () => parser.parse(raw))),
  );
  const { text } = divs;
  const file = new VFile({ path: source.path, value: text });
  for (const note of divs.notes) {
    const message = file.message(note.message, { line: note.line, column: note.column });
    message.ruleId = "directives/pandoc";
    message.source = "press";
    message.note =
      'Press reads a Pandoc or Quarto div by its first class: ::: {.notes}, {.columns}, {.callout-note title="…"}';
  }
  options.onStage?.("parsing Markdown");
  const tree = parseWithGuards(text, () => parser.parse(file));
  const front = readFrontMatter({ ...source, text }, tree, options.strict);
  const meta = resolveMeta(source, tree, front.values, options.defaults, front.extra);
  const labels = options.labelsFor(meta.lang);
  const assets = new Set<string>();
  const depth = topHeadingDepth(tree);

  const isDeck = meta.kind === "slides";
  const remarkPlugins: PluggableList = [
    [remarkCloseDirectives, { endBefore: isDeck ? "thematicBreak" : "heading" }],
    ...(isDeck ? [remarkSlides] : []),
    remarkHeadingAttributes,
    remarkAngleWords,
    remarkDocumentChecks,
    [remarkDirectives, { labels, handledElsewhere: isDeck ? SLIDE_DIRECTIVES : [] }],
  ];
  const policy = options.htmlPolicy ?? "strict";
  const rehypePlugins: PluggableList = [
    rehypeRawWhereNeeded,
    [rehypeCaptionedElements, { policy }],
    [rehypeReportUnsafe, { policy }],
    // Images first, so that a remote or out-of-project one is reported before the sanitiser drops it.
    [
      rehypeImages,
      { root: options.root, readAsset: options.readAsset, assets, prepareSvg: options.prepareSvg, labels },
    ],
    rehypeSanitizeFor(policy) as unknown as PluggableList[number],
    [rehypeDocumentLinks, { root: options.root }],
    ...(policy === "trusted" ? [rehypeSafeStyles] : []),
    rehypeOpenDetails,
    rehypeSlug,
    rehypeDocumentChecks,
    [rehypeCaptions, { labels, numbered: !isDeck, digits: meta.digits }],
    [rehypeTables, { labels, region: !isDeck }],
    ...(isDeck
      ? []
      : ([
          [rehypeNotes, { label: labels.notes ?? "Notes", depth, digits: meta.digits }],
          [
            rehypeNumbering,
            { labels, numberSections: meta.numberSections, tocDepth: meta.tocDepth, digits: meta.digits },
          ],
        ] as PluggableList)),
    isRightToLeft(meta.lang) ? rehypeIsolateLatin : rehypeBlockDirection,
    rehypeBreakLongWords,
    rehypeListDigits,
    ...(text.includes("\u20E3") ? [rehypeKeycaps] : []),
  ];
  const pipeline = unified()
    .use(remarkPlugins)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      footnoteLabel: labels.notes,
      footnoteBackLabel: labels["back-to-text"],
      footnoteBackContent: "↩",
    })
    .use(rehypePlugins);
  options.onStage?.("transforming");
  const hast = (await pipeline.run(tree as Root, file)) as HastRoot;
  options.onStage?.("writing HTML");
  const bodyHtml = unified().use(rehypeStringify).stringify(hast);

  return {
    source,
    meta,
    bodyHtml,
    blocks: treeBlockTexts(hast, meta.lang),
    slides: isDeck ? extractSlides(hast) : [],
    toc: file.data.toc ?? [],
    assets: [...assets],
    diagnostics: [
      ...front.diagnostics,
      ...file.messages
        .map((m) => toDiagnostic(source, m))
        // A document whose front matter failed has that to say; that nothing follows it is not news.
        .filter((d) => d.rule !== "document/empty" || !front.diagnostics.some((f) => f.severity === "error")),
    ],
  };
}

/**
 * rehype-raw parses raw HTML by running the whole tree through an HTML parser: a document with no
 * raw HTML in it (most of them) gives that parser nothing to do, and it is skipped. It is loaded
 * only for a document that has some (it takes longer to load than the rest of the pipeline's
 * plugins together).
 */
function rehypeRawWhereNeeded() {
  return async (tree: HastRoot, file: VFile) => {
    if (!holdsRaw(tree)) return tree;
    const { default: rehypeRaw } = await import("rehype-raw");
    return rehypeRaw()(tree, file);
  };
}

function holdsRaw(node: { type: string; children?: unknown[] }): boolean {
  if (node.type === "raw") return true;
  return (node.children ?? []).some((child) => holdsRaw(child as { type: string; children?: unknown[] }));
}

function toDiagnostic(source: Source, m: VFile["messages"][number]): Diagnostic {
  const d = diagnostic(
    source.displayPath,
    { line: m.line ?? 1, column: m.column ?? 1 },
    // vfile's levels: fatal an error, a message a warning, info (fatal undefined) a note.
    m.fatal === true ? "error" : m.fatal === false ? "warning" : "note",
    m.ruleId ?? "markdown",
    m.reason,
    m.note,
  );
  return d;
}
