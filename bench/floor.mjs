// The floor: the least any tool could do with the same HTML. One browser, the same flags and the
// same page concurrency, every prebuilt HTML file printed to PDF once, nothing else.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { CHROMIUM_FLAGS } from "../dist/render/browser.js";
import { findBrowser } from "../dist/render/find-browser.js";

const [outDir, concurrencyArg] = process.argv.slice(2);
const concurrency = Number(concurrencyArg ?? os.availableParallelism());
const files = fs
  .readdirSync(outDir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".html") && f !== "index.html");
const browser = await puppeteer.launch({
  executablePath: (await findBrowser()).executablePath,
  headless: true,
  pipe: true,
  args: CHROMIUM_FLAGS,
});
const queue = [...files];
// BENCH_FLOOR_SCRATCH names the folder (bench/run.mjs watches it for the first PDF); it is emptied at the end.
const scratch = process.env.BENCH_FLOOR_SCRATCH ?? fs.mkdtempSync(path.join(os.tmpdir(), "press-floor-"));
fs.mkdirSync(scratch, { recursive: true });
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    for (let file = queue.shift(); file; file = queue.shift()) {
      await page.setContent(fs.readFileSync(path.join(outDir, file), "utf8"), { waitUntil: "load" });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
      fs.writeFileSync(path.join(scratch, `${files.indexOf(file)}.pdf`), pdf);
    }
    await page.close();
  }),
);
await browser.close();
fs.rmSync(scratch, { recursive: true, force: true });
