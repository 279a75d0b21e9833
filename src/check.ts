/**
 * `press check`: validate content without writing anything, and report like a compiler, in the
 * format of every diagnostic: `file:line:column: severity: message [rule]`. Front matter, links and
 * footnotes, images and their alt text, heading levels, directives and (with a browser) slides that
 * overflow and tables too wide for the page (without one, the tables are estimated: kinds/table-estimate.ts).
 */

import type { BuildConfig } from "./config.js";
import { packageVersion } from "./config.js";
import type { Source } from "./document.js";
import { tableFitReport } from "./kinds/briefing.js";
import { slideOverflow } from "./kinds/slides.js";
import type { KindContext } from "./kinds/types.js";
import { discoverInputs } from "./load/discover.js";
import { readSource } from "./load/read.js";
import { createOffload, inProcess } from "./offload/offload.js";
import type { PreparedDocument } from "./prepare.js";
import { lazyBrowser } from "./render/browser.js";
import { type Diagnostic, DiagnosticError, diagnostic, sortDiagnostics } from "./report/diagnostic.js";
import { toDiagnostic } from "./report/to-diagnostic.js";
import { TemplateEngine } from "./template/engine.js";

export interface CheckResult {
  files: number;
  diagnostics: Diagnostic[];
}

export async function check(config: BuildConfig, options: { browser: boolean }): Promise<CheckResult> {
  const diagnostics: Diagnostic[] = [];
  const inputs = discoverInputs(config.inputs, config.contentDir, config.cwd, diagnostics);
  const engine = new TemplateEngine(config.templateDirs);
  const browser = lazyBrowser(config.concurrency);
  const context: KindContext = {
    config,
    engine,
    generator: `Press ${packageVersion()}`,
    browser: options.browser ? browser.get : undefined,
    offload: inProcess(config, engine),
  };
  // In a worker, where a document that takes too long can be stopped at its deadline.
  const offload = createOffload(config, inputs.length, engine);
  try {
    for (const input of inputs) {
      let source: Source;
      try {
        source = readSource(input);
      } catch (error) {
        diagnostics.push(
          error instanceof DiagnosticError
            ? error.diagnostic
            : diagnostic(input.displayPath, undefined, "error", "read", String(error)),
        );
        continue;
      }
      let prepared: PreparedDocument;
      try {
        prepared = await offload.prepare(source);
      } catch (error) {
        diagnostics.push(toDiagnostic(error, input.displayPath, config.debug));
        continue;
      }
      diagnostics.push(...prepared.diagnostics);
      const { document } = prepared;
      const failed = prepared.diagnostics.some((d) => d.severity === "error");
      if (document?.meta.kind === "slides" && failed && options.browser) {
        diagnostics.push(
          diagnostic(
            input.displayPath,
            undefined,
            "warning",
            "slides/overflow",
            "slide overflow not checked: the deck has errors above",
            "fix them and check again",
          ),
        );
      } else if (document && !failed) {
        try {
          const measured = document.meta.kind === "slides" ? slideOverflow : tableFitReport;
          diagnostics.push(...(await measured(document, context)));
        } catch (error) {
          diagnostics.push(diagnostic(input.displayPath, undefined, "error", "check", (error as Error).message));
        }
      }
    }
  } finally {
    await offload.close();
    await browser.close();
  }
  return { files: inputs.length, diagnostics: sortDiagnostics(diagnostics) };
}
