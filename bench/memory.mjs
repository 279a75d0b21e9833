// Memory of a process tree, for the benchmarks: PSS (proportional set size, from
// /proc/PID/smaps_rollup) summed over a process and all its descendants, so that pages Chromium's
// processes share are counted once in all, not once in each as RSS would count them.
import fs from "node:fs";

/** The pids of `root` and every process below it. */
export function processTree(root) {
  const children = new Map();
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name, in parentheses, may hold spaces: the fields after its closing one are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  const tree = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** PSS of one process in KiB (0 when it has gone). */
export function pss(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    return Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** What a process is, for a breakdown: node, or Chromium's browser, renderer, GPU or utility process. */
export function role(pid) {
  try {
    // Chromium rewrites its processes' command lines with spaces between the arguments.
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/);
    const type = args.find((a) => a.startsWith("--type="))?.slice(7);
    if (type) return type;
    return /node$/.test(args[0] ?? "") ? "node" : "browser";
  } catch {
    return "gone";
  }
}

/**
 * Sample a process tree every `interval` ms until `stop()`; returns the peak total PSS and the
 * peak of each role (not necessarily at the same moment) in KiB, and the CPU seconds of each role:
 * each process's last reading, up to `interval` ms short of its end. (Not the children's times
 * the kernel adds to a parent that reaps them: Chromium's renderers are not reaped into them.)
 */
export function samplePss(root, interval = 100) {
  let peak = 0;
  const peakByRole = {};
  /** pid → [role, CPU seconds at the last reading]. */
  const cpu = new Map();
  const sample = () => {
    let total = 0;
    const byRole = {};
    for (const pid of processTree(root)) {
      const r = role(pid);
      if (r === "gone") continue;
      const kib = pss(pid);
      total += kib;
      byRole[r] = (byRole[r] ?? 0) + kib;
      // The role first seen: a process on its way out has an empty command line, and would read as the browser.
      const [first, seconds] = cpu.get(pid) ?? [r, 0];
      cpu.set(pid, [first, Math.max(seconds, cpuSeconds(pid))]);
    }
    peak = Math.max(peak, total);
    for (const [r, kib] of Object.entries(byRole)) peakByRole[r] = Math.max(peakByRole[r] ?? 0, kib);
  };
  const timer = setInterval(sample, interval);
  return {
    stop: () => {
      clearInterval(timer);
      const cpuByRole = {};
      for (const [r, seconds] of cpu.values()) cpuByRole[r] = (cpuByRole[r] ?? 0) + seconds;
      return { peak, peakByRole, cpuByRole };
    },
  };
}

/** Clock ticks a second, for /proc's CPU times (USER_HZ: 100 on every Linux that Node runs on). */
const TICKS = 100;

/** CPU seconds a process has used so far, all its threads (utime and stime); 0 when it has gone. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}
