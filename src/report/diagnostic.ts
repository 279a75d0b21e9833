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
