/** A throwaway project folder: its own content, a copy of the templates, no git. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BuildConfig, type ConfigFlags, resolveConfig } from "../../src/config.js";
import { REPO } from "./parse.js";

export function makeProject(files: Record<string, string>, options: { templates?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-project-"));
  fs.writeFileSync(path.join(dir, "press.config.yaml"), "organisation: Test Unit\n");
  if (options.templates) fs.cpSync(path.join(REPO, "templates"), path.join(dir, "templates"), { recursive: true });
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

export function projectConfig(dir: string, flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = {}): BuildConfig {
  return resolveConfig(flags, dir, env);
}
