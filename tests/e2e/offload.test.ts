/**
 * The worker thread that parses documents and finishes PDFs, in its compiled form (dist/, as the
 * CLI runs it): the same documents as parsing in the main thread, errors as diagnostics, and
 * failures sent back as errors.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Offload } from "../../src/offload/offload.js";
import { TemplateEngine } from "../../src/template/engine.js";
import { makeProject, projectConfig } from "../support/project.js";

// The compiled modules: from the TypeScript sources, Press runs this work in the main thread.
const compiled = (await import(
  path.resolve("dist/offload/offload.js")
)) as typeof import("../../src/offload/offload.js");

const DOCUMENTS = Object.fromEntries(
  Array.from({ length: 6 }, (_, i) => [
    `content/doc-${i}.md`,
    `---\ntitle: Document ${i}\n---\n\n# Part ${i}\n\nText with a note.[^n]\n\n[^n]: The note.\n`,
  ]),
);

let pool: Offload | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

function sources(dir: string) {
  return Object.keys(DOCUMENTS).map((name) => ({
    path: path.join(dir, name),
    displayPath: name,
    outputStem: name.replace(/^content\/|\.md$/g, ""),
    text: fs.readFileSync(path.join(dir, name), "utf8"),
  }));
}

describe("the build's worker", () => {
  it("parses documents as the main thread does", async () => {
    const dir = makeProject({ ...DOCUMENTS, "content/broken.md": "---\ntitle: [unclosed\n---\n" });
    const config = projectConfig(dir);
    pool = compiled.createOffload(config, 7, new TemplateEngine(config.templateDirs));
    expect(pool.constructor.name).toBe("WorkerPool");
    const broken = {
      path: path.join(dir, "content/broken.md"),
      displayPath: "content/broken.md",
      outputStem: "broken",
    };
    const all = [...sources(dir), { ...broken, text: "---\ntitle: [unclosed\n---\n" }];
    const inWorker = await Promise.all(all.map((source) => pool?.prepare(source)));
    const inMain = await Promise.all(all.map((source) => compiled.inProcess(config).prepare(source)));
    expect(inWorker).toEqual(inMain);
    expect(inWorker.at(-1)?.diagnostics[0]?.severity).toBe("error");
    expect(inWorker[0]?.document?.bodyHtml).toContain("The note.");
  });

  it("sends back a failure in the worker as an error, and goes on with the other tasks", async () => {
    const dir = makeProject(DOCUMENTS);
    const config = projectConfig(dir);
    pool = compiled.createOffload(config, 6, new TemplateEngine(config.templateDirs));
    // A PDF that is not one: pdf-lib throws, in the worker, and the error comes back as an error.
    await expect(
      pool.finishPdf({
        pdf: new Uint8Array([1, 2, 3]),
        ids: [],
        metadata: { title: "t", authors: [], subject: null, keywords: [], lang: "en", creator: "c", date: new Date(0) },
      }),
    ).rejects.toThrow();
    const done = await Promise.all(sources(dir).map((source) => pool?.prepare(source)));
    expect(done.every((prepared) => prepared?.document)).toBe(true);
  });
});
