/**
 * Everything before the browser, shared by `build` and `check`: limits, parsing (with the project's
 * defaults, labels, assets and HTML policy), the language's labels and the template.
 */
import path from "node:path";
import type { BuildConfig } from "./config.js";
import type { PressDocument, Source } from "./document.js";
import { checkLimits } from "./load/limits.js";
import { assetReader } from "./load/read.js";
import { type ParseOptions, parseDocument } from "./parse/markdown.js";
import { type Diagnostic, diagnostic } from "./report/diagnostic.js";
import { toDiagnostic } from "./report/to-diagnostic.js";
import type { TemplateEngine } from "./template/engine.js";
import { svgWithFonts, uncoveredCharacters } from "./template/fonts.js";
import { loadLabels } from "./template/labels.js";
import { themeFontPackages } from "./template/theme.js";
import { PLACEHOLDER_RULES, SVG_SHOWN_WITHOUT } from "./transform/images.js";

/** What a document is going through before the browser: named when it takes too long. */
export type PrepareStage = "checking limits" | "parsing Markdown" | "transforming" | "writing HTML";

export interface PreparedDocument {
  /** The parsed document, when parsing got that far. */
  document: PressDocument | undefined;
  /** Every message about it; one of them an error means it cannot be built. */
  diagnostics: Diagnostic[];
}

/**
 * Everything before the browser, shared by `build` and `check`: limits, parsing, the language's
 * labels and the template. Never throws: what goes wrong is a diagnostic.
 */
export async function prepareDocument(
  source: Source,
  config: BuildConfig,
  engine: TemplateEngine,
  onStage: (stage: PrepareStage) => void = () => undefined,
): Promise<PreparedDocument> {
  onStage("checking limits");
  const limit = checkLimits(source.displayPath, source.text);
  if (limit) return { document: undefined, diagnostics: [limit] };
  try {
    const document = await parseDocument(source, { ...documentParseOptions(config, source), onStage });
    const diagnostics = [
      ...glyphDiagnostics(document, config),
      ...document.diagnostics.map((d) => imageLeftOut(d, config.strict)),
      ...languageDiagnostics(document, config),
    ];
    if (!engine.has(document.meta.template)) {
      const hint = `templates in ${config.templateDirs.map((dir) => path.relative(config.cwd, dir) || ".").join(" and ")}: ${engine.names().join(", ")}`;
      diagnostics.push(
        diagnostic(
          source.displayPath,
          undefined,
          "error",
          "template/unknown",
          `no template "${document.meta.template}"`,
          hint,
        ),
      );
    }
    return { document, diagnostics };
  } catch (error) {
    return { document: undefined, diagnostics: [toDiagnostic(error, source.displayPath, config.debug)] };
  }
}

/**
 * An image left out stands as a placeholder, and its warning says so; under --strict (and in a
 * release) it is an error instead, and the document is not written.
 */
function imageLeftOut(d: Diagnostic, strict: boolean): Diagnostic {
  if (d.severity !== "warning" || !(PLACEHOLDER_RULES as readonly string[]).includes(d.rule)) return d;
  if (strict) {
    // Not written at all, an SVG is not shown without what it refers to.
    const hint = d.hint?.endsWith(SVG_SHOWN_WITHOUT) ? d.hint.slice(0, -`; ${SVG_SHOWN_WITHOUT}`.length) : d.hint;
    return { ...d, severity: "error", hint };
  }
  if (d.hint?.endsWith(SVG_SHOWN_WITHOUT)) return { ...d, hint: `${d.hint} (--strict makes this an error)` };
  const placeholder = "a placeholder stands in its place (--strict makes this an error)";
  return { ...d, hint: d.hint ? `${d.hint}; ${placeholder}` : placeholder };
}

/** How a document is parsed: the project's defaults, root, labels, assets and HTML policy. */
function documentParseOptions(config: BuildConfig, source: Source): ParseOptions {
  const root = imageRoot(config.root, source.path);
  return {
    defaults: config.defaults,
    root,
    labelsFor: (lang) => loadLabels(config.templateDirs, lang).labels,
    readAsset: assetReader(root),
    prepareSvg: (svg) => svgWithFonts(svg, config.templateDirs, themeFontPackages(config.theme)),
    htmlPolicy: config.settings.html === "trusted" ? "trusted" : "strict",
    strict: config.strict,
  };
}

/** Characters no bundled font has: a warning at the first place each is written in the source. */
function glyphDiagnostics(document: PressDocument, config: BuildConfig): Diagnostic[] {
  const { meta, source } = document;
  // Not the notes' way back (↩), which Press writes itself.
  const body = document.bodyHtml.replace(/<a[^>]*data-footnote-backref[^>]*>.*?<\/a>/g, "");
  const text = [body, meta.title, meta.subtitle ?? "", meta.summary ?? ""].join(" ");
  const missing = uncoveredCharacters(config.templateDirs, text);
  if (missing.length === 0) return [];
  const at = missing.map((c) => source.text.indexOf(c)).filter((i) => i >= 0);
  const first = at.length ? Math.min(...at) : -1;
  const before = first >= 0 ? source.text.slice(0, first).split("\n") : undefined;
  const names = missing
    .slice(0, 8)
    .map((c) => `${c} (U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")})`)
    .join(", ");
  return [
    diagnostic(
      source.displayPath,
      before ? { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } : { line: 1, column: 1 },
      "warning",
      "fonts/missing-glyph",
      `no bundled font has ${names}${missing.length > 8 ? ` and ${missing.length - 8} more` : ""}: they print in a system font where the machine has one, else not at all`,
      "add an @fontsource package for that script to templates/fonts.yaml",
    ),
  ];
}

/**
 * The folder a document's images must stay inside: the project root, or, for a document named from
 * outside the project, its own folder (so the images beside a file always resolve).
 */
function imageRoot(root: string, file: string): string {
  const relative = path.relative(root, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? path.dirname(file) : root;
}

/** A language with no locale file of its own gets English labels, and a warning. */
function languageDiagnostics(document: PressDocument, config: BuildConfig): Diagnostic[] {
  if (!loadLabels(config.templateDirs, document.meta.lang).fellBack) return [];
  return [
    diagnostic(
      document.source.displayPath,
      undefined,
      "warning",
      "lang/labels",
      `no labels for language "${document.meta.lang}": Contents, Page, Annex and the rest are in English`,
      `add templates/locales/${document.meta.lang.split("-")[0]}.yaml`,
    ),
  ];
}
