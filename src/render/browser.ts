/**
 * One headless browser per build and a pool of pages. The browser is launched with `pipe: true`,
 * so it exits with Press. Pages run no script and load nothing but `data:` URLs: every request
 * the page makes is checked against that allow-list and the blocked ones are reported.
 */

import { spawnSync } from "node:child_process";
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { BrowserNotFoundError, findBrowser } from "./find-browser.js";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
  "--blink-settings=scriptEnabled=false",
  "--font-render-hinting=none",
];

export interface PageRun {
  /** URLs the page asked for that were not allowed. */
  blocked: string[];
}

async function start(executablePath: string, signal?: AbortSignal): Promise<Browser> {
  // Loaded on first use: a build with nothing to render never needs it.
  const { default: puppeteer } = await import("puppeteer-core");
  const browser = await puppeteer.launch({
    executablePath,
    // Aborted, the launch kills the browser and fails: a build that ends first does not wait on it.
    signal,
    headless: true,
    pipe: true,
    args: CHROMIUM_FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // Writing to the pipe of a browser that died raises EPIPE on the socket, which Puppeteer does not
  // catch: without a handler it would end Press. The death itself is noticed through the process.
  for (const stream of browser.process()?.stdio ?? []) stream?.on("error", () => undefined);
  return browser;
}

/**
 * Why a browser did not start, in its own words: Puppeteer's error says only that the pipe closed,
 * so the browser is run once more, with `--version`, for what it writes when it fails (the shared
 * library it cannot load) and its exit code.
 */
function whyNotStarting(executablePath: string, error: unknown): string {
  const run = spawnSync(executablePath, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const said = `${run.stderr ?? ""}\n${run.stdout ?? ""}`
    .split("\n")
    .map((line) => line.trim())
    .find(Boolean);
  if (run.error) return run.error.message;
  if (run.status !== 0) return `it exited with code ${run.status ?? run.signal}${said ? `: ${said}` : ""}`;
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/** Close a browser; one that is dead or does not answer within 5 s is killed. */
async function shutDown(browser: Browser): Promise<void> {
  const child = browser.process();
  const dead = child !== null && (child.exitCode !== null || child.signalCode !== null);
  if (!dead) {
    const closed = browser.close().then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000).unref());
    if (await Promise.race([closed, timeout])) return;
  }
  void browser.disconnect().catch(() => undefined);
  child?.kill("SIGKILL");
}

/**
 * Fails the work in flight when a browser goes away. Each piece of work is watched only while it
 * runs: `Promise.race` against one promise that stays pending for the whole build would keep every
 * finished result (its HTML, its PDF) reachable from that promise until the build ends.
 */
interface Disconnection {
  /** `work`, or its failure as soon as the browser goes away. */
  watch<T>(work: Promise<T>): Promise<T>;
}

function disconnection(browser: Browser): Disconnection {
  const failures = new Set<(error: Error) => void>();
  let lost: Error | undefined;
  const fail = () => {
    lost ??= new Error("the browser has disconnected (it crashed or was killed)");
    for (const reject of failures) reject(lost);
    failures.clear();
  };
  browser.once("disconnected", fail);
  // The browser's own children can keep the pipe open after it dies: watch the process as well.
  browser.process()?.once("exit", fail);
  return {
    watch: <T>(work: Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        if (lost) {
          work.catch(() => undefined);
          return reject(lost);
        }
        failures.add(reject);
        work.then(resolve, reject).finally(() => failures.delete(reject));
      }),
  };
}

/** The CSS media a page lays its document out for. */
export type Media = "screen" | "print";

interface PooledPage {
  page: Page;
  run: PageRun;
  media: Media;
  /** Pieces of work it has done. */
  uses: number;
  /** Its renderer's garbage collection while it runs, asked for after its last piece of work; the next one waits for it. */
  collecting?: Promise<void>;
  /** Its own DevTools session for the collections, made at the first (see collectGarbage). */
  session?: Promise<CDPSession>;
}

/**
 * Pieces of work a page does before it is closed and a new one takes its place. Chromium's renderer
 * grows with every document laid out and printed in the same page (by about 1.5 MiB a document,
 * never given back, measured with Chromium 156 in the fourth session; Chromium 150's much larger
 * growth was garbage, which COLLECT_EVERY is for); a new page starts a new renderer.
 */
export const PAGE_USES = 20;

/**
 * Pieces of work between two full garbage collections in a page's renderer. Chromium 150's
 * renderer kept about 11 MiB of garbage for every briefing loaded and printed (4 MiB for the load
 * alone) and did not collect it: two pages of 20 briefings each peaked at 300 MiB and more, and
 * 500 briefings at 1.2 GiB in all. Collected every 5 documents (`HeapProfiler.collectGarbage`,
 * about what one more document costs), a renderer stays near 60 MiB; in a loop of 60 bench
 * briefings on one page the time was the same within the noise (BENCHMARKS.md, eighth session).
 */
export const COLLECT_EVERY = 5;

export interface PageOptions {
  /** Lay documents out for print from the start (default: screen). */
  media?: Media;
  /**
   * Milliseconds the whole piece of work may take (`--timeout`): past it the work fails as a
   * time-out and its page is closed. Each load and print had its own limit, but a call into the
   * laid-out page had none: a document of a 10 MB template failed after 85 s under `--timeout 10`.
   */
  deadline?: number;
}

const COLLECT_WAIT_MS = 5_000;

/** `work`, or a TimeoutError once `ms` have passed (the work's own end is then of no interest). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the page did not finish within ${ms} ms`);
      error.name = "TimeoutError";
      reject(error);
    }, ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * A full garbage collection in the page's renderer, through a DevTools session of its own made once
 * (one attached for each collection, then detached, made the renderer's work about twice as slow:
 * 9.2–9.9 CPU-seconds for 50 briefings instead of 4.9–5.3). It never fails, and never waits more
 * than COLLECT_WAIT_MS: a browser that has gone or hangs is for the next piece of work to meet, and
 * that is retried or stopped at its deadline as any other. A session that failed or did not answer
 * is made anew the next time.
 */
async function collectGarbage(pooled: PooledPage): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  pooled.session ??= pooled.page.createCDPSession();
  const collected = pooled.session
    .then((s) => s.send("HeapProfiler.collectGarbage"))
    .then(
      () => true,
      () => false,
    );
  const waited = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), COLLECT_WAIT_MS);
    timer.unref();
  });
  if (!(await Promise.race([collected, waited]))) pooled.session = undefined;
  clearTimeout(timer);
}

