/**
 * A deck's Markdown becomes slides: the body is cut at every top-level `---` (as in Marp and
 * Slidev), each part wrapped in a `section.slide`. A slide's layout is inferred from what it holds
 * (only a heading: section; a quotation, perhaps with a short attribution after it: quote; an image: figure; `::::columns`: two-columns) or set
 * by an HTML comment at its top, `<!-- layout: quote -->`; `<!-- fit -->` shrinks it to fit.
 * `:::notes` blocks become the slide's speaker notes.
 */
import type { Element, ElementContent, Root as HastRoot } from "hast";
import { toHtml } from "hast-util-to-html";
import { toString as hastToString } from "hast-util-to-string";
import type { FootnoteDefinition, List, ListItem, Root, RootContent } from "mdast";
import type { ContainerDirective } from "mdast-util-directive";
import { toString as mdastToString } from "mdast-util-to-string";
import type { VFile } from "vfile";
import { parse as parseYaml } from "yaml";
import { SLIDE_LAYOUTS, type Slide, type SlideLayout } from "../document.js";
import { closest } from "../report/suggest.js";
import { classes } from "./notes.js";
import { SKIP, walkMarkdown } from "./walk.js";

/** Directives the slides plugin owns; the block directive plugin leaves them alone. */
export const SLIDE_DIRECTIVES = ["notes", "columns", "column", "slide"] as const;

const COMMENT = /^<!--([\s\S]*)-->$/;

export function remarkSlides() {
  return (tree: Root, file: VFile) => {
    // `Text` right above `---` is a heading to CommonMark (a setext one), not text and a slide break.
    const lines = String(file.value).split("\n");
    for (const node of tree.children) {
      const start = node.position?.start.line ?? 0;
      const end = node.position?.end.line ?? 0;
      if (
        node.type === "heading" &&
        node.depth === 2 &&
        end > start &&
        /^ {0,3}-+[ \t]*\r?$/.test(lines[end - 1] ?? "")
      ) {
        const message = file.message(
          "the line above this --- makes it a heading underline, not a slide break: the text is a heading, on the same slide",
          { start: { line: end, column: 1 }, end: { line: end, column: 1 } },
        );
        message.ruleId = "slides/setext";
        message.source = "press";
        message.note = "leave a blank line before --- to start a new slide (or write the heading as ## …)";
      }
    }
    const front = tree.children.filter((n) => n.type === "yaml");
    // In a Marp deck, a comment that is no directive is a presenter note, as Marp reads it.
    const marp = front.some((n) => /^marp:[ \t]*true[ \t]*$/m.test(n.value));
    marpSyntax(tree, file, marp);
    const divider = headingDivider(tree, front);
    // Each slide's nodes, and the line of the `---` that starts it (for an empty one, its place).
    const groups: { nodes: RootContent[]; line: number }[] = [{ nodes: [], line: 1 }];
    for (const node of tree.children) {
      if (node.type === "yaml") continue;
      if (node.type === "thematicBreak") groups.push({ nodes: [], line: node.position?.start.line ?? 1 });
      else {
        // Marp's `headingDivider: 2`: a heading of level 2 or above starts a slide of its own.
        const last = groups.at(-1);
        if (node.type === "heading" && divider.has(node.depth) && last && last.nodes.length > 0)
          groups.push({ nodes: [], line: node.position?.start.line ?? 1 });
        groups.at(-1)?.nodes.push(node);
      }
    }
    if (divider.size === 0) oneSlideWarning(groups, file);
    // An empty slide between two `---` is a blank slide, as in Marp (a pause, a black-out); a `---`
    // right after the front matter or at the end makes none.
    // (After the notes are placed: a group of only their definitions, after a last `---`, is empty then.)
    slideFootnotes(groups);
    while (groups[0]?.nodes.length === 0) groups.shift();
    while (groups.at(-1)?.nodes.length === 0) groups.pop();
    const slides = groups.map(({ nodes, line }) => slideNode(nodes, file, marp, line));
    tree.children = [...front, ...slides];
  };
}

