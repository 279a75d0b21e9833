/**
 * `press watch`: serves the output on 127.0.0.1, rebuilds on save, tells the page to reload,
 * shows a broken document's error, keeps running, and stops cleanly on SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";
import { makeProject } from "../support/project.js";

const dir = makeProject({ "content/a.md": "---\ntitle: Watched\n---\n\n# One\n\nFirst text.\n" });
let child: ChildProcess | undefined;
let log = "";

function waitFor<T>(what: string, check: () => T | undefined, seconds = 60): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > seconds * 1000) return reject(new Error(`waited too long for ${what}; log:\n${log}`));
      setTimeout(poll, 50);
    };
    poll();
  });
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = "";
        response.on("data", (chunk) => {
          body += chunk;
        });
        response.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

afterAll(() => {
  child?.kill("SIGKILL");
});

describe("press watch", () => {
  it("serves, rebuilds on save, signals a reload, reports a broken document and keeps running", async () => {
    child = spawn(process.execPath, [path.join(REPO, "bin/press.js"), "watch", "--port", "0", "--reporter", "plain"], {
      cwd: dir,
      env: { ...process.env, CI: "1" },
    });
    child.stdout?.on("data", (d) => {
      log += d;
    });
    child.stderr?.on("data", (d) => {
      log += d;
    });
    const url = await waitFor("the server", () => /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log)?.[1]);

    const page = await get(`${url}a.html`);
    expect(page).toContain("First text.");
    expect(page).toContain('<script src="/__press/live.js"></script>');
    expect(fs.readFileSync(path.join(dir, "output/a.html"), "utf8")).not.toContain("live.js");

    const events: string[] = [];
    http.get(`${url}__press/events`, (response) => {
      response.on("data", (chunk) => events.push(String(chunk)));
    });
    await waitFor("the event stream", () => (events.length > 0 ? true : undefined));

    fs.writeFileSync(path.join(dir, "content/a.md"), "---\ntitle: Watched\n---\n\n# One\n\nSecond text.\n");
    await waitFor("the new HTML", () =>
      fs.readFileSync(path.join(dir, "output/a.html"), "utf8").includes("Second text.") ? true : undefined,
    );
    await waitFor("a reload event", () => (events.join("").includes("event: reload") ? true : undefined));
    await waitFor("the PDF", () =>
      /built content\/a\.md.*a\.pdf[\s\S]*built content\/a\.md.*a\.pdf/.test(log) ? true : undefined,
    );

    fs.writeFileSync(path.join(dir, "content/a.md"), "---\ntitle: [broken\n---\n");
    const error = await waitFor(
      "the error event",
      () => /event: errors\ndata: (\[".*content\/a\.md:2:\d+: error.*\])/.exec(events.join(""))?.[1],
    );
    expect(JSON.parse(error)[0]).toMatch(/^content\/a\.md:2:\d+: error: /);
    expect(child.exitCode).toBeNull();

    child.kill("SIGTERM");
    const code = await waitFor("the exit", () => child?.exitCode ?? undefined);
    expect(code).toBe(143);
  });
});
