/**
 * How a build speaks. On a terminal: one live progress line (done / total, the stage, failures)
 * with messages printed above it. In CI, with NO_COLOR, or when not a terminal: one plain line per
 * document. `--reporter json`: nothing but a JSON summary on standard output at the end.
 */
import path from "node:path";
import type { BuildHooks, BuildReport, DocumentReport } from "../build.js";
import { type Diagnostic, formatDiagnostic, githubAnnotation, sortDiagnostics } from "./diagnostic.js";

export type ReporterName = "auto" | "plain" | "json" | "github";

export interface Reporter extends BuildHooks {
  end(report: BuildReport): void;
}

export function createReporter(name: ReporterName, cwd: string, stream: NodeJS.WriteStream = process.stdout): Reporter {
  if (name === "json") return jsonReporter(cwd);
  if (name === "github" || (name === "auto" && underGitHubActions())) return plainReporter(cwd, githubAnnotation);
  const live = name === "auto" && stream.isTTY === true && !process.env.CI && !process.env.NO_COLOR;
  return live ? liveReporter(cwd, stream) : plainReporter(cwd);
}

/** In a GitHub Actions job, diagnostics become annotations on the files' lines. */
export function underGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** How many diagnostics of one rule in one file are printed; the rest are counted in one line. */
export const SHOWN_PER_RULE = 20;

/**
 * The diagnostics of a document in one format: `file:line:column: severity: message [rule]` and its
 * hint, by line. Of one rule in one file, the first SHOWN_PER_RULE are printed, then one line says
 * how many more there are (5,000 unknown keys are not 5,000 lines: the JSON report keeps them all);
 * a hint the same as one printed before for that rule and file is left out.
 */
export function diagnosticLines(
  diagnostics: readonly Diagnostic[],
  format: (d: Diagnostic) => string = formatDiagnostic,
): string[] {
  const sorted = sortDiagnostics(diagnostics);
  const groupOf = (d: Diagnostic) => `${d.file}\0${d.rule}`;
  const groups = new Map<string, Diagnostic[]>();
  for (const d of sorted) {
    const group = groups.get(groupOf(d));
    if (group) group.push(d);
    else groups.set(groupOf(d), [d]);
  }
  const shown = new Map<string, number>();
  const hints = new Map<string, Set<string>>();
  const lines: string[] = [];
  for (const d of sorted) {
    const key = groupOf(d);
    const count = (shown.get(key) ?? 0) + 1;
    shown.set(key, count);
    if (count > SHOWN_PER_RULE) continue;
    const seen = hints.get(key) ?? new Set<string>();
    hints.set(key, seen);
    const repeated = d.hint !== undefined && seen.has(d.hint);
    if (d.hint !== undefined) seen.add(d.hint);
    lines.push(format(repeated ? { ...d, hint: undefined } : d));
    const rest = (groups.get(key) ?? []).slice(SHOWN_PER_RULE);
    if (count === SHOWN_PER_RULE && rest.length > 0) lines.push(moreLine(rest));
  }
  return lines;
}

/** "… and 4,980 more front-matter/unknown-key warnings in this file". */
function moreLine(rest: readonly Diagnostic[]): string {
  const severities = new Set(rest.map((d) => d.severity));
  const [severity] = severities;
  const noun = severities.size === 1 && severity ? severity : "diagnostic";
  return `… and ${rest.length.toLocaleString("en-US")} more ${rest[0]?.rule} ${rest.length === 1 ? noun : `${noun}s`} in this file`;
}

function plainReporter(cwd: string, format: (d: Diagnostic) => string = formatDiagnostic): Reporter {
  return {
    onDocument: (report) => {
      for (const line of diagnosticLines(report.diagnostics, format)) console.error(line);
      console.log(documentLine(report, cwd));
    },
    end: (report) => {
      for (const line of diagnosticLines(report.diagnostics ?? [], format)) console.error(line);
      for (const line of removedLines(report, cwd)) console.log(line);
      console.log(totalsLine(report));
    },
  };
}

/** One line for each output removed because its source is gone. */
function removedLines(report: BuildReport, cwd: string): string[] {
  return (report.removed ?? []).map((file) => `removed ${path.relative(cwd, file)} (its source is gone)`);
}

function liveReporter(cwd: string, stream: NodeJS.WriteStream): Reporter {
  let total = 0;
  let done = 0;
  let failedCount = 0;
  let current = "";
  const draw = () => {
    const failures = failedCount ? ` · ${failedCount} failed` : "";
    const line = `[${done}/${total}]${failures} ${current}`.slice(0, (stream.columns ?? 80) - 1);
    stream.write(`\r\x1b[2K${line}`);
  };
  const above = (text: string, error = false) => {
    stream.write("\r\x1b[2K");
    (error ? console.error : console.log)(text);
    draw();
  };
  return {
    onStart: (count) => {
      total = count;
      draw();
    },
    onStage: (source, stage) => {
      current = `${stage === "parse" ? "parsing" : "rendering"} ${source}`;
      draw();
    },
    onDocument: (report) => {
      done++;
      if (report.status === "failed") failedCount++;
      for (const line of diagnosticLines(report.diagnostics)) above(line, true);
      if (report.status !== "cached") above(documentLine(report, cwd));
      current = "";
      draw();
    },
    end: (report) => {
      stream.write("\r\x1b[2K");
      for (const line of diagnosticLines(report.diagnostics ?? [])) console.error(line);
      for (const line of removedLines(report, cwd)) console.log(line);
      console.log(totalsLine(report));
    },
  };
}

function jsonReporter(cwd: string): Reporter {
  return {
    end: (report) => {
      const summary = {
        ok: report.ok,
        milliseconds: report.milliseconds,
        browserStarted: report.browserStarted,
        removed: (report.removed ?? []).map((file) => path.relative(cwd, file)),
        warnings: report.diagnostics ?? [],
        documents: report.documents.map((d) => ({
          source: d.source,
          status: d.status,
          title: d.summary?.title ?? null,
          kind: d.summary?.kind ?? null,
          milliseconds: d.milliseconds,
          prints: d.prints,
          outputs: d.outputs.map((o) => ({ ...o, path: path.relative(cwd, o.path) })),
          warnings: d.diagnostics.filter((x) => x.severity === "warning"),
          notes: d.diagnostics.filter((x) => x.severity === "note"),
          errors: d.diagnostics.filter((x) => x.severity === "error"),
        })),
      };
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    },
  };
}

function documentLine(report: DocumentReport, cwd: string): string {
  if (report.status === "failed") return `failed ${report.source}`;
  const outputs = report.outputs
    .map((o) => `${path.relative(cwd, o.path)}${o.pages === null ? "" : ` (${o.pages} p.)`}`)
    .join(", ");
  if (report.status === "cached") return `up to date ${report.source}`;
  return `built ${report.source} → ${outputs} in ${report.milliseconds} ms`;
}

function totalsLine(report: BuildReport): string {
  const count = (status: string) => report.documents.filter((d) => d.status === status).length;
  return `${count("built")} built, ${count("cached")} up to date, ${count("failed")} failed`;
}