/**
 * Footnotes on the slide that refers to them, as Quarto shows them: a deck has no page for notes,
 * and they were left out (a marker pointing nowhere, the text in no output). Each marker becomes a
 * number, counted through the deck, and the slide ends with the notes it refers to.
 */
function slideFootnotes(groups: { nodes: RootContent[] }[]): void {
  const definitions = new Map<string, FootnoteDefinition>();
  for (const { nodes } of groups)
    for (const node of nodes) if (node.type === "footnoteDefinition") definitions.set(node.identifier, node);
  if (definitions.size === 0) return;
  const numbers = new Map<string, number>();
  const placed = new Set<string>();
  /** The notes `nodes` cite, their markers made numbers; the list of them, for the end of `nodes`. */
  const cite = (nodes: RootContent[], skipSpeaker: boolean): List | undefined => {
    // A set: 50,000 notes cited on one slide took minutes looked up in a list.
    const used = new Set<string>();
    walkMarkdown({ type: "root", children: nodes }, (node, index, parent) => {
      // A note cited in the speaker's notes goes with them, never onto the slide the audience sees.
      if (skipSpeaker && node.type === "containerDirective" && node.name === "notes") return SKIP;
      if (node.type !== "footnoteReference" || !definitions.has(node.identifier)) return undefined;
      const number = numbers.get(node.identifier) ?? numbers.size + 1;
      numbers.set(node.identifier, number);
      used.add(node.identifier);
      parent.children[index] = {
        type: "emphasis",
        children: [{ type: "text", value: String(number) }],
        data: { hName: "sup", hProperties: { className: ["slide-note-ref"] } },
      } as never;
      return undefined;
    });
    for (const id of used) placed.add(id);
    if (used.size === 0) return undefined;
    return {
      type: "list",
      ordered: true,
      spread: false,
      children: [...used].map(
        (id): ListItem => ({
          type: "listItem",
          spread: false,
          children: structuredClone(definitions.get(id)?.children ?? []) as ListItem["children"],
          data: { hProperties: { value: String(numbers.get(id) ?? 0) } },
        }),
      ),
      data: { hProperties: { className: ["slide-footnotes"] } },
    };
  };
  for (const group of groups) {
    const shown = cite(group.nodes, true);
    // Before the speaker's notes, which are no part of the slide shown.
    const speaker = group.nodes.findIndex((n) => n.type === "containerDirective" && n.name === "notes");
    if (shown) group.nodes.splice(speaker < 0 ? group.nodes.length : speaker, 0, shown);
    for (const node of group.nodes)
      if (node.type === "containerDirective" && node.name === "notes") {
        const own = cite(node.children, false);
        if (own) node.children.push(own);
      }
  }
  // A note placed on its slides is there; one referred to from nowhere stays, for footnotes/unused.
  for (const group of groups)
    group.nodes = group.nodes.filter((n) => !(n.type === "footnoteDefinition" && placed.has(n.identifier)));
}

/** Marp's directives, written in HTML comments (`<!-- _class: lead -->`); Press has its own. */
const MARP_DIRECTIVE =
  /^\s*_?(class|backgroundColor|backgroundImage|backgroundPosition|backgroundRepeat|backgroundSize|color|header|footer|paginate|style|headingDivider|theme|size|transition|math|lang|marp|title|author|description|image|url|keywords)\s*:/;
/** Marp's background image: `![bg left 40%](…)`. The keywords after `bg` are Marp's, not alt text. */
const MARP_BACKGROUND =
  /^bg(?:\s+(?:[\w-]+:\S+|(?:left|right)(?::\S+)?|top|bottom|contain|cover|fit|auto|vertical|\d+%|[\w-]+\([^)\s]*\)))*\s*/;
