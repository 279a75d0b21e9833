/** Labels Press writes itself (Contents, Page, Annex, …), read from templates/locales/<lang>.yaml. */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export type Labels = Record<string, string>;

export interface LocaleResult {
  labels: Labels;
  /** Set when no locale file matched the language and English was used. */
  fellBack: boolean;
}

const cache = new Map<string, Labels | undefined>();

export function loadLabels(templatesDir: string, lang: string): LocaleResult {
  const english = readLocale(templatesDir, "en") ?? {};
  const primary = lang.toLowerCase().split("-")[0] ?? "en";
  const own = readLocale(templatesDir, lang.toLowerCase()) ?? readLocale(templatesDir, primary);
  return { labels: { ...english, ...(own ?? {}) }, fellBack: own === undefined && primary !== "en" };
}

function readLocale(templatesDir: string, name: string): Labels | undefined {
  const file = path.join(templatesDir, "locales", `${name}.yaml`);
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
