/**
 * `press watch`: serve the output folder on 127.0.0.1, rebuild what a saved file affects and reload
 * the page open in the browser. A changed document's HTML is written first (without page numbers),
 * then its PDF and final HTML follow. A broken document shows its error in the terminal and as an
 * overlay in the page; the watcher keeps running. One browser serves every rebuild.
 */

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { type BuildReport, build } from "./build.js";
import { type BuildConfig, ConfigError } from "./config.js";
import { createOffload, type Offload } from "./offload/offload.js";
import { lazyBrowser } from "./render/browser.js";
import { formatDiagnostic } from "./report/diagnostic.js";
import type { Reporter } from "./report/reporters.js";
import { TemplateEngine } from "./template/engine.js";

export interface WatchOptions {
  port: number;
  reporter: Reporter;
  log: (line: string) => void;
}

export interface Watcher {
  url: string;
  close: () => Promise<void>;
}

const LIVE_SCRIPT = `(() => {
  const events = new EventSource("/__press/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("errors", (event) => {
    const errors = JSON.parse(event.data);
    let overlay = document.getElementById("press-error-overlay");
    if (errors.length === 0) { overlay?.remove(); return; }
    if (!overlay) {
      overlay = document.createElement("pre");
      overlay.id = "press-error-overlay";
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1em;" +
        "background:#2b0b0b;color:#ffd9d9;font:13px/1.5 monospace;z-index:2147483647;white-space:pre-wrap";
      document.body.append(overlay);
    }
    overlay.textContent = "Press: the last build failed\\n\\n" + errors.join("\\n");
  });
})();`;

