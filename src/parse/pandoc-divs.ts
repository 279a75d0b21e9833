/**
 * Pandoc's and Quarto's fenced divs, read as the directives they stand for. A Quarto or Pandoc
 * author writes speaker notes as `::: notes` or `::: {.notes}`, columns as `:::: {.columns}` and
 * `::: {.column width="40%"}`, and callouts as `::: {.callout-note}`: to the directive syntax a
 * space after the colons makes no directive, so those lines were printed as text, and the speaker's
 * notes with them on the slide the audience sees. Each such opening line becomes `:::notes`,
 * `::::columns`, `:::column`, `:::note[Its title]` before parsing (the document keeps its lines);
 * attributes Press does not use are said (`directives/pandoc`). Lines of code (as the parsed
 * document has them) and the front matter are left as they are.
 */
import { CALLOUTS } from "../transform/directives.js";

export interface PandocDivNote {
  line: number;
  column: number;
  message: string;
}

/** What an opening line says: its indent and colons, and a name (and a title) or braced attributes. */
interface DivLine {
  indent: string;
  colons: string;
  bare?: string;
  titled?: string;
  braced?: string;
}

/**
 * `::: name`, `::: {#id .name key="value"}` or `:::{.name}`, with colons after it or not (`::: notes
 * :::`), at most three spaces in; and VitePress's and Docusaurus's containers with a title,
 * `::: tip Its title` or `:::tip Its title`. Read with string operations, each once over the line:
 * a pattern with a lazy title before optional closing colons took time that grew with the square
 * of a line of spaces.
 */
function divLine(line: string): DivLine | undefined {
  const head = /^( {0,3})(:{3,})/.exec(line);
  if (!head) return undefined;
  const [whole, indent = "", colons = ""] = head;
  const rest = line.slice(whole.length);
  const spaced = rest.startsWith(" ") || rest.startsWith("\t");
  let body = rest.trim();
  // Closing colons, after a space (`::: notes :::`): a title's own last colon stays.
  let end = body.length;
  while (end > 0 && body[end - 1] === ":") end--;
  if (end < body.length && (end === 0 || body[end - 1] === " " || body[end - 1] === "\t"))
    body = body.slice(0, end).trim();
  if (body.startsWith("{")) {
    return body.indexOf("}") === body.length - 1 ? { indent, colons, braced: body.slice(1, -1) } : undefined;
  }
  const name = /^[A-Za-z][\w-]*/.exec(body)?.[0];
  if (!name) return undefined;
  const after = body.slice(name.length);
  if (after === "") return spaced ? { indent, colons, bare: name } : undefined;
  if (after[0] !== " " && after[0] !== "\t") return undefined;
  const title = after.trim();
  if (/^[[{:]/.test(title)) return undefined;
  return { indent, colons, bare: name, titled: title };
}

/**
 * `codeLines` gives the lines (from 1) that are code, in the text as Markdown reads it: fences in
 * quotations and list items included, which a scan of lines alone would get wrong. Asked for only
 * when the text has a line that looks like a div.
 */
export function readPandocDivs(
  text: string,
  codeLines: (text: string) => Set<number>,
): { text: string; notes: PandocDivNote[] } {
  if (!/:::(?:[ \t]|[A-Za-z][\w-]*[ \t]+\S)/.test(text)) return { text, notes: [] };
  const lines = text.split("\n");
  const candidates = lines.flatMap((line, i) => (divLine(line.replace(/\r$/, "")) ? [i] : []));
  if (candidates.length === 0) return { text, notes: [] };
  const code = codeLines(text);
  const notes: PandocDivNote[] = [];
  let start = 0;
  if (/^\uFEFF?---[ \t]*\r?$/.test(lines[0] ?? "")) {
    const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)[ \t]*\r?$/.test(line));
    if (end > 0) start = end + 1;
  }
  for (const i of candidates) {
    if (i < start || code.has(i + 1)) continue;
    const line = lines[i] ?? "";
    const cr = line.endsWith("\r") ? "\r" : "";
    const match = divLine(cr ? line.slice(0, -1) : line);
    if (!match) continue;
    const { indent, colons, bare, titled, braced } = match;
    const read = bare ? { name: bare, title: titled?.trim(), unused: "" } : attributes(braced ?? "");
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
