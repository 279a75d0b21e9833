/**
 * `press check`: validate content without writing anything, and report like a compiler:
 * `file:line:column severity message rule-id`. Front matter, links and footnotes, images and their
 * alt text, heading levels, directives and (with a browser) slides that overflow.
 */

import { documentParseOptions, languageDiagnostics } from "./build.js";
import type { BuildConfig } from "./config.js";
import { packageVersion } from "./config.js";
import { slideOverflow } from "./kinds/slides.js";
import type { KindContext } from "./kinds/types.js";
import { discoverInputs } from "./load/discover.js";
import { checkLimits } from "./load/limits.js";
import { readSource } from "./load/read.js";
import { parseDocument } from "./parse/markdown.js";
import { lazyBrowser } from "./render/browser.js";
import { type Diagnostic, DiagnosticError, diagnostic } from "./report/diagnostic.js";
import { TemplateEngine } from "./template/engine.js";

export interface CheckResult {
  files: number;
  diagnostics: Diagnostic[];
}

export async function check(config: BuildConfig, options: { browser: boolean }): Promise<CheckResult> {
  const inputs = discoverInputs(config.inputs, config.contentDir, config.cwd);
  const engine = new TemplateEngine(config.templatesDir);
  const browser = lazyBrowser(config.concurrency);
  const context: KindContext = {
    config,
    engine,
    generator: `Press ${packageVersion()}`,
    browser: options.browser ? browser.get : undefined,
  };
  const diagnostics: Diagnostic[] = [];
  try {
    for (const input of inputs) {
      try {
        const source = readSource(input);
        const limit = checkLimits(input.displayPath, source.text);
        if (limit) throw new DiagnosticError(limit);
        const document = await parseDocument(source, documentParseOptions(config));
        diagnostics.push(...document.diagnostics, ...languageDiagnostics(document, config));
        if (!engine.has(document.meta.template)) {
          diagnostics.push(
            diagnostic(
              input.displayPath,
              undefined,
              "error",
              "template/unknown",
              `no template "${document.meta.template}"`,
            ),
          );
        } else if (document.meta.kind === "slides" && !document.diagnostics.some((d) => d.severity === "error")) {
          diagnostics.push(...(await slideOverflow(document, context)));
        }
      } catch (error) {
        diagnostics.push(
          error instanceof DiagnosticError
            ? error.diagnostic
            : diagnostic(input.displayPath, undefined, "error", "check", (error as Error).message),
        );
      }
    }
  } finally {
    await browser.close();
  }
  return { files: inputs.length, diagnostics };
}

/** `file:line:column severity message rule-id`. */
export function formatCheckLine(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message} ${d.rule}`;
}
