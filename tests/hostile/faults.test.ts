/**
 * Faults: Press killed with SIGKILL, SIGTERM or SIGINT mid-build leaves no browser behind and only
 * complete files; a browser that crashes is restarted and the document tried again; a page that
 * hangs past the time limit is reported.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { BrowserSession } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";
import { makeProject, projectConfig } from "../support/project.js";

const BRIEFING = fs.readFileSync(path.join(REPO, "content/briefings/peacekeeping-participation.md"), "utf8");

function bigProject(): string {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 8; i++)
    files[`content/doc-${i}.md`] = BRIEFING.replace("images/mission-timeline.svg", "missing.svg").replace(
      /!\[.*\]\(missing\.svg\)\n/,
      "",
    );
  return makeProject(files);
}

/** Every process below `root` (children, grandchildren, …). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone already
    }
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const child of children.get(stack.pop() as number) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    const state = /State:\s+(\S)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return state !== "Z";
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean, seconds = 60): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > seconds * 1000) throw new Error(`waited too long for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function startBuild(dir: string): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [path.join(REPO, "bin/press.js"), "build", "--reporter", "plain"], {
    cwd: dir,
    stdio: "ignore",
    env: { ...process.env, CI: "1" },
  });
  return {
    child,
    exit: new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null)))),
  };
}

async function onlyCompleteFiles(dir: string): Promise<void> {
  const out = path.join(dir, "output");
  if (!fs.existsSync(out)) return;
  for (const file of fs.readdirSync(out)) {
    if (file.endsWith(".press-tmp")) continue;
    const bytes = fs.readFileSync(path.join(out, file));
    if (file.endsWith(".pdf")) expect((await readPdf(bytes)).pageCount, file).toBeGreaterThan(1);
    else expect(bytes.toString("utf8").trimEnd().endsWith("</html>"), file).toBe(true);
  }
}

describe("Press killed mid-build", () => {
  for (const [signal, code] of [
    ["SIGKILL", -1],
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`${signal}: exit ${code === -1 ? "by the signal" : code}, no Chromium left running, only complete files`, async () => {
      const dir = bigProject();
      const { child, exit } = startBuild(dir);
      const pid = child.pid as number;
      let browsers: number[] = [];
      await until("Chromium to start", () => {
        browsers = descendants(pid);
        return browsers.length > 2;
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      browsers = descendants(pid);
      child.kill(signal);
      expect(await exit).toBe(code);
      await until("every Chromium process to exit", () => browsers.every((p) => !alive(p)), 30);
      await onlyCompleteFiles(dir);
      // The next build removes what the killed one left half-written.
      const again = startBuild(dir);
      expect(await again.exit).toBe(0);
      expect(fs.readdirSync(path.join(dir, "output")).filter((f) => f.endsWith(".press-tmp"))).toEqual([]);
    });
  }
});

describe("press check stopped by a signal", () => {
  it("exits 143, and what the closing browser failed is not reported as the decks' errors", async () => {
    const slides = Array.from({ length: 12 }, (_, j) => `# Slide ${j + 1}\n\n- point one\n- point two\n`).join(
      "\n---\n\n",
    );
    const files: Record<string, string> = {};
    for (let i = 1; i <= 30; i++)
      files[`content/deck-${i}.md`] = `---\ntitle: Deck ${i}\nkind: slides\n---\n\n${slides}`;
    const dir = makeProject(files);
    // Stopped while the browser measures slides, at four moments: whether the decks still in the
    // browser fail before Press exits is a race, which the earlier code lost at one of them or more.
    // A check that ended before its signal (a fast machine) proves nothing either way and is passed over.
    let landed = 0;
    for (const delay of [1200, 1600, 2000, 2400]) {
      const child = spawn(process.execPath, [path.join(REPO, "bin/press.js"), "check"], {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, CI: "1" },
      });
      let output = "";
      for (const stream of [child.stdout, child.stderr])
        stream?.setEncoding("utf8").on("data", (chunk: string) => {
          output += chunk;
        });
      let exited = false;
      child.on("exit", () => {
        exited = true;
      });
      const exit = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      await until("Chromium's renderers", () => exited || descendants(child.pid as number).length > 3);
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (exited) {
        await exit;
        continue;
      }
      child.kill("SIGTERM");
      const code = await exit;
      if (code === 0) continue; // it ended as the signal was sent
      landed++;
      expect([delay, code, output]).toEqual([delay, 143, ""]);
    }
    expect(landed).toBeGreaterThan(0);
  });
});

describe("the browser failing", () => {
  it("restarts a browser that crashed and builds every document", async () => {
    const dir = bigProject();
    const session = await BrowserSession.launch((await findBrowser()).executablePath, 2);
    const crashed = session.pid() as number;
    let killed = false;
    try {
      const report = await build(
        projectConfig(dir),
        {
          onStage: (_source, stage) => {
            if (stage === "render" && !killed) {
              killed = true;
              setTimeout(() => process.kill(crashed, "SIGKILL"), 150);
            }
          },
        },
        { browser: async () => session },
      );
      expect(killed).toBe(true);
      expect(report.documents.map((d) => d.status)).toEqual(Array(8).fill("built"));
      expect(session.pid()).not.toBe(crashed);
    } finally {
      await session.close();
    }
  });

  it("reports a document whose page does not finish within the time limit, after one retry", async () => {
    const dir = makeProject({ "content/slow.md": BRIEFING.replace(/!\[.*\]\(images\/mission-timeline\.svg\)\n/, "") });
    const report = await build({ ...projectConfig(dir), timeout: 5 });
    const [document] = report.documents;
    expect(document?.status).toBe("failed");
    expect(document?.diagnostics.map((d) => d.rule)).toEqual(["browser/retry", "build"]);
    expect(document?.diagnostics[1]?.file).toBe("content/slow.md");
    expect(document?.diagnostics[1]?.message).toMatch(/timeout/i);
  });
});
