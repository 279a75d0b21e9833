/**
 * Where is a Chrome or Chromium? In order: PRESS_BROWSER or PUPPETEER_EXECUTABLE_PATH; a system
 * browser on PATH or in the usual install locations; Puppeteer's own cache.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface FoundBrowser {
  executablePath: string;
  /** How it was found, for `press browser`. */
  via: "environment" | "PATH" | "system" | "puppeteer cache";
}

const COMMANDS = [
  "chromium",
  "chromium-browser",
  "google-chrome-stable",
  "google-chrome",
  "chrome",
  "chrome-headless-shell",
];

const SYSTEM_LOCATIONS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/lib/chromium/chromium",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
  "/opt/google/chrome/chrome",
  "/snap/bin/chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
  "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
];

export class BrowserNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BrowserNotFoundError";
  }
}

export async function findBrowser(env: NodeJS.ProcessEnv = process.env): Promise<FoundBrowser> {
  for (const name of ["PRESS_BROWSER", "PUPPETEER_EXECUTABLE_PATH"]) {
    const value = env[name];
    if (!value) continue;
    if (isExecutable(value)) return { executablePath: value, via: "environment" };
    throw new BrowserNotFoundError(`${name} is set to ${value}, which is not an executable file`);
  }
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const command of COMMANDS) {
      const candidate = path.join(dir, command);
      if (isExecutable(candidate)) return { executablePath: candidate, via: "PATH" };
    }
  }
  const system = SYSTEM_LOCATIONS.find(isExecutable);
  if (system) return { executablePath: system, via: "system" };
  const cached = await fromPuppeteerCache(env);
  if (cached) return { executablePath: cached, via: "puppeteer cache" };
  throw new BrowserNotFoundError(NOT_FOUND_MESSAGE);
}

export const NOT_FOUND_MESSAGE =
  "no Chrome or Chromium found. Run `npx press browser --install` (it installs one; in Press's own repository, `make` does), or install one yourself " +
  "(Debian/Ubuntu: `sudo apt-get install chromium`; elsewhere: `npx @puppeteer/browsers install chrome-headless-shell@stable`), " +
  "or set PRESS_BROWSER to the browser's executable.";

export function puppeteerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), ".cache", "puppeteer");
}

async function fromPuppeteerCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = puppeteerCacheDir(env);
  if (!fs.existsSync(cacheDir)) return undefined;
  // Loaded only here: it takes longer to load than Press's own modules together.
  const { getInstalledBrowsers } = await import("@puppeteer/browsers");
  const installed = await getInstalledBrowsers({ cacheDir });
  const preferred = [...installed].sort((a, b) => rank(a.browser) - rank(b.browser));
  return preferred.map((b) => b.executablePath).find(isExecutable);
}

function rank(browser: string): number {
  return browser === "chrome-headless-shell" ? 0 : browser === "chrome" ? 1 : 2;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
