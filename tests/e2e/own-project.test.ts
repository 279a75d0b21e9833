/**
 * Press in a user's own folder: templates overlaid file by file, a cache that sees which templates
 * and which Press built an output, the project root, outputs that would overwrite each other,
 * `watch` of a file outside content/, and user mistakes said as such (ports, merges).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../support/parse.js";
import { pdfFonts } from "../support/pdf.js";
import { writeFiles } from "../support/project.js";

const PRESS = path.join(REPO, "bin/press.js");
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

function press(args: string[], cwd: string, bin = PRESS) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "1", GITHUB_ACTIONS: "" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function folder(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-own-"));
  writeFiles(dir, files);
  return dir;
}

const BRIEFING = "---\ntitle: Weekly\n---\n\n# Situation\n\nText.\n";

describe("templates by overlay and the cache", () => {
  it("takes one partial from the project and the rest from Press, and rebuilds when the overlay appears", () => {
    const dir = folder({ "press.config.yaml": "organisation: Unit\n", "content/weekly.md": BRIEFING });
    expect(press(["build", "--format", "html"], dir).stdout).toContain("1 built, 0 up to date");
    expect(press(["build", "--format", "html"], dir).stdout).toContain("0 built, 1 up to date");

    const cover = fs.readFileSync(path.join(REPO, "templates/partials/cover.hbs"), "utf8");
    writeFiles(dir, { "templates/partials/cover.hbs": `<p class="own-cover">OUR OWN COVER</p>\n${cover}` });
    const second = press(["build", "--format", "html"], dir);
    expect(second.stderr).toBe("");
    expect(second.stdout).toContain("1 built, 0 up to date");
    const html = fs.readFileSync(path.join(dir, "output/weekly.html"), "utf8");
    expect(html).toContain("OUR OWN COVER");
    expect(html).toContain("Situation");

    // A project locale with one label: that label changes, the others stay Press's.
    writeFiles(dir, { "templates/locales/en.yaml": "contents: Inhalt\n" });
    expect(press(["build", "--format", "html"], dir).stdout).toContain("1 built, 0 up to date");
    const relabelled = fs.readFileSync(path.join(dir, "output/weekly.html"), "utf8");
    expect(relabelled).toContain("Inhalt");
    expect(relabelled).toContain("Page");
  });

  it("keeps a record for each place a source is built to: named alone or through its folder", () => {
    const dir = folder({ "press.config.yaml": "", "papers/2026/q2/mini.md": BRIEFING.replace("Text.", "OLDTEXT.") });
    const html = (at: string) => fs.readFileSync(path.join(dir, "output", at), "utf8");
    // Through a folder below: the file goes to output/mini.html; through papers, to 2026/q2/mini.html.
    expect(press(["build", "--format", "html", "papers/2026/q2"], dir).stdout).toContain("1 built");
    expect(press(["build", "--format", "html", "papers"], dir).stdout).toContain("1 built, 0 up to date");
    expect(fs.existsSync(path.join(dir, "output/2026/q2/mini.html"))).toBe(true);
    fs.writeFileSync(path.join(dir, "papers/2026/q2/mini.md"), BRIEFING.replace("Text.", "NEWTEXT."));
    expect(press(["build", "--format", "html", "papers/2026/q2/mini.md"], dir).stdout).toContain("1 built");
    expect(html("mini.html")).toContain("NEWTEXT");
    // The folder's record is of the old text: rebuilt there, not "up to date" with OLDTEXT left.
    expect(press(["build", "--format", "html", "papers"], dir).stdout).toContain("1 built, 0 up to date");
    expect(html("2026/q2/mini.html")).toContain("NEWTEXT");
    expect(press(["build", "--format", "html", "papers"], dir).stdout).toContain("0 built, 1 up to date");
  });

  it("removes the outputs of a source renamed or deleted, unless changed since Press wrote them", () => {
    const dir = folder({ "content/weekly-update.md": BRIEFING, "content/b.md": BRIEFING, "content/c.md": BRIEFING });
    expect(press(["build", "--format", "html"], dir).stdout).toContain("3 built");
    fs.renameSync(path.join(dir, "content/weekly-update.md"), path.join(dir, "content/weekly.md"));
    fs.rmSync(path.join(dir, "content/b.md"));
    fs.rmSync(path.join(dir, "content/c.md"));
    fs.appendFileSync(path.join(dir, "output/c.html"), "<!-- edited by hand -->\n");
    const again = press(["build", "--format", "html"], dir);
    expect(again.stdout).toContain("removed output/weekly-update.html (its source is gone)");
    expect(again.stdout).toContain("removed output/b.html (its source is gone)");
    expect(fs.readdirSync(path.join(dir, "output")).sort()).toEqual(["c.html", "weekly.html"]);
    // Said once: the records went with the files.
    expect(press(["build", "--format", "html"], dir).stdout).not.toContain("removed");
  });

  it("rebuilds everything when Press's own code changed, even with the same version", () => {
    const copy = folder();
    for (const name of ["bin", "dist", "templates", "package.json"]) {
      fs.cpSync(path.join(REPO, name), path.join(copy, name), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(copy, "node_modules"));
    const bin = path.join(copy, "bin/press.js");
    const dir = folder({ "press.config.yaml": "", "content/weekly.md": BRIEFING });
    expect(press(["build", "--format", "html"], dir, bin).stdout).toContain("1 built");
    expect(press(["build", "--format", "html"], dir, bin).stdout).toContain("0 built, 1 up to date");
    fs.appendFileSync(path.join(copy, "dist/kinds/briefing.js"), "\n// a changed Press\n");
    expect(press(["build", "--format", "html"], dir, bin).stdout).toContain("1 built, 0 up to date");
  });
});

describe("inputs and the project root", () => {
  it("refuses two inputs that would write the same output, naming both, and writes nothing", () => {
    const dir = folder({ "a/notes.md": "# A\n", "b/notes.md": "# B\n" });
    const result = press(["build", "a/notes.md", "b/notes.md", "--format", "html"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/a\/notes\.md and b\/notes\.md would both be written to notes/);
    expect(fs.existsSync(path.join(dir, "output"))).toBe(false);
  });

  it("refuses a document that would write over a deck's handout, a pipe named as input, and builds a folder before a link to it", () => {
    // Written as YAML allows (a comment after the value): a deck still.
    const deck = "---\nkind: slides # a deck\ntitle: Deck\n---\n\n# One\n";
    const dir = folder({ "content/deck.md": deck, "content/deck.handout.md": "# Handout notes\n" });
    const shared = press(["build", "--format", "html"], dir);
    expect(shared.code).toBe(2);
    expect(shared.stderr.trim()).toBe(
      "press: content/deck.handout.md would be written to deck.handout.pdf, where the deck content/deck.md writes its handout: rename one",
    );
    // A briefing named so beside a briefing writes no handout: no conflict.
    fs.writeFileSync(path.join(dir, "content/deck.md"), "# Not a deck\n");
    expect(press(["build", "--format", "html"], dir).code).toBe(0);

    const piped = folder({ "content/a.md": "# A\n" });
    spawnSync("mkfifo", [path.join(piped, "content/pipe.md")]);
    const fifo = press(["build", "content/pipe.md", "--format", "html"], piped);
    expect([fifo.code, fifo.stderr.trim()]).toEqual([
      2,
      "press: content/pipe.md: not a regular file (a pipe, a device or a socket): Press reads files",
    ]);

    const linked = folder({
      "content/reports/q3.md": "# Q3\n",
      "content/z/deep/q4.md": "# Q4\n",
      "content/a/.keep": "",
    });
    fs.symlinkSync("reports", path.join(linked, "content/archive-2025"));
    // A link in a folder walked before the one it points into, too.
    fs.symlinkSync("../z/deep", path.join(linked, "content/a/current"));
    expect(press(["build", "--format", "html"], linked).code).toBe(0);
    expect(fs.existsSync(path.join(linked, "output/reports/q3.html"))).toBe(true);
    expect(fs.existsSync(path.join(linked, "output/z/deep/q4.html"))).toBe(true);
    expect(fs.existsSync(path.join(linked, "output/archive-2025"))).toBe(false);
    expect(fs.existsSync(path.join(linked, "output/a/current"))).toBe(false);
  });

  it("points links between documents at their HTML, and says a link to a document that is not there", () => {
    const dir = folder({
      "content/guide.md":
        "# Guide\n\nSee [the API](api/README.md#setup), [notes](notes.markdown) and [gone](old/gone.md).\n\nFrom the root: [notes again](/content/notes.markdown).\n",
      "content/api/README.md": "# API\n\n## Setup\n",
      "content/notes.markdown": "# Notes\n\nText.\n",
    });
    const result = press(["build", "--format", "html"], dir);
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n").filter((l) => l && !l.startsWith("  hint"))).toEqual([
      "content/guide.md:3:65: warning: link to a document that is not there: old/gone.md [links/document]",
    ]);
    const html = fs.readFileSync(path.join(dir, "output/guide.html"), "utf8");
    expect(html).toContain('href="api/README.html#setup"');
    expect(html).toContain('href="notes.html"');
    expect(html).toContain('href="notes.html">notes again</a>');
    expect(fs.existsSync(path.join(dir, "output/api/README.html"))).toBe(true);
  });

  it("says when a build writes an output an earlier build wrote from another source", () => {
    const dir = folder({
      "content/guide/README.md": "# Content guide\n\nText.\n",
      "docs/guide/README.md": "# Docs guide\n\nText.\n",
    });
    expect(press(["build", "--format", "html"], dir).code).toBe(0);
    const second = press(["build", "docs", "--format", "html"], dir);
    expect(second.code).toBe(0);
    expect(second.stderr.split("\n").filter((l) => l && !l.startsWith("  hint"))).toEqual([
      "docs/guide/README.md:1:1: warning: output/guide/README.html was written from content/guide/README.md by an earlier build, and now from this document [build/overwrite]",
    ]);
    expect(fs.readFileSync(path.join(dir, "output/guide/README.html"), "utf8")).toContain("Docs guide");
    // Said once: the next build of the same is up to date, and quiet.
    const third = press(["build", "docs", "--format", "html"], dir);
    expect([third.code, third.stderr]).toEqual([0, ""]);
  });

  it("reads a file that opens with --- and a blank line as opening with a rule, not front matter", () => {
    const dir = folder({
      "content/hr.md": "---\n\nSome text between rules.\n\n---\n",
      // Front matter whose first line is blank is front matter still, as remark, Jekyll and Hugo read it.
      "content/fm.md": "---\n\ntitle: Blank first line\nclassification: SECRET\n---\n\n# Hello\n\nBody.\n",
    });
    const result = press(["build", "--format", "html"], dir);
    expect([result.code, result.stderr]).toEqual([0, ""]);
    const html = fs.readFileSync(path.join(dir, "output/hr.html"), "utf8");
    expect(html).toMatch(/<hr>\s*<p>Some text between rules.<\/p>\s*<hr>/);
    const fm = fs.readFileSync(path.join(dir, "output/fm.html"), "utf8");
    expect(fm).toContain("<title>Blank first line</title>");
    expect(fm).toContain("SECRET");
    expect(fm).not.toContain("classification:");
  });

  it("takes the nearest folder with package.json as the root, so an image beside a file above resolves", () => {
    const dir = folder({
      "package.json": "{}\n",
      "weekly.md": "# Weekly\n\n![A dot](dot.png)\n",
      "sub/.keep": "",
    });
    fs.writeFileSync(path.join(dir, "dot.png"), PNG);
    const result = press(["build", "../weekly.md", "--format", "html"], path.join(dir, "sub"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "output/weekly.html"), "utf8")).toContain("data:image/png;base64,");
  });

  it("resolves the images beside a file named from outside any project", () => {
    const dir = folder({ "doc/weekly.md": "# Weekly\n\n![A dot](dot.png)\n", "elsewhere/.keep": "" });
    fs.writeFileSync(path.join(dir, "doc/dot.png"), PNG);
    const result = press(["build", "../doc/weekly.md", "--format", "html", "-o", "out"], path.join(dir, "elsewhere"));
    expect(result.stderr).toBe("");
    expect(fs.readFileSync(path.join(dir, "elsewhere/out/weekly.html"), "utf8")).toContain("data:image/png;base64,");
  });
});

describe("releases", () => {
  it("writes a shard's archive inside the folder --out names, not at the root", () => {
    const dir = folder({ "press.config.yaml": "", "content/one.md": "# One\n", "content/two.md": "# Two\n" });
    for (const shard of ["1/2", "2/2"]) {
      const out = `shard-${shard[0]}`;
      expect(press(["release", "--shard", shard, "--out", out, "--format", "html"], dir).code).toBe(0);
      expect(fs.readdirSync(path.join(dir, out, "release")).some((f) => f.endsWith(".tar.gz"))).toBe(true);
    }
    expect(fs.existsSync(path.join(dir, "release"))).toBe(false);
  });

  it("says in one line that a folder to merge does not exist, or is not a shard's output", () => {
    const dir = folder({ "press.config.yaml": "", "empty/.keep": "" });
    const missing = press(["release", "--merge", "/nonexistent"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("/nonexistent: no such folder");
    expect(missing.stderr).not.toMatch(/internal error|ENOENT/);
    const empty = press(["release", "--merge", "empty"], dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("empty holds no manifest.json");
  });
});

describe("releases named after the project", () => {
  it("takes the name and version from package.json, or --name", () => {
    const dir = folder({
      "package.json": JSON.stringify({ name: "@unit/weekly-briefings", version: "2.1.0" }),
      "content/one.md": "# One\n",
    });
    expect(press(["release", "--format", "html"], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, "release/weekly-briefings-2.1.0.tar.gz"))).toBe(true);
    expect(fs.readFileSync(path.join(dir, "output/index.html"), "utf8")).toContain("<title>weekly-briefings</title>");
    expect(press(["release", "--format", "html", "--name", "Unit Papers"], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, "release/Unit-Papers-2.1.0.tar.gz"))).toBe(true);
  });

  it("keeps a docs tree's own index.md, naming the catalogue catalogue.html, and links odd names that open", () => {
    const dir = folder({
      "content/index.md": "# Home page\n\nWelcome home.\n",
      // And one named as the catalogue would be next: the catalogue takes a name no document has.
      "content/catalogue.md": "# Catalogue of parts\n\nCATALOGUE DOC TEXT.\n",
      "content/hash#1.md": "# Hash\n",
      "content/q?x.md": "# Query\n",
    });
    const result = press(["release", "--format", "html"], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      "release: the catalogue is catalogue-2.html: index.html is a document's own (content/index.md)",
    );
    expect(fs.readFileSync(path.join(dir, "output/index.html"), "utf8")).toContain("Welcome home.");
    expect(fs.readFileSync(path.join(dir, "output/catalogue.html"), "utf8")).toContain("CATALOGUE DOC TEXT.");
    const catalogue = fs.readFileSync(path.join(dir, "output/catalogue-2.html"), "utf8");
    expect(catalogue).toContain('href="hash%231.html"');
    expect(catalogue).toContain('href="q%3Fx.html"');
    expect(catalogue).toContain('href="index.html"');
  });
});

describe("themes, init and eject", () => {
  const LOGO =
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#8b1a1a"/></svg>';

  it("applies a theme's colours, logo and stylesheet, and rebuilds when the logo changes", () => {
    const dir = folder({
      "press.config.yaml": 'theme:\n  logo: brand/logo.svg\n  accent: "#8b1a1a"\n  css: brand/extra.css\n',
      "brand/logo.svg": LOGO,
      "brand/extra.css": ".cover-title { letter-spacing: 0.01em; } /* our own */\n",
      "content/weekly.md": BRIEFING,
    });
    expect(press(["build", "--format", "html"], dir).stdout).toContain("1 built");
    const html = fs.readFileSync(path.join(dir, "output/weekly.html"), "utf8");
    expect(html).toContain("--accent: #8b1a1a;");
    expect(html).toContain('class="cover-logo" src="data:image/svg+xml;base64,');
    expect(html).toContain("/* our own */");
    fs.writeFileSync(path.join(dir, "brand/logo.svg"), LOGO.replace("#8b1a1a", "#1a8b1a"));
    expect(press(["build", "--format", "html"], dir).stdout).toContain("1 built, 0 up to date");
  });

  it("refuses a theme it cannot use, in one line naming press.config.yaml at the key's line and column", () => {
    const dir = folder({
      "press.config.yaml":
        'theme:\n  accent: "red; } body { display: none"\n  logo: none.png\n  body-font: "@fontsource/not-installed-here"\n  muted: notacolour\n  rule: SteelBlue\n  acent-2: "#c47d12"\n',
      "a.md": "# A\n",
    });
    const result = press(["build", "a.md"], dir);
    expect(result.code).toBe(2);
    // Each at its line and column, as a mistake in front matter is.
    expect(result.stderr).toContain('press.config.yaml:2:3: error: theme: "accent" must be a CSS colour');
    expect(result.stderr).toContain('press.config.yaml:3:3: error: theme: "logo": no such file none.png [theme]');
    expect(result.stderr).toContain(
      'press.config.yaml:7:3: error: theme: unknown key "acent-2" [theme]\n  hint: did you mean "accent-2"?',
    );
    // Said as a mistake of press.config.yaml's, not of Press's own fonts.yaml.
    expect(result.stderr).toContain(
      'theme: "body-font": the font package @fontsource/not-installed-here is not installed: npm install @fontsource/not-installed-here',
    );
    expect(result.stderr).not.toContain("fonts.yaml");
    // A word that is no CSS colour is refused; a colour's name is taken, in any case.
    expect(result.stderr).toContain('theme: "muted" must be a CSS colour such as #0b5cad (got "notacolour")');
    expect(result.stderr).not.toContain('"rule"');
  });

  it("refuses a logo Chromium cannot draw, or one that refers to a remote image, at its line", () => {
    const dir = folder({
      "press.config.yaml": "theme:\n  logo: brand/fake.png\n",
      "brand/fake.png": "not really a png",
      "a.md": "# A\n",
    });
    const fake = press(["build", "a.md"], dir);
    expect([fake.code, fake.stderr.trim()]).toEqual([
      2,
      'press.config.yaml:2:3: error: theme: "logo": brand/fake.png is not a PNG, JPEG, GIF, WebP, AVIF or SVG image [theme]',
    ]);
    writeFiles(dir, {
      "press.config.yaml": "theme:\n  logo: brand/logo.svg\n",
      "brand/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>',
    });
    expect(press(["build", "a.md"], dir).stderr).toContain(
      'theme: "logo": brand/logo.svg refers to https://example.org/x.png, which Press never fetches',
    );
  });

  it("inlines the files a theme's stylesheet names by url() (a font file), and refuses remote ones, missing ones and @import at their lines", async () => {
    const plex = path.join(REPO, "node_modules/@fontsource/ibm-plex-mono/files/ibm-plex-mono-latin-400-normal.woff2");
    const dir = folder({
      "press.config.yaml": "theme:\n  css: brand/theme.css\n",
      "brand/theme.css":
        '/* @import "old.css"; body { background: url(https://example.org/x.png) } */\n@font-face { font-family: "House Face"; src: url( "fonts/house.woff2" ) format("woff2"); }\nbody, main p { font-family: "House Face"; }\n',
      "a.md": "---\ntitle: House\n---\n\n# House\n\nIn the house face.\n",
    });
    fs.mkdirSync(path.join(dir, "brand/fonts"));
    fs.copyFileSync(plex, path.join(dir, "brand/fonts/house.woff2"));
    // The face was not loaded: the text printed in the machine's font.
    const built = press(["build", "a.md"], dir);
    expect(built.code, built.stderr).toBe(0);
    const names = (await pdfFonts(fs.readFileSync(path.join(dir, "output/a.pdf")))).map((font) => font.name);
    expect(names.some((name) => /\+IBMPlexMono-/.test(name))).toBe(true);
    writeFiles(dir, {
      "brand/theme.css":
        '@import "more.css";\nbody { background: url(https://example.org/bg.png); }\np { background: url(missing.png); }\n',
    });
    const refused = press(["build", "a.md"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('theme: "css": brand/theme.css:1: @import is not followed');
    expect(refused.stderr).toContain('theme: "css": brand/theme.css:2: url(https://example.org/bg.png) is remote');
    expect(refused.stderr).toContain('theme: "css": brand/theme.css:3: url(missing.png): no such file');
  });

  it("refuses a theme's logo or stylesheet that is a symbolic link to a file outside the project", () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "press-outside-"));
    fs.writeFileSync(path.join(outside, "secret.css"), '.cover::after { content: "SECRET"; }\n');
    fs.writeFileSync(
      path.join(outside, "secret.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg"><text>SECRET</text></svg>',
    );
    const dir = folder({
      "press.config.yaml": "theme:\n  logo: brand/logo.svg\n  css: brand/theme.css\n",
      "a.md": "# A\n",
    });
    fs.mkdirSync(path.join(dir, "brand"));
    fs.symlinkSync(path.join(outside, "secret.svg"), path.join(dir, "brand/logo.svg"));
    fs.symlinkSync(path.join(outside, "secret.css"), path.join(dir, "brand/theme.css"));
    const result = press(["build", "a.md"], dir);
    // Both were read into every output.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('press.config.yaml:2:3: error: theme: "logo" must be a file inside the project');
    expect(result.stderr).toContain('press.config.yaml:3:3: error: theme: "css" must be a file inside the project');
    expect(fs.existsSync(path.join(dir, "output"))).toBe(false);
  });

  it("init adds to an existing package.json without losing what is there, and leaves existing files alone", () => {
    const dir = folder({
      "package.json": JSON.stringify({
        name: "unit-docs",
        version: "1.0.0",
        scripts: { build: "make all" },
        dependencies: { x: "1" },
      }),
      "README.md": "# Ours\n",
    });
    const result = press(["init"], dir);
    expect(result.code).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    expect(pkg.scripts).toEqual({
      build: "make all",
      "press:build": "press build",
      check: "press check",
      watch: "press watch",
      release: "press release",
    });
    expect(pkg.dependencies).toEqual({ x: "1" });
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("# Ours\n");
    expect(fs.readFileSync(path.join(dir, "press.config.yaml"), "utf8")).toContain("name: unit-docs");
    expect(fs.readFileSync(path.join(dir, ".gitignore"), "utf8")).toContain(".press-cache/");
    expect(press(["build", "--format", "html"], dir).stdout).toContain("2 built, 0 up to date, 0 failed");
  });

  it("init writes a package name that YAML would misread (@scope, ': ', ' #') quoted, and the project builds", () => {
    for (const name of ["@meridian/policy-papers", "unit: papers #2"]) {
      const dir = folder({ "package.json": JSON.stringify({ name, version: "0.3.0", private: true }) });
      expect(press(["init"], dir).code).toBe(0);
      const config = fs.readFileSync(path.join(dir, "press.config.yaml"), "utf8");
      expect(config).toContain(`name: ${JSON.stringify(name)}\n`);
      expect(parse(config).name).toBe(name);
      const check = press(["check", "--no-browser"], dir);
      expect(check.stderr).toBe("");
      expect(check.code).toBe(0);
    }
  });

  it("ejects a named template file, and suggests a name it does not know", () => {
    const dir = folder({ "press.config.yaml": "" });
    expect(press(["eject", "cover"], dir).stdout).toContain("copied templates/partials/cover.hbs");
    expect(fs.readFileSync(path.join(dir, "templates/partials/cover.hbs"), "utf8")).toBe(
      fs.readFileSync(path.join(REPO, "templates/partials/cover.hbs"), "utf8"),
    );
    const wrong = press(["eject", "partials/cuver.hbs"], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('did you mean "partials/cover.hbs"?');
  });

  it("says a mistake in an ejected partial once, at its own file, line and column, and stops, exit 2", () => {
    const dir = folder({ "press.config.yaml": "", "content/a.md": "# A\n\nText.\n", "content/b.md": "# B\n\nText.\n" });
    expect(press(["eject", "cover"], dir).code).toBe(0);
    const file = path.join(dir, "templates/partials/cover.hbs");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("{{meta.title}}", "{{meta.title}"));
    const line =
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("{{meta.title}<")) + 1;
    const result = press(["build", "--format", "html"], dir);
    expect([result.code, result.stderr.trim()]).toEqual([
      2,
      `templates/partials/cover.hbs:${line}:41: error: a {{ … }} not closed, or something in it Handlebars cannot read [template/syntax]`,
    ]);
    // A block closed by another's end, at the block's place.
    fs.writeFileSync(file, "<div>\n{{#if meta.title}}\n<p>x</p>\n{{/each}}\n</div>\n");
    const mismatch = press(["build", "--format", "html"], dir);
    expect([mismatch.code, mismatch.stderr.trim()]).toEqual([
      2,
      "templates/partials/cover.hbs:2:4: error: {{#if}} is closed by {{/each}} [template/syntax]",
    ]);
  });
});

