/**
 * Press as a user installs it: `npm pack`, then the tarball installed into an empty folder with no
 * network (`npm ci --offline`: the dependencies come from the npm cache the repository's own install
 * filled, at the versions of its lock), `press
 * init`, a build, one partial and one locale overridden, a rebuild. The override shows in the PDF's
 * text, and the cache rebuilds exactly the documents the change touches.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "press-package-"));
const project = path.join(work, "project");
let tarball = "";
let packed: string[] = [];

function npm(args: string[], cwd: string): string {
  return execFileSync("npm", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function pdfText(file: string): Promise<string> {
  return (await readPdf(fs.readFileSync(file))).pageTexts.join("\n");
}

/** A package.json naming the tarball, and a lock with it and Press's run-time dependencies as locked in the repository. */
function writeLockedProject(file: string): void {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
  const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8"));
  const spec = `file:../${path.basename(file)}`;
  const packages: Record<string, unknown> = {
    "": { dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>)) {
    if (key.startsWith("node_modules/") && !entry.dev) packages[key] = entry;
  }
  fs.writeFileSync(
    path.join(project, "package.json"),
    `${JSON.stringify({ dependencies: { [pkg.name]: spec } }, null, 2)}\n`,
  );
  fs.writeFileSync(
    path.join(project, "package-lock.json"),
    `${JSON.stringify({ lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}

function press(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(path.join(project, "node_modules/.bin/press"), args, {
    cwd: project,
    encoding: "utf8",
    env: { ...process.env, CI: "1", NO_COLOR: "1", GITHUB_ACTIONS: "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Status of each document in a build's JSON report, by source. */
function statuses(stdout: string): Record<string, string> {
  const report = JSON.parse(stdout) as { documents: { source: string; status: string }[] };
  return Object.fromEntries(report.documents.map((d) => [d.source, d.status]));
}

beforeAll(() => {
  // The suite's set-up compiled dist/ from these sources already; prepack (which compiles it afresh)
  // is skipped so that it does not rewrite dist/ under the other test files running beside this one.
  const out = npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO);
  const info = JSON.parse(out.slice(out.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info[0]?.filename ?? "");
  packed = (info[0]?.files ?? []).map((f) => f.path);
  fs.mkdirSync(project);
  // No network: npm resolves nothing, it installs the tarball and, from the npm cache the
  // repository's own install filled, exactly the dependency versions of the repository's lock.
  writeLockedProject(tarball);
  npm(["ci", "--offline"], project);
}, 600_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("compiles and bundles dist/ before packing", () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).scripts;
    expect(scripts.prepack).toMatch(/tsc -p tsconfig\.build\.json && npm run --silent bundle$/);
  });

  it("holds what runs (dist, bin, templates, the scaffold) and not the repository's tests or content", () => {
    expect(packed).toContain("dist/cli.js");
    expect(packed).toContain("dist/bundle/press.mjs");
    expect(packed).toContain("dist/bundle/press-worker.mjs");
    expect(packed).toContain("bin/press.js");
    expect(packed).toContain("templates/briefing.hbs");
    expect(packed).toContain("scaffold/content/briefings/weekly-update.md");
    expect(packed.some((f) => /^(tests|content|bench|src)\//.test(f))).toBe(false);
  });

  it("installs without the network, inits a project, builds, and rebuilds exactly what an override changes", async () => {
    const version = press(["--version"], { PRESS_TRACE: "1" });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // npm gives every packed file the same time: the bundle is taken as current, and used.
    expect(version.stderr).toMatch(/^trace \d+ entry dist\/bundle\/press\.mjs$/m);

    const init = press(["init"]);
    expect(init.code).toBe(0);
    expect(fs.existsSync(path.join(project, "content/briefings/weekly-update.md"))).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8"));
    expect(pkg.scripts.build).toBe("press build");
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })).toContain("@press-docs/press");

    const first = press(["build", "--reporter", "json"]);
    expect(first.stderr).toBe("");
    expect(Object.values(statuses(first.stdout))).toEqual(["built", "built"]);
    const briefingPdf = path.join(project, "output/briefings/weekly-update.pdf");
    expect(await pdfText(briefingPdf)).toContain("Weekly Update");

    // One partial (the briefing's page furniture) and one locale label overridden in the project.
    const eject = press(["eject", "partials/page-furniture.hbs"]);
    expect(eject.code).toBe(0);
    const furniture = path.join(project, "templates/partials/page-furniture.hbs");
    const original = fs.readFileSync(furniture, "utf8");
    const footer = '@bottom-{{page.start}} { content: "{{{css-string meta.organisation}}}"; }';
    expect(original).toContain(footer);
    fs.writeFileSync(furniture, original.replace(footer, '@bottom-{{page.start}} { content: "Our own footer"; }'));
    fs.mkdirSync(path.join(project, "templates/locales"), { recursive: true });
    fs.writeFileSync(path.join(project, "templates/locales/en.yaml"), "page: Folio\n");

    const second = press(["build", "--reporter", "json"]);
    expect(second.stderr).toBe("");
    // The furniture is the briefing's alone; the locale is read by both, so both rebuild.
    expect(statuses(second.stdout)).toEqual({
      "content/briefings/weekly-update.md": "built",
      "content/decks/overview.md": "built",
    });
    const text = await pdfText(briefingPdf);
    expect(text).toContain("Our own footer");
    expect(text).toContain("Folio 1 of 1");
    expect(text).not.toContain("Page 1 of 1");

    // Only the partial changes now: the deck, which does not use it, stays as it was.
    fs.writeFileSync(furniture, fs.readFileSync(furniture, "utf8").replace("Our own footer", "Our second footer"));
    const third = press(["build", "--reporter", "json"]);
    expect(statuses(third.stdout)).toEqual({
      "content/briefings/weekly-update.md": "built",
      "content/decks/overview.md": "cached",
    });
    expect(await pdfText(briefingPdf)).toContain("Our second footer");
    const fourth = press(["build", "--reporter", "json"]);
    expect(Object.values(statuses(fourth.stdout))).toEqual(["cached", "cached"]);
  });
});
