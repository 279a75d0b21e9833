/**
 * The front matter schema, shared by documents and the project file.
 * Each field says what type it takes; `validateFields` checks a parsed YAML map
 * against a set of fields and reports the place of every mistake.
 */
import {
  type Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document as YamlDocument,
  type Node as YamlNode,
} from "yaml";
import { closest } from "../report/suggest.js";

export type FieldType =
  | { kind: "string" }
  | { kind: "date" } // text; when written YYYY-MM-DD, a day that exists
  | { kind: "strings" } // one string or a list of them
  | { kind: "boolean" }
  | { kind: "integer"; min: number; max: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "lang" } // a BCP 47 language tag
  | { kind: "map" }; // a mapping of names to text (the project's theme)

export interface FieldSpec {
  type: FieldType;
  description: string;
}

const text = (description: string): FieldSpec => ({ type: { kind: "string" }, description });

export const DOCUMENT_FIELDS = {
  title: text("Document title (default: the first heading, else the file name)"),
  subtitle: text("Subtitle under the title on the cover"),
  "short-title": text("Short title for the running header (default: the title)"),
  date: {
    type: { kind: "date" },
    description: "Date, as YYYY-MM-DD (formatted for the language) or free text",
  },
  author: { type: { kind: "strings" }, description: "Author, or a list of authors" },
  organisation: text("Issuing organisation"),
  classification: text("Classification marking, e.g. UNCLASSIFIED, OFFICIAL, RESTRICTED"),
  distribution: text("Distribution statement"),
  version: text("Version, e.g. 1.0 or Draft 2"),
  reference: text("Document reference, e.g. PRESS/2026/014"),
  lang: { type: { kind: "lang" }, description: "Language as a BCP 47 tag, e.g. en, fr, ar" },
  summary: text("One-paragraph summary: cover page and PDF Subject"),
  keywords: { type: { kind: "strings" }, description: "Keywords: a list or a comma-separated string" },
  kind: { type: { kind: "enum", values: ["briefing", "slides"] }, description: "briefing (default) or slides" },
  paper: { type: { kind: "enum", values: ["A4", "Letter"] }, description: "Paper size: A4 (default) or Letter" },
  template: text("Template name in templates/ (default: the kind)"),
  toc: { type: { kind: "boolean" }, description: "Include the table of contents (default true)" },
  "toc-depth": {
    type: { kind: "integer", min: 1, max: 4 },
    description: "Heading levels listed in the contents (default 2)",
  },
  "number-sections": { type: { kind: "boolean" }, description: "Number the headings 1, 1.1, 1.1.1 (default true)" },
  aspect: { type: { kind: "enum", values: ["16:9", "4:3"] }, description: "Slides: 16:9 (default) or 4:3" },
  handout: {
    type: { kind: "enum", values: ["1", "2", "3", "4", "6", "9"] },
    description: "Slides: slides per handout page, 1, 2, 3 (default), 4, 6 or 9",
  },
  fit: {
    type: { kind: "boolean" },
    description:
      "Slides: shrink the text of a slide that does not fit (default true; false leaves it running past its box, with a warning)",
  },
  digits: {
    type: { kind: "enum", values: ["latin", "arabic-indic"] },
    description: "Digits of page, section, figure and slide numbers: latin (default) or arabic-indic",
  },
  "alt-title": text("A second title for a bilingual cover, in alt-lang"),
  "alt-subtitle": text("A second subtitle for a bilingual cover"),
  "alt-lang": { type: { kind: "lang" }, description: "The language of alt-title and alt-subtitle (BCP 47)" },
  cover: { type: { kind: "boolean" }, description: "Briefing: a cover page (default true)" },
  "document-control": {
    type: { kind: "boolean" },
    description: "Briefing: the document control table (default true)",
  },
  status: text("Status, e.g. draft or final: draft puts DRAFT across every page (every slide of a deck)"),
} as const satisfies Record<string, FieldSpec>;

export type DocumentField = keyof typeof DOCUMENT_FIELDS;

/** What press.config.yaml may set: the defaults every document inherits, and project settings. */
export const PROJECT_FIELDS = {
  ...pickDefaults(),
  html: {
    type: { kind: "enum", values: ["strict", "trusted"] },
    description: "Raw HTML: strict (default) or trusted (inline styles allowed, never url())",
  } as FieldSpec,
  strict: {
    type: { kind: "boolean" },
    description: "Images left out and overflowing slides are errors, as with --strict (default false)",
  } as FieldSpec,
  name: text("The project's name: releases are called after it (default: package.json's, else the folder's)"),
  version: text("The project's version for releases (default: git describe --tags, else package.json's)"),
  theme: {
    type: { kind: "map" },
    description: "logo, colours (accent, ink, …), body-font and heading-font (@fontsource packages), css",
  } as FieldSpec,
};

/** Project file keys that are settings of the project, not defaults for its documents. */
export const PROJECT_SETTINGS = ["html", "strict", "name", "version", "theme"] as const;

