/**
 * Press's own folder (the package, or the repository): its templates, fonts and locales. Found by
 * walking up from this module to the nearest package.json, so that it is the same from src/ (the
 * test suite), from dist/'s modules at any depth, and from dist/'s bundles (bin/press.js).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, "..");
  }
}

export const PACKAGE_ROOT = packageRoot(path.dirname(fileURLToPath(import.meta.url)));
