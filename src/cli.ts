/** The command line: arguments → config → build (or browser set-up). Exit codes: 0, 1, 2. */

import fs from "node:fs";
import path from "node:path";
import { type BuildReport, build } from "./build.js";
import {
  commandHelp,
  generalHelp,
  isCommand,
  type ParsedCommand,
  parseCommandLine,
  suggestCommand,
  UsageError,
} from "./cli/usage.js";
import { ConfigError, packageVersion, resolveConfig } from "./config.js";
import { InputError } from "./load/discover.js";
import type { Manifest } from "./release/manifest.js";
import { catalogueName, mergeRelease, release } from "./release/release.js";
import { closeAllSessions } from "./render/browser.js";
import { ensureBrowser } from "./render/ensure-browser.js";
import { BrowserNotFoundError, findBrowser } from "./render/find-browser.js";
import { counted, formatDiagnostic, githubAnnotation } from "./report/diagnostic.js";
import {
  createReporter,
  diagnosticLines,
  type Reporter,
  type ReporterName,
  underGitHubActions,
} from "./report/reporters.js";
import { didYouMean } from "./report/suggest.js";
import { TemplateSyntaxError } from "./template/engine.js";
import { watch } from "./watch.js";

export async function main(argv: string[]): Promise<number> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message);
    throw error;
  }
  const { command, positionals: rest, values } = parsed;
  if (values.version) {
    console.log(packageVersion());
    return 0;
  }
  if (!command) {
    console.log(generalHelp());
    return values.help ? 0 : 2;
  }
  if (values.help) {
    console.log(commandHelp(command));
    return 0;
  }
  try {
    switch (command) {
      case "build":
        return await runBuild(rest, values);
      case "release":
        return await runRelease(rest, values);
      case "check":
        return await runCheck(rest, values);
      case "watch":
        return await runWatch(rest, values);
      case "browser":
        return await runBrowser(values.install === true);
      case "init":
        return await runInit(rest, values);
      case "eject":
        return await runEject(rest, values);
      case "help":
        return runHelp(rest);
    }
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof InputError ||
      error instanceof BrowserNotFoundError ||
      error instanceof TemplateSyntaxError
    ) {
      // A mistake at a place in a file is said as the documents' are, `file:line:column: error: …`,
      // the form editors and CI problem matchers read: no prefix before it.
      console.error(/^\S[^\n]*?:\d+:\d+: /.test(error.message) ? error.message : `press: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

type Values = ParsedCommand["values"];

const text = (value: string | boolean | undefined): string | undefined =>
  typeof value === "string" ? value : undefined;
const flag = (value: string | boolean | undefined): boolean | undefined =>
  typeof value === "boolean" ? value : undefined;

function buildConfig(inputs: string[], values: Values) {
  return resolveConfig({
    inputs,
    out: text(values.out),
    formats: text(values.format),
    concurrency: text(values.concurrency),
    debug: flag(values.debug),
    handout: text(values.handout),
    strict: flag(values.strict),
    force: flag(values.force),
    shard: text(values.shard),
    timeout: text(values.timeout),
    name: text(values.name),
    parseTimeout: text(values["parse-timeout"]),
  });
}

const REPORTERS = ["plain", "json", "github"] as const;

function reporterName(value: string | boolean | undefined): ReporterName {
  if (value === undefined) return "auto";
  const known = REPORTERS.find((name) => name === value);
  if (known) return known;
  throw new ConfigError(
    `--reporter takes ${REPORTERS.join(", ")} (got "${value}")${didYouMean(String(value), REPORTERS)}`,
  );
}

/** The exit code of the signal that is stopping Press (130 for SIGINT, 143 for SIGTERM), if one is. */
let signalled: number | undefined;

/**
 * SIGINT and SIGTERM close the browser before Press exits with 130 or 143. The documents still in
 * the browser then fail; that is the cancellation, not their failure, and is not reported.
 */
function exitOnSignals(): void {
  const stop = (code: number) => () => {
    signalled = code;
    void closeAllSessions().finally(() => process.exit(code));
  };
  process.once("SIGINT", stop(130));
  process.once("SIGTERM", stop(143));
}

/** The reporter, silent from the moment a signal stops Press. */
function untilSignalled(reporter: Reporter): Reporter {
  const live = () => signalled === undefined;
  return {
    onStart: (total) => live() && reporter.onStart?.(total),
    onStage: (source, stage) => live() && reporter.onStage?.(source, stage),
    onDocument: (report) => live() && reporter.onDocument?.(report),
    end: (report) => live() && reporter.end(report),
  };
}

/** What a command ends with: the signal's code when one stopped it, whatever the work did then. */
async function cancellable(work: () => Promise<number>): Promise<number> {
  try {
    const code = await work();
    return signalled ?? code;
  } catch (error) {
    if (signalled !== undefined) return signalled;
    throw error;
  }
}

async function runBuild(inputs: string[], values: Values): Promise<number> {
  exitOnSignals();
  const config = buildConfig(inputs, values);
  const reporter = untilSignalled(createReporter(reporterName(values.reporter), config.cwd));
  return cancellable(async () => {
    const report = await build(config, reporter);
    reporter.end(report);
    return report.ok ? 0 : 1;
  });
}

async function runRelease(positionals: string[], values: Values): Promise<number> {
  if (values.merge) {
    if (positionals.length === 0) return usageError("release --merge takes the output folders of the shards");
    const config = buildConfig([], values);
    const result = mergeRelease(config, positionals);
    printRelease(result.archive, result.checksums, result.manifest);
    return 0;
  }
  exitOnSignals();
  const config = buildConfig(positionals, values);
  const reporter = untilSignalled(createReporter(reporterName(values.reporter), config.cwd));
  return cancellable(async () => {
    const result = await release(config, reporter);
    reporter.end(result.build as BuildReport);
    if (signalled !== undefined) return signalled;
    if (!("archive" in result)) {
      console.error("release: no archive written: a release is made only when every document builds");
      return 1;
    }
    printRelease(result.archive, result.checksums, result.manifest);
    return 0;
  });
}

function printRelease(archive: string, checksums: string, manifest: Manifest): void {
  const sum = fs.readFileSync(checksums, "utf8").split(" ")[0];
  const count = manifest.artefacts.length;
  console.error(`release: ${path.relative(process.cwd(), archive)} (${count} files) sha256 ${sum}`);
  const index = catalogueName(manifest);
  if (index !== "index.html")
    console.error(
      `release: the catalogue is ${index}: index.html is a document's own (${manifest.artefacts.find((a) => a.path === "index.html")?.source})`,
    );
}