/** Marp's image size keywords (`w:200`, `height:120px`), in any deck: a size, which no alt text reads as (`h:mm` stays). */
const MARP_SIZE = /(?:^|\s)(?:w|h|width|height):\d+(?:\.\d+)?(?:px|em|rem|%|cm|mm|in|pt|vw|vh)?(?=\s|$)/g;
/** Marp's image filters (`sepia`, `blur:4px`, `grayscale(1)`), in a Marp deck only: alone they could be words. */
const MARP_FILTER =
  /(?:^|\s)(?:blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|saturate|sepia)(?::\S+|\([^)\s]*\))?(?=\s|$)/g;

/**
 * Marp's own syntax, which Press does not read, said rather than passed over: a directive in a
 * comment is a warning; a background image is shown as a figure on the slide (a warning), its Marp
 * keywords taken out of its alt text.
 */
function marpSyntax(tree: Root, file: VFile, marp: boolean): void {
  const say = (reason: string, node: RootContent, note: string) => {
    const message = file.message(reason, node);
    message.ruleId = "slides/marp";
    message.source = "press";
    message.note = note;
  };
  walkMarkdown(tree, (node) => {
    if (node.type === "html") {
      const directive = MARP_DIRECTIVE.exec(COMMENT.exec(node.value.trim())?.[1] ?? "");
      if (directive)
        say(
          `"${directive[1]}" is a Marp directive: not used by Press`,
          node,
          "Press's slide directives are <!-- layout: … --> and <!-- fit -->; colours and fonts come from the theme",
        );
    } else if (node.type === "image" && MARP_BACKGROUND.test(node.alt ?? "")) {
      say(
        "![bg …] is Marp's background image: Press shows the image as a figure on the slide",
        node,
        "give the image alt text of its own; <!-- layout: figure --> sets it alone on its slide",
      );
      node.alt = (node.alt ?? "").replace(MARP_BACKGROUND, "");
    }
    if (node.type === "image") {
      const alt = node.alt ?? "";
      const kept = (marp ? alt.replace(MARP_FILTER, " ") : alt).replace(MARP_SIZE, " ").replace(/\s+/g, " ").trim();
      if (kept !== alt.trim()) {
        say(
          `Marp's image keywords in "${alt.trim()}" are not applied: Press sizes an image to its slide`,
          node,
          kept ? `the alt text is "${kept}"` : "give the image alt text of its own",
        );
        node.alt = kept;
      }
    }
    return undefined;
  });
}

/**
 * Marp's `headingDivider` (in the front matter or a comment): the heading levels that start a
 * slide, as Marp splits (`2`: levels 1 and 2; `[2, 3]`: those two); none when it is not set.
 */
function headingDivider(tree: Root, front: RootContent[]): Set<number> {
  const texts = [
    ...front.map((n) => (n.type === "yaml" ? n.value : "")),
    ...tree.children.map((n) => (n.type === "html" ? (COMMENT.exec(n.value.trim())?.[1] ?? "") : "")),
  ];
  for (const text of texts) {
    if (!text.includes("headingDivider")) continue;
    // Read as YAML, as Marp reads it: `2 # a comment`, `"2"` and a list of levels `[2, 3]` too.
    let value: unknown;
    try {
      value = (parseYaml(text, { maxAliasCount: 0 }) as Record<string, unknown> | null)?.headingDivider;
    } catch {
      continue;
    }
    const levels = (Array.isArray(value) ? value : [value])
      .map(Number)
      .filter((n) => Number.isInteger(n) && n >= 1 && n <= 6);
    if (levels.length === 0) continue;
    // One level N splits at every heading of level N or above; a list, at those levels only.
    return new Set(Array.isArray(value) ? levels : Array.from({ length: levels[0] as number }, (_, i) => i + 1));
  }
  return new Set();
}

/**
 * A deck with no `---` at all whose one slide holds several top-level headings was written for a
 * tool that splits at headings (Quarto, Pandoc, Marp's headingDivider): said, since Press does not.
 */
