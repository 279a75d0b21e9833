/**
 * The build's CPU work that needs no browser (parsing Markdown, finishing printed PDFs), done in
 * worker threads when there is enough of it, so that Press's main thread stays free to keep the
 * browser's pages busy, and to start the browser: the workers start at once, beside it. With few
 * documents, or where the compiled worker is absent (the test suite runs the TypeScript sources),
 * the same functions run in the main thread.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { BuildConfig } from "../config.js";
import type { Source } from "../document.js";
import { PACKAGE_ROOT } from "../package-root.js";
import type { FinishedPdf, FinishRequest } from "../pdf/finish.js";
import type { PreparedDocument, PrepareStage } from "../prepare.js";
import { DiagnosticError, diagnostic } from "../report/diagnostic.js";
import { trace } from "../report/trace.js";
import { TemplateEngine } from "../template/engine.js";

export interface Offload {
  prepare(source: Source): Promise<PreparedDocument>;
  finishPdf(request: FinishRequest): Promise<FinishedPdf>;
  close(): Promise<void>;
}

/**
 * A worker's young generation: parsing and finishing make many short-lived objects, and the more
 * room for them the less often the worker collects. 32 MB, not the 64 it was: the young generation
 * grows to its limit only over a long build, so its size was most of what Press's Node process grew
 * by between 50 and 500 documents (peak 267 → 387 MiB with 64, 252 → 313 with 32), for no
 * measurable CPU (50 bench briefings, three turns each: Press's Node CPU 6.5 s with 64, 6.3 with
 * 32, 7.0 with 16). BENCHMARKS.md, ninth session.
 */
const YOUNG_GENERATION_MB = 32;

/** Documents a worker is started for (one at least: only a worker's parse can be stopped at its deadline). */
const DOCUMENTS_PER_WORKER = 4;

/**
 * The worker's module: the bundle beside this code when this code is the bundle (dist/bundle/press.mjs,
 * as bin/press.js runs it), otherwise worker.js beside offload.js.
 */
const BUNDLED_WORKER = fileURLToPath(new URL("./press-worker.mjs", import.meta.url));
const WORKER_FILE = fs.existsSync(BUNDLED_WORKER)
  ? BUNDLED_WORKER
  : fileURLToPath(new URL("./worker.js", import.meta.url));

/**
 * Workers for `documents` documents: as many as the cores the browser leaves, one at least. Only
 * where the compiled worker is absent (the test suite runs the TypeScript sources) does the main
 * thread work, and then no deadline can stop a parse.
 */
export function createOffload(config: BuildConfig, documents: number, engine: TemplateEngine): Offload {
  const size = Math.min(Math.max(1, os.availableParallelism() - 1), Math.ceil(documents / DOCUMENTS_PER_WORKER));
  if (!fs.existsSync(WORKER_FILE)) return inProcess(config, engine);
  return new WorkerPool(config, Math.max(1, size), engine);
}

/** How long a source may take before the browser: the configured limit, longer in proportion past 256 KiB. */
export function prepareDeadline(config: Pick<BuildConfig, "parseTimeout">, source: Source): number {
  return Math.round(config.parseTimeout * Math.max(1, Buffer.byteLength(source.text) / (256 * 1024)));
}

/** A document stopped at its deadline, named by the stage it was in. */
function deadlineError(source: Source, stage: PrepareStage, milliseconds: number): DiagnosticError {
  const limit = `${Math.round(milliseconds / 100) / 10} s`;
  return new DiagnosticError(
    diagnostic(
      source.displayPath,
      { line: 1, column: 1 },
      "error",
      "limits/time",
      `${stage} took more than ${limit}; the document was stopped`,
      "look for a long run of * _ [ ] or < (a pasted table or log, say); --parse-timeout SECONDS allows more",
    ),
  );
}

export function inProcess(
  config: BuildConfig,
  engine = new TemplateEngine(config.templateDirs),
  onStage?: (stage: PrepareStage) => void,
): Offload {
  // One document parsed at a time, in the order asked, as a worker would: the first is ready soonest.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    prepare: (source) => {
      const prepared = previous.then(async () => {
        // Loaded on first use: a build with nothing to parse never loads the Markdown pipeline.
        const { prepareDocument } = await import("../prepare.js");
        return prepareDocument(source, config, engine, onStage);
      });
      previous = prepared.catch(() => undefined);
      return prepared;
    },
    finishPdf: async (request) => (await import("../pdf/finish.js")).finishPrintedPdf(request),
    close: async () => undefined,
  };
}

/**
 * The memory of bytes that have it to themselves, to be moved to another thread instead of copied
 * (not a slice of a shared pool, which moving would take from everything else in it).
 */
export function ownBuffer(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
    ? [buffer]
    : [];
}

/** A task done by `work`, in whichever thread holds it. */
export function perform(work: Offload, task: Task): Promise<PreparedDocument | FinishedPdf> {
  return task.kind === "prepare" ? work.prepare(task.source) : work.finishPdf(task.request);
}

export type Task = { kind: "prepare"; source: Source } | { kind: "finish"; request: FinishRequest };
export type Reply = { value: unknown } | { error: { message: string; stack?: string } } | { stage: PrepareStage };
/** What a worker says once it has loaded what it needs, before any reply. */
export const READY = "ready";

interface Pending {
  task: Task;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** The stage a document being prepared is in, as its worker last said. */
  stage?: PrepareStage;
  /** Stops the worker when a document's preparation passes its deadline. */
  deadline?: NodeJS.Timeout;
}