/** A browser launched on first use (and never if nothing asks), and closed with `close`. */
export function lazyBrowser(concurrency: number): { get: () => Promise<BrowserSession>; close: () => Promise<void> } {
  let session: Promise<BrowserSession> | undefined;
  let launched = false;
  const launch = new AbortController();
  return {
    get: () => {
      session ??= findBrowser()
        .then((found) => BrowserSession.launch(found.executablePath, concurrency, launch.signal))
        .finally(() => {
          launched = true;
        });
      return session;
    },
    close: async () => {
      // A browser started ahead for documents that then failed before rendering is not waited for.
      if (!launched) launch.abort();
      await (await session?.catch(() => undefined))?.close();
    },
  };
}

/** Every session still open, so that a signal can close their browsers before Press exits. */
const openSessions = new Set<BrowserSession>();

export async function closeAllSessions(): Promise<void> {
  await Promise.all([...openSessions].map((session) => session.close()));
}

export class BrowserSession {
  private idle: PooledPage[] = [];
  /** Pages being opened ahead of use, right after the browser starts. */
  private opening: Promise<PooledPage>[] = [];
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private closed = false;
  private restarting: Promise<void> | undefined;
  /** Fails work in flight when the current browser goes away, at once instead of after a time-out. */
  private lost: Disconnection;

  private constructor(
    private browser: Browser,
    private readonly executablePath: string,
    readonly concurrency: number,
  ) {
    openSessions.add(this);
    this.lost = disconnection(browser);
  }

