/** Labels Press writes itself (Contents, Page, Annex, …), read from templates/locales/<lang>.yaml. */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { type TemplateDirs, templateCandidates } from "./layers.js";

export type Labels = Record<string, string>;

export interface LocaleResult {
  labels: Labels;
  /** Set when no locale file matched the language and English was used. */
  fellBack: boolean;
}

const cache = new Map<string, Labels | undefined>();

/**
 * English first, then the language's own labels; in each, a project's locale file overrides
 * Press's label by label, so a project's `locales/de.yaml` may hold only the labels it has.
 */
export function loadLabels(dirs: TemplateDirs, lang: string): LocaleResult {
  const english = readLayered(dirs, "en") ?? {};
  const primary = lang.toLowerCase().split("-")[0] ?? "en";
  const own = readLayered(dirs, lang.toLowerCase()) ?? readLayered(dirs, primary);
  return { labels: { ...english, ...(own ?? {}) }, fellBack: own === undefined && primary !== "en" };
}

/** The locale files that may hold a language's labels, in every templates folder (for the cache key). */
export function localeFiles(dirs: TemplateDirs, lang: string): string[] {
  const primary = lang.toLowerCase().split("-")[0] ?? "en";
  return ["en", primary, lang.toLowerCase()].flatMap((name) => templateCandidates(dirs, `locales/${name}.yaml`));
}

function readLayered(dirs: TemplateDirs, name: string): Labels | undefined {
  const layers = [...dirs].reverse().map((dir) => readLocale(path.join(dir, "locales", `${name}.yaml`)));
  if (layers.every((labels) => labels === undefined)) return undefined;
  return Object.assign({}, ...layers.filter(Boolean));
}

function readLocale(file: string): Labels | undefined {
  if (!cache.has(file)) {
    let labels: Labels | undefined;
    if (fs.existsSync(file)) {
      const data = parse(fs.readFileSync(file, "utf8"), { schema: "core" }) as Record<string, unknown>;
      labels = Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k, String(v)]));
    }
    cache.set(file, labels);
  }
  return cache.get(file);
}
