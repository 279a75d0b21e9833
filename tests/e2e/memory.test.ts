/**
 * Memory: a long build's main-thread heap does not grow with the number of documents. The heap is
 * measured after a full garbage collection as documents finish; what a finished document leaves
 * reachable (its HTML, its PDF) would make it grow by about half a megabyte a document.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Page } from "puppeteer-core";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { BrowserSession, COLLECT_EVERY, PAGE_USES } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { makeProject, projectConfig } from "../support/project.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const DOCUMENTS = 60;

function corpus(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++) {
    const kind = i % 4 === 0 ? "kind: slides\n" : "";
    files[`content/d-${String(i).padStart(3, "0")}.md`] =
      `---\n${kind}title: Document ${i}\nclassification: OFFICIAL\n---\n\n# Section ${i}\n\n${"Words of the document. ".repeat(40)}\n\n---\n\n# More\n\n- point ${i}\n`;
  }
  return files;
}

describe("memory", () => {
  it("the main thread's heap after document 60 is within a bound of the heap after document 20", async () => {
    const dir = makeProject(corpus(DOCUMENTS));
    const heap: number[] = [];
    const report = await build(projectConfig(dir, { concurrency: "2" }), {
      onDocument: () => {
        gc();
        const usage = process.memoryUsage();
        // Printed PDFs live outside the heap, in array buffers.
        heap.push(usage.heapUsed + usage.arrayBuffers);
      },
    });
    expect(report.documents.filter((d) => d.status === "built")).toHaveLength(DOCUMENTS);
    const mib = (bytes: number) => bytes / 2 ** 20;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const early = median(heap.slice(15, 25));
    const late = median(heap.slice(DOCUMENTS - 10));
    console.log(`heap: ${heap.map((h) => mib(h).toFixed(1)).join(" ")}`);
    // 40 more documents: keeping the finished ones reachable added about 7 MiB here.
    expect(mib(late - early)).toBeLessThan(3);
  });
});

describe("the page pool", () => {
  it(`closes a page after ${PAGE_USES} pieces of work and goes on in a new one (a new renderer)`, async () => {
    const session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
    try {
      const pages = [];
      for (let i = 0; i < PAGE_USES * 2 + 1; i++) {
        pages.push(
          await session.withPage(async (page) => {
            await page.setContent(`<p>${i}</p>`);
            return page;
          }),
        );
      }
      expect(new Set(pages).size).toBe(3);
      expect(new Set(pages.slice(0, PAGE_USES)).size).toBe(1);
      expect(pages[PAGE_USES]).not.toBe(pages[PAGE_USES - 1]);
      expect(pages[0]?.isClosed()).toBe(true);
      expect(pages[PAGE_USES * 2]?.isClosed()).toBe(false);
    } finally {
      await session.close();
    }
  });

  it(`collects its renderer's garbage after every ${COLLECT_EVERY} pieces of work`, async () => {
    // Each load leaves its document (and the HTML string the load sends) behind as garbage that
    // Chromium does not collect by itself; the pool asks for a full collection every few documents.
    const html = `<main>${Array.from({ length: 8_000 }, (_, i) => `<p>Paragraph <b>${i}</b> of a long document.</p>`).join("")}</main>`;
    const session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
    const heap = async (page: Page) => (await page.metrics()).JSHeapUsedSize ?? Number.NaN;
    try {
      const measured: { start: number; end: number }[] = [];
      for (let i = 0; i < COLLECT_EVERY * 2 + 1; i++) {
        measured.push(
          await session.withPage(async (page) => {
            const start = await heap(page);
            await page.setContent(html);
            return { start, end: await heap(page) };
          }),
        );
      }
      const at = (i: number) => measured[i] ?? { start: Number.NaN, end: Number.NaN };
      const [first, second] = [COLLECT_EVERY, COLLECT_EVERY * 2];
      // After each collection the heap is less than half what the load before it left...
      expect(at(first).start).toBeLessThan(at(first - 1).end / 2);
      expect(at(second).start).toBeLessThan(at(second - 1).end / 2);
      // ...and between collections it grows again: they come every few pieces of work, not after each
      // (the last load before the second collection starts well above where the first one left it).
      expect(at(second - 1).start).toBeGreaterThan(at(first).start * 1.5);
    } finally {
      await session.close();
    }
  });
});