function oneSlideWarning(groups: { nodes: RootContent[] }[], file: VFile): void {
  if (groups.length !== 1) return;
  const headings = (groups[0]?.nodes ?? []).filter((n) => n.type === "heading");
  const top = Math.min(...headings.map((h) => h.depth));
  const splitting = headings.filter((h) => h.depth === top);
  if (splitting.length < 2) return;
  const message = file.message(
    `this deck has no --- slide break: its ${splitting.length} headings of level ${top} are all on one slide`,
    splitting[1],
  );
  message.ruleId = "slides/one-slide";
  message.source = "press";
  message.note = `Press starts a slide only at a line of ---: add one before each heading, or set headingDivider: ${top} in the front matter, as in Marp`;
}

/** A Marp presenter note: a comment's text as the slide's speaker notes, one paragraph a block. */
function marpNote(text: string): ContainerDirective {
  return {
    type: "containerDirective",
    name: "notes",
    children: text
      .split(/\n[ \t]*\n/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => ({ type: "paragraph", children: [{ type: "text", value: part }] })),
    data: { hName: "aside", hProperties: { className: ["notes"] } },
  };
}

function slideNode(group: RootContent[], file: VFile, marp: boolean, breakLine: number): ContainerDirective {
  let layout: string | undefined;
  let fit = false;
  const content: RootContent[] = [];
  for (const node of group) {
    const comment = node.type === "html" ? COMMENT.exec(node.value.trim()) : null;
    const text = comment?.[1]?.trim() ?? "";
    const directives = text
      .split(/[;,]/)
      .map((p) => p.split(":").map((s) => s.trim()))
      .filter(([key]) => key === "fit" || key === "layout");
    if (comment && content.length === 0 && (directives.length > 0 || !marp)) {
      // A directive misspelt (`<!-- layot: section -->`) would be a comment like any other: said.
      // (`fit` is left out: three letters are a typo of too many words, "fix: …" among them.)
      for (const [key, value] of text.split(/[;,]/).map((p) => p.split(":").map((s) => s.trim()))) {
        const near = key && value && key !== "layout" ? closest(key, ["layout"]) : undefined;
        if (!near) continue;
        const message = file.message(`unknown slide directive "${key}" in a comment at the slide's top`, node);
        message.ruleId = "slides/layout";
        message.source = "press";
        message.note = `did you mean "${near}"?`;
      }
      for (const [key, value] of directives) {
        if (key === "fit") fit = true;
        else if (key === "layout" && value) layout = value;
      }
      continue;
    }
    if (comment && marp && text && !MARP_DIRECTIVE.test(text)) {
      content.push(marpNote(text));
      continue;
    }
    // A Marp directive (warned about above) is no content: `# Part one` with `<!-- _class: lead -->`
    // after it is still only a heading, a section slide.
    if (comment && MARP_DIRECTIVE.test(text)) continue;
    if (node.type === "containerDirective" && node.name === "notes") {
      node.data = { hName: "aside", hProperties: { className: ["notes"] } };
    }
    if (node.type === "containerDirective" && node.name === "columns") {
      node.data = { hName: "div", hProperties: { className: ["columns"] } };
      for (const child of node.children) {
        if (child.type === "containerDirective" && child.name === "column") {
          child.data = { hName: "div", hProperties: { className: ["column"] } };
        }
      }
    }
    content.push(node);
  }
  if (layout && !SLIDE_LAYOUTS.includes(layout as SlideLayout)) {
    const message = file.message(`unknown slide layout "${layout}"`, group[0]);
    message.ruleId = "slides/layout";
    message.source = "press";
    message.note = `layouts: ${SLIDE_LAYOUTS.join(", ")}`;
    layout = undefined;
  }
  const chosen = (layout as SlideLayout | undefined) ?? inferLayout(content);
  const line = group[0]?.position?.start.line ?? breakLine;
  return {
    type: "containerDirective",
    name: "slide",
    children: content as ContainerDirective["children"],
    data: {
      hName: "section",
      hProperties: { className: ["slide"], dataLayout: chosen, dataLine: line, dataFit: fit ? "true" : undefined },
    },
  };
}

