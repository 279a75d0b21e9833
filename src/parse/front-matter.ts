/** Front matter: the YAML block's values, validated, merged over the project defaults. */
import type { Root } from "mdast";
import { toString as mdastToString } from "mdast-util-to-string";
import { isScalar, type Node as YamlNode } from "yaml";
import type { DocumentMeta, HandoutLayout, Paper, Source } from "../document.js";
import { type Diagnostic, diagnostic } from "../report/diagnostic.js";
import { withoutAttributes } from "../transform/heading-attributes.js";
import { DOCUMENT_FIELDS, type ExtraValue, type FieldValue, type ForeignKey } from "./schema.js";
import { parseYamlBlock } from "./yaml-block.js";

export type FieldValues = Record<string, FieldValue>;

const scalar = (node: YamlNode | null) => (isScalar(node) ? node.value : undefined);

/**
 * Front matter written for Marp and md-to-pdf: what maps onto Press's fields is read so, what
 * Press has no use for is a warning that says why, so that an existing deck builds.
 */
export const FOREIGN_KEYS: Record<string, ForeignKey> = {
  marp: { kind: "map", to: (node) => (scalar(node) === true ? { kind: "slides" } : undefined) },
  paginate: { kind: "accept" },
  // Read by the slides (transform/slides.ts): a heading at or above this level starts a slide.
  headingDivider: { kind: "accept" },
  size: {
    kind: "map",
    to: (node) => {
      const value = String(scalar(node) ?? "");
      return value === "4:3" || value === "16:9" ? { aspect: value } : undefined;
    },
  },
  document_title: {
    kind: "map",
    to: (node) => (typeof scalar(node) === "string" ? { title: String(scalar(node)) } : undefined),
  },
  theme: {
    kind: "unused",
    why: "Marp themes do not apply; Press's own templates do (set `template:`, or override files in templates/)",
  },
  ...Object.fromEntries(
    ["header", "footer", "class", "backgroundColor", "backgroundImage", "color", "style", "math"].map(
      (key): [string, ForeignKey] => [
        key,
        { kind: "unused", why: "Press does not read it (Marp reads it as a directive)" },
      ],
    ),
  ),
  ...Object.fromEntries(
    [
      "pdf_options",
      "stylesheet",
      "css",
      "body_class",
      "launch_options",
      "dest",
      "highlight_style",
      "marked_options",
    ].map((key): [string, ForeignKey] => [
      key,
      { kind: "unused", why: "an md-to-pdf setting; Press sets the page from `paper:` and its templates" },
    ]),
  ),
};

/**
 * Whether a source's front matter alone already fails it (broken YAML, a wrong type): read without
 * the Markdown pipeline, so a build can tell before starting a browser that a document will never need one.
 */
export function frontMatterFails(source: Source): boolean {
  const text = source.text;
  const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!opening) return false;
  // The closing line, found in one pass (a pattern searching line by line could take quadratic time).
  for (let start = opening[0].length; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    if (/^---[ \t]*\r?$/.test(text.slice(start, Math.min(end, start + 64)))) {
      const block = { text: text.slice(opening[0].length, start), offset: opening[0].length };
      const { diagnostics } = parseYamlBlock(source.displayPath, text, block, DOCUMENT_FIELDS, {
        open: true,
        foreign: FOREIGN_KEYS,
      });
      return diagnostics.some((d) => d.severity === "error");
    }
    if (newline === -1) return false;
    start = newline + 1;
  }
  return false;
}

/**
 * A file that opens front matter (`---`, then a `key: value` line) and never closes it: Markdown
 * reads the `---` as a rule and the keys as text, so the document would print them and lose its
 * title, silently.
 */
function unclosed(source: Source): Diagnostic[] {
  if (!/^\uFEFF?---[ \t]*\r?\n[A-Za-z][\w-]*:(?:[ \t]|\r?\n|$)/.test(source.text.slice(0, 300))) return [];
  return [
    diagnostic(
      source.displayPath,
      { line: 1, column: 1 },
      "warning",
      "front-matter/unclosed",
      "front matter opened by --- is never closed: its keys are read as text of the document",
      "end the front matter with a line of --- before the text",
    ),
  ];
}

