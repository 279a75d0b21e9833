/**
 * `make`'s browser step: use one that is there, else try Puppeteer's download of
 * chrome-headless-shell, else Debian's chromium through apt-get (as root), else say how.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import {
  BrowserNotFoundError,
  type FoundBrowser,
  findBrowser,
  NOT_FOUND_MESSAGE,
  puppeteerCacheDir,
} from "./find-browser.js";

type Log = (line: string) => void;

export async function ensureBrowser(log: Log): Promise<FoundBrowser> {
  try {
    return await findBrowser();
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError) || process.env.PRESS_BROWSER || process.env.PUPPETEER_EXECUTABLE_PATH)
      throw error;
  }
  log("press: no browser found; trying Puppeteer's download of chrome-headless-shell");
  if (puppeteerDownload(log)) {
    const found = await findBrowser().catch(() => undefined);
    if (found) return found;
  }
  if (aptInstall(log)) {
    const found = await findBrowser().catch(() => undefined);
    if (found) return found;
  }
  throw new BrowserNotFoundError(NOT_FOUND_MESSAGE);
}

function puppeteerDownload(log: Log): boolean {
  const require = createRequire(import.meta.url);
  // The package's main is lib/cjs/main.js; its command line sits beside it.
  const cli = path.join(path.dirname(require.resolve("@puppeteer/browsers")), "main-cli.js");
  const result = spawnSync(
    process.execPath,
    [cli, "install", "chrome-headless-shell@stable", "--path", puppeteerCacheDir()],
    {
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 180_000,
    },
  );
  if (result.status === 0) return true;
  log("press: the download did not work (this machine may reach no browser download site)");
  return false;
}

function aptInstall(log: Log): boolean {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
  if (!isRoot || !hasApt) {
    log("press: cannot use apt-get here (needs root on Debian or Ubuntu)");
    return false;
  }
  log("press: installing Debian's chromium with apt-get");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const run = (args: string[]) =>
    spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env }).status === 0;
  return run(["update", "-qq"]) && run(["install", "-y", "-qq", "--no-install-recommends", "chromium"]);
}
