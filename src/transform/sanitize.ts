/**
 * Raw HTML in Markdown is data: it is parsed (rehype-raw) and cut down to a strict allow-list
 * (rehype-sanitize). No script, no event handler, no `javascript:` URL, no iframe, object, embed,
 * meta, link, base or style element, and no inline styles, except that a project may trust its
 * authors with inline styles (`html: trusted`), which still never carry `url()`.
 * What is removed is reported, so an author knows why something did not appear.
 */
import type { Element, Root } from "hast";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import type { VFile } from "vfile";
import { walkElements } from "./walk.js";

export type HtmlPolicy = "strict" | "trusted";

const EXTRA_TAGS = [
  "figure",
  "figcaption",
  "aside",
  "caption",
  "mark",
  "abbr",
  "small",
  "u",
  "colgroup",
  "col",
  "cite",
];
const NEVER = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "meta",
  "link",
  "base",
  "frame",
  "frameset",
  "applet",
  "form",
  "template",
  "noscript",
  "svg",
  "math",
]);
/** Elements removed with their content (the others not allowed are unwrapped, their text kept). */
const STRIPPED = ["script", "style", "template", "noscript", "textarea", "title"];
const STYLE_DANGER = /url\s*\(|expression\s*\(|@import|behaviou?r\s*:|-moz-binding|javascript:/i;

export function sanitizeSchema(policy: HtmlPolicy): SanitizeSchema {
  const base = defaultSchema;
  const everywhere = [
    ...(base.attributes?.["*"] ?? []),
    "className",
    "role",
    "ariaLabel",
    "ariaHidden",
    "dataLine",
    "dataLayout",
    "dataFit",
  ];
  if (policy === "trusted") everywhere.push("style");
  return {
    ...base,
    tagNames: [...(base.tagNames ?? []), ...EXTRA_TAGS].filter((t) => !NEVER.has(t)),
    attributes: {
      ...base.attributes,
      "*": everywhere,
      a: [...(base.attributes?.a ?? []).filter((a) => !(Array.isArray(a) && a[0] === "className")), "ariaDescribedBy"],
      // A deck's footnotes, at the foot of their slide (slides.ts).
      ol: [
        ...(base.attributes?.ol ?? []).filter((a) => !(Array.isArray(a) && a[0] === "className")),
        ["className", "contains-task-list", "slide-footnotes"],
      ],
      section: ["dataFootnotes"],
      h2: [],
      img: ["src", "alt", "title"],
    },
    protocols: { ...base.protocols, href: ["http", "https", "mailto", "tel"], src: ["http", "https", "data"] },
    clobber: [],
    strip: STRIPPED,
  };
}

/**
 * Say what the sanitiser is about to take out, with its position: elements never allowed, elements
 * outside the allow-list (`<font>`: the element goes, its text stays), inline styles under the
 * strict policy, event handlers and script URLs.
 */
export function rehypeReportUnsafe(options: { policy?: HtmlPolicy } = {}) {
  const policy = options.policy ?? "strict";
  const allowed = new Set(sanitizeSchema(policy).tagNames ?? []);
  return (tree: Root, file: VFile) => {
    walkElements(tree, (node: Element) => {
      if (NEVER.has(node.tagName) || STRIPPED.includes(node.tagName)) {
        warn(
          file,
          node,
          `<${node.tagName}> removed from raw HTML${STRIPPED.includes(node.tagName) ? ", with its content" : ""}`,
        );
      } else if (!allowed.has(node.tagName)) {
        warn(file, node, `<${node.tagName}> removed from raw HTML (its text is kept)`);
      }
      if (policy === "strict" && node.properties.style !== undefined) {
        warn(
          file,
          node,
          `inline style removed from <${node.tagName}>`,
          "a project may allow inline styles with html: trusted in press.config.yaml",
        );
      }
      for (const [name, value] of Object.entries(node.properties)) {
        if (/^on/i.test(name)) warn(file, node, `event handler "${name}" removed from <${node.tagName}>`);
        if ((name === "href" || name === "src") && /^\s*(javascript|vbscript):/i.test(String(value))) {
          warn(file, node, `${name}="${String(value).slice(0, 30)}" removed from <${node.tagName}>`);
        }
      }
    });
  };
}

/**
 * An element outside the allow-list that has a caption or a file name (mdBook's `<Listing
 * number="4-1" caption="…" file-name="src/main.rs">` round a code block) is made a figure with
 * them: unwrapped, as the others are, its caption and file name, attributes, went with it.
 * "Filename: src/main.rs" above, "Listing 4-1: …" below, as mdBook writes them.
 */
export function rehypeCaptionedElements(options: { policy?: HtmlPolicy } = {}) {
  const allowed = new Set(sanitizeSchema(options.policy ?? "strict").tagNames ?? []);
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      if (allowed.has(node.tagName) || NEVER.has(node.tagName)) return;
      const text = (value: unknown) => (typeof value === "string" ? value.trim() : "");
      const caption = text(node.properties.caption);
      const fileName = text(node.properties["file-name"] ?? node.properties.fileName);
      if (!caption && !fileName) return;
      const number = text(node.properties.number);
      const name = node.tagName.charAt(0).toUpperCase() + node.tagName.slice(1);
      node.tagName = "figure";
      node.properties = {};
      // mdBook's `file-name`, above the listing as mdBook prints it.
      if (fileName)
        node.children.unshift({
          type: "element",
          tagName: "p",
          properties: { className: ["listing-file"] },
          children: [{ type: "text", value: `Filename: ${fileName}` }],
        });
      if (caption)
        node.children.push({
          type: "element",
          tagName: "figcaption",
          properties: {},
          children: [{ type: "text", value: `${number ? `${name} ${number}: ` : ""}${caption}` }],
        });
    });
  };
}

/**
 * Every `<details>` open: a closed one prints its summary alone, and its content (a README's
 * contents, its contributing notes) would be missing from the PDF without a word. In the HTML it
 * still folds away when its summary is clicked.
 */
export function rehypeOpenDetails() {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      if (node.tagName === "details") node.properties.open = true;
    });
  };
}

/** Inline styles that survived a trusted policy lose anything that could load or run something. */
export function rehypeSafeStyles() {
  return (tree: Root) => {
    walkElements(tree, (node: Element) => {
      const style = node.properties.style;
      if (typeof style === "string" && STYLE_DANGER.test(style)) delete node.properties.style;
    });
  };
}

export function rehypeSanitizeFor(policy: HtmlPolicy) {
  return [rehypeSanitize, sanitizeSchema(policy)] as const;
}

function warn(file: VFile, node: Element, reason: string, note?: string): void {
  const message = file.message(reason, node);
  message.ruleId = "html/unsafe";
  message.source = "press";
  message.note =
    note ?? "raw HTML is sanitised: scripts, event handlers, frames and external resources never reach an output";
}
