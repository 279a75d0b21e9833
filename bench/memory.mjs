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

/** PSS of the whole tree in KiB, and by role. */
export function treePss(root) {
  let total = 0;
  const byRole = {};
  for (const pid of processTree(root)) {
    const kib = pss(pid);
    total += kib;
    const r = role(pid);
    byRole[r] = (byRole[r] ?? 0) + kib;
  }
  return { total, byRole };
}

/**
 * Sample a process tree every `interval` ms until `stop()`; returns the peak total PSS and the
 * peak of each role (not necessarily at the same moment) in KiB.
 */
export function samplePss(root, interval = 100) {
  let peak = 0;
  const peakByRole = {};
  const sample = () => {
    const { total, byRole } = treePss(root);
    peak = Math.max(peak, total);
    for (const [r, kib] of Object.entries(byRole)) peakByRole[r] = Math.max(peakByRole[r] ?? 0, kib);
  };
  const timer = setInterval(sample, interval);
  return {
    stop: () => {
      clearInterval(timer);
      return { peak, peakByRole };
    },
  };
}
