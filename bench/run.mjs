// `make bench`: cold build, no-op rebuild, one-document-changed rebuild and peak memory of Press,
// against the floor (bench/floor.mjs), for N = 1, 10 and 50 briefings plus as many decks.
// Cold build and floor are the medians of BENCH_RUNS (default 3) turns each. Prints a Markdown
// table; the figures in BENCHMARKS.md come from it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeCorpus } from "./corpus.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const press = path.join(here, "..", "bin", "press.js");
const sizes = (process.env.BENCH_SIZES ?? "1,10,50").split(",").map(Number);
// BENCH_DECKS=0 measures briefings alone (the target is stated for 50 briefings).
const withDecks = process.env.BENCH_DECKS !== "0";
const concurrency = os.availableParallelism();

/** Run a command; wall time in ms and the peak resident memory of its whole process tree in MiB. */
function measure(args, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SOURCE_DATE_EPOCH: "1767225600", CI: "1" },
    });
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, treeRss(child.pid));
    }, 25);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}`));
      else resolve({ ms, peakMiB: peak / 1024 });
    });
  });
}

function treeRss(root) {
  const children = new Map();
  const rss = new Map();
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      rss.set(Number(pid), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {}
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

// Cold builds and floors are measured in turns, BENCH_RUNS times each, and the medians kept: on a
// shared machine one pair alone can be 20 % off either way.
const runs = Number(process.env.BENCH_RUNS ?? 3);
const median = (results) => {
  const sorted = [...results].sort((a, b) => a.ms - b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

const rows = [];
for (const n of sizes) {
  const dir = path.join(os.tmpdir(), `press-bench-${n}`);
  writeCorpus(dir, n, { decks: withDecks });
  const colds = [];
  const floors = [];
  for (let run = 0; run < runs; run++) {
    fs.rmSync(path.join(dir, "output"), { recursive: true, force: true });
    fs.rmSync(path.join(dir, ".press-cache"), { recursive: true, force: true });
    colds.push(await measure([press, "build", "--reporter", "plain"], dir));
    floors.push(await measure([path.join(here, "floor.mjs"), path.join(dir, "output"), String(concurrency)], dir));
  }
  const cold = median(colds);
  const floor = median(floors);
  const noop = await measure([press, "build", "--reporter", "plain"], dir);
  fs.appendFileSync(path.join(dir, "content/briefings/b-1.md"), "\nOne more sentence for the changed document.\n");
  const one = await measure([press, "build", "--reporter", "plain"], dir);
  rows.push({ n, cold, noop, one, floor });
  console.error(
    `N=${n}: cold ${Math.round(cold.ms)} ms, no-op ${Math.round(noop.ms)} ms, one changed ${Math.round(one.ms)} ms, floor ${Math.round(floor.ms)} ms`,
  );
}

const f = (x) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(1));
console.log(
  `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; page concurrency ${concurrency}; Node ${process.version}.`,
);
console.log("");
console.log(
  `| N briefings${withDecks ? " + N decks" : ""} | cold build (ms) | floor (ms) | Press / floor | no-op rebuild (ms) | one changed (ms) | peak memory, Press (MiB) | peak memory, floor (MiB) |`,
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.n} | ${f(r.cold.ms)} | ${f(r.floor.ms)} | ${(r.cold.ms / r.floor.ms).toFixed(2)} | ${f(r.noop.ms)} | ${f(r.one.ms)} | ${f(r.cold.peakMiB)} | ${f(r.floor.peakMiB)} |`,
  );
}
