/** The command line: arguments → config → build (or browser set-up). Exit codes: 0, 1, 2. */

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type BuildReport, build } from "./build.js";
import { ConfigError, packageVersion, resolveConfig } from "./config.js";
import { InputError } from "./load/discover.js";
import { mergeRelease, release } from "./release/release.js";
import { closeAllSessions } from "./render/browser.js";
import { ensureBrowser } from "./render/ensure-browser.js";
import { BrowserNotFoundError, findBrowser } from "./render/find-browser.js";
import { createReporter, type ReporterName } from "./report/reporters.js";
import { watch } from "./watch.js";

const HELP = `Usage: press <command> [options]

Commands:
  build [inputs...]     Build Markdown files or folders (default: content/) into HTML and PDF
  release [inputs...]   Build, then write manifest.json, index.html and release/press-<version>.tar.gz
  release --merge DIR…  Combine the output folders of shards (built with --shard) into one release
  check [inputs...]     Check content without writing anything: front matter, links, footnotes,
                        images and alt text, heading levels, directives, slide overflow
                        (--no-browser skips the overflow check); exit 1 on errors
  check --pdf FILE…     Check PDFs against PDF/UA-1 (the Matterhorn Protocol's machine checks);
                        one line per failure with its checkpoint, page and object; exit 1 on failures
  watch [inputs...]     Build, serve output/ on 127.0.0.1 (--port, default 8040), rebuild and reload on save
  browser               Show the browser Press will use
  browser --install     Find a browser, or install one (Puppeteer's download, then apt-get)

Options for build:
  --out DIR             Output folder (default: output/)
  --format LIST         Comma-separated: html,pdf (default: both)
  --concurrency N       Pages rendered at once (default: the number of CPU cores)
  --handout N           Slides per handout page: 1, 2, 3, 4, 6 or 9 (default: front matter, else 3)
  --strict              An image left out (missing, unsupported, remote) or a slide that
                        overflows is an error, not a warning (release: always)
  --force               Rebuild everything, whatever the cache says
  --timeout SECONDS     Time limit for rendering one document (default 60); on a crash or a
                        hang the browser is restarted and the document tried once more
  --parse-timeout SECS  Time limit for parsing and transforming one document (default 10, more
                        for a source over 256 KiB); past it the document fails, the others go on
  --shard I/N           Build only part I of N (a deterministic split, for CI matrices)
  --reporter NAME       plain (one line per document), json (a summary on stdout);
                        default: a live progress line on a terminal, plain elsewhere
  --debug               Stack traces with errors

  -h, --help            Show this help
  -v, --version         Show the version

Exit codes: 0 every document built; 1 one or more documents failed; 2 bad usage or configuration.`;

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    console.log(packageVersion());
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return values.help ? 0 : 2;
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
        return await runBrowser(values.install ?? false);
      default:
        return usageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InputError || error instanceof BrowserNotFoundError) {
      console.error(`press: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      format: { type: "string" },
      concurrency: { type: "string" },
      debug: { type: "boolean" },
      force: { type: "boolean" },
      shard: { type: "string" },
      reporter: { type: "string" },
      handout: { type: "string" },
      strict: { type: "boolean" },
      install: { type: "boolean" },
      merge: { type: "boolean" },
      port: { type: "string" },
      "no-browser": { type: "boolean" },
      pdf: { type: "boolean" },
      timeout: { type: "string" },
      "parse-timeout": { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

function buildConfig(inputs: string[], values: ReturnType<typeof parse>["values"]) {
  return resolveConfig({
    inputs,
    out: values.out,
    formats: values.format,
    concurrency: values.concurrency,
    debug: values.debug,
    handout: values.handout,
    strict: values.strict,
    force: values.force,
    shard: values.shard,
    timeout: values.timeout,
    parseTimeout: values["parse-timeout"],
  });
}

function reporterName(value: string | undefined): ReporterName {
  if (value === undefined) return "auto";
  if (value === "json" || value === "plain") return value;
  throw new ConfigError(`--reporter takes json or plain (got "${value}")`);
}

/** SIGINT and SIGTERM close the browser before Press exits with 130 or 143. */
function exitOnSignals(): void {
  const stop = (code: number) => () => {
    void closeAllSessions().finally(() => process.exit(code));
  };
  process.once("SIGINT", stop(130));
  process.once("SIGTERM", stop(143));
}

async function runBuild(inputs: string[], values: ReturnType<typeof parse>["values"]): Promise<number> {
  exitOnSignals();
  const config = buildConfig(inputs, values);
  const reporter = createReporter(reporterName(values.reporter), config.cwd);
  const report = await build(config, reporter);
  reporter.end(report);
  return report.ok ? 0 : 1;
}

async function runRelease(positionals: string[], values: ReturnType<typeof parse>["values"]): Promise<number> {
  if (values.merge) {
    if (positionals.length === 0) return usageError("release --merge takes the output folders of the shards");
    const config = buildConfig([], values);
    const result = mergeRelease(config, positionals);
    printRelease(result.archive, result.checksums, result.manifest.artefacts.length);
    return 0;
  }
  exitOnSignals();
  const config = buildConfig(positionals, values);
  const reporter = createReporter(reporterName(values.reporter), config.cwd);
  const result = await release(config, reporter);
  reporter.end(result.build as BuildReport);
  if (!("archive" in result)) return 1;
  printRelease(result.archive, result.checksums, result.manifest.artefacts.length);
  return 0;
}

function printRelease(archive: string, checksums: string, count: number): void {
  const sum = fs.readFileSync(checksums, "utf8").split(" ")[0];
  console.error(`release: ${path.relative(process.cwd(), archive)} (${count} files) sha256 ${sum}`);
}

async function runCheck(inputs: string[], values: ReturnType<typeof parse>["values"]): Promise<number> {
  if (values.pdf) return runPdfCheck(inputs, reporterName(values.reporter) === "json");
  exitOnSignals();
  const config = buildConfig(inputs, values);
  // Loaded here: `build` parses in worker threads and need not load the Markdown pipeline itself.
  const { check, formatCheckLine } = await import("./check.js");
  const result = await check(config, { browser: !values["no-browser"] });
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.filter((d) => d.severity === "warning").length;
  if (reporterName(values.reporter) === "json") {
    console.log(
      JSON.stringify(
        { ok: errors === 0, files: result.files, errors, warnings, diagnostics: result.diagnostics },
        null,
        2,
      ),
    );
  } else {
    for (const d of result.diagnostics) console.log(formatCheckLine(d));
    console.log(`${result.files} files checked: ${errors} errors, ${warnings} warnings`);
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
    console.log(`${files.length} PDFs checked against PDF/UA-1: ${failures} failures`);
  }
  return failures > 0 ? 1 : 0;
}

async function runWatch(inputs: string[], values: ReturnType<typeof parse>["values"]): Promise<number> {
  const config = buildConfig(inputs, values);
  const port = Number(values.port ?? 8040);
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
  console.log(`browser: ${found.executablePath} (${found.via})`);
  return 0;
}

function usageError(message: string): number {
  console.error(`press: ${message}\nRun \`press --help\` for usage.`);
  return 2;
}
