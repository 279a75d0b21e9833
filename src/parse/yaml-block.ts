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
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    return {
      values: {},
      extra: {},
      diagnostics: problems.map((p) =>
        diagnostic(file, place(p.pos[0]), "error", "front-matter/yaml", yamlMessage(p.message, p.code)),
      ),
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

/** The first line of the yaml package's message, without its own position suffix. */
function yamlMessage(message: string, code: string): string {
  const first = message.split("\n")[0] ?? message;
  const text = first.replace(/ at line \d+, column \d+:?$/, "");
  if (code === "TAG_RESOLVE_FAILED") return `${text} (custom YAML tags are not allowed)`;
  return `invalid YAML: ${text}`;
}
