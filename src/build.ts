/**
 * A build: for each input, the cache is asked first; a document that changed goes
 * load → parse → transform → template (no browser), then renders through the build's one browser,
 * which is launched on first use and so never when nothing needs rendering. A document that
 * fails is reported and the others still build; nothing is written for it.
 */
import fs from "node:fs";
import path from "node:path";
import { type BuildConfig, ConfigError, packageVersion, pressCodeHash } from "./config.js";
import type { DocumentKind, PressDocument, Source } from "./document.js";
import { briefing } from "./kinds/briefing.js";
import { slides } from "./kinds/slides.js";
import type { Kind, KindContext, PrintCounts } from "./kinds/types.js";
import { discoverInputs, type Input } from "./load/discover.js";
import { readSource } from "./load/read.js";
import { selectShard } from "./load/shard.js";
import { createOffload, inProcess, type Offload } from "./offload/offload.js";
import { frontMatterFails } from "./parse/front-matter.js";
import type { PreparedDocument } from "./prepare.js";
import { type BrowserSession, lazyBrowser } from "./render/browser.js";
import { BrowserNotFoundError } from "./render/find-browser.js";
import { type Diagnostic, diagnostic } from "./report/diagnostic.js";
import { toDiagnostic } from "./report/to-diagnostic.js";
import { trace } from "./report/trace.js";
import { TemplateEngine, TemplateSyntaxError } from "./template/engine.js";
import { fontFaces } from "./template/fonts.js";
import { localeFiles } from "./template/labels.js";
import { templateCandidates } from "./template/layers.js";
import { themeFiles, themeFontPackages } from "./template/theme.js";
import { describeFsError, removeLeftovers, writeFileAtomicAsync } from "./write/atomic.js";
import { BuildCache, type CachedOutput, type CacheRecord, type DocumentSummary, sha256 } from "./write/cache.js";

export { selectShard } from "./load/shard.js";

export type DocumentStatus = "built" | "cached" | "failed";

export interface DocumentReport {
  source: string;
  status: DocumentStatus;
  outputs: CachedOutput[];
  summary: DocumentSummary | null;
  milliseconds: number;
  diagnostics: Diagnostic[];
  /** What Chromium printed for it, and how many times (nothing for a document from the cache). */
  prints: PrintCounts;
}

export interface BuildReport {
  documents: DocumentReport[];
  ok: boolean;
  /** Whether a browser was started. */
  browserStarted: boolean;
  milliseconds: number;
  /** Outputs removed because their source is gone (renamed or deleted), unchanged since Press wrote them. */
  removed: string[];
  /** What was said of the inputs rather than of a document (a broken link passed over, names differing only in case). */
  diagnostics: Diagnostic[];
}

export interface BuildHooks {
  /** Called once the inputs are known. */
  onStart?: (total: number) => void;
  /** Called when a document moves to a stage. */
  onStage?: (source: string, stage: "parse" | "render") => void;
  /** Called as each document finishes. */
  onDocument?: (report: DocumentReport) => void;
}

const KINDS: Record<DocumentKind, Kind> = { briefing, slides };

export interface SharedResources {
  /** A browser that outlives the build (watch mode): the build uses it and leaves it open. */
  browser?: () => Promise<BrowserSession>;
  /** Workers that outlive the build (watch mode), so that a rebuild does not wait for new ones to load. */
  offload?: () => Offload;
}