async function runCheck(inputs: string[], values: Values): Promise<number> {
  if (values.pdf === true) return runPdfCheck(inputs, reporterName(values.reporter) === "json");
  exitOnSignals();
  const config = buildConfig(inputs, values);
  // Loaded here: `build` parses in worker threads and need not load the Markdown pipeline itself.
  const { check } = await import("./check.js");
  let result: Awaited<ReturnType<typeof check>> | undefined;
  const stopped = await cancellable(async () => {
    result = await check(config, { browser: values["no-browser"] !== true });
    return 0;
  });
  // Stopped by a signal: the slides the closing browser failed are not the check's findings.
  if (stopped !== 0 || !result) return stopped;
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning").length;
  // Notes (what Press changed to make something fit) are counted only when there are some.
  const notes = result.diagnostics.filter((d) => d.severity === "note").length;
  const reporter = reporterName(values.reporter);
  if (reporter === "json") {
    console.log(
      JSON.stringify(
        { ok: errors === 0, files: result.files, errors, warnings, notes, diagnostics: result.diagnostics },
        null,
        2,
      ),
    );
  } else {
    const annotate = reporter === "github" || (reporter === "auto" && underGitHubActions());
    for (const line of diagnosticLines(result.diagnostics, annotate ? githubAnnotation : formatDiagnostic)) {
      console.log(line);
    }
    console.log(
      `${counted(result.files, "file")} checked: ${counted(errors, "error")}, ${counted(warnings, "warning")}${notes ? `, ${counted(notes, "note")}` : ""}`,
    );
  }
  return errors > 0 ? 1 : 0;
}

/** `press check --pdf FILE…`: each file's PDF/UA-1 failures, `file: page N, object M 0 R: error: … [checkpoint]`. */
async function runPdfCheck(files: string[], json: boolean): Promise<number> {
  if (files.length === 0) return usageError("check --pdf needs one or more PDF files");
  const { checkPdfFile, formatUaFailure } = await import("./pdf/check-ua.js");
  const results = [];
  for (const file of files) results.push({ file, ...(await checkPdfFile(file)) });
  const failures = results.reduce((sum, r) => sum + r.failures.length + (r.error ? 1 : 0), 0);
  if (json) console.log(JSON.stringify({ ok: failures === 0, files: results }, null, 2));
  else {
    for (const { file, failures: list, error } of results) {
      if (error) console.log(`${file}: error: ${error} [read]`);
      for (const failure of list) console.log(formatUaFailure(file, failure));
    }
    console.log(`${counted(files.length, "PDF")} checked against PDF/UA-1: ${counted(failures, "failure")}`);
  }
  return failures > 0 ? 1 : 0;
}

async function runWatch(inputs: string[], values: Values): Promise<number> {
  const config = buildConfig(inputs, values);
  const port = Number(text(values.port) ?? 8040);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`--port takes a port number (got "${values.port}")`);
  const watcher = await watch(config, {
    port,
    reporter: createReporter(reporterName(values.reporter), config.cwd),
    log: (line) => console.error(line),
  });
  return new Promise<number>((resolve) => {
    const stop = (code: number) => () => void watcher.close().then(() => resolve(code));
    process.once("SIGINT", stop(130));
    process.once("SIGTERM", stop(143));
  });
}

async function runBrowser(install: boolean): Promise<number> {
  if (install) {
    const found = await ensureBrowser((line) => console.log(line));
    console.log(`browser: ${found.executablePath} (${found.via})`);
    return 0;
  }
  const found = await findBrowser();
  // Found is not enough: a browser missing a library is found, and fails every build.
  const { BrowserSession } = await import("./render/browser.js");
  await (await BrowserSession.launch(found.executablePath, 1)).close();
  console.log(`browser: ${found.executablePath} (${found.via}), starts`);
  return 0;
}

function runHelp(positionals: string[]): number {
  const [name] = positionals;
  if (name === undefined) {
    console.log(generalHelp());
    return 0;
  }
  if (!isCommand(name)) return usageError(`no command "${name}"${suggestCommand(name)}`);
  console.log(commandHelp(name));
  return 0;
}

async function runInit(positionals: string[], values: Values): Promise<number> {
  if (positionals.length > 1) return usageError("init takes one folder");
  const { initProject } = await import("./scaffold/init.js");
  const result = initProject(path.resolve(positionals[0] ?? "."), { force: values.force === true });
  for (const line of result.lines) console.log(line);
  return 0;
}

async function runEject(positionals: string[], values: Values): Promise<number> {
  const config = buildConfig([], {});
  const { ejectTemplates } = await import("./scaffold/eject.js");
  const result = ejectTemplates(config.root, positionals, { force: values.force === true });
  for (const line of result.lines) console.log(line);
  return 0;
}

function usageError(message: string): number {
  console.error(`press: ${message}\nRun \`press help\` for usage.`);
  return 2;
}