function pickDefaults() {
  return pick(DOCUMENT_FIELDS, [
    "organisation",
    "classification",
    "distribution",
    "author",
    "paper",
    "lang",
    "template",
    "toc",
    "toc-depth",
    "number-sections",
    "aspect",
    "handout",
    "fit",
    "digits",
  ]);
}

function pick<T extends Record<string, FieldSpec>, K extends keyof T>(all: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = all[key];
  return out;
}

export type FieldValue = string | string[] | boolean | number | Record<string, string>;

/** A key no field names, read as plain data for templates (`meta.extra`): text, numbers, true/false, lists, maps. */
export type ExtraValue = string | number | boolean | null | ExtraValue[] | { [key: string]: ExtraValue };

export interface FieldProblem {
  /** Character offset in the YAML text. */
  offset: number;
  message: string;
  hint?: string;
  /** An unknown key of an open mapping is a warning; everything else an error. */
  severity?: "warning";
  rule?: string;
  /** An unknown key close to one of Press's: most likely a typo, an error under --strict. */
  typo?: boolean;
}

export interface ValidateOptions {
  /** Unknown keys are warnings, and their values are kept in `extra` (a document's front matter). */
  open?: boolean;
  /** Keys of other tools (Marp, md-to-pdf): how Press reads each, or why it does not. */
  foreign?: Record<string, ForeignKey>;
  /** What the YAML is, in messages: "front matter" unless said. */
  where?: string;
}

/** A key another tool defines: mapped onto a field of Press's, accepted as is, or not used (a warning says why). */
export type ForeignKey =
  | { kind: "map"; to: (value: YamlNode | null) => Record<string, FieldValue> | undefined }
  | { kind: "accept" }
  | { kind: "unused"; why: string };

/** Validate a parsed YAML document against `fields`; returns the values and the problems found. */
export function validateFields(
  doc: YamlDocument,
  fields: Record<string, FieldSpec>,
  options: ValidateOptions = {},
): { values: Record<string, FieldValue>; extra: Record<string, ExtraValue>; problems: FieldProblem[] } {
  const values: Record<string, FieldValue> = {};
  const extra: Record<string, ExtraValue> = {};
  const problems: FieldProblem[] = [];
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { values, extra, problems };
  if (!isMap(root)) {
    problems.push({
      offset: rangeStart(root),
      message: `${options.where ?? "front matter"} must be a mapping of keys to values`,
    });
    return { values, extra, problems };
  }
  const mapped: Record<string, FieldValue> = {};
  const allowed = Object.keys(fields);
  const where = options.where ?? "front matter";
  for (const pair of root.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    // Aliases and merge keys are never expanded (a billion laughs stays a few bytes): said as that,
    // where they are, rather than as a value of the wrong type or an unknown key "<<".
    if (key === "<<") {
      const alias = firstAlias(pair.value as YamlNode | null);
      problems.push({
        offset: rangeStart(keyNode),
        message: `a YAML merge key (<<${alias ? `: *${alias.source}` : ""}) is not expanded in ${where}: write its keys out`,
      });
      continue;
    }
    const spec = fields[key];
    const foreign = spec ? undefined : options.foreign?.[key];
    const alias = spec || foreign?.kind === "map" ? firstAlias(pair.value as YamlNode | null) : undefined;
    if (alias) {
      problems.push({
        offset: rangeStart(alias),
        message: `"${key}": a YAML alias (*${alias.source}) is not expanded in ${where}: write the value out`,
      });
      continue;
    }
    if (foreign) {
      const valueNode = pair.value as YamlNode | null;
      if (foreign.kind === "map") Object.assign(mapped, foreign.to(valueNode));
      else if (foreign.kind === "unused") {
        problems.push({
          offset: rangeStart(keyNode),
          message: `"${key}" is not used: ${foreign.why}`,
          severity: "warning",
          rule: "front-matter/foreign",
        });
      }
      continue;
    }
    if (!spec) {
      const near = closest(key, allowed);
      problems.push({
        offset: rangeStart(keyNode),
        message: `unknown key "${key}"`,
        hint: near
          ? `did you mean "${near}"?`
          : options.open
            ? // The same for every key of the author's own: printed once however many there are.
              `a key of your own reaches templates in meta.extra; Press's keys: ${allowed.join(", ")}`
            : `allowed keys: ${allowed.join(", ")}`,
        ...(options.open
          ? { severity: "warning" as const, rule: "front-matter/unknown-key", typo: near !== undefined }
          : {}),
      });
      if (options.open) extra[key] = plainValue(pair.value as YamlNode | null, 0);
      continue;
    }
    const valueNode = pair.value as YamlNode | null;
    const checked = checkValue(valueNode, spec.type);
    if (typeof checked === "string") {
      problems.push({ offset: rangeStart(valueNode ?? keyNode), message: `"${key}" ${checked}` });
    } else if (checked !== undefined) {
      values[key] = checked.value;
    }
  }
  // A mapped foreign key never overrides Press's own key for the same thing.
  return { values: { ...mapped, ...values }, extra, problems };
}

