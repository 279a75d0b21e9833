/**
 * An installed Press has its `dependencies` and nothing else: a package that its code (src/, bin/)
 * imports but that is declared only for development, or only reached through another package's
 * own dependencies, works in this repository and fails in a user's. Every package named in an
 * import must be a declared dependency.
 */
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith(".d.ts"))
    .map((f) => path.join(REPO, dir, f));
}

/** The package an import specifier names (`@scope/name` or `name`), or undefined for a file or a built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
  return builtinModules.includes(name ?? "") ? undefined : name;
}

/**
 * Static imports, re-exports, dynamic imports and `require.resolve` of a package's files; not
 * `import("unist").Position`, a type, gone from the compiled code.
 */
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)(?!\.[A-Z])|require(?:\.resolve)?\(\s*["']([^"']+)["']/gm;

function importedPackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...files("src"), ...files("bin")]) {
    const text = fs.readFileSync(file, "utf8");
    for (const match of text.matchAll(IMPORT)) {
      if (/^\s*(?:import|export)\s+type\s/.test(match[0])) continue;
      const name = packageOf(match[1] ?? match[2] ?? match[3] ?? "");
      if (name && !found.has(name)) found.set(name, path.relative(REPO, file));
    }
  }
  return found;
}

describe("dependencies", () => {
  const imported = importedPackages();

  it("finds the imports it checks (the scan itself works)", () => {
    expect(imported.get("puppeteer-core")).toBeDefined();
    expect(imported.get("unified")).toBeDefined();
  });

  it("declares every package Press's own code imports as a dependency", () => {
    const undeclared = [...imported].filter(([name]) => !(name in manifest.dependencies));
    expect(undeclared.map(([name, file]) => `${name} (imported by ${file})`)).toEqual([]);
  });
});
