// `make bench`: cold build, no-op rebuild, one-document-changed rebuild and peak memory (PSS of the
// whole process tree) of Press, against the floor (bench/floor.mjs), for N = 50 and 500, over two
// corpora: N briefings alone, and the mixed corpus of N briefings and N decks (each deck with its
// handout). Cold build and floor are the medians of BENCH_RUNS (default 3) alternating turns each;
// peak memory and the CPU seconds of Node and of Chromium come from one more turn of each, sampled
// (a sampled turn is slower).
// Also the time to the first PDF written (start-up), for Press and the floor alike.
// Prints Markdown tables; the figures in BENCHMARKS.md come from them.
//   BENCH_SIZES=50,500  BENCH_CORPORA=briefings,mixed  BENCH_RUNS=3
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { writeCorpus } from "./corpus.mjs";
import { samplePss } from "./memory.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const press = path.join(here, "..", "bin", "press.js");
const sizes = (process.env.BENCH_SIZES ?? "50,500").split(",").map(Number);
const corpora = (process.env.BENCH_CORPORA ?? "briefings,mixed").split(",");
for (const corpus of corpora) {
  if (corpus !== "briefings" && corpus !== "mixed") throw new Error(`BENCH_CORPORA: briefings or mixed, not ${corpus}`);
}
const concurrency = os.availableParallelism();
const runs = Number(process.env.BENCH_RUNS ?? 3);
const MIB = 1024;

/** When the first PDF appears under `dir` (written whole: Press and the floor rename it into place). */
function firstPdf(dir, started) {
  let at;
  const look = () => {
    if (at !== undefined) return;
    try {
      if (fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).some((f) => f.endsWith(".pdf")))
        at = Number(process.hrtime.bigint() - started) / 1e6;
    } catch {}
  };
  const timer = setInterval(look, 10);
  return () => {
    clearInterval(timer);
    return at ?? Number.NaN;
  };
}

/**
 * Run a command; its wall time in ms and the time to its first PDF (written under `watch`); with
 * `memory`, also the peak PSS of its whole process tree (Node and every Chromium process) and the
 * peak PSS of the Node process alone, in MiB, read from /proc/PID/smaps_rollup every 100 ms. Timed
 * runs are never sampled: reading smaps_rollup makes the kernel walk each process's page tables,
 * about 68 ms of CPU for Chromium's processes at each sample on the sixth session's machine, which
 * slowed the floor by about 45 % and Press by about 25 % (BENCHMARKS.md).
 */
