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
import type { BuildConfig } from "./config.js";
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
    workers ??= createOffload(config, 1, new TemplateEngine(config.templatesDir));
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
    server.once("error", reject);
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
  const watchers = [config.contentDir, config.templatesDir, config.root]
    .filter((dir, i, all) => fs.existsSync(dir) && all.indexOf(dir) === i)
    .map((dir) =>
      dir === config.root
        ? fs.watch(dir, (_event, name) => {
            if (name === "press.config.yaml") schedule();
          })
        : fs.watch(dir, { recursive: true }, schedule),
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
  const file = path.resolve(outDir, `.${decodeURIComponent(url.pathname)}`);
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
