/**
 * The command line as a newcomer meets it: help for each command, options held to their command,
 * "did you mean", `press FILE`, `-o`, one diagnostic format for build and check (sorted, plurals
 * right), GitHub annotations, and no browser when nothing can reach rendering.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";
import { writeFiles } from "../support/project.js";

const PRESS = path.join(REPO, "bin/press.js");

function press(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [PRESS, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "1", GITHUB_ACTIONS: "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function folder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-usage-"));
  writeFiles(dir, { "press.config.yaml": "", ...files });
  return dir;
}

/** Problems in one file: an error and a misspelt key in the front matter, two in the body. */
const TWO_PROBLEMS = "---\ntitle: T\npaper: A5\nclasification: OFFICIAL\n---\n\n# A\n\n### Jump\n\n[x](#nowhere)\n";

describe("help and usage", () => {
  it("has help for each command, by `press help CMD` and `CMD --help`, listing only its options", () => {
    const general = press(["help"], REPO);
    expect(general.code).toBe(0);
    for (const command of ["build", "check", "watch", "release", "init", "eject", "browser"]) {
      expect(general.stdout).toContain(`  ${command}`);
    }
    const check = press(["check", "--help"], REPO);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain("Usage: press check");
    expect(check.stdout).toContain("--no-browser");
    expect(check.stdout).not.toContain("--handout");
    expect(press(["help", "watch"], REPO).stdout).toContain("--port");
    // An option says what it does for the command at hand: --force rebuilds for build, replaces files for init.
    expect(press(["init", "--help"], REPO).stdout).toMatch(/--force\s+Replace the files that exist/);
    expect(press(["build", "--help"], REPO).stdout).toMatch(/--force\s+Rebuild everything/);
    expect(press(["help", "wach"], REPO).stderr).toContain('did you mean "watch"?');
  });

  it("lines up every option's text in one column, apart from its flag (--parse-timeout SECONDS ran into it)", () => {
    for (const command of ["build", "check", "watch", "release", "init", "eject", "browser"]) {
      const options = press([command, "--help"], REPO)
        .stdout.split("\n")
        .filter((line) => /^ {2}(-\w, | {4})--/.test(line));
      expect(options.length, command).toBeGreaterThan(0);
      // The flag (`-o, --out DIR`, `    --parse-timeout SECONDS`), at least two spaces, the text.
      const parts = options.map((line) => /^( {2}(?:-\w, | {4})--[\w-]+(?: [A-Z/]+)?)( +)\S/.exec(line));
      for (const [i, match] of parts.entries())
        expect(match?.[2]?.length, `${command}: ${options[i]}`).toBeGreaterThanOrEqual(2);
      const columns = new Set(parts.map((match) => (match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0)));
      expect([...columns], command).toHaveLength(1);
    }
  });

  it("refuses an option the command does not take, and suggests what was meant", () => {
    const port = press(["build", "--port", "9"], REPO);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("press build does not take --port");
    const typo = press(["build", "--foramt", "html"], REPO);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown option --foramt; did you mean --format?");
    const command = press(["buidl"], REPO);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "buidl"; did you mean "build"?');
  });

  it("builds `press FILE` like `press build FILE`, and takes -o for --out", () => {
    const dir = folder({ "weekly.md": "# Weekly\n\nText.\n" });
    const result = press(["weekly.md", "-o", "site", "--format", "html"], dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "site/weekly.html"))).toBe(true);
  });
});

describe("one diagnostic format", () => {
  it("prints check's findings as build does, sorted by line, with hints and the right plurals", () => {
    const dir = folder({ "content/a.md": TWO_PROBLEMS });
    const check = press(["check", "--no-browser"], dir);
    expect(check.code).toBe(1);
    const lines = check.stdout.split("\n");
    const heads = lines.filter((line) => /^content\/a\.md:\d+:\d+: (error|warning): .* \[[\w/-]+\]$/.test(line));
    expect(heads.length).toBeGreaterThanOrEqual(3);
    const numbers = heads.map((line) => Number(line.split(":")[1]));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(check.stdout).toContain('unknown key "clasification"');
    expect(check.stdout).toContain('  hint: did you mean "classification"?');
    expect(check.stdout).toMatch(/^1 file checked: 1 error, \d+ warnings$/m);

    const build = press(["build", "--format", "html"], dir);
    const buildHeads = build.stderr.split("\n").filter((line) => heads.includes(line));
    expect(buildHeads).toEqual(heads);
  });

  it("counts notes in check's summary when there are some", () => {
    const header = Array.from({ length: 40 }, (_, i) => `Column heading number ${i + 1}`);
    const row = Array.from({ length: 40 }, (_, i) => `cell-value-${i + 1}-long`);
    const table = [header, header.map(() => "---"), row].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
    const dir = folder({ "content/a.md": `# Wide\n\n${table}\n`, "content/b.md": "# Plain\n\nText.\n" });
    const check = press(["check", "--no-browser"], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^content\/a\.md:3:1: note: .* \[tables\/split\]$/m);
    expect(check.stdout).toMatch(/^2 files checked: 0 errors, 0 warnings, 1 note$/m);
    const json = JSON.parse(press(["check", "--no-browser", "--reporter", "json"], dir).stdout);
    expect(json).toMatchObject({ ok: true, errors: 0, warnings: 0, notes: 1 });
  });

  it("prints GitHub annotations with --reporter github, and by itself under GitHub Actions", () => {
    const dir = folder({ "content/a.md": TWO_PROBLEMS });
    const explicit = press(["check", "--no-browser", "--reporter", "github"], dir);
    expect(explicit.stdout).toMatch(
      /^::error file=content\/a\.md,line=3,col=8,title=front-matter\/schema::"paper" must be one of/m,
    );
    const automatic = press(["build", "--format", "html"], dir, { GITHUB_ACTIONS: "true" });
    expect(automatic.stderr).toMatch(/^::error file=content\/a\.md,line=3,col=8,/m);
    expect(automatic.stderr).toMatch(/^::warning file=content\/a\.md,line=4,col=1,title=front-matter\/unknown-key::/m);
  });
});

describe("the browser", () => {
  it("is not started when no document can reach rendering", () => {
    const dir = folder({
      "content/a.md": "---\ntitle: [broken\n---\n# A\n",
      "content/b.md": "---\npaper: A7\n---\n# B\n",
    });
    const result = press(["build", "--reporter", "json"], dir, { PRESS_BROWSER: "/nonexistent/browser" });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { browserStarted: boolean; documents: { status: string }[] };
    expect(report.browserStarted).toBe(false);
    expect(report.documents.map((d) => d.status)).toEqual(["failed", "failed"]);
    expect(result.stderr).not.toContain("browser");
  });

  it("that is found but does not start stops the build in one line, saying why in the browser's words, exit 2", () => {
    const dir = folder({ "content/a.md": "# A\n\nText.\n", "content/b.md": "# B\n\nText.\n" });
    const broken = path.join(dir, "chrome");
    fs.writeFileSync(broken, "#!/bin/sh\necho 'error while loading shared libraries: libnss3.so' >&2\nexit 127\n", {
      mode: 0o755,
    });
    const result = press(["build"], dir, { PRESS_BROWSER: broken });
    expect([result.code, result.stderr.trim()]).toEqual([
      2,
      `press: the browser ${broken} did not start: it exited with code 127: error while loading shared libraries: libnss3.so`,
    ]);
    const written = fs.existsSync(path.join(dir, "output")) ? fs.readdirSync(path.join(dir, "output")) : [];
    expect(written).toEqual([]);
  });
});
