/**
 * A killed build keeps its work: each document's cache record is kept as it finishes (a journal
 * line), so the next build rebuilds only what the killed one had not finished; records of outputs
 * that no longer exist are dropped when a build ends.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { BuildCache } from "../../src/write/cache.js";
import { REPO } from "../support/parse.js";
import { makeProject, projectConfig } from "../support/project.js";

const DOCUMENTS = 12;

function corpus(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= DOCUMENTS; i++) {
    files[`content/doc-${String(i).padStart(2, "0")}.md`] =
      `---\ntitle: Document ${i}\n---\n\n# Section\n\n${"Text of the document. ".repeat(30)}\n`;
  }
  return files;
}

/** Run `press build`, SIGKILL it once `after` documents are reported built; the sources it reported built. */
function buildKilledAfter(dir: string, after: number): Promise<{ built: string[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO, "bin/press.js"), "build", "--reporter", "plain", "--concurrency", "1"],
      { cwd: dir, stdio: ["ignore", "pipe", "ignore"], env: { ...process.env, CI: "1" } },
    );
    const built: string[] = [];
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const match = /^built (\S+)/.exec(line);
        if (match?.[1]) built.push(path.basename(match[1]));
      }
      if (built.length >= after) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (_code, signal) => resolve({ built, signal }));
  });
}

describe("a build killed part-way", () => {
  it("leaves cache records for the documents it finished; the next build rebuilds only the rest", async () => {
    const dir = makeProject(corpus());
    const killed = await buildKilledAfter(dir, 4);
    expect(killed.signal).toBe("SIGKILL");
    expect(killed.built.length).toBeGreaterThanOrEqual(4);
    expect(killed.built.length).toBeLessThan(DOCUMENTS);

    const next = await build(projectConfig(dir, { concurrency: "1" }));
    const status = (s: string) =>
      next.documents
        .filter((d) => d.status === s)
        .map((d) => path.basename(d.source))
        .sort();
    // What was reported built is up to date; at most the document in flight at the kill was
    // finished unreported.
    expect(status("cached")).toEqual(expect.arrayContaining(killed.built));
    expect(status("cached").length - killed.built.length).toBeLessThanOrEqual(1);
    expect(status("built").length + status("cached").length).toBe(DOCUMENTS);
    expect(status("failed")).toEqual([]);
    // The build that ended folded the journal into the records.
    expect(fs.existsSync(path.join(dir, ".press-cache/journal.jsonl"))).toBe(false);
    const third = await build(projectConfig(dir, { concurrency: "1" }));
    expect(third.documents.every((d) => d.status === "cached")).toBe(true);
  });
});

describe("the cache's records", () => {
  it("drop the records of outputs that no longer exist when a build ends", async () => {
    const dir = makeProject({ "content/one.md": "---\ntitle: One\n---\n\nText.\n" });
    await build(projectConfig(dir, { out: "first", formats: "html" }));
    await build(projectConfig(dir, { out: "second", formats: "html" }));
    const ids = () =>
      Object.keys(JSON.parse(fs.readFileSync(path.join(dir, ".press-cache/records.json"), "utf8")).records);
    expect(ids().sort()).toEqual(["first::content/one.md::one", "second::content/one.md::one"]);
    fs.rmSync(path.join(dir, "first"), { recursive: true });
    const again = await build(projectConfig(dir, { out: "second", formats: "html" }));
    expect(again.documents[0]?.status).toBe("cached");
    expect(ids()).toEqual(["second::content/one.md::one"]);
  });

  it("read a journal whose last line a kill cut short, and go on appending after it", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "press-cache-"));
    const record = (key: string) => ({
      key,
      dependencies: [],
      outputs: [],
      summary: { title: key, kind: "briefing", classification: null, lang: "en", date: null },
    });
    const first = BuildCache.open(root);
    first.set("a", record("a"));
    first.set("b", record("b"));
    first.delete("a");
    const journal = path.join(root, ".press-cache/journal.jsonl");
    fs.appendFileSync(journal, '\n{"id":"c","record":{"key":"c","depend');
    const second = BuildCache.open(root);
    expect(second.empty).toBe(false);
    second.set("d", record("d"));
    BuildCache.open(root).save();
    const records = JSON.parse(fs.readFileSync(path.join(root, ".press-cache/records.json"), "utf8")).records;
    expect(Object.keys(records).sort()).toEqual(["b", "d"]);
    expect(fs.existsSync(journal)).toBe(false);
  });
});

/** Run `press build`, send `signal` once a document is reported built; its exit code and all it printed. */
function buildStoppedBy(dir: string, signal: NodeJS.Signals): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "bin/press.js"), "build", "--reporter", "plain"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "1" },
    });
    let output = "";
    let sent = false;
    const take = (chunk: string) => {
      output += chunk;
      if (!sent && /^built /m.test(output)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.setEncoding("utf8").on("data", take);
    child.stderr.setEncoding("utf8").on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("a build stopped by a signal", () => {
  it("exits 130 on SIGINT and 143 on SIGTERM, reporting no failure for the documents it stopped", async () => {
    for (const [signal, expected] of [
      ["SIGINT", 130],
      ["SIGTERM", 143],
    ] as const) {
      const dir = makeProject(corpus());
      const stopped = await buildStoppedBy(dir, signal);
      expect(stopped.code, stopped.output).toBe(expected);
      // The documents in the browser when it closed are cancelled, not failed.
      expect(stopped.output).not.toMatch(/browser failed|session is closed|error:/);
      // Nothing half-written: every PDF there is whole.
      for (const file of fs.readdirSync(path.join(dir, "output")).filter((f) => f.endsWith(".pdf")))
        expect(
          fs
            .readFileSync(path.join(dir, "output", file))
            .subarray(-6)
            .toString("latin1"),
        ).toContain("%%EOF");
    }
  });
});
