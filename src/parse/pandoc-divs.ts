/**
 * Pandoc's and Quarto's fenced divs, read as the directives they stand for. A Quarto or Pandoc
 * author writes speaker notes as `::: notes` or `::: {.notes}`, columns as `:::: {.columns}` and
 * `::: {.column width="40%"}`, and callouts as `::: {.callout-note}`: to the directive syntax a
 * space after the colons makes no directive, so those lines were printed as text, and the speaker's
 * notes with them on the slide the audience sees. Each such opening line becomes `:::notes`,
 * `::::columns`, `:::column`, `:::note[Its title]` before parsing (the document keeps its lines);
 * attributes Press does not use are said (`directives/pandoc`). Lines inside fenced code and the
 * front matter are left as they are.
 */
import { CALLOUTS } from "../transform/directives.js";

export interface PandocDivNote {
  line: number;
  column: number;
  message: string;
}

/** `::: name` or `::: {#id .name key="value"}`, at most three spaces in. */
const DIV = /^( {0,3})(:{3,})[ \t]+(?:([A-Za-z][\w-]*)|\{([^}]*)\})[ \t]*$/;
const FENCE = /^[ \t>]*(`{3,}|~{3,})/;

export function readPandocDivs(text: string): { text: string; notes: PandocDivNote[] } {
  if (!text.includes("::: ") && !/:::[ \t]/.test(text)) return { text, notes: [] };
  const lines = text.split("\n");
  const notes: PandocDivNote[] = [];
  let fence: string | undefined;
  let start = 0;
  if (/^---[ \t]*\r?$/.test(lines[0] ?? "")) {
    const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)[ \t]*\r?$/.test(line));
    if (end > 0) start = end + 1;
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fenced = FENCE.exec(line)?.[1];
    if (fenced) {
      if (fence === undefined) fence = fenced;
      else if (fenced[0] === fence[0] && fenced.length >= fence.length && line.trim() === fenced) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const cr = line.endsWith("\r") ? "\r" : "";
    const match = DIV.exec(cr ? line.slice(0, -1) : line);
    if (!match) continue;
    const [, indent = "", colons = "", bare, braced] = match;
    const read = bare ? { name: bare, title: undefined, unused: "" } : attributes(braced ?? "");
    if (!read.name) continue;
    lines[i] = `${indent}${colons}${read.name}${read.title ? `[${read.title.replace(/[[\]]/g, "\\$&")}]` : ""}${cr}`;
    if (read.unused)
      notes.push({
        line: i + 1,
        column: indent.length + 1,
        message: `${read.unused} of this div ${read.unused.includes(" ") ? "are" : "is"} not used by Press`,
      });
  }
  return { text: lines.join("\n"), notes };
}

/** The name a div's attributes stand for (its first class; Quarto's `callout-note` is `note`), its title, and what is left out. */
function attributes(braced: string): { name: string | undefined; title: string | undefined; unused: string } {
  const parts = braced.match(/[^\s"=]+="[^"]*"|[^\s"=]+='[^']*'|[^\s"=]+=\S+|\S+/g) ?? [];
  let name: string | undefined;
  let title: string | undefined;
  const unused: string[] = [];
  for (const part of parts) {
    if (name === undefined && part.startsWith(".")) {
      const own = part.slice(1);
      const callout = /^callout-(.+)$/.exec(own)?.[1];
      name = callout && (CALLOUTS as readonly string[]).includes(callout) ? callout : own;
    } else if (/^title=/.test(part)) title = part.replace(/^title=(["']?)(.*)\1$/, "$2");
    else unused.push(part);
  }
  if (name && !/^[A-Za-z][\w-]*$/.test(name)) return { name: undefined, title, unused: "" };
  return { name, title, unused: unused.join(" ") };
}
