/** The command line: arguments → config → build (or browser set-up). Exit codes: 0, 1, 2. */
import { parseArgs } from "node:util";
import { build, type DocumentReport } from "./build.js";
import { ConfigError, packageVersion, resolveConfig } from "./config.js";
import { InputError } from "./load/discover.js";
import { ensureBrowser } from "./render/ensure-browser.js";
import { BrowserNotFoundError, findBrowser } from "./render/find-browser.js";
import { formatDiagnostic } from "./report/diagnostic.js";

const HELP = `Usage: press <command> [options]

Commands:
  build [inputs...]     Build Markdown files or folders (default: content/) into HTML and PDF
  browser               Show the browser Press will use
  browser --install     Find a browser, or install one (Puppeteer's download, then apt-get)

Options for build:
  --out DIR             Output folder (default: output/)
  --format LIST         Comma-separated: html,pdf (default: both)
  --concurrency N       Pages rendered at once (default: the number of CPU cores)
  --handout N           Slides per handout page: 1, 2, 3, 4, 6 or 9 (default: front matter, else 3)
  --strict              A slide that overflows is an error, not a warning
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
      handout: { type: "string" },
      strict: { type: "boolean" },
      install: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

async function runBuild(inputs: string[], values: ReturnType<typeof parse>["values"]): Promise<number> {
  const config = resolveConfig({
    inputs,
    out: values.out,
    formats: values.format,
    concurrency: values.concurrency,
    debug: values.debug,
    handout: values.handout,
    strict: values.strict,
  });
  const report = await build(config, { onDocument: printDocument });
  const failed = report.documents.filter((d) => d.status === "failed").length;
  const built = report.documents.length - failed;
  console.log(`${built} built, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function printDocument(report: DocumentReport): void {
  for (const d of report.diagnostics) console.error(formatDiagnostic(d));
  if (report.status === "built") {
    const pages = report.pages === null ? "" : ` (${report.pages} pages)`;
    const outputs = report.outputs.map((o) => relative(o)).join(", ");
    console.log(`built ${report.source} → ${outputs}${pages} in ${report.milliseconds} ms`);
  } else {
    console.log(`failed ${report.source}`);
  }
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

function relative(file: string): string {
  const rel = file.startsWith(process.cwd()) ? file.slice(process.cwd().length + 1) : file;
  return rel || file;
}
