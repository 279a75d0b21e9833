/** A build worker: runs the tasks of offload.ts it is sent, one at a time, and answers each. */
import { parentPort, workerData } from "node:worker_threads";
import type { BuildConfig } from "../config.js";
import type { Offload, Reply, Task } from "./offload.js";
import { inProcess, ownBuffer, perform, READY } from "./offload.js";

// Each stage a document enters is told to the main thread, which names it if the deadline passes.
const work: Offload = inProcess((workerData as { config: BuildConfig }).config, undefined, (stage) =>
  parentPort?.postMessage({ stage } satisfies Reply),
);
// The Markdown pipeline loaded before saying so: until then the main thread parses in its place.
await import("../prepare.js");
parentPort?.postMessage(READY);

parentPort?.on("message", async (task: Task) => {
  let reply: Reply;
  let transfer: ArrayBuffer[] = [];
  try {
    const value = await perform(work, task);
    // A finished PDF moves to the main thread rather than being copied.
    if ("pdf" in value) transfer = ownBuffer(value.pdf);
    reply = { value };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    reply = { error: { message: failure.message, stack: failure.stack } };
  }
  parentPort?.postMessage(reply, transfer);
});
