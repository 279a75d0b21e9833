/**
 * Source → PressDocument: front matter, then the unified pipeline
 * (remark-parse → remark plugins → remark-rehype → rehype plugins → rehype-stringify).
 */
import type { Root as HastRoot } from "hast";
import type { Root } from "mdast";
import rehypeSlug from "rehype-slug";
import rehypeStringify from "rehype-stringify";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { type PluggableList, unified } from "unified";
import { visit } from "unist-util-visit";
import { VFile } from "vfile";
import type { PressDocument, Source } from "../document.js";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import type { Labels } from "../template/labels.js";
import { remarkDirectives, topHeadingDepth } from "../transform/directives.js";
import { rehypeCaptions } from "../transform/figures.js";
import { remarkHeadingAttributes } from "../transform/heading-attributes.js";
import { remarkImages } from "../transform/images.js";
import { rehypeNotes } from "../transform/notes.js";
import { rehypeNumbering } from "../transform/numbering.js";
import { extractSlides, remarkSlides, SLIDE_DIRECTIVES } from "../transform/slides.js";
import { type FieldValues, readFrontMatter, resolveMeta } from "./front-matter.js";

export interface ParseOptions {
  /** Project defaults for front matter (from press.config.yaml). */
  defaults: FieldValues;
  root: string;
  /** Labels for a language (Contents, Annex, Notes, …). */
  labelsFor: (lang: string) => Labels;
  readAsset: (absolutePath: string) => Uint8Array | undefined;
  prepareSvg?: (svg: string) => string;
}

const parser = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm).use(remarkDirective);

export async function parseDocument(source: Source, options: ParseOptions): Promise<PressDocument> {
  const text = source.text.replace(/^\uFEFF/, "");
  const file = new VFile({ path: source.path, value: text });
  const tree = parser.parse(file);
  const front = readFrontMatter({ ...source, text }, tree);
  const meta = resolveMeta(source, tree, front.values, options.defaults);
  const labels = options.labelsFor(meta.lang);
  const assets = new Set<string>();
  const depth = topHeadingDepth(tree);

  const isDeck = meta.kind === "slides";
  const remarkPlugins: PluggableList = [
    ...(isDeck ? [remarkSlides] : []),
    remarkHeadingAttributes,
    remarkRawHtmlWarning,
    [remarkDirectives, { labels, handledElsewhere: isDeck ? SLIDE_DIRECTIVES : [] }],
    [remarkImages, { root: options.root, readAsset: options.readAsset, assets, prepareSvg: options.prepareSvg }],
  ];
  const rehypePlugins: PluggableList = [
    rehypeSlug,
    [rehypeCaptions, { labels, numbered: !isDeck }],
    ...(isDeck
      ? []
      : ([
          [rehypeNotes, { label: labels.notes ?? "Notes", depth }],
          [rehypeNumbering, { labels, numberSections: meta.numberSections, tocDepth: meta.tocDepth }],
        ] as PluggableList)),
  ];
  const pipeline = unified()
    .use(remarkPlugins)
    .use(remarkRehype, {
      footnoteLabel: labels.notes,
      footnoteBackLabel: labels["back-to-text"],
      footnoteBackContent: "↩",
    })
    .use(rehypePlugins);
  const hast = (await pipeline.run(tree as Root, file)) as HastRoot;
  const bodyHtml = unified().use(rehypeStringify).stringify(hast);

  return {
    source,
    meta,
    bodyHtml,
    slides: isDeck ? extractSlides(hast) : [],
    toc: file.data.toc ?? [],
    assets: [...assets],
    diagnostics: [...front.diagnostics, ...file.messages.map((m) => toDiagnostic(source, m))],
  };
}

function toDiagnostic(source: Source, m: VFile["messages"][number]): Diagnostic {
  const d = diagnostic(
    source.displayPath,
    { line: m.line ?? 1, column: m.column ?? 1 },
    m.fatal ? "error" : "warning",
    m.ruleId ?? "markdown",
    m.reason,
    m.note,
  );
  return d;
}

/** Raw HTML in Markdown is not rendered: say so rather than drop it silently. */
function remarkRawHtmlWarning() {
  return (tree: Root, file: VFile) => {
    visit(tree, "html", (node) => {
      if (/^<!--[\s\S]*-->$/.test(node.value.trim())) return;
      const message = file.message("raw HTML is not rendered", node);
      message.ruleId = "raw-html";
      message.source = "press";
      message.note = "write it in Markdown, or use a directive";
    });
  };
}