export async function watch(config: BuildConfig, options: WatchOptions): Promise<Watcher> {
  const shared = lazyBrowser(config.concurrency);
  const browser = shared.get;
  // One worker for every rebuild, started on the first: each stops a document that takes too long.
  let workers: Offload | undefined;
  const offload = () => {
    workers ??= createOffload(config, 1, new TemplateEngine(config.templateDirs));
    return workers;
  };
  const clients = new Set<http.ServerResponse>();
  let errors: string[] = [];
  const send = (event: string, data: unknown) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const server = http.createServer((request, response) =>
    serve(request, response, config.outDir, clients, () => errors),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(
          new ConfigError(
            `port ${options.port} on 127.0.0.1 is in use: stop what holds it, or choose another with --port N`,
          ),
        );
      } else if (error.code === "EACCES") {
        reject(new ConfigError(`port ${options.port} needs privileges: choose one above 1023 with --port N`));
      } else reject(error);
    });
    server.listen(options.port, "127.0.0.1", resolve);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : options.port}/`;

  let running = false;
  let again = false;
  const rebuild = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const preview = await build({ ...config, preview: true, formats: new Set(["html"]) }, {}, { browser, offload });
        if (preview.documents.some((d) => d.status === "built")) send("reload", {});
        const full = await build(config, options.reporter, { browser, offload });
        options.reporter.end(full);
        errors = collectErrors(full);
        send("errors", errors);
        if (full.documents.some((d) => d.status === "built")) send("reload", {});
      } while (again);
    } catch (error) {
      options.log(`press: ${(error as Error).message}`);
    } finally {
      running = false;
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), 120);
  };
  const watchers = watchedFolders(config).map(({ dir, recursive }) =>
    fs.watch(dir, { recursive }, (_event, name) => {
      if (name && affectsBuild(config, path.join(dir, name.toString()))) schedule();
    }),
  );

  await rebuild();
  options.log(`press: serving ${path.relative(config.cwd, config.outDir) || "."} at ${url} (Ctrl-C to stop)`);
  return {
    url,
    close: async () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      for (const client of clients) client.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await shared.close();
      await workers?.close();
    },
  };
}

/**
 * What a rebuild may depend on: the inputs (a folder with all below it; a file with the folder it
 * is in, for the images beside it), content/, the project's templates, and press.config.yaml at the root.
 */
function watchedFolders(config: BuildConfig): { dir: string; recursive: boolean }[] {
  const folders = new Map<string, boolean>();
  const add = (dir: string, recursive: boolean) => {
    if (fs.existsSync(dir)) folders.set(dir, folders.get(dir) || recursive);
  };
  for (const input of config.inputs) {
    const absolute = path.resolve(config.cwd, input);
    if (fs.statSync(absolute, { throwIfNoEntry: false })?.isDirectory()) add(absolute, true);
    else add(path.dirname(absolute), false);
  }
  add(config.contentDir, true);
  for (const dir of config.templateDirs.slice(0, -1)) add(dir, true);
  add(config.root, false);
  return [...folders].map(([dir, recursive]) => ({ dir, recursive }));
}

/** A change that may change an output: not Press's own writes (outputs, the cache, temporary files). */
function affectsBuild(config: BuildConfig, file: string): boolean {
  const inside = (dir: string) => {
    const relative = path.relative(dir, file);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
  };
  if (inside(config.outDir) || inside(path.join(config.root, ".press-cache"))) return false;
  if (file.endsWith(".press-tmp") || path.basename(file).startsWith(".")) return false;
  if (path.dirname(file) === config.root && !inside(config.contentDir)) {
    // At the root only press.config.yaml and the inputs themselves matter (not release/ or node_modules/).
    return path.basename(file) === "press.config.yaml" || /\.(md|markdown)$/i.test(file) || isImage(file);
  }
  return true;
}

function isImage(file: string): boolean {
  return /\.(png|jpe?g|gif|svg|webp|avif)$/i.test(file);
}

function collectErrors(report: BuildReport): string[] {
  return report.documents.flatMap((d) => d.diagnostics.filter((x) => x.severity === "error").map(formatDiagnostic));
}

function serve(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  outDir: string,
  clients: Set<http.ServerResponse>,
  errors: () => string[],
): void {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/__press/events") {
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    response.write(`event: errors\ndata: ${JSON.stringify(errors())}\n\n`);
    clients.add(response);
    request.on("close", () => clients.delete(response));
    return;
  }
  if (url.pathname === "/__press/live.js") {
    response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
    response.end(LIVE_SCRIPT);
    return;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    // A malformed percent-encoding (`/%E0%A4%A`) names no file; it must not end the watcher.
    response.writeHead(400, { "content-type": "text/plain" }).end("bad request");
    return;
  }
  const file = path.resolve(outDir, `.${pathname}`);
  if (path.relative(outDir, file).startsWith("..")) {
    response.writeHead(403).end();
    return;
  }
  const target = fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, "index.html") : file;
  if (!fs.existsSync(target)) {
    if (url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(withLiveReload(listing(outDir)));
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    return;
  }
  const body = fs.readFileSync(target);
  if (target.endsWith(".html")) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(withLiveReload(body.toString("utf8")));
    return;
  }
  response.writeHead(200, {
    "content-type": target.endsWith(".pdf") ? "application/pdf" : "application/octet-stream",
    "cache-control": "no-store",
  });
  response.end(body);
}

/** The served copy (never the file on disk) gets the reload script, and a policy that lets it run. */
function withLiveReload(html: string): string {
  const allowed = html.replace(
    /(<meta http-equiv="Content-Security-Policy" content=")([^"]*)"/,
    (_m, start: string, policy: string) =>
      `${start}${policy.replace("script-src ", "script-src 'self' ").replace("'self' 'none'", "'self'")}; connect-src 'self'"`,
  );
  return allowed.replace(/<\/body>/i, '<script src="/__press/live.js"></script></body>');
}

function listing(outDir: string): string {
  const files = fs.existsSync(outDir)
    ? (fs.readdirSync(outDir, { recursive: true, encoding: "utf8" }) as string[])
        .filter((f) => /\.(html|pdf)$/.test(f))
        .sort()
    : [];
  const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const items = files
    .map((f) => `<li><a href="/${escapeHtml(encodeURI(f.split(path.sep).join("/")))}">${escapeHtml(f)}</a></li>`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Press</title></head><body><h1>Press</h1><ul>${items}</ul></body></html>`;
}
