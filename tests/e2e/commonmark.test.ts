/**
 * The CommonMark spec's 652 examples (the commonmark-spec package), each built as a document by the
 * real browser: every one builds, and every word of the visible text of the example's expected
 * HTML is in its PDF's text layer, except what Press says it leaves out: the content of elements
 * the sanitiser removes by design (html/unsafe), and characters no bundled font has
 * (fonts/missing-glyph); and every PDF passes Press's PDF/UA-1 checker.
 */
import fs from "node:fs";
import path from "node:path";
import { tests as EXAMPLES } from "commonmark-spec";
import { type DefaultTreeAdapterMap, parseFragment } from "parse5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuildReport, build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { checkPdfUa, formatUaFailure } from "../../src/pdf/check-ua.js";
import { readPdf } from "../support/pdf.js";
import { makeProject } from "../support/project.js";
import { missingWords, squash, wordsOf } from "../support/words.js";

type Node = DefaultTreeAdapterMap["node"];

/** Elements the sanitiser removes with their content, with a warning (src/transform/sanitize.ts). */
const REMOVED = new Set(["script", "style", "template", "noscript", "textarea", "title"]);

let dir: string;
let report: BuildReport;

const name = (n: number) => `content/example-${String(n).padStart(3, "0")}.md`;
/** The spec writes a tab as →. */
const tabs = (text: string) => text.replaceAll("→", "\t");

beforeAll(async () => {
  const files: Record<string, string> = {};
  // Front matter first, so that an example opening with `---` is not read as front matter.
  // The body alone: no cover, document control or contents (a page each, 652 times over).
  for (const example of EXAMPLES)
    files[name(example.number)] =
      `---\ntitle: Example ${example.number}\ncover: false\ndocument-control: false\ntoc: false\n---\n\n${tabs(example.markdown)}`;
  dir = makeProject(files);
  report = await build(resolveConfig({ formats: "pdf", out: path.join(dir, "output") }, dir, {}));
}, 900_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The text of `html` a reader sees; without what the sanitiser removes, when it said it did. */
function visibleText(html: string, removedSaid: boolean): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === "#text") parts.push((node as { value: string }).value);
    if (removedSaid && REMOVED.has(node.nodeName)) return;
    for (const child of (node as { childNodes?: Node[] }).childNodes ?? []) walk(child);
  };
  walk(parseFragment(html) as unknown as Node);
  return parts.join(" ");
}

describe("the CommonMark spec's examples", () => {
  it("all build, with warnings at most", () => {
    const failed = report.documents.filter((d) => d.status !== "built");
    expect(
      failed.map((d) => `${d.source}: ${d.diagnostics.map((x) => x.message).join("; ")}`),
      "documents that did not build",
    ).toEqual([]);
    expect(report.documents).toHaveLength(EXAMPLES.length);
  });

  it("lose no word of any example's visible text", async () => {
    const lost: string[] = [];
    for (const example of EXAMPLES) {
      const document = report.documents.find((d) => d.source === name(example.number));
      const pdf = document?.outputs.find((o) => o.format === "pdf");
      if (!pdf) continue;
      const layer = squash((await readPdf(fs.readFileSync(pdf.path))).pageTexts.join(" "));
      const said = (rule: string) => document?.diagnostics.filter((d) => d.rule === rule) ?? [];
      const noGlyph = said("fonts/missing-glyph").map((d) => d.message);
      const missing = missingWords(wordsOf(visibleText(tabs(example.html), said("html/unsafe").length > 0)), layer)
        // A word lost for a character no bundled font has is one Press said it could not print.
        .filter((word) => ![...word].some((c) => noGlyph.some((m) => m.includes(`${c} (U+`))));
      if (missing.length) lost.push(`example ${example.number} (${example.section}): ${missing.join(" | ")}`);
    }
    expect(lost, lost.join("\n")).toEqual([]);
  });

  it("pass the PDF/UA-1 checker, every one (missing images, raw HTML and all)", async () => {
    const failures: string[] = [];
    for (const document of report.documents) {
      const pdf = document.outputs.find((o) => o.format === "pdf");
      if (!pdf) continue;
      for (const failure of await checkPdfUa(fs.readFileSync(pdf.path)))
        failures.push(formatUaFailure(document.source, failure));
    }
    expect(failures, failures.slice(0, 20).join("\n")).toEqual([]);
  });
});
