/**
 * The `press` command as a user runs it: exit codes, one-line errors with file:line:column,
 * good documents built beside bad ones, nothing half-written.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";

const PRESS = path.join(REPO, "bin/press.js");

function press(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [PRESS, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-cli-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("press build", () => {
  it("runs from the bundle the suite's set-up made, and starts its worker from the bundle too", () => {
    const dir = project({ "content/a.md": "---\ntitle: A\n---\n\n# Part\n\nBundled words.\n" });
    const result = spawnSync(process.execPath, [PRESS, "build"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", PRESS_TRACE: "1" },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/^trace \d+ entry dist\/bundle\/press\.mjs$/m);
    expect(result.stderr).toMatch(/^trace \d+ worker ready dist\/bundle\/press-worker\.mjs$/m);
    expect(listFiles(path.join(dir, "output"))).toEqual(["a.html", "a.pdf"]);
  });

  it("builds the good documents, reports the bad one at file:line:column without a stack trace, exits 1", () => {
    const dir = project({
      "press.config.yaml": "organisation: Test Unit\n",
      "content/good.md": "---\ntitle: Good\n---\n\n# Section\n\nText.\n",
      "content/sub/bad.md": "---\ntitle: Bad\nclasification: SECRET\ntoc: perhaps\n---\n\nText.\n",
    });
    const { code, stdout, stderr } = press(["build"], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('content/sub/bad.md:3:1: warning: unknown key "clasification"');
    expect(stderr).toContain('hint: did you mean "classification"?');
    expect(stderr).toContain('content/sub/bad.md:4:6: error: "toc" must be true or false [front-matter/schema]');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toContain("1 built, 0 up to date, 1 failed");
    expect(listFiles(path.join(dir, "output"))).toEqual(["good.html", "good.pdf"]);
  });

  it("reports a font package the templates name but nobody installed, per document, as an error and not a crash", () => {
    const dir = project({
      "content/a.md": "---\ntitle: A\n---\n\nText.\n",
      "content/b.md": "---\ntitle: B\n---\n\nText.\n",
    });
    fs.cpSync(path.join(REPO, "templates"), path.join(dir, "templates"), { recursive: true });
    // The other font packages are found where a project's own would be.
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    const fonts = path.join(dir, "templates/fonts.yaml");
    fs.writeFileSync(fonts, fs.readFileSync(fonts, "utf8").replace("@fontsource/inter", "@fontsource/not-installed"));
    const { code, stdout, stderr } = press(["build", "--format", "html"], dir);
    expect(code).toBe(1);
    for (const name of ["a", "b"]) {
      expect(stderr).toContain(`content/${name}.md:1:1: error: font package @fontsource/not-installed`);
    }
    expect(stderr).not.toContain("internal error");
    expect(stdout).toContain("0 built, 0 up to date, 2 failed");
    expect(listFiles(path.join(dir, "output"))).toEqual([]);
  });

  it("builds one file to another folder in one format, and exits 0", () => {
    const dir = project({ "notes.md": "# Only a title\n\nSome text.\n" });
    const { code, stdout } = press(["build", "notes.md", "--out", "elsewhere", "--format", "html"], dir);
    expect(code).toBe(0);
    expect(stdout).toContain("1 built, 0 up to date, 0 failed");
    expect(listFiles(path.join(dir, "elsewhere"))).toEqual(["notes.html"]);
    expect(fs.readFileSync(path.join(dir, "elsewhere/notes.html"), "utf8")).toContain("<title>Only a title</title>");
  });

  it("exits 2 on bad usage and on a bad project file, naming the problem", () => {
    const dir = project({ "press.config.yaml": "paper: A5\n", "a.md": "x\n" });
    const config = press(["build", "a.md"], dir);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('press.config.yaml:1:8: error: "paper" must be one of: A4, Letter');
    expect(press(["build", "--format", "docx"], REPO).code).toBe(2);
    expect(press(["frobnicate"], REPO).code).toBe(2);
    expect(press(["build", "no-such-file.md"], REPO).stderr).toContain("no-such-file.md: no such file or folder");
    // A folder with no Markdown in it (a mistyped path in CI) builds nothing: said, exit 2, not "0 built".
    const plain = project({ "a.md": "x\n" });
    fs.mkdirSync(path.join(plain, "drafts.md/images"), { recursive: true });
    const empty = press(["build", "drafts.md"], plain);
    expect([empty.code, empty.stderr.trim()]).toEqual([
      2,
      "press: drafts.md: a folder with no Markdown files (*.md) in it",
    ]);
  });

  it("answers --help and --version", () => {
    const help = press(["--help"], REPO);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: press <command>");
    const version = press(["--version"], REPO);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
  });

  it("says in one line, before any document, when the output folder cannot be written, and writes nothing", () => {
    const dir = project({ "a.md": "# A\n\nText.\n", output: "a file where the output folder should be" });
    const { code, stderr, stdout } = press(["build", "a.md", "--format", "html"], dir);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("press: cannot write to output: a file stands where a folder is needed");
    expect(stdout).not.toContain("a.md");
  });

  it("removes temporary files a killed build left behind", () => {
    const dir = project({ "a.md": "# A\n\nText.\n", "output/.a.html.1234abcd.press-tmp": "half" });
    expect(press(["build", "a.md", "--format", "html"], dir).code).toBe(0);
    expect(listFiles(path.join(dir, "output"))).toEqual(["a.html"]);
  });
});
