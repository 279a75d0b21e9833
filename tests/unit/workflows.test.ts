/**
 * The CI workflows will run where nobody watches them fail: the repository's own and the one
 * `press init` writes parse as YAML, and name only jobs, actions, make targets, npm scripts and
 * press commands that exist. No apt-get install of a browser: the runner's Chrome is used.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { COMMANDS } from "../../src/cli/usage.js";
import { initProject } from "../../src/scaffold/init.js";
import { REPO } from "../support/parse.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
}
interface Workflow {
  name?: string;
  on?: unknown;
  jobs: Record<string, { "runs-on": string; needs?: string | string[]; steps: Step[] }>;
}

const KNOWN_ACTIONS = [
  "actions/checkout@v4",
  "actions/setup-node@v4",
  "actions/upload-artifact@v4",
  "actions/download-artifact@v4",
];

/** Every problem of a workflow, against the project's Makefile targets and npm scripts. */
function problems(workflow: Workflow, project: { makeTargets: string[]; scripts: string[] }): string[] {
  const found: string[] = [];
  const jobs = Object.keys(workflow.jobs ?? {});
  if (!workflow.on) found.push("no trigger (on:)");
  if (jobs.length === 0) found.push("no jobs");
  for (const [id, job] of Object.entries(workflow.jobs ?? {})) {
    if (!job["runs-on"]) found.push(`${id}: no runs-on`);
    for (const need of [job.needs ?? []].flat())
      if (!jobs.includes(need)) found.push(`${id}: needs unknown job ${need}`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) found.push(`${id}: no steps`);
    for (const step of job.steps ?? []) {
      if (!step.uses === !step.run) found.push(`${id}: a step needs exactly one of uses and run`);
      if (step.uses && !KNOWN_ACTIONS.includes(step.uses)) found.push(`${id}: unknown action ${step.uses}`);
      if (step.run) found.push(...commandProblems(id, step.run, project));
    }
  }
  return found;
}

function commandProblems(job: string, script: string, project: { makeTargets: string[]; scripts: string[] }): string[] {
  const found: string[] = [];
  if (/apt-get install[^\n]*chrom/.test(script)) found.push(`${job}: installs a browser with apt-get`);
  for (const match of script.matchAll(/\bmake((?:\s+[\w./-]+)*)/g)) {
    for (const target of (match[1] ?? "").trim().split(/\s+/).filter(Boolean)) {
      if (!project.makeTargets.includes(target)) found.push(`${job}: no make target ${target}`);
    }
  }
  for (const match of script.matchAll(/\bnpm run ([\w:-]+)/g)) {
    if (!project.scripts.includes(match[1] ?? "")) found.push(`${job}: no npm script ${match[1]}`);
  }
  for (const match of script.matchAll(/(?:npx press|node bin\/press\.js)\s+([\w-]+)/g)) {
    if (!((match[1] ?? "") in COMMANDS)) found.push(`${job}: no press command ${match[1]}`);
  }
  return found;
}

function makeTargets(makefile: string): string[] {
  return [...makefile.matchAll(/^([\w./-]+):(?!=)/gm)].map((m) => m[1] ?? "");
}

describe("CI workflows", () => {
  const repoTargets = makeTargets(fs.readFileSync(path.join(REPO, "Makefile"), "utf8"));
  const repoScripts = Object.keys(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts);
  const files = fs.readdirSync(path.join(REPO, ".github/workflows")).filter((f) => /\.ya?ml$/.test(f));

  it("finds the checker's own mistakes", () => {
    const bad = parse(
      "on: push\njobs:\n  a:\n    runs-on: x\n    needs: b\n    steps:\n      - run: make nosuch && npm run nope && npx press buidl\n      - uses: someone/else@v1\n      - run: sudo apt-get install -y chromium-browser\n",
    ) as Workflow;
    expect(problems(bad, { makeTargets: repoTargets, scripts: repoScripts })).toEqual([
      "a: needs unknown job b",
      "a: no make target nosuch",
      "a: no npm script nope",
      "a: no press command buidl",
      "a: unknown action someone/else@v1",
      "a: installs a browser with apt-get",
    ]);
  });

  for (const file of files) {
    it(`.github/workflows/${file} parses and names only what exists`, () => {
      const workflow = parse(fs.readFileSync(path.join(REPO, ".github/workflows", file), "utf8")) as Workflow;
      expect(problems(workflow, { makeTargets: repoTargets, scripts: repoScripts })).toEqual([]);
    });
  }

  it("the workflow press init writes parses and names only what the project it writes has", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-init-ci-"));
    initProject(dir);
    const workflow = parse(fs.readFileSync(path.join(dir, ".github/workflows/press.yml"), "utf8")) as Workflow;
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).scripts);
    expect(problems(workflow, { makeTargets: [], scripts })).toEqual([]);
    expect(JSON.stringify(workflow)).toContain("npx press build");
  });
});
