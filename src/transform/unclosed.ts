/**
 * A container directive (`:::notes`, `:::key-points`) whose closing `:::` is missing runs, to
 * CommonMark's directive syntax, to the end of the document (or of the list item or quotation it
 * is in), taking everything after it inside: in a deck every later slide became the first one's
 * speaker notes, its `---` no slide break; in a briefing every later section went into the box,
 * unnumbered and out of the contents. It is closed where the author most likely meant it to end,
 * before the next slide break in a deck and before the next heading in a briefing, and said.
 */
import type { Parent, Root, RootContent } from "mdast";
import type { ContainerDirective } from "mdast-util-directive";
import type { VFile } from "vfile";

export interface UnclosedOptions {
  /** Where an unclosed directive is ended: before a slide break (a deck) or a heading (a briefing). */
  endBefore: "thematicBreak" | "heading";
}

export function remarkCloseDirectives(options: UnclosedOptions) {
  return (tree: Root, file: VFile) => {
    const source = String(file.value);
    const visit = (parent: Parent) => {
      for (let i = 0; i < parent.children.length; i++) {
        const node = parent.children[i] as RootContent;
        // In a deck, a block holding a slide break was never meant to: a `:::notes` left open, then
        // closed by the `:::` of a later one (which the directive syntax reads as the first's end),
        // took every slide between into the speaker's notes.
        const spansSlides =
          options.endBefore === "thematicBreak" &&
          node.type === "containerDirective" &&
          node.children.some((child) => child.type === "thematicBreak");
        if (node.type === "containerDirective" && (spansSlides || !closed(node, source))) {
          const cut = node.children.findIndex((child) => child.type === options.endBefore);
          const moved = cut >= 0 ? node.children.splice(cut) : [];
          // Not spread into splice's arguments: a hundred thousand paragraphs would pass V8's limit.
          parent.children = [
            ...parent.children.slice(0, i + 1),
            ...(moved as RootContent[]),
            ...parent.children.slice(i + 1),
          ] as Parent["children"];
          say(node, moved[0], options, file, spansSlides && closed(node, source));
        }
        if ("children" in node) visit(node as Parent);
      }
    };
    visit(tree);
  };
}

/** Whether the directive's last line is a closing fence: as many colons as its opening, or more. */
function closed(node: ContainerDirective, source: string): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return true;
  let colons = 0;
  while (source[start + colons] === ":") colons++;
  // The last line with text, without a quotation's `>` or a list item's indentation before it.
  let to = end;
  while (to > start && /\s/.test(source[to - 1] ?? "")) to--;
  const from = source.lastIndexOf("\n", to - 1) + 1;
  const last = source.slice(Math.max(from, start), to).replace(/^[\s>]*/, "");
  return from > start && /^:+$/.test(last) && last.length >= colons;
}

function say(
  node: ContainerDirective,
  next: RootContent | undefined,
  options: UnclosedOptions,
  file: VFile,
  closedLater = false,
): void {
  const where = next?.position?.start.line;
  const ended =
    where === undefined
      ? "it runs to the end of what it is in"
      : `it was ended before the ${options.endBefore === "heading" ? "heading" : "slide break"} at line ${where}`;
  const reason = closedLater
    ? `:::${node.name} runs over slide breaks to a ::: further on: ${ended}`
    : `:::${node.name} has no closing ::: line: ${ended}`;
  const message = file.message(reason, {
    start: node.position?.start ?? { line: 1, column: 1 },
    end: node.position?.start ?? { line: 1, column: 1 },
  });
  message.ruleId = "directives/unclosed";
  message.source = "press";
  message.note = "close it with a line of three colons, :::, where it ends";
}