  static async launch(executablePath: string, concurrency: number, signal?: AbortSignal): Promise<BrowserSession> {
    let browser: Browser;
    try {
      browser = await start(executablePath, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      // A browser found but not starting (a library missing, a broken wrapper) failed every
      // document with "Target closed", restarted for each: one line, the build stopped, instead.
      throw new BrowserNotFoundError(
        `the browser ${executablePath} did not start: ${whyNotStarting(executablePath, error)}`,
      );
    }
    const session = new BrowserSession(browser, executablePath, Math.max(1, concurrency));
    session.openAhead();
    return session;
  }

  /**
   * Open the pool's pages as soon as the browser is up, rather than as work first asks, each once
   * the one before is open: opened side by side, each took as long as all of them (their renderers
   * start on the same cores), and the first document waited for every page.
   */
  private openAhead(): void {
    let previous: Promise<unknown> = Promise.resolve();
    this.opening = Array.from({ length: this.concurrency }, () => {
      const opened = previous.then(() => this.newPage());
      previous = opened.catch(() => undefined);
      // Awaited by withPage; one that fails before that (the browser died) must not go unhandled.
      opened.catch(() => undefined);
      return opened;
    });
  }

  /** The browser's process id (for tests that make it crash). */
  pid(): number | undefined {
    return this.browser.process()?.pid;
  }

  /** Run `work` with a page of the pool; at most `concurrency` at once. */
  async withPage<T>(work: (page: Page, run: PageRun) => Promise<T>, options: PageOptions = {}): Promise<T> {
    while (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    let pooled: PooledPage | undefined;
    try {
      if (this.restarting) await this.restarting;
      if (!this.browser.connected) await this.restart();
      const lost = this.lost;
      pooled = this.takeIdle() ?? (await lost.watch(this.opening.shift() ?? this.newPage()));
      await pooled.collecting;
      pooled.run.blocked = [];
      const media = options.media ?? "screen";
      if (pooled.media !== media) {
        await pooled.page.emulateMediaType(media === "print" ? "print" : undefined);
        pooled.media = media;
      }
      const working = work(pooled.page, pooled.run);
      const result = await lost.watch(options.deadline ? withDeadline(working, options.deadline) : working);
      if (++pooled.uses >= PAGE_USES) this.replace(pooled);
      else {
        // In the renderer, while the result goes on its way; the page's next piece of work waits for it.
        if (pooled.uses % COLLECT_EVERY === 0) this.collect(pooled);
        this.idle.push(pooled);
      }
      pooled = undefined;
      return result;
    } finally {
      // A page that failed may be stuck: it is not used again.
      // Not awaited: a page of a dead browser may never answer.
      if (pooled) void pooled.page.close().catch(() => undefined);
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** Start the page's collection; `collecting` is cleared when it is done. */
  private collect(pooled: PooledPage): void {
    pooled.collecting = collectGarbage(pooled).then(() => {
      pooled.collecting = undefined;
    });
  }

  /** An idle page, one that is not collecting its garbage first if there is one (the last used first). */
  private takeIdle(): PooledPage | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) if (!this.idle[i]?.collecting) return this.idle.splice(i, 1)[0];
    return this.idle.pop();
  }

  /** Close a page that has done its share, and open its successor at once, before work asks for it. */
  private replace(pooled: PooledPage): void {
    void pooled.page.close().catch(() => undefined);
    const opened = this.newPage();
    opened.catch(() => undefined);
    this.opening.push(opened);
  }

  /** A new browser in place of one that crashed or hung; pages in use elsewhere fail and are retried. */
  restart(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the browser session is closed"));
    this.restarting ??= (async () => {
      const old = this.browser;
      this.idle = [];
      this.opening = [];
      await shutDown(old);
      this.browser = await start(this.executablePath);
      this.lost = disconnection(this.browser);
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  async close(): Promise<void> {
    this.closed = true;
    openSessions.delete(this);
    await shutDown(this.browser);
  }

  private async newPage(): Promise<PooledPage> {
    const page = await this.browser.newPage();
    const run: PageRun = { blocked: [] };
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith("data:") || url === "about:blank") {
        void request.continue();
      } else {
        run.blocked.push(url);
        void request.abort("blockedbyclient");
      }
    });
    return { page, run, media: "screen", uses: 0 };
  }
}