describe("press watch in a user's folder", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
    child = undefined;
  });

  function start(args: string[], cwd: string): { log: () => string; exited: Promise<number | null> } {
    let log = "";
    child = spawn(process.execPath, [PRESS, "watch", ...args], { cwd, env: { ...process.env, CI: "1" } });
    child.stdout?.on("data", (d) => {
      log += d;
    });
    child.stderr?.on("data", (d) => {
      log += d;
    });
    const exited = new Promise<number | null>((resolve) => child?.on("exit", (code) => resolve(code)));
    return { log: () => log, exited };
  }

  async function waitFor<T>(what: string, check: () => T | undefined, log: () => string): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (Date.now() - started > 90_000) throw new Error(`waited too long for ${what}; log:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function status(url: string): Promise<number> {
    return new Promise((resolve, reject) => {
      http
        .get(url, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        })
        .on("error", reject);
    });
  }

  it("rebuilds a file outside content/ on save, and survives a malformed request", async () => {
    const dir = folder({ "press.config.yaml": "", "notes/weekly.md": "# Weekly\n\nFirst text.\n" });
    const watcher = start(["notes/weekly.md", "--port", "0", "--format", "html"], dir);
    const url = await waitFor(
      "the server",
      () => /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(watcher.log())?.[1],
      watcher.log,
    );
    expect(await status(`${url}%E0%A4%A`)).toBe(400);
    expect(await status(`${url}weekly.html`)).toBe(200);

    fs.writeFileSync(path.join(dir, "notes/weekly.md"), "# Weekly\n\nSecond text.\n");
    const output = path.join(dir, "output/weekly.html");
    await waitFor(
      "the rebuilt HTML",
      () => (fs.readFileSync(output, "utf8").includes("Second text.") ? true : undefined),
      watcher.log,
    );
    expect(child?.exitCode).toBeNull();
  });

  it("says the port is in use, in one line, and exits 2", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const dir = folder({ "press.config.yaml": "", "content/a.md": "# A\n" });
      const watcher = start(["--port", String(port), "--format", "html"], dir);
      expect(await watcher.exited).toBe(2);
      expect(watcher.log()).toContain(`port ${port} on 127.0.0.1 is in use`);
      expect(watcher.log()).not.toMatch(/internal error|EADDRINUSE/);
    } finally {
      holder.close();
    }
  });
});
