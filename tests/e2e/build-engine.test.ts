/**
 * The build engine: what rebuilds after each kind of change, reproducible outputs, releases,
 * shards and the JSON report.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { build, selectShard } from "../../src/build.js";
import { check } from "../../src/check.js";
import { discoverInputs } from "../../src/load/discover.js";
import { mergeRelease, release } from "../../src/release/release.js";
import type { Diagnostic } from "../../src/report/diagnostic.js";
import { sha256 } from "../../src/write/cache.js";
import { REPO } from "../support/parse.js";
import { makeProject, projectConfig, writeFiles } from "../support/project.js";

const FILES = {
  "content/one.md": "---\ntitle: One\n---\n\n# Section\n\nText one.\n",
  "content/two.md": "---\ntitle: Two\n---\n\n# Section\n\nText two.\n",
  "content/deck.md": "---\nkind: slides\ntitle: Deck\n---\n\n# Slide\n\n- point\n",
};
const EPOCH = { SOURCE_DATE_EPOCH: "1767225600" };

const statuses = (report: Awaited<ReturnType<typeof build>>) =>
  Object.fromEntries(report.documents.map((d) => [path.basename(d.source), d.status]));

describe("incremental builds", () => {
  it("rebuild nothing when nothing changed (and start no browser), one document when it changed, the users of a template when it changed", async () => {
    const dir = makeProject(FILES, { templates: true });
    const first = await build(projectConfig(dir, {}, EPOCH));
    expect(statuses(first)).toEqual({ "one.md": "built", "two.md": "built", "deck.md": "built" });
    expect(first.browserStarted).toBe(true);

    const again = await build(projectConfig(dir, {}, EPOCH));
    expect(statuses(again)).toEqual({ "one.md": "cached", "two.md": "cached", "deck.md": "cached" });
    expect(again.browserStarted).toBe(false);

    writeFiles(dir, { "content/two.md": `${FILES["content/two.md"]}\nMore text.\n` });
    expect(statuses(await build(projectConfig(dir, {}, EPOCH)))).toEqual({
      "one.md": "cached",
      "two.md": "built",
      "deck.md": "cached",
    });

    fs.appendFileSync(path.join(dir, "templates/css/slides.css"), "\n.slide { letter-spacing: 0; }\n");
    expect(statuses(await build(projectConfig(dir, {}, EPOCH)))).toEqual({
      "one.md": "cached",
      "two.md": "cached",
      "deck.md": "built",
    });

    fs.appendFileSync(path.join(dir, "templates/partials/cover.hbs"), "\n");
    expect(statuses(await build(projectConfig(dir, {}, EPOCH)))).toEqual({
      "one.md": "built",
      "two.md": "built",
      "deck.md": "cached",
    });

    expect(statuses(await build(projectConfig(dir, { force: true }, EPOCH)))).toEqual({
      "one.md": "built",
      "two.md": "built",
      "deck.md": "built",
    });
  });

  it("fails a document whose template leaves out its body, or a slide's content, at the template, the others built", async () => {
    const dir = makeProject(FILES, { templates: true });
    const edit = (file: string, from: string) => {
      const full = path.join(dir, "templates", file);
      const text = fs.readFileSync(full, "utf8");
      expect(text).toContain(from);
      fs.writeFileSync(full, text.replace(from, ""));
    };
    // Both built, exit 0, outputs that held none of the documents' text.
    edit("briefing.hbs", "{{{body}}}");
    edit("partials/slide.hbs", "{{{html}}}");
    const report = await build(projectConfig(dir, { formats: "html" }, EPOCH));
    expect(statuses(report)).toEqual({ "one.md": "failed", "two.md": "failed", "deck.md": "failed" });
    const said = report.documents.flatMap((d) => d.diagnostics.map((x) => `${x.file} ${x.rule}: ${x.message}`));
    expect(said).toContain(
      "templates/briefing.hbs template/content: the template (with its partials) does not print the document's body ({{{body}}}): the outputs would lose it",
    );
    expect(said).toContain(
      "templates/slides.hbs template/content: the template (with its partials) does not print slide 2 ({{{html}}}): the outputs would lose it",
    );
    expect(fs.existsSync(path.join(dir, "output", "one.html"))).toBe(false);
  });

  it("stops a document whose partials call each other twice over, level after level, and builds the others", async () => {
    const dir = makeProject(FILES, { templates: true });
    // Thirty levels, each calling the next twice: a billion copies, and the build died of memory.
    for (let i = 0; i < 30; i++)
      fs.writeFileSync(path.join(dir, `templates/partials/x${i}.hbs`), `{{> x${i + 1}}}{{> x${i + 1}}}`);
    fs.writeFileSync(path.join(dir, "templates/partials/x30.hbs"), "<b>{{meta.title}}</b>");
    const cover = path.join(dir, "templates/briefing.hbs");
    fs.writeFileSync(cover, fs.readFileSync(cover, "utf8").replace("{{> cover}}", "{{> cover}}{{> x0}}"));
    const report = await build(projectConfig(dir, { formats: "html" }, EPOCH));
    expect(statuses(report)).toEqual({ "one.md": "failed", "two.md": "failed", "deck.md": "built" });
    const said = report.documents.find((d) => d.source.endsWith("one.md"))?.diagnostics.map((d) => d.message) ?? [];
    expect(said.join("\n")).toMatch(
      /partials were called more than 1,000,000 times for one document \(x\d+\.hbs the last\)/,
    );
  });

  it("says a partial's mistake at the partial's own line and column, not at the template that calls it", async () => {
    const dir = makeProject(FILES, { templates: true });
    const cover = path.join(dir, "templates/partials/cover.hbs");
    const text = fs.readFileSync(cover, "utf8");
    const at = text.split("\n").findIndex((line) => line.includes("{{meta.title}}"));
    expect(at).toBeGreaterThanOrEqual(0);
    fs.writeFileSync(cover, text.replace("{{meta.title}}", "{{meta.titel}}"));
    // The column of the name, inside the braces.
    const column = (text.split("\n")[at] ?? "").indexOf("meta.title") + 1;
    const report = await build(projectConfig(dir, { formats: "html" }, EPOCH));
    const said = report.documents.find((d) => d.source.endsWith("one.md"))?.diagnostics ?? [];
    // It was `templates/briefing.hbs: "titel" not defined in [object Object] - 9:30`.
    expect(said.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}: ${d.message}`)).toEqual([
      `${path.relative(process.cwd(), cover)}:${at + 1}:${column} template/render: "titel" not defined`,
    ]);
  });

  it("says how many words a theme's stylesheet hides from the print, in a briefing and a deck", async () => {
    const dir = makeProject({
      ...FILES,
      "content/one.md":
        "---\ntitle: One\n---\n\n# Section\n\nShown words, <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>.\n\n| Key | Value |\n|---|---|\n| hiddenkey | hiddenvalue |\n",
      "theme.css": "table { display: none; }\n.slide-body ul { visibility: hidden; }\n",
      "press.config.yaml": "theme:\n  css: theme.css\n",
    });
    const report = await build(projectConfig(dir, {}, EPOCH));
    const said = (name: string) =>
      report.documents
        .find((d) => d.source.endsWith(name))
        ?.diagnostics.filter((d) => d.rule === "css/hidden")
        .map((d) => `${d.severity}: ${d.message}`);
    // The PDFs lacked those words, exit 0, without a word.
    expect(said("one.md")).toEqual([
      'warning: the stylesheets hide 4 words of the document from the print, from "Key": the PDF does not hold them',
    ]);
    expect(said("two.md")).toEqual([]);
    expect(said("deck.md")).toEqual([
      'warning: the stylesheets hide 1 word of the document from the print, from "point": the PDF does not hold them',
    ]);
  });

  it("says which pages of an output lack the classification marking (a template without its page furniture)", async () => {
    const marked = (text: string) => text.replace(/^---\n/, "---\nclassification: SECRET\n");
    const dir = makeProject(
      {
        "content/one.md": marked(`${FILES["content/one.md"]}\n# Second\n\n::pagebreak\n\nMore.\n`),
        "content/deck.md": marked(FILES["content/deck.md"]),
        // Under opacity, Chromium draws the marking in a form XObject: it is on the page still.
        "theme.css": ".slide-marking { opacity: 0.85; }\n",
        "press.config.yaml": "theme:\n  css: theme.css\n",
      },
      { templates: true },
    );
    // Before the templates are touched, every page has it.
    const whole = await build(projectConfig(dir, {}, EPOCH));
    expect(whole.documents.flatMap((d) => d.diagnostics.filter((x) => x.rule === "marking/missing"))).toEqual([]);
    for (const [file, partial] of [
      ["briefing.hbs", "{{> page-furniture}}"],
      ["partials/slide.hbs", "{{> slide-furniture}}"],
    ] as const) {
      const full = path.join(dir, "templates", file);
      fs.writeFileSync(full, fs.readFileSync(full, "utf8").replaceAll(partial, ""));
    }
    // Built, exit 0, pages with no marking, without a word.
    const report = await build(projectConfig(dir, {}, EPOCH));
    const said = report.documents.flatMap((d) =>
      d.diagnostics.filter((x) => x.rule === "marking/missing").map((x) => `${x.severity}: ${x.message}`),
    );
    expect(said).toEqual([
      'warning: the marking "SECRET" is not on pages 1, 2 of output/deck.pdf',
      'warning: the marking "SECRET" is not on pages 3, 4 of output/one.pdf',
    ]);
  });

  it("lets a strict build (press release) reuse a build's outputs that gave no warning, and rebuild one that did", async () => {
    const dir = makeProject({
      "content/clean.md": "---\ntitle: Clean\n---\n\nText.\n",
      "content/warned.md": "---\ntitle: Warned\n---\n\n![A chart](missing.png)\n",
    });
    expect(statuses(await build(projectConfig(dir, { formats: "html" }, EPOCH)))).toEqual({
      "clean.md": "built",
      "warned.md": "built",
    });
    // Strict, the missing image is an error: that document is built again, and fails.
    const strict = await build(projectConfig(dir, { formats: "html", strict: true }, EPOCH));
    expect(statuses(strict)).toEqual({ "clean.md": "cached", "warned.md": "failed" });
    // A strict build's record stands for a build that is not.
    expect(statuses(await build(projectConfig(dir, { formats: "html" }, EPOCH)))).toEqual({
      "clean.md": "cached",
      "warned.md": "built",
    });
  });

  it("rebuilds a document whose output was deleted or altered, and one whose image changed", async () => {
    const dir = makeProject({
      "content/a.md": "---\ntitle: A\n---\n\n![Chart](chart.svg)\n",
      "content/chart.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    });
    const config = projectConfig(dir, { formats: "html" }, EPOCH);
    await build(config);
    fs.writeFileSync(path.join(config.outDir, "a.html"), "tampered");
    expect(statuses(await build(config))).toEqual({ "a.md": "built" });
    expect(statuses(await build(config))).toEqual({ "a.md": "cached" });
    fs.writeFileSync(
      path.join(dir, "content/chart.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>',
    );
    expect(statuses(await build(config))).toEqual({ "a.md": "built" });
  });
});

describe("reproducible releases", () => {
  it("gives byte-identical outputs and archive from two clean builds, with a manifest whose checksums match", async () => {
    const sums: string[] = [];
    // The second build renders one page at a time, so each document lands in another page of the
    // pool after other documents: nothing of that may show in the bytes.
    for (const concurrency of ["2", "1"]) {
      // Named, since an unnamed project's release is called after its folder, which differs here.
      const dir = makeProject({ ...FILES, "press.config.yaml": "name: press\norganisation: Test Unit\n" });
      const result = await release(projectConfig(dir, { concurrency }, EPOCH));
      if (!("archive" in result)) throw new Error("release failed");
      const archive = fs.readFileSync(result.archive);
      sums.push(sha256(archive));
      for (const artefact of result.manifest.artefacts) {
        expect(sha256(fs.readFileSync(path.join(dir, "output", artefact.path))), artefact.path).toBe(artefact.sha256);
      }
      expect(result.manifest.artefacts.map((a) => [a.path, a.kind])).toEqual([
        ["deck.handout.pdf", "handout"],
        ["deck.html", "deck"],
        ["deck.pdf", "deck"],
        ["one.html", "briefing"],
        ["one.pdf", "briefing"],
        ["two.html", "briefing"],
        ["two.pdf", "briefing"],
      ]);
      expect(fs.readFileSync(result.checksums, "utf8")).toBe(
        `${sums.at(-1)}  press-${result.manifest.version}.tar.gz\n`,
      );
      const tar = gunzipSync(archive).toString("latin1");
      expect(tar).toContain(`press-${result.manifest.version}/SHA256SUMS`);
      expect(tar).toContain(`press-${result.manifest.version}/index.html`);
      const index = fs.readFileSync(path.join(dir, "output/index.html"), "utf8");
      expect(index).toContain('<a href="deck.handout.pdf">Handout PDF</a> (1 pages)');
    }
    expect(sums[0]).toBe(sums[1]);
  });

  it("splits the documents into shards that cover each exactly once, and merges their releases", async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) files[`content/doc-${i}.md`] = `# Document ${i}\n\nText.\n`;
    const dir = makeProject(files);
    const inputs = discoverInputs(["content"], path.join(dir, "content"), dir);
    const parts = [1, 2, 3].map((index) =>
      selectShard(inputs, { shard: { index, count: 3 } }).map((i) => i.outputStem),
    );
    expect(parts.flat().sort()).toEqual(inputs.map((i) => i.outputStem).sort());
    expect(new Set(parts.flat()).size).toBe(12);
    expect(parts.every((p) => p.length > 0)).toBe(true);

    const shardDirs: string[] = [];
    for (const index of [1, 2, 3]) {
      const out = path.join(dir, `shard-${index}`);
      const result = await release(projectConfig(dir, { out, formats: "html", shard: `${index}/3` }, EPOCH));
      expect("archive" in result).toBe(true);
      shardDirs.push(out);
    }
    const merged = mergeRelease(projectConfig(dir, { out: path.join(dir, "merged") }, EPOCH), shardDirs);
    expect(merged.manifest.artefacts.map((a) => a.path).sort()).toEqual(
      inputs.map((i) => `${i.outputStem}.html`).sort(),
    );
  });
});

describe("the JSON report", () => {
  it("lists each document's status, outputs with pages and checksums, time, warnings and errors", () => {
    const dir = makeProject({
      "content/good.md": "# Good\n\n:::nosuch\nText.\n:::\n",
      "content/bad.md": "---\ntitle: [\n---\n",
    });
    const result = spawnSync(process.execPath, [path.join(REPO, "bin/press.js"), "build", "--reporter", "json"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, ...EPOCH },
    });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    const [bad, good] = report.documents;
    expect(bad).toMatchObject({ source: "content/bad.md", status: "failed", outputs: [] });
    expect(bad.errors[0]).toMatchObject({ file: "content/bad.md", line: 2, severity: "error" });
    expect(good).toMatchObject({ source: "content/good.md", status: "built", title: "Good", kind: "briefing" });
    expect(good.warnings[0]).toMatchObject({ line: 3, column: 1, rule: "unknown-directive" });
    expect(good.outputs.map((o: { path: string }) => o.path)).toEqual(["output/good.html", "output/good.pdf"]);
    expect(good.outputs[0].pages).toBeNull();
    expect(good.outputs[1].pages).toBeGreaterThan(1);
    expect(good.outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof good.milliseconds).toBe("number");
  });
});

describe("symbolic links in the content folder", () => {
  it("are followed to files and folders, each folder once; a loop named directly is one line", () => {
    const dir = makeProject({ "content/own.md": "# Own\n\nText.\n", "shared/s.md": "# Shared\n\nText.\n" });
    fs.symlinkSync("../shared", path.join(dir, "content/shared"));
    fs.mkdirSync(path.join(dir, "content/sub"));
    fs.symlinkSync("../../shared/s.md", path.join(dir, "content/sub/linked.md"));
    // A link back up the tree, a broken one, and a loop of two.
    fs.symlinkSync("..", path.join(dir, "content/sub/up"));
    fs.symlinkSync("nowhere.md", path.join(dir, "content/broken.md"));
    fs.symlinkSync("a.md", path.join(dir, "content/b.md"));
    fs.symlinkSync("b.md", path.join(dir, "content/a.md"));
    const warnings: Diagnostic[] = [];
    const inputs = discoverInputs(["content"], path.join(dir, "content"), dir, warnings);
    expect(inputs.map((i) => i.outputStem)).toEqual(["own", "shared/s", "sub/linked"]);
    expect(() => discoverInputs(["content/a.md"], path.join(dir, "content"), dir)).toThrow(
      "content/a.md: a loop of symbolic links, which leads to no file",
    );
    // The broken link and the loop are passed over, and said: they were passed over without a word.
    expect(warnings.map((w) => `${w.file} ${w.rule}: ${w.message}`)).toEqual([
      "content/a.md inputs/broken-link: a symbolic link to b.md, which leads to no file: passed over",
      "content/b.md inputs/broken-link: a symbolic link to a.md, which leads to no file: passed over",
      "content/broken.md inputs/broken-link: a symbolic link to nowhere.md, which leads to no file: passed over",
    ]);
  });

  it("are said in a build's report and by press check, as are names that differ only in case", async () => {
    const dir = makeProject({ "content/guide.md": "# Guide\n\nText.\n", "content/Guide.md": "# Guide\n\nOther.\n" });
    fs.symlinkSync("gone.md", path.join(dir, "content/old.md"));
    const config = projectConfig(dir, { formats: "html" });
    const report = await build(config);
    expect(report.documents.map((d) => d.status)).toEqual(["built", "built"]);
    const said = report.diagnostics.map((d) => `${d.file} ${d.severity} ${d.rule}`);
    expect(said).toEqual(["content/old.md warning inputs/broken-link", "content/Guide.md warning inputs/case"]);
    expect(report.diagnostics[1]?.message).toMatch(
      /^content\/guide\.md and content\/Guide\.md are written to guide\.html and Guide\.html/,
    );
    const checked = await check(config, { browser: false });
    expect(checked.diagnostics.map((d) => d.rule)).toEqual(
      expect.arrayContaining(["inputs/broken-link", "inputs/case"]),
    );
  });
});