function inferLayout(content: RootContent[]): SlideLayout {
  const shown = content.filter((n) => !(n.type === "containerDirective" && n.name === "notes"));
  const rest = shown.filter((n) => n.type !== "heading");
  if (shown.some((n) => n.type === "containerDirective" && n.name === "columns")) return "two-columns";
  if (rest.length === 0 && shown.length > 0) return "section";
  // A quotation alone, or followed by its attribution: one paragraph that starts with a dash, or
  // a short one that is no sentence ("Dag Hammarskjöld", not "Body after.").
  const after = rest[1]?.type === "paragraph" ? mdastToString(rest[1]).trim() : undefined;
  const attribution = after !== undefined && (/^[—–―-]/.test(after) || (after.length <= 60 && !/[.!?:;]$/.test(after)));
  if (rest[0]?.type === "blockquote" && (rest.length === 1 || (rest.length === 2 && attribution))) return "quote";
  const only = rest[0];
  if (
    rest.length === 1 &&
    only?.type === "paragraph" &&
    only.children.filter((c) => c.type !== "text" || c.value.trim()).every((c) => c.type === "image")
  ) {
    return "figure";
  }
  return "content";
}

/** Read the slides back out of the HTML tree: content and notes as HTML, with their source lines. */
export function extractSlides(tree: HastRoot): Slide[] {
  const sections = tree.children.filter(
    (n): n is Element => n.type === "element" && n.tagName === "section" && classes(n).includes("slide"),
  );
  return sections.map((section, index) => {
    const notes = section.children.filter((c): c is Element => c.type === "element" && classes(c).includes("notes"));
    const content = section.children.filter((c) => !(c.type === "element" && classes(c).includes("notes")));
    const heading = content.find((c): c is Element => c.type === "element" && /^h[1-6]$/.test(c.tagName));
    return {
      number: index + 2,
      line: Number(section.properties.dataLine ?? 1),
      layout: String(section.properties.dataLayout ?? "content") as SlideLayout,
      fit: section.properties.dataFit === "true",
      title: heading ? shownText(heading) : "",
      html: toHtml({ type: "root", children: content }),
      notesHtml: notes.map((n) => toHtml({ type: "root", children: n.children })).join("\n"),
      outline: outlineTexts(content),
    };
  });
}

/** Elements whose text is the first a slide with no heading is bookmarked by. */
const FIRST_TEXT = new Set(["p", "li", "figcaption", "th", "td", "pre", "dt", "dd"]);
/** Text no reader of a bookmark wants: a note's marker, the words and address of an image left out. */
const NOT_SHOWN = ["slide-note-ref", "image-placeholder-problem", "image-placeholder-file"];

/** A slide's headings, first block's text and images' alt texts, as its bookmark needs them. */
function outlineTexts(content: ElementContent[]): Slide["outline"] {
  const headings: string[] = [];
  let text = "";
  const alts: string[] = [];
  // Without recursion: a slide may nest deep.
  const pending: ElementContent[] = [...content].reverse();
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type !== "element") continue;
    if (/^h[1-6]$/.test(node.tagName)) {
      const own = shownText(node);
      if (own) headings.push(own);
      continue;
    }
    if (!text && FIRST_TEXT.has(node.tagName)) text = shownText(node);
    if (node.tagName === "img" && node.properties.alt) alts.push(String(node.properties.alt));
    if (classes(node).includes("image-placeholder-alt")) alts.push(hastToString(node).trim());
    for (let i = node.children.length - 1; i >= 0; i--) pending.push(node.children[i] as ElementContent);
  }
  return { headings, text, alt: alts.filter(Boolean).join(", ") };
}

function shownText(node: Element): string {
  const parts: string[] = [];
  const pending: ElementContent[] = [node];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.type === "text") parts.push(next.value);
    else if (next.type === "element" && !NOT_SHOWN.some((name) => classes(next as Element).includes(name)))
      for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i] as ElementContent);
  }
  return parts.join("").replace(/\s+/g, " ").trim();
}
