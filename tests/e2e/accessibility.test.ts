/**
 * Accessibility of every HTML output of content/, and of documents whose images stand as
 * placeholders (tests/fixtures/images): the W3C Nu HTML checker (vnu-jar, needs Java) finds no
 * error, and axe-core, run in the same Chromium, finds no WCAG 2.1 A or AA violation.
 * A deck is checked as presented and with every slide shown.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { CHROMIUM_FLAGS } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { REPO } from "../support/parse.js";

const require = createRequire(import.meta.url);
const hasJava = spawnSync("java", ["-version"], { stdio: "ignore" }).status === 0;
if (!hasJava)
  console.warn(
    "accessibility: no Java on this machine, so the Nu HTML checker test is skipped (install a JRE to run it)",
  );

let out: string;
let pages: string[];
let browser: Browser;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-a11y-"));
  const report = await build(
    resolveConfig({ inputs: ["content", "tests/fixtures/images"], out, formats: "html" }, REPO, {}),
  );
  expect(report.ok).toBe(true);
  pages = fs
    .readdirSync(out, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".html"))
    .sort();
  // Press's own browser flags switch scripts off; axe needs them, in a browser of the test's own.
  browser = await puppeteer.launch({
    executablePath: (await findBrowser()).executablePath,
    headless: true,
    pipe: true,
    args: CHROMIUM_FLAGS.filter((flag) => !flag.startsWith("--blink-settings")),
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("accessibility of the HTML outputs", () => {
  it("builds an HTML file for every document of content/", () => {
    expect(pages.length).toBeGreaterThanOrEqual(4);
  });

  it.skipIf(!hasJava)("passes the W3C Nu HTML checker with no errors", () => {
    const vnu = path.join(path.dirname(require.resolve("vnu-jar")), "build/dist/vnu.jar");
    const result = spawnSync(
      "java",
      ["-jar", vnu, "--errors-only", "--format", "json", ...pages.map((p) => path.join(out, p))],
      {
        encoding: "utf8",
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    const messages = (
      JSON.parse(result.stderr || result.stdout || '{"messages":[]}') as {
        messages: { type: string; message: string; url: string }[];
      }
    ).messages;
    expect(messages.filter((m) => m.type === "error")).toEqual([]);
  });

  it("has no WCAG 2.1 A or AA violations in axe-core", async () => {
    const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
    const found: string[] = [];
    for (const file of pages) {
      const views = file.includes("decks/") ? ["presented", "every slide"] : ["page"];
      for (const view of views) {
        const page = await browser.newPage();
        await page.setBypassCSP(true);
        await page.goto(`file://${path.join(out, file)}`, { waitUntil: "load" });
        if (view === "every slide") await page.evaluate(() => document.body.classList.remove("deck-live"));
        await page.evaluate(axe);
        const violations = await page.evaluate(async () => {
          const w = window as unknown as {
            axe: {
              run: (...a: unknown[]) => Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }>;
            };
          };
          const result = await w.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
          });
          return result.violations.map((v) => `${v.id} at ${JSON.stringify(v.nodes[0]?.target)}`);
        });
        found.push(...violations.map((v) => `${file} (${view}): ${v}`));
        await page.close();
      }
    }
    expect(found).toEqual([]);
  });
});