/** Read the `yaml` node remark-frontmatter produced, if any. `strict`: an unknown key is an error. */
export function readFrontMatter(
  source: Source,
  tree: Root,
  strict = false,
): { values: FieldValues; extra: Record<string, ExtraValue>; diagnostics: Diagnostic[] } {
  const node = tree.children[0];
  if (node?.type !== "yaml") return { values: {}, extra: {}, diagnostics: unclosed(source) };
  const start = node.position?.start.offset ?? 0;
  const firstNewline = source.text.indexOf("\n", start);
  const offset = firstNewline === -1 ? source.text.length : firstNewline + 1;
  return parseYamlBlock(source.displayPath, source.text, { text: node.value, offset }, DOCUMENT_FIELDS, {
    open: true,
    strict,
    foreign: FOREIGN_KEYS,
  });
}

/**
 * Every field with its value: front matter over project defaults over built-in defaults.
 * Without a title, the first heading gives it (a lone top `#` heading is then taken out of the body),
 * else the file name.
 */
export function resolveMeta(
  source: Source,
  tree: Root,
  own: FieldValues,
  defaults: FieldValues,
  extra: Record<string, ExtraValue> = {},
): DocumentMeta {
  const v = { ...defaults, ...own };
  const kind = v.kind === "slides" ? "slides" : "briefing";
  // A deck keeps its headings: each belongs to a slide.
  const title =
    str(v.title) ??
    (kind === "slides" ? firstHeadingText(tree) : takeTitleHeading(tree)) ??
    titleFromFileName(source.path);
  return {
    title,
    subtitle: str(v.subtitle),
    shortTitle: str(v["short-title"]) ?? title,
    date: str(v.date),
    authors: list(v.author),
    organisation: str(v.organisation),
    classification: str(v.classification),
    distribution: str(v.distribution),
    version: str(v.version),
    reference: str(v.reference),
    lang: str(v.lang) ?? "en",
    summary: str(v.summary),
    keywords: list(v.keywords)
      .flatMap((k) => k.split(","))
      .map((k) => k.trim())
      .filter(Boolean),
    kind,
    paper: (str(v.paper) ?? "A4") as Paper,
    template: str(v.template) ?? kind,
    toc: v.toc !== false,
    tocDepth: typeof v["toc-depth"] === "number" ? v["toc-depth"] : 2,
    numberSections: v["number-sections"] !== false,
    aspect: v.aspect === "4:3" ? "4:3" : "16:9",
    handout: (typeof v.handout === "string" ? Number(v.handout) : 3) as HandoutLayout,
    // Nothing lost by default: a slide that runs past its box is shrunk, and a note says so.
    fit: v.fit !== false,
    digits: v.digits === "arabic-indic" ? "arabic-indic" : "latin",
    altTitle: str(v["alt-title"]),
    altSubtitle: str(v["alt-subtitle"]),
    altLang: str(v["alt-lang"]),
    cover: v.cover !== false,
    documentControl: v["document-control"] !== false,
    status: str(v.status),
    draft: str(v.status)?.toLowerCase() === "draft",
    extra,
  };
}

function firstHeadingText(tree: Root): string | undefined {
  const heading = tree.children.find((n) => n.type === "heading");
  return heading ? withoutAttributes(mdastToString(heading).trim()) || undefined : undefined;
}

function takeTitleHeading(tree: Root): string | undefined {
  const index = tree.children.findIndex((n) => n.type === "heading");
  const heading = tree.children[index];
  if (heading?.type !== "heading") return undefined;
  const text = withoutAttributes(mdastToString(heading).trim());
  const isLoneTop =
    heading.depth === 1 && tree.children.filter((n) => n.type === "heading" && n.depth === 1).length === 1;
  const onlyFrontMatterBefore = tree.children.slice(0, index).every((n) => n.type === "yaml");
  if (isLoneTop && onlyFrontMatterBefore) tree.children.splice(index, 1);
  return text || undefined;
}

function titleFromFileName(file: string): string {
  const base = file.replace(/^.*[\\/]/, "").replace(/\.md$/i, "");
  const words = base.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function str(value: FieldValue | undefined): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (Array.isArray(value)) return value.join(", ") || null;
  return null;
}

function list(value: FieldValue | undefined): string[] {
  if (Array.isArray(value)) return value.map((s) => s.trim()).filter(Boolean);
  return typeof value === "string" && value.trim() ? [value.trim()] : [];
}