function measure(args, cwd, watch, env = {}, { memory = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd,
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, SOURCE_DATE_EPOCH: "1767225600", CI: "1", ...env },
    });
    const sampler = memory
      ? samplePss(child.pid, 100)
      : { stop: () => ({ peak: Number.NaN, peakByRole: {}, cpuByRole: {} }) };
    const first = firstPdf(watch, started);
    child.on("error", reject);
    child.on("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const { peak, peakByRole, cpuByRole } = sampler.stop();
      const firstMs = first();
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}`));
      else resolve({ ms, firstMs, cpuByRole, pssMiB: peak / MIB, nodeMiB: (peakByRole.node ?? Number.NaN) / MIB });
    });
  });
}

const median = (results, key) => {
  const sorted = [...results].sort((a, b) => a[key] - b[key]);
  return sorted[Math.floor((sorted.length - 1) / 2)][key];
};

const rows = [];
for (const corpus of corpora) {
  for (const n of sizes) {
    const dir = path.join(os.tmpdir(), `press-bench-${corpus}-${n}`);
    writeCorpus(dir, n, { decks: corpus === "mixed" });
    const cold = (options) => {
      fs.rmSync(path.join(dir, "output"), { recursive: true, force: true });
      fs.rmSync(path.join(dir, ".press-cache"), { recursive: true, force: true });
      return measure([press, "build", "--reporter", "plain"], dir, path.join(dir, "output"), {}, options);
    };
    const floor = (options) => {
      const scratch = path.join(dir, "floor-pdfs");
      fs.rmSync(scratch, { recursive: true, force: true });
      const args = [path.join(here, "floor.mjs"), path.join(dir, "output"), String(concurrency)];
      return measure(args, dir, scratch, { BENCH_FLOOR_SCRATCH: scratch }, options);
    };
    const colds = [];
    const floors = [];
    for (let run = 0; run < runs; run++) {
      colds.push(await cold());
      floors.push(await floor());
    }
    // Memory in turns of their own, sampled (their times are not reported).
    const coldMemory = await cold({ memory: true });
    const floorMemory = await floor({ memory: true });
    const noop = await measure([press, "build", "--reporter", "plain"], dir, path.join(dir, "output"));
    fs.appendFileSync(path.join(dir, "content/briefings/b-1.md"), "\nOne more sentence for the changed document.\n");
    const one = await measure([press, "build", "--reporter", "plain"], dir, path.join(dir, "output"));
    const row = {
      corpus,
      n,
      cold: median(colds, "ms"),
      floor: median(floors, "ms"),
      first: median(colds, "firstMs"),
      floorFirst: median(floors, "firstMs"),
      noop: noop.ms,
      one: one.ms,
      pss: coldMemory.pssMiB,
      node: coldMemory.nodeMiB,
      floorPss: floorMemory.pssMiB,
      cpu: cpuSplit(coldMemory.cpuByRole),
      floorCpu: cpuSplit(floorMemory.cpuByRole),
    };
    rows.push(row);
    console.error(
      `${corpus} N=${n}: cold ${Math.round(row.cold)} ms, floor ${Math.round(row.floor)} ms, no-op ${Math.round(row.noop)} ms, one changed ${Math.round(row.one)} ms, first PDF ${Math.round(row.first)} ms (floor ${Math.round(row.floorFirst)} ms), peak PSS ${Math.round(row.pss)} MiB (Node ${Math.round(row.node)}), floor ${Math.round(row.floorPss)} MiB; CPU s: Press Node ${row.cpu.node.toFixed(1)}, Chromium ${row.cpu.chromium.toFixed(1)}; floor Node ${row.floorCpu.node.toFixed(1)}, Chromium ${row.floorCpu.chromium.toFixed(1)}`,
    );
  }
}

/** CPU seconds of Node's process and of all of Chromium's (every other role). */
function cpuSplit(byRole) {
  const node = byRole.node ?? 0;
  const all = Object.values(byRole).reduce((sum, seconds) => sum + seconds, 0);
  return { node, chromium: all - node };
}

const f = (x) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(1));
console.log(
  `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; page concurrency ${concurrency}; Node ${process.version}; ${runs} turns.`,
);
console.log("");
console.log(
  "| corpus | N | cold build (ms) | floor (ms) | Press / floor | no-op rebuild (ms) | one changed (ms) | peak PSS, Press (MiB) | of which Press's Node process | peak PSS, floor (MiB) | first PDF (ms) | floor's first PDF (ms) |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const label = r.corpus === "mixed" ? `${r.n} briefings + ${r.n} decks` : `${r.n} briefings`;
  console.log(
    `| ${label} | ${r.n} | ${f(r.cold)} | ${f(r.floor)} | ${(r.cold / r.floor).toFixed(2)} | ${f(r.noop)} | ${f(r.one)} | ${f(r.pss)} | ${f(r.node)} | ${f(r.floorPss)} | ${f(r.first)} | ${f(r.floorFirst)} |`,
  );
}
// Where the time goes: on a machine whose cores the floor alone keeps busy, a build's time follows
// the CPU of its whole tree, and Press's own (Node's) CPU comes on top of Chromium's.
console.log("");
console.log("CPU seconds, from the sampled turns (each process's last reading, every 100 ms, from /proc/PID/stat):");
console.log("");
console.log(
  "| corpus | Press: Node | Press: Chromium | Press: all | floor: Node | floor: Chromium | floor: all | Press / floor, CPU |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  const label = r.corpus === "mixed" ? `${r.n} briefings + ${r.n} decks` : `${r.n} briefings`;
  const press = r.cpu.node + r.cpu.chromium;
  const floor = r.floorCpu.node + r.floorCpu.chromium;
  console.log(
    `| ${label} | ${f(r.cpu.node)} | ${f(r.cpu.chromium)} | ${f(press)} | ${f(r.floorCpu.node)} | ${f(r.floorCpu.chromium)} | ${f(floor)} | ${(press / floor).toFixed(2)} |`,
  );
}
