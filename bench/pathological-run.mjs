// `make bench`, part one: each pathological input of bench/pathological.mjs built alone by the press
// command, cold; its wall time and how it ended (a PDF, or the limit that stopped it). Prints a
// Markdown table; BENCHMARKS.md keeps the figures. Target: every case under 5 s, most under 1 s.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PATHOLOGICAL } from "./pathological.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const press = path.join(here, "..", "bin", "press.js");

function build(dir) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let stdout = "";
    const child = spawn(process.execPath, [press, "build", "--reporter", "json"], {
      cwd: dir,
      env: { ...process.env, CI: "1" },
    });
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("exit", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const document = JSON.parse(stdout).documents[0];
      const outcome =
        document.status === "built"
          ? `PDF, ${document.outputs.find((o) => o.format === "pdf")?.pages ?? "?"} p.`
          : `error [${[...new Set(document.errors.map((e) => e.rule))].join(", ")}]`;
      resolve({ ms, outcome });
    });
  });
}

const rows = [];
for (const { name, text } of PATHOLOGICAL) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-bench-pathological-"));
  fs.writeFileSync(path.join(dir, "press.config.yaml"), "organisation: Bench\n");
  fs.mkdirSync(path.join(dir, "content"));
  fs.writeFileSync(path.join(dir, "content", "case.md"), text);
  const result = await build(dir);
  rows.push({ name, kb: Buffer.byteLength(text) / 1024, ...result });
  console.error(`${name}: ${Math.round(result.ms)} ms, ${result.outcome}`);
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log("| pathological input | KiB | cold build (ms) | outcome |");
console.log("|---|---:|---:|---|");
for (const r of rows)
  console.log(`| ${r.name} | ${Math.round(r.kb)} | ${Math.round(r.ms).toLocaleString("en")} | ${r.outcome} |`);
const slowest = rows.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(
  `\nSlowest: ${slowest.name}, ${Math.round(slowest.ms).toLocaleString("en")} ms; under 1 s: ${rows.filter((r) => r.ms < 1000).length} of ${rows.length}.`,
);
