/**
 * GitHub Flavored Markdown as remark-gfm adds it, with two of its constructs tried only on lines
 * that could hold one. micromark tries a table at the start of every paragraph, and a literal
 * autolink (an e-mail address, say) at the start of every word, and each reads on to the end of
 * the line or the word before it gives up: more than half of the time it takes to parse a briefing.
 *
 * A table's head row always has a `|`, a literal e-mail address an `@`, a URL `://` and a bare web
 * address `www.`: on a line without, the attempt fails at once, as it would have at the end. For
 * the same reason, the tree walk that finds the addresses micromark leaves to it (in text once
 * escapes and character references are read) is skipped in a document that holds none of those,
 * no `&` and no `\`. The result is the same tree (tests/unit/gfm.test.ts holds both parsers to it).
 */
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Construct, Extension, TokenizeContext } from "micromark-util-types";
import type { Processor } from "unified";

interface Lines {
  pipe: boolean[];
  at: boolean[];
  url: boolean[];
  www: boolean[];
  /** Whether any text of the document could hold a literal autolink. */
  autolinks: boolean;
}

/** What the lines of the document being parsed hold; none while no document is (then nothing is skipped). */
let current: Lines | undefined;

/** `parse` (synchronous) with the guards set for `text`, the whole source it parses. */
export function parseWithGuards<T>(text: string, parse: () => T): T {
  const lines = text.split(/\r\n|\r|\n/);
  current = {
    pipe: lines.map((line) => line.includes("|")),
    at: lines.map((line) => line.includes("@")),
    url: lines.map((line) => line.includes("://")),
    www: lines.map((line) => /www\./i.test(line)),
    autolinks: /[@&\\]|:\/\/|www\./i.test(text),
  };
  try {
    return parse();
  } finally {
    current = undefined;
  }
}

type Test = (lines: Lines, line: number, context: TokenizeContext) => boolean;

/** Micromark's point lines count from 1. */
const TESTS: Record<string, Test> = {
  // Rows after a table's head row need no `|`: only a table's start is judged by its line.
  table: (lines, line, context) => lines.pipe[line - 1] === true || continuesTable(context),
  emailAutolink: (lines, line) => lines.at[line - 1] === true,
  protocolAutolink: (lines, line) => lines.url[line - 1] === true,
  wwwAutolink: (lines, line) => lines.www[line - 1] === true,
};

/** As micromark-extension-gfm-table decides whether a line is a row of a table above it. */
function continuesTable(context: TokenizeContext): boolean {
  const { events } = context;
  let index = events.length - 1;
  while (index > -1 && (events[index]?.[1].type === "lineEnding" || events[index]?.[1].type === "linePrefix")) index--;
  const type: string | undefined = index > -1 ? events[index]?.[1].type : undefined;
  return type === "tableHead" || type === "tableRow";
}

function guard(construct: Construct): Construct {
  const test = construct.name ? TESTS[construct.name] : undefined;
  if (!test) return construct;
  const tokenize = construct.tokenize;
  return {
    ...construct,
    tokenize(effects, ok, nok) {
      if (current && !test(current, this.now().line, this)) return nok;
      return tokenize.call(this, effects, ok, nok);
    },
  };
}

/** The GFM syntax extension with its tables and literal autolinks guarded. */
export function guardedGfm(): Extension {
  const extension = gfm();
  const guarded = new Map<Construct, Construct>();
  const swap = (construct: Construct) => {
    let result = guarded.get(construct);
    if (!result) {
      result = guard(construct);
      guarded.set(construct, result);
    }
    return result;
  };
  const out: Extension = {};
  for (const [field, map] of Object.entries(extension) as [keyof Extension, Record<string, unknown>][]) {
    if (!map || typeof map !== "object" || Array.isArray(map)) {
      (out as Record<string, unknown>)[field] = map;
      continue;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(map)) {
      copy[key] = Array.isArray(value) ? value.map((c: Construct) => swap(c)) : swap(value as Construct);
    }
    (out as Record<string, unknown>)[field] = copy;
  }
  return out;
}

/** mdast-util-gfm's extensions, the walk that finds literal autolinks in text skipped where none can be. */
function guardedFromMarkdown(): ReturnType<typeof gfmFromMarkdown> {
  return gfmFromMarkdown().map((extension) => {
    const transforms = extension.transforms?.map((transform) =>
      transform.name === "transformGfmAutolinkLiterals"
        ? (tree: Parameters<typeof transform>[0]) => (current && !current.autolinks ? undefined : transform(tree))
        : transform,
    );
    return transforms ? { ...extension, transforms } : extension;
  });
}

/** remark-gfm's parsing half (Press never writes Markdown), with the guards above. */
export function remarkGfmGuarded(this: Processor): void {
  const data = this.data();
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), guardedGfm()];
  data.fromMarkdownExtensions = [...(data.fromMarkdownExtensions ?? []), guardedFromMarkdown()];
}