export async function build(
  config: BuildConfig,
  hooks: BuildHooks = {},
  shared: SharedResources = {},
): Promise<BuildReport> {
  const started = Date.now();
  removeLeftovers(config.outDir);
  const said: Diagnostic[] = [];
  const inputs = selectShard(discoverInputs(config.inputs, config.contentDir, config.cwd, said), config);
  if (inputs.length > 0) ensureWritable(config.outDir, config.cwd);
  hooks.onStart?.(inputs.length);
  const engine = new TemplateEngine(config.templateDirs);
  const cache = BuildCache.open(config.root);
  const removed = config.preview ? [] : removeOrphans(cache, config);
  const writers = outputWriters(cache, config);
  const own = lazyBrowser(config.concurrency);
  let browserStarted = false;
  const context: KindContext = {
    config,
    engine,
    generator: `Press ${packageVersion()}`,
    browser: config.formats.has("pdf")
      ? () => {
          browserStarted = true;
          return (shared.browser ?? own.get)();
        }
      : undefined,
    offload: inProcess(config, engine),
  };
  // A preview is judged against the records of full builds, and records nothing itself.
  const options = optionsKey(config.preview ? { ...config, formats: new Set(["html", "pdf"]) } : config);
  const record = !config.preview;
  const reports: DocumentReport[] = [];
  const finish = (report: DocumentReport) => {
    reports.push(report);
    hooks.onDocument?.(report);
  };
  const newReport = (input: Input): DocumentReport => ({
    source: input.displayPath,
    status: "built",
    outputs: [],
    summary: null,
    milliseconds: 0,
    diagnostics: [],
    prints: {},
  });

  // First what the cache already holds; then the rest, parsed (in workers when there are enough)
  // and rendered as each is ready: parsing never waits on the browser.
  // A document to build is read again when its turn comes: holding every source's text until then
  // would make the build's memory grow with the number of documents.
  const todo: { input: Input; id: string }[] = [];
  for (const input of inputs) {
    const begun = Date.now();
    const id = cacheId(input, config);
    try {
      const cached = config.force ? undefined : cache.fresh(id, readSource(input).text, options);
      if (!cached || (config.strict && !strictEnough(cached))) {
        todo.push({ input, id });
        continue;
      }
      const report = newReport(input);
      finish({
        ...report,
        status: "cached",
        outputs: cached.outputs,
        summary: cached.summary,
        diagnostics: (cached.diagnostics ?? []).map((d) => (d.file === "" ? { ...d, file: input.displayPath } : d)),
        milliseconds: Date.now() - begun,
      });
    } catch (error) {
      const report = newReport(input);
      report.diagnostics.push(toDiagnostic(error, input.displayPath, config.debug));
      cache.delete(id);
      finish(failed(report, begun));
    }
  }

  const buildOne = async ({ input, id }: (typeof todo)[number]): Promise<void> => {
    const begun = Date.now();
    const report = newReport(input);
    // The document's own problems are diagnostics already; what is thrown is a failed worker or
    // the project's set-up (a font package named but not installed, say), reported with the document.
    const fail = (error?: unknown) => {
      if (error !== undefined) report.diagnostics.push(toDiagnostic(error, input.displayPath, config.debug));
      cache.delete(id);
      finish(failed(report, begun));
    };
    trace("parse", input.displayPath);
    hooks.onStage?.(input.displayPath, "parse");
    let source: Source;
    let prepared: PreparedDocument;
    try {
      source = readSource(input);
      prepared = await context.offload.prepare(source);
    } catch (error) {
      return fail(error);
    }
    report.diagnostics.push(...prepared.diagnostics);
    report.summary = prepared.document ? summarise(prepared.document) : null;
    const document = prepared.document;
    if (!document || prepared.diagnostics.some((d) => d.severity === "error")) return fail();
    const kind = KINDS[document.meta.kind];
    let dependencies: string[];
    try {
      dependencies = [
        ...document.assets,
        ...kind.dependencies(document, context),
        ...sharedDependencies(config, document),
      ];
    } catch (error) {
      return fail(error);
    }
    hooks.onStage?.(input.displayPath, "render");
    trace("parsed", input.displayPath);
    const done = await produce(document, kind, context, report, begun);
    const overwritten = done.status === "built" ? overwrites(done, id, writers, cache, config) : [];
    done.diagnostics.push(...overwritten);
    if (record && done.status === "built") {
      const key = cache.key(source.text, dependencies, options);
      cache.set(id, {
        key,
        dependencies,
        outputs: done.outputs,
        summary: done.summary ?? summarise(document),
        // The source's own path is kept blank and filled in when said again: the next build may
        // run from another folder, which names the source otherwise.
        diagnostics: done.diagnostics
          .filter((d) => d.rule !== OVERWRITE)
          .map((d) => (d.file === input.displayPath ? { ...d, file: "" } : d)),
        strict: config.strict,
      });
    } else if (record) {
      cache.delete(id);
    }
    trace(done.status, input.displayPath);
    finish(done);
  };

  let building: Promise<void>[] = [];
  try {
    trace("build", `${todo.length} to build, ${inputs.length - todo.length} up to date`);
    if (todo.length > 0) {
      context.offload = shared.offload?.() ?? createOffload(config, todo.length, engine);
    }
    // The browser starts beside the workers (a failure to start surfaces from the first document
    // that asks for it), but not for a build in which no document can reach rendering.
    if (todo.some(({ input }) => mayRender(input))) {
      context.browser?.().then(
        () => trace("browser ready"),
        () => undefined,
      );
    }
    // A page's worth of documents parsed ahead of the pages, not more: parsing them all at once
    // would take the cores the browser needs to start, and gain nothing later, when the pages
    // set the pace.
    const admitted = admit(config.concurrency * 2);
    // Taken out of `todo`: each document is then let go of as soon as it is built.
    building = todo.splice(0).map((item) => admitted(() => buildOne(item)));
    await Promise.all(building);
  } finally {
    await Promise.all(building.map((p) => p.catch(() => undefined)));
    if (!shared.offload) await context.offload.close();
    await own.close();
    cache.save();
  }
  reports.sort((a, b) => a.source.localeCompare(b.source));
  return {
    documents: reports,
    ok: reports.every((r) => r.status !== "failed"),
    browserStarted,
    milliseconds: Date.now() - started,
    removed,
    diagnostics: said,
  };
}

