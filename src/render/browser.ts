/**
 * One headless browser per build and a pool of pages. The browser is launched with `pipe: true`,
 * so it exits with Press. Pages run no script and load nothing but `data:` URLs: every request
 * the page makes is checked against that allow-list and the blocked ones are reported.
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";

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

interface PooledPage {
  page: Page;
  run: PageRun;
}

export class BrowserSession {
  private readonly idle: PooledPage[] = [];
  private readonly waiting: (() => void)[] = [];
  private active = 0;

  private constructor(
    private readonly browser: Browser,
    readonly concurrency: number,
  ) {}

  static async launch(executablePath: string, concurrency: number): Promise<BrowserSession> {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      args: CHROMIUM_FLAGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    return new BrowserSession(browser, Math.max(1, concurrency));
  }

  /** Run `work` with a page of the pool; at most `concurrency` at once. */
  async withPage<T>(work: (page: Page, run: PageRun) => Promise<T>): Promise<T> {
    while (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    let pooled: PooledPage | undefined;
    try {
      pooled = this.idle.pop() ?? (await this.newPage());
      pooled.run.blocked = [];
      const result = await work(pooled.page, pooled.run);
      this.idle.push(pooled);
      pooled = undefined;
      return result;
    } finally {
      if (pooled) await pooled.page.close().catch(() => undefined);
      this.active--;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
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
    return { page, run };
  }
}
