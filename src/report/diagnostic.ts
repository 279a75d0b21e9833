/** A problem an author can fix, tied to a place in a source file. */
export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** A short rule id, e.g. `front-matter/unknown-key`. */
  rule: string;
  hint?: string;
}

/** Thrown by a stage when a document cannot go on; carries its diagnostic. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = "DiagnosticError";
  }
}

export function diagnostic(
  file: string,
  place: { line: number; column: number } | undefined,
  severity: Severity,
  rule: string,
  message: string,
  hint?: string,
): Diagnostic {
  return { file, line: place?.line ?? 1, column: place?.column ?? 1, severity, rule, message, hint };
}

/** `file:line:column: severity: message [rule]`, then the hint on a second, indented line. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Line and column (1-based) of a character offset in a text. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Sorted by file, then line and column: the order a reader goes through them. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}

/** A GitHub Actions workflow command: the diagnostic shows as an annotation on the file's line. */
export function githubAnnotation(d: Diagnostic): string {
  const property = (text: string) => escapeWorkflow(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const message = escapeWorkflow(d.hint ? `${d.message}\nhint: ${d.hint}` : d.message);
  return `::${d.severity} file=${property(d.file)},line=${d.line},col=${d.column},title=${property(d.rule)}::${message}`;
}

function escapeWorkflow(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** "1 file", "2 files": a count with its noun in the right number. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