class WorkerPool implements Offload {
  /** Workers that have said they are ready and have nothing to do. */
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  /** Workers still loading. */
  private readonly starting = new Set<Worker>();
  private readonly queue: Pending[] = [];
  private started = 0;
  private ready = 0;
  /** Workers that died; after a few, the main thread does the work alone. */
  private failures = 0;
  /** Workers stopped at a document's deadline: replaced, and not counted as failures. */
  private readonly stopped = new WeakSet<Worker>();
  private closed = false;
  /** If every worker dies, the main thread takes the tasks itself, one at a time. */
  private readonly local: Offload;
  private localBusy = false;

  constructor(
    private readonly config: BuildConfig,
    private readonly size: number,
    engine: TemplateEngine,
  ) {
    this.local = inProcess(config, engine);
    // At once: the main thread does not parse while the browser starts (a parse holds its event
    // loop for a few hundred milliseconds, and the browser's start waits on it for every message).
    while (this.started < this.size) this.spawn();
  }

  /** Only when no worker is left: otherwise the main thread has the browser's pages to keep busy. */
  private mainMayWork(): boolean {
    return this.ready === 0 && this.starting.size === 0;
  }

  prepare(source: Source): Promise<PreparedDocument> {
    return this.run({ kind: "prepare", source }) as Promise<PreparedDocument>;
  }

  finishPdf(request: FinishRequest): Promise<FinishedPdf> {
    // First in the queue: a page of the browser waits on it.
    return this.run({ kind: "finish", request }, true) as Promise<FinishedPdf>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.idle, ...this.busy.keys(), ...this.starting];
    this.idle.length = 0;
    for (const pending of [...this.busy.values(), ...this.queue.splice(0)]) {
      pending.reject(new Error("the build's workers were closed"));
    }
    this.busy.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private run(task: Task, urgent = false): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error("the build's workers were closed"));
    return new Promise((resolve, reject) => {
      if (urgent) this.queue.unshift({ task, resolve, reject });
      else this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop();
      if (worker) {
        const pending = this.queue.shift() as Pending;
        this.busy.set(worker, pending);
        if (pending.task.kind === "prepare") this.watchDeadline(worker, pending, pending.task.source);
        // A busy worker keeps Press running; an idle one does not.
        worker.ref();
        worker.postMessage(pending.task, pending.task.kind === "finish" ? ownBuffer(pending.task.request.pdf) : []);
      } else {
        // A worker that died is replaced, a few times at most.
        if (this.started < this.size && this.failures < 3) this.spawn();
        if (!this.mainMayWork() || this.localBusy) return;
        this.runLocally(this.queue.shift() as Pending);
      }
    }
  }

  /** A worker still preparing `source` when its deadline passes is stopped; another takes its place. */
  private watchDeadline(worker: Worker, pending: Pending, source: Source): void {
    const milliseconds = prepareDeadline(this.config, source);
    pending.deadline = setTimeout(() => {
      if (this.busy.get(worker) !== pending) return;
      trace("deadline", `${source.displayPath} ${pending.stage ?? ""}`);
      this.busy.delete(worker);
      this.stopped.add(worker);
      pending.reject(deadlineError(source, pending.stage ?? "checking limits", milliseconds));
      void worker.terminate();
    }, milliseconds);
  }

  private runLocally(pending: Pending): void {
    this.localBusy = true;
    perform(this.local, pending.task)
      .then(pending.resolve, pending.reject)
      .finally(() => {
        // On the next turn of the event loop, not at once: parsing never waits on anything else,
        // so chained straight on it would starve every other message.
        setImmediate(() => {
          this.localBusy = false;
          if (!this.closed) this.dispatch();
        });
      });
  }

  private spawn(): void {
    this.started++;
    const worker = new Worker(WORKER_FILE, {
      workerData: { config: this.config },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.starting.add(worker);
    worker.on("message", (reply: Reply | typeof READY) => {
      // A worker stopped at a deadline may still have said something on its way out.
      if (this.stopped.has(worker)) return;
      if (reply === READY) {
        trace("worker ready", path.relative(PACKAGE_ROOT, WORKER_FILE));
        this.starting.delete(worker);
        this.ready++;
      } else if ("stage" in reply) {
        const pending = this.busy.get(worker);
        if (pending) pending.stage = reply.stage;
        return;
      } else {
        const pending = this.busy.get(worker);
        this.busy.delete(worker);
        clearTimeout(pending?.deadline);
        if (pending) {
          if ("error" in reply)
            pending.reject(Object.assign(new Error(reply.error.message), { stack: reply.error.stack }));
          else pending.resolve(reply.value);
        }
      }
      worker.unref();
      if (!this.closed) {
        this.idle.push(worker);
        this.dispatch();
      }
    });
    // A worker that dies (out of memory, say) fails the task it had; another takes its place.
    let gone = false;
    const lost = (error: Error) => {
      if (gone || this.closed) return;
      gone = true;
      const deliberate = this.stopped.has(worker);
      if (!deliberate) trace("worker lost", error.message);
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      if (!this.starting.delete(worker)) this.ready--;
      this.started--;
      if (!deliberate) this.failures++;
      clearTimeout(pending?.deadline);
      pending?.reject(error);
      if (!this.closed) this.dispatch();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`a build worker stopped (exit code ${code})`)));
  }
}