/** The first alias in a value: the value itself, an item of its list, a key or value of its mapping. */
function firstAlias(node: YamlNode | null, depth = 0): Alias | undefined {
  if (isAlias(node)) return node;
  if (depth > 8) return undefined;
  if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstAlias(item as YamlNode | null, depth + 1);
      if (found) return found;
    }
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      const found =
        firstAlias(pair.key as YamlNode | null, depth + 1) ?? firstAlias(pair.value as YamlNode | null, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** A YAML node as plain data, from the node tree (aliases are never expanded; nesting is cut at 8 levels). */
function plainValue(node: YamlNode | null, depth: number): ExtraValue {
  if (node === null || depth > 8) return null;
  if (isScalar(node)) {
    const value = node.value;
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
  }
  if (isSeq(node)) return node.items.map((item) => plainValue(item as YamlNode, depth + 1));
  if (isMap(node)) {
    const out: Record<string, ExtraValue> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      // Keys that would reach an object's prototype are data nobody needs.
      if (key && key !== "__proto__" && key !== "constructor" && key !== "prototype") {
        out[key] = plainValue(pair.value as YamlNode | null, depth + 1);
      }
    }
    return out;
  }
  return null;
}

/** A value, undefined for an empty (null) value, or a message saying what was expected. */
function checkValue(node: YamlNode | null, type: FieldType): { value: FieldValue } | string | undefined {
  if (node === null || (isScalar(node) && node.value === null)) return undefined;
  switch (type.kind) {
    case "string": {
      const value = scalarText(node);
      return value === undefined ? "must be text" : { value };
    }
    case "date": {
      const value = scalarText(node);
      if (value === undefined) return "must be a date (YYYY-MM-DD) or text";
      const numbers = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
      if (!numbers) return { value };
      // A month 13 or a 31 April rolls over into the next: read back, it differs.
      const [year, month, day] = numbers.slice(1).map(Number) as [number, number, number];
      const real = new Date(0);
      real.setUTCFullYear(year, month - 1, day);
      return real.getUTCFullYear() === year && real.getUTCMonth() === month - 1 && real.getUTCDate() === day
        ? { value }
        : `is not a day of the calendar: ${value} (YYYY-MM-DD: month 01–12, a day the month has)`;
    }
    case "strings": {
      if (isSeq(node)) {
        const items = node.items.map((item) => scalarText(item as YamlNode));
        if (items.some((item) => item === undefined)) return "must be text or a list of text";
        return { value: items as string[] };
      }
      const value = scalarText(node);
      return value === undefined ? "must be text or a list of text" : { value };
    }
    case "boolean":
      return isScalar(node) && typeof node.value === "boolean" ? { value: node.value } : "must be true or false";
    case "integer": {
      const ok = isScalar(node) && Number.isInteger(node.value);
      const n = ok ? (node.value as number) : Number.NaN;
      return ok && n >= type.min && n <= type.max
        ? { value: n }
        : `must be a whole number from ${type.min} to ${type.max}`;
    }
    case "map": {
      if (!isMap(node)) return "must be a mapping of names to values";
      const out: Record<string, string> = {};
      for (const pair of node.items) {
        const value = scalarText(pair.value as YamlNode | null);
        const name = isScalar(pair.key) ? String(pair.key.value) : "";
        if (value === undefined || !name) return `must map names to text ("${name}" does not)`;
        out[name] = value;
      }
      return { value: out };
    }
    case "lang": {
      // `not a lang!` was taken, written into the HTML and the PDF, whose PDF/UA check then failed.
      const value = scalarText(node);
      if (value === undefined) return "must be a language tag (BCP 47), e.g. en, fr, ar, pt-BR";
      // `en_US` (a POSIX locale's spelling, which Pandoc takes) is `en-US`.
      const tag = value.trim().replaceAll("_", "-");
      try {
        Intl.getCanonicalLocales(tag);
        return { value: tag };
      } catch {
        return `must be a language tag (BCP 47), e.g. en, fr, ar, pt-BR (got "${value}")`;
      }
    }
    case "enum": {
      const value = scalarText(node);
      const match = type.values.find((v) => v.toLowerCase() === value?.toLowerCase());
      return match ? { value: match } : `must be one of: ${type.values.join(", ")}`;
    }
  }
}

/** Text of a plain scalar; numbers become text (so `version: 1.0` reads as "1.0" from the source). */
function scalarText(node: YamlNode | null): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === "string") return node.value;
  if (typeof node.value === "number") return node.source ?? String(node.value);
  return undefined;
}

function rangeStart(node: YamlNode | null | undefined): number {
  return node?.range?.[0] ?? 0;
}
