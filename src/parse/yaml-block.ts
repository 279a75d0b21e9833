/**
 * Safe YAML for front matter and the project file: the `yaml` package with its core schema,
 * no custom tags (an unknown tag such as `!!js/function` is an error, never run). Values are read
 * from the node tree, never through toJS, so aliases are never expanded.
 */
import { parseDocument } from "yaml";
import { type Diagnostic, diagnostic, positionOf } from "../report/diagnostic.js";
import { type ExtraValue, type FieldSpec, type FieldValue, type ValidateOptions, validateFields } from "./schema.js";

export interface YamlBlock {
  /** The YAML text. */
  text: string;
  /** Offset of `text` within the whole file's source. */
  offset: number;
}

/**
 * Parse and validate a YAML block; every diagnostic points at the file's line and column.
 * `source` is the whole file, so positions are counted from its start.
 */
export function parseYamlBlock(
  file: string,
  source: string,
  block: YamlBlock,
  fields: Record<string, FieldSpec>,
  options: ValidateOptions & { strict?: boolean } = {},
): { values: Record<string, FieldValue>; extra: Record<string, ExtraValue>; diagnostics: Diagnostic[] } {
  const place = (offset: number) => positionOf(source, block.offset + offset);
  const doc = parseDocument(block.text, {
    schema: "core",
    customTags: [],
    prettyErrors: false,
    uniqueKeys: true,
  });
  // One mistake, one line: the yaml package often reports what follows from the first error as
  // further errors (an unclosed [ makes every later line "not allowed" somehow).
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const opened = unclosedFlow(block.text, problem.message, problem.pos[0]);
    return {
      values: {},
      extra: {},
      diagnostics: [
        diagnostic(
          file,
          place(opened?.offset ?? problem.pos[0]),
          "error",
          "front-matter/yaml",
          yamlMessage(problem.message, problem.code),
          opened ? `the ${opened.char} here is never closed with ${opened.closer}` : yamlHint(problem.code),
        ),
      ],
    };
  }
  const { values, extra, problems: fieldProblems } = validateFields(doc, fields, options);
  return {
    values,
    extra,
    diagnostics: fieldProblems.map((p) =>
      diagnostic(
        file,
        place(p.offset),
        // --strict (and a release): a misspelt key is an error; a key of the author's own, near none
        // of Press's, stays a warning, since it is meant for templates.
        p.severity === "warning" && !(options.strict && p.typo) ? "warning" : "error",
        p.rule ?? "front-matter/schema",
        p.message,
        p.hint,
      ),
    ),
  };
}

/** What usually causes a YAML error an author meets in front matter. */
function yamlHint(code: string): string | undefined {
  if (code === "BLOCK_AS_IMPLICIT_KEY")
    return 'a value holding ": " or starting with a special character needs quotes: title: "Peacekeeping: an overview"';
  return undefined;
}

/** The first line of the yaml package's message, without its own position suffix. */
function yamlMessage(message: string, code: string): string {
  const first = message.split("\n")[0] ?? message;
  const text = first.replace(/ at line \d+, column \d+:?$/, "");
  if (code === "TAG_RESOLVE_FAILED") return `${text} (custom YAML tags are not allowed)`;
  return `invalid YAML: ${text}`;
}

/**
 * The `[` or `{` an "end with a ]" error is about: the yaml package notices the missing closer
 * where the next key starts, a line or more below the one that opened it. The last opener before
 * that place that its own line does not close.
 */
function unclosedFlow(
  text: string,
  message: string,
  at: number,
): { offset: number; char: string; closer: string } | undefined {
  const closer = /end with an? ([\]}])/.exec(message)?.[1];
  if (!closer) return undefined;
  const char = closer === "]" ? "[" : "{";
  // From the line the error is on (the opener may be on it, the error at its end) upwards.
  let end = text.indexOf("\n", at);
  if (end < 0) end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    let depth = 0;
    let last = -1;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === char) {
        if (depth === 0) last = i;
        depth++;
      } else if (line[i] === closer && depth > 0) depth--;
    }
    if (depth > 0) return { offset: start + last, char, closer };
    end = start - 1;
  }
  return undefined;
}
