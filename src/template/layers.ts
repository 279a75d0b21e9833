/**
 * Templates by overlay: a project's `templates/` folder overrides Press's built-in templates file
 * by file (one partial, one stylesheet, one locale); everything it does not hold comes from Press.
 * The folders are listed first-wins: the project's, then Press's own.
 */
import fs from "node:fs";
import path from "node:path";

export type TemplateDirs = readonly string[];

/** The file that is used for `relative`: the first folder's that exists, else the last folder's (missing). */
export function templateFile(dirs: TemplateDirs, relative: string): string {
  for (const dir of dirs) {
    const file = path.join(dir, relative);
    if (fs.existsSync(file)) return file;
  }
  return path.join(dirs[dirs.length - 1] ?? ".", relative);
}

/**
 * Every place `relative` may come from, for the cache key: a file added to the project's folder
 * (or removed from it) changes which one is used, so each candidate is hashed, present or not.
 */
export function templateCandidates(dirs: TemplateDirs, relative: string): string[] {
  return dirs.map((dir) => path.join(dir, relative));
}

/** The names of the files ending in `extension` in `subfolder` of any of the folders, without it. */
export function templateNames(dirs: TemplateDirs, subfolder: string, extension: string): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    const folder = path.join(dir, subfolder);
    if (!fs.existsSync(folder)) continue;
    for (const file of fs.readdirSync(folder)) {
      if (file.endsWith(extension)) names.add(file.slice(0, -extension.length));
    }
  }
  return [...names].sort();
}