/**
 * The outputs of sources that are gone (a source renamed or deleted since it was built into this
 * output folder), removed with their records, so that a reader or a watch's index never takes a
 * stale file for a current one. Only a file still as Press wrote it is removed (its checksum): one
 * changed since is left where it is.
 */
function removeOrphans(cache: BuildCache, config: BuildConfig): string[] {
  const removed: string[] = [];
  for (const [id, record] of cache.recordsOf(`${path.relative(config.root, config.outDir)}::`)) {
    const source = id.split("::")[1] ?? "";
    if (!source || fs.existsSync(path.join(config.root, source))) continue;
    for (const output of record.outputs) {
      if (cache.hashFile(output.path, false) !== output.sha256) continue;
      try {
        fs.rmSync(output.path, { force: true });
        removed.push(output.path);
      } catch {
        // One Press cannot remove (its folder made read-only) stays: the build is not stopped for it.
      }
    }
    cache.delete(id);
  }
  return removed;
}

const OVERWRITE = "build/overwrite";

/**
 * Which source each output of the folder was last written from, by the cache's records (sources
 * still there: the outputs of those gone are removed above).
 */
function outputWriters(cache: BuildCache, config: BuildConfig): Map<string, { id: string; source: string }> {
  const writers = new Map<string, { id: string; source: string }>();
  for (const [id, record] of cache.recordsOf(`${path.relative(config.root, config.outDir)}::`)) {
    const source = id.split("::")[1] ?? "";
    for (const output of record.outputs) writers.set(output.path, { id, source });
  }
  return writers;
}

/**
 * An output last written from another source (`content/guide/README.md` built, then `press build
 * docs` with its own guide/README.md): said, since one document's output silently took the other's
 * place. Refused within one build (discover.ts); across two it can only be said.
 */
function overwrites(
  done: DocumentReport,
  id: string,
  writers: Map<string, { id: string; source: string }>,
  cache: BuildCache,
  config: BuildConfig,
): Diagnostic[] {
  const said: Diagnostic[] = [];
  for (const output of done.outputs) {
    const writer = writers.get(output.path);
    if (!writer || writer.id === id || writer.source === done.source) continue;
    writers.set(output.path, { id, source: done.source });
    cache.delete(writer.id);
    said.push(
      diagnostic(
        done.source,
        undefined,
        "warning",
        OVERWRITE,
        `${path.relative(config.cwd, output.path)} was written from ${writer.source} by an earlier build, and now from this document`,
        "build each to an --out folder of its own, or rename one of them",
      ),
    );
  }
  return said;
}

/**
 * The output folder, made if need be, and written to once before any document is built: a folder
 * Press cannot write to is one line (exit 2), not the same error for every document.
 */
function ensureWritable(outDir: string, cwd: string): void {
  const probe = path.join(outDir, `.press-probe-${process.pid}`);
  try {
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(probe, "");
    fs.rmSync(probe, { force: true });
  } catch (error) {
    throw new ConfigError(`cannot write to ${path.relative(cwd, outDir) || outDir}: ${describeFsError(error)}`);
  }
}

/** Whether a document may reach rendering: it reads, and its front matter alone does not fail it. */
function mayRender(input: Input): boolean {
  try {
    return !frontMatterFails(readSource(input));
  } catch {
    return false;
  }
}

