/** Any error a stage throws, as a diagnostic: its own when it has one, one line otherwise (the stack only with --debug). */
import { nestingError } from "../load/limits.js";
import { type Diagnostic, DiagnosticError, diagnostic } from "./diagnostic.js";

export function toDiagnostic(error: unknown, file: string, debug: boolean): Diagnostic {
  if (error instanceof DiagnosticError) return error.diagnostic;
  if (error instanceof RangeError && /call stack/i.test(error.message)) return nestingError(file);
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug && error instanceof Error ? error.stack : undefined;
  return diagnostic(file, undefined, "error", "build", message, hint);
}
