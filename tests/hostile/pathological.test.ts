/**
 * Never a hang: the classes of cmark's pathological test suite and the inputs Press was seen to
 * hang on (bench/pathological.mjs), 100–200 KB each, built together with a good document by the
 * `press` command. Each ends with a PDF or with one clear error naming its file; none takes the
 * build down, none prints a stack trace. How long they take is measured by `make bench`, not here.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATHOLOGICAL } from "../../bench/pathological.mjs";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";
import { makeProject } from "../support/project.js";

const PRESS = path.join(REPO, "bin/press.js");

interface JsonDocument {
  source: string;
  status: string;
  outputs: { path: string; format: string }[];
  errors: { file: string; line: number; rule: string; message: string }[];
}

function press(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  // The time limit only keeps a hang from holding the suite: it is no measure of speed.
  const result = spawnSync(process.execPath, [PRESS, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 15 * 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

const file = (index: number) => `content/case-${String(index).padStart(2, "0")}.md`;
const GOOD = "---\ntitle: A good document\n---\n\n# Fine\n\nThe good document survives its neighbours.\n";

describe("pathological Markdown", () => {
  let dir: string;
  let result: ReturnType<typeof press>;
  let documents: JsonDocument[];

  beforeAll(() => {
    const files: Record<string, string> = { "content/good.md": GOOD };
    PATHOLOGICAL.forEach((c, i) => {
      files[file(i)] = c.text;
    });
    dir = makeProject(files);
    result = press(["build", "--reporter", "json"], dir);
    documents = (JSON.parse(result.stdout) as { documents: JsonDocument[] }).documents;
  }, 16 * 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("the build ends, exit code 1, the good document built", () => {
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(documents.find((d) => d.source === "content/good.md")?.status).toBe("built");
    expect(result.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n/);
  });

  PATHOLOGICAL.forEach((c, i) => {
    it(`${c.name}: a PDF, or one clear error naming the file`, async () => {
      const document = documents.find((d) => d.source === file(i));
      expect(document, result.stderr).toBeDefined();
      if (document?.status === "built") {
        const pdf = document.outputs.find((o) => o.format === "pdf");
        expect(pdf).toBeDefined();
        const facts = await readPdf(fs.readFileSync(path.resolve(dir, pdf?.path as string)));
        expect(facts.pageCount).toBeGreaterThan(0);
      } else {
        expect(document?.status).toBe("failed");
        expect(document?.errors.length).toBeGreaterThan(0);
        for (const error of document?.errors ?? []) {
          expect(error.file).toBe(file(i));
          expect(error.rule).toMatch(/^limits\//);
          expect(error.line).toBeGreaterThan(0);
          expect(error.message).not.toMatch(/\n\s+at /);
        }
      }
    });
  });
});

describe("a table of 2,000 rows", () => {
  const table = PATHOLOGICAL.find((c) => c.name === "a table of 2,000 rows")?.text ?? "";

  it(
    "every row printed whole, the header row and a continued caption on every page after the first",
    async () => {
      const rows = [...table.matchAll(/^\| row (\d+) \| (\d+) \|/gm)].length;
      expect(rows).toBeGreaterThan(2000);
      // Built alone, with a deadline no load on the machine reaches: this is about the PDF.
      const dir = makeProject({ "content/table.md": table });
      const result = press(["build", "--parse-timeout", "300", "--reporter", "plain"], dir);
      expect(result.code, result.stderr).toBe(0);
      const facts = await readPdf(fs.readFileSync(path.join(dir, "output/table.pdf")));
      fs.rmSync(dir, { recursive: true, force: true });
      // Each row's key and value cells, read back in pairs; its note, counted.
      const values = new Map<number, number>();
      for (const text of facts.pageTexts) {
        for (const m of text.matchAll(/row (\d+) (\d+)/g)) values.set(Number(m[1]), Number(m[2]));
      }
      const wrong = Array.from({ length: rows }, (_, i) => i).filter((i) => values.get(i) !== i * 7);
      expect(wrong.slice(0, 10)).toEqual([]);
      expect(facts.pageTexts.join(" ").match(/some words of a note/g)?.length).toBe(rows);
      const pages = facts.pageTexts.flatMap((text, i) => (/row \d+ \d+/.test(text) ? [i] : []));
      expect(pages.length).toBeGreaterThan(50);
      for (const [n, page] of pages.entries()) {
        const text = facts.pageTexts[page] ?? "";
        expect(text, `page ${page + 1}`).toMatch(/key value note row/);
        if (n > 0) expect(text, `page ${page + 1}`).toMatch(/\(continued\) key value note row/);
      }
    },
    10 * 60_000,
  );
});

describe("deadlines", () => {
  it("a document past its parse deadline is stopped and named; the others build", () => {
    // Paragraphs just under the markup limit: slow for micromark, each one allowed.
    const slow = `${"*a_ ".repeat(490)}\n\n`.repeat(500);
    const dir = makeProject({ "content/good.md": GOOD, "content/slow.md": slow });
    const result = press(["build", "--parse-timeout", "1", "--reporter", "plain"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /content\/slow\.md:1:1: error: (checking limits|parsing Markdown|transforming|writing HTML) took more than \d+(\.\d)? s; the document was stopped \[limits\/time\]/,
    );
    expect(fs.existsSync(path.join(dir, "output/good.pdf"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "output/slow.pdf"))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a build whose documents fail before rendering does not wait for the browser it started", () => {
    // A browser that never answers: a build that waited for it would not end.
    const dir = makeProject({ "content/bad.md": "---\ntitle: [unclosed\n---\n\nText.\n" });
    const fake = path.join(dir, "hanging-browser.sh");
    fs.writeFileSync(fake, "#!/bin/sh\nexec sleep 600\n", { mode: 0o755 });
    const result = spawnSync(process.execPath, [PRESS, "build"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PRESS_BROWSER: fake },
      timeout: 25_000,
    });
    expect(result.signal, "the build was still waiting").toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("content/bad.md:2:");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