/** Runs the tasks it is given, at most `limit` at a time, in the order given. */
function admit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < limit) running++;
    // A task that ends hands its place straight to the next one waiting.
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** Render one document and write what it produced; never throws. */
async function produce(
  document: PressDocument,
  kind: Kind,
  context: KindContext,
  report: DocumentReport,
  begun: number,
): Promise<DocumentReport> {
  try {
    const produced = await produceWithRetry(document, kind, context, report);
    report.diagnostics.push(...produced.diagnostics);
    report.prints = produced.prints;
    if (report.diagnostics.some((d) => d.severity === "error")) return failed(report, begun);
    for (const artefact of produced.artefacts) {
      await writeFileAtomicAsync(artefact.path, artefact.data);
      report.outputs.push({
        path: artefact.path,
        sha256: sha256(artefact.data),
        kind: artefact.kind,
        format: artefact.format,
        bytes: Buffer.byteLength(artefact.data),
        pages: artefact.pages,
      });
    }
    return { ...report, milliseconds: Date.now() - begun };
  } catch (error) {
    if (error instanceof BrowserNotFoundError || error instanceof TemplateSyntaxError) throw error;
    report.diagnostics.push(
      toDiagnostic(timeLimitError(error, context.config.timeout), document.source.displayPath, context.config.debug),
    );
    return failed(report, begun);
  }
}

/** A browser that crashed or a page that hung: restart the browser and try the document once more. */
async function produceWithRetry(document: PressDocument, kind: Kind, context: KindContext, report: DocumentReport) {
  try {
    return await kind.produce(document, context);
  } catch (error) {
    if (!context.browser || !isBrowserFailure(error)) throw error;
    const reason = (error as Error).message.split("\n")[0];
    report.diagnostics.push(
      diagnostic(
        document.source.displayPath,
        undefined,
        "warning",
        "browser/retry",
        `the browser failed (${reason}); restarted it and tried again`,
      ),
    );
    await (await context.browser()).restart();
    return kind.produce(document, context);
  }
}

/** Puppeteer's timeouts say how long they waited, not what the limit was or how to change it. */
function timeLimitError(error: unknown, timeout: number): unknown {
  if (!(error instanceof Error) || error.name !== "TimeoutError") return error;
  const limit = timeout >= 1000 ? `${timeout / 1000} s` : `${timeout} ms`;
  return new Error(`rendering did not finish within the time limit of ${limit} (--timeout SECONDS to change it)`);
}

function isBrowserFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    ["TimeoutError", "ProtocolError", "TargetCloseError"].includes(error.name) ||
    /target closed|session closed|connection closed|detached|crashed|browser has disconnected/i.test(error.message)
  );
}

/** Files every document depends on: the locale files and the fonts. */
function sharedDependencies(config: BuildConfig, document: PressDocument): string[] {
  return [
    ...localeFiles(config.templateDirs, document.meta.lang),
    ...templateCandidates(config.templateDirs, "fonts.yaml"),
    ...fontFaces(config.templateDirs, themeFontPackages(config.theme)).files,
    ...themeFiles(config.theme),
    path.join(config.root, "press.config.yaml"),
  ];
}

/** Everything besides the files that changes what a build writes. */
function optionsKey(config: BuildConfig): string {
  return JSON.stringify({
    press: pressCodeHash(),
    templates: config.templateDirs,
    formats: [...config.formats].sort(),
    handout: config.handout ?? null,
    // Not `strict`: it makes warnings errors and changes no output, so a record of a build without
    // it that gave no warning stands for a strict build too (strictEnough): `press release` right
    // after `press build` rebuilt every document.
    // A fixed date (SOURCE_DATE_EPOCH, the last commit) is written into the PDFs; "now" is not worth a rebuild.
    date: config.dateIsFixed ? config.buildDate.toISOString() : null,
  });
}

/** Whether a record stands for a strict build: made by one, or by one that gave no warning to make an error. */
function strictEnough(record: CacheRecord): boolean {
  return record.strict === true || record.diagnostics?.every((d) => d.severity !== "warning") === true;
}

/**
 * A record is of one source built to one place: the output folder and the path below it, which
 * depends on how the source was named (`papers/a/x.md` named itself goes to `x.html`, through
 * `papers` to `a/x.html`). Kept by source alone, a record of one place answered for the other,
 * "up to date" with the file missing or older there.
 */
function cacheId(input: Input, config: BuildConfig): string {
  return `${path.relative(config.root, config.outDir)}::${path.relative(config.root, input.path)}::${input.outputStem}`;
}

function summarise(document: PressDocument): DocumentSummary {
  const { meta } = document;
  return { title: meta.title, kind: meta.kind, classification: meta.classification, lang: meta.lang, date: meta.date };
}

function failed(report: DocumentReport, begun: number): DocumentReport {
  return { ...report, status: "failed", outputs: [], milliseconds: Date.now() - begun };
}
