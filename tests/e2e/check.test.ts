/**
 * `press check`: every rule has a fixture that breaks it and one that passes.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/check.js";
import { resolveConfig } from "../../src/config.js";
import { REPO } from "../support/parse.js";

const FIXTURES = path.join(REPO, "tests/fixtures/check");
const RULES = fs.readdirSync(FIXTURES).sort();

async function run(file: string) {
  const config = resolveConfig({ inputs: [file] }, REPO, {});
  return (await check(config, { browser: file.includes("slides-") })).diagnostics;
}

describe("press check", () => {
  for (const rule of RULES) {
    const id = fs.readFileSync(path.join(FIXTURES, rule, "rule"), "utf8").trim();
    it(`${id}: reported at its place in the failing fixture, silent on the passing one`, async () => {
      const failing = path.join("tests/fixtures/check", rule, "fail.md");
      const found = (await run(failing)).filter((d) => d.rule === id);
      expect(found.length, id).toBeGreaterThan(0);
      expect(found[0]?.file).toBe(failing);
      expect(found[0]?.line).toBeGreaterThan(0);
      expect(await run(path.join("tests/fixtures/check", rule, "pass.md"))).toEqual([]);
    });
  }

  it("prints compiler-style lines, exits 1 on errors, 0 on warnings only, and writes nothing", () => {
    const press = (args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO, "bin/press.js"), "check", "--no-browser", ...args], {
        cwd: REPO,
        encoding: "utf8",
      });
    const bad = press(["tests/fixtures/check/front-matter-schema/fail.md"]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(
      'tests/fixtures/check/front-matter-schema/fail.md:3:12: error: "toc-depth" must be a whole number from 1 to 4 [front-matter/schema]',
    );
    const warned = press(["tests/fixtures/check/headings-jump/fail.md"]);
    expect(warned.status).toBe(0);
    expect(warned.stdout).toMatch(
      /headings-jump\/fail\.md:7:1: warning: heading level jumps from 1 to 3 \[headings\/jump\]/,
    );
    const json = JSON.parse(press(["--reporter", "json", "tests/fixtures/check/links-internal/fail.md"]).stdout);
    expect(json).toMatchObject({ ok: true, files: 1, errors: 0, warnings: 1 });
    expect(json.diagnostics[0]).toMatchObject({ rule: "links/internal", line: 7 });
    expect(fs.existsSync(path.join(FIXTURES, "front-matter-schema", "output"))).toBe(false);
  });

  it("prints 20 of one rule's diagnostics in a file, then how many more, and a repeated hint once; build the same", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-repeats-"));
    const keys = Array.from({ length: 300 }, (_, i) => `key${i}: value ${i}`).join("\n");
    fs.writeFileSync(path.join(dir, "press.config.yaml"), "");
    fs.writeFileSync(path.join(dir, "many.md"), `---\ntitle: Many keys\n${keys}\n---\n\n# Many\n\nText.\n`);
    const press = (args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO, "bin/press.js"), ...args], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, CI: "1", GITHUB_ACTIONS: "" },
      });
    const checked = press(["check", "--no-browser", "many.md"]);
    const built = press(["build", "--format", "html", "--reporter", "plain", "many.md"]);
    for (const output of [checked.stdout, built.stderr]) {
      const lines = output.split("\n");
      const warnings = lines.filter((line) => line.includes("[front-matter/unknown-key]"));
      expect(warnings).toHaveLength(20);
      expect(warnings[0]).toBe('many.md:3:1: warning: unknown key "key0" [front-matter/unknown-key]');
      expect(warnings[19]).toBe('many.md:22:1: warning: unknown key "key19" [front-matter/unknown-key]');
      expect(lines.filter((line) => line.startsWith("  hint: a key of your own"))).toHaveLength(1);
      expect(lines[lines.indexOf(warnings[19] ?? "") + 1]).toBe(
        "… and 280 more front-matter/unknown-key warnings in this file",
      );
    }
    expect(checked.stdout).toContain("1 file checked: 0 errors, 300 warnings");
    // The JSON reports keep every one.
    expect(JSON.parse(press(["check", "--no-browser", "--reporter", "json", "many.md"]).stdout).warnings).toBe(300);
    const report = JSON.parse(press(["build", "--format", "html", "--reporter", "json", "many.md"]).stdout);
    expect(report.documents[0].warnings).toHaveLength(300);
  });
});
