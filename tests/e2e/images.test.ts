/**
 * Images left out (missing, of an unsupported type, remote) never cost the document: `press build`
 * warns at the image's line and column and puts a framed placeholder, naming the file and the alt
 * text, in the HTML and in the PDF (briefings, decks and handouts, left to right and right to left).
 * `--strict`, `strict: true` in press.config.yaml and `press release` make them errors: that
 * document is not written, and the others still are.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";

const PRESS = path.join(REPO, "bin/press.js");
const FIXTURES = path.join(REPO, "tests/fixtures/images");

function press(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [PRESS, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", SOURCE_DATE_EPOCH: "1767225600" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A project holding the fixtures as its content/, with `config` as its press.config.yaml. */
function project(config = "organisation: Test Unit\nclassification: OFFICIAL\n"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-images-"));
  fs.writeFileSync(path.join(dir, "press.config.yaml"), config);
  fs.cpSync(FIXTURES, path.join(dir, "content"), { recursive: true });
  return dir;
}

function outputs(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(html|pdf)$/.test(f))
    .sort();
}

const pdfText = async (file: string) => (await readPdf(new Uint8Array(fs.readFileSync(file)))).pageTexts.join(" ");

describe("press build with images left out", () => {
  let dir: string;
  let run: ReturnType<typeof press>;

  beforeAll(() => {
    dir = project();
    run = press(["build"], dir);
  });

  it("exits 0, builds every document, and warns at each image's line and column", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("5 built, 0 up to date, 0 failed");
    expect(run.stderr).toContain(
      "content/briefing.md:10:1: warning: image not found: images/contributions.png [image/missing]",
    );
    expect(run.stderr).toContain(
      "content/briefing.md:12:33: warning: image not found: images/mission-map.svg [image/missing]",
    );
    expect(run.stderr).toContain("content/briefing.md:14:1: warning: unsupported image type: x [image/unsupported]");
    expect(run.stderr).toContain(
      "content/briefing.md:16:1: warning: remote image not fetched: https://example.org/patrol.jpg [image/remote]",
    );
    expect(run.stderr).toContain("content/decks/deck.md:8:1: warning: image not found: images/contributions.png");
    expect(run.stderr).toContain("content/ar/decks/deck.md:9:1: warning: image not found: images/contributions.png");
    expect(run.stderr).toContain("a placeholder stands in its place (--strict makes this an error)");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("says the warnings again when the documents are up to date, from another folder too", () => {
    const again = press(["build"], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("0 built, 5 up to date, 0 failed");
    expect(again.stderr).toContain(
      "content/briefing.md:10:1: warning: image not found: images/contributions.png [image/missing]",
    );
    expect(again.stderr).toContain("content/decks/deck.md:8:1: warning: image not found: images/contributions.png");
    // Run from the content folder, the source is named from there.
    const inside = press(["build"], path.join(dir, "content"));
    expect(inside.stdout).toContain("0 built, 5 up to date, 0 failed");
    expect(inside.stderr).toContain("briefing.md:10:1: warning: image not found: images/contributions.png");
    expect(inside.stderr).not.toContain("content/briefing.md:10:1");
  });

  it("puts a placeholder naming the file and the alt text in the briefing's PDF and HTML", async () => {
    const text = await pdfText(path.join(dir, "output/briefing.pdf"));
    for (const expected of [
      "Image not found images/contributions.png A bar chart of troop contributions by region",
      "Figure 1. Troop contributions, 2025",
      "Image not found images/mission-map.svg a small map of the mission area",
      "Image type not supported x An image with no type",
      "Remote image not included https://example.org/patrol.jpg A photograph of a patrol",
      "A paragraph after them.",
    ]) {
      expect(text).toContain(expected);
    }
    const html = fs.readFileSync(path.join(dir, "output/briefing.html"), "utf8");
    expect(html).toContain('<span class="image-placeholder image-missing"');
    // A heading with images left out is listed and bookmarked by their alt texts, not the placeholders' words.
    const { outline } = await readPdf(new Uint8Array(fs.readFileSync(path.join(dir, "output/briefing.pdf"))));
    expect(outline).toContain("1.1 Logos Press logo and a badge");
    expect(outline.join("\n")).not.toMatch(/not included|not found|example\.org/);
    expect(text).toContain("1.1 Logos Press logo and a badge");
    expect(html).not.toContain('example.org/patrol.jpg"');
  });

  it("puts it on the deck's figure slide and on its handout", async () => {
    for (const file of ["output/decks/deck.pdf", "output/decks/deck.handout.pdf"]) {
      const text = await pdfText(path.join(dir, file));
      expect(text, file).toContain(
        "Image not found images/contributions.png A bar chart of troop contributions by region",
      );
      expect(text, file).toContain("Image not found images/mission-map.svg a small map of the mission area");
    }
  });

  it("says it in the document's language, right to left", async () => {
    for (const file of ["output/ar/briefing.pdf", "output/ar/decks/deck.pdf"]) {
      const facts = await readPdf(new Uint8Array(fs.readFileSync(path.join(dir, file))));
      const text = facts.rightToLeftTexts.join(" ");
      expect(text, file).toContain("images/contributions.png");
      expect(text.replace(/\s/g, ""), file).toContain("الصورةغيرموجودة");
      expect(text.replace(/\s/g, ""), file).toContain("رسمبيانيلمساهماتالقواتحسبالمنطقة");
    }
  });
});

describe("strict builds", () => {
  const failed = ["content/ar/briefing.md", "content/ar/decks/deck.md", "content/briefing.md", "content/decks/deck.md"];

  const expectStrictFailure = (run: ReturnType<typeof press>, out: string) => {
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(
      "content/briefing.md:10:1: error: image not found: images/contributions.png [image/missing]",
    );
    expect(run.stderr).toContain("content/briefing.md:14:1: error: unsupported image type: x [image/unsupported]");
    expect(run.stderr).toContain("content/briefing.md:16:1: error: remote image not fetched");
    for (const source of failed) expect(run.stdout).toContain(`failed ${source}`);
    expect(run.stdout).toContain("built content/good.md");
    // Nothing written for the documents with a placeholder; the good one is built.
    expect(outputs(out)).toEqual(["good.html", "good.pdf"]);
  };

  it("--strict: exit 1, nothing written for those documents, the other built", () => {
    const dir = project();
    expectStrictFailure(press(["build", "--strict"], dir), path.join(dir, "output"));
  });

  it("strict: true in press.config.yaml does the same, and press check reports errors", () => {
    const dir = project("organisation: Test Unit\nstrict: true\n");
    expectStrictFailure(press(["build"], dir), path.join(dir, "output"));
    const checked = press(["check", "--no-browser", "content/briefing.md"], dir);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain("content/briefing.md:14:1: error: unsupported image type: x [image/unsupported]");
  });

  it("press release is strict: exit 1 and no archive, though the good document is built", () => {
    const dir = project();
    const run = press(["release"], dir);
    expectStrictFailure(run, path.join(dir, "output"));
    expect(fs.existsSync(path.join(dir, "release"))).toBe(false);
  });

  it("press check warns (exit 0) with the same rules and places", () => {
    const dir = project();
    const checked = press(["check", "--no-browser", "content/briefing.md"], dir);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(
      "content/briefing.md:10:1: warning: image not found: images/contributions.png [image/missing]",
    );
    expect(checked.stdout).toContain("content/briefing.md:16:1: warning: remote image not fetched");
  });
});

describe("images that cannot be read, and an SVG that refers to a remote image", () => {
  const CORRUPT =
    "---\ntitle: Corrupt images\n---\n\n![Fake png altFake](img/fake.png)\n\n![Broken svg altBroken](img/broken.svg)\n";
  const REMOTE = "---\ntitle: SVG with remote image\n---\n\nA chart: ![Chart altChart](img/remote-inside.svg)\n";
  const SVG =
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="100"><style>@import url(https://example.com/fonts.css);</style><rect width="300" height="100" fill="#eef"/><image href="https://example.com/logo.png" width="100" height="100"/><image xlink:href="http://example.org/badge.png" x="200" width="100" height="100"/></svg>';

  function corruptProject(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-images-"));
    fs.writeFileSync(path.join(dir, "press.config.yaml"), "organisation: Test Unit\n");
    fs.mkdirSync(path.join(dir, "content/img"), { recursive: true });
    fs.writeFileSync(path.join(dir, "content/corrupt.md"), CORRUPT);
    fs.writeFileSync(path.join(dir, "content/remote.md"), REMOTE);
    fs.writeFileSync(path.join(dir, "content/img/fake.png"), "not really a png\n");
    fs.writeFileSync(path.join(dir, "content/img/broken.svg"), '<svg xmlns="http://www.w3.org/2000/svg"><text');
    fs.writeFileSync(path.join(dir, "content/img/remote-inside.svg"), SVG);
    return dir;
  }

  it("warns at each image's line and column, saying what is wrong, and prints a placeholder with the alt text", async () => {
    const dir = corruptProject();
    const run = press(["build"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("2 built, 0 up to date, 0 failed");
    expect(run.stderr).toContain(
      "content/corrupt.md:5:1: warning: img/fake.png is not a PNG, JPEG, GIF, WebP, AVIF or SVG image [image/unreadable]",
    );
    expect(run.stderr).toContain(
      "content/corrupt.md:7:1: warning: img/broken.svg is not well-formed SVG: unclosed tag: svg (line 1, column 46) [image/unreadable]",
    );
    expect(run.stderr).toContain(
      "content/remote.md:5:10: warning: remote image not fetched: https://example.com/fonts.css, https://example.com/logo.png, http://example.org/badge.png, inside img/remote-inside.svg [image/remote]",
    );
    expect(run.stderr).toContain("the SVG is shown without it (--strict makes this an error)");
    const text = await pdfText(path.join(dir, "output/corrupt.pdf"));
    expect(text).toContain("Image cannot be read img/fake.png Fake png altFake");
    expect(text).toContain("Image cannot be read img/broken.svg Broken svg altBroken");
    expect(fs.readFileSync(path.join(dir, "output/corrupt.html"), "utf8")).not.toContain("<img");
    // The chart is shown, without the addresses that would draw a broken-image icon inside it.
    const html = fs.readFileSync(path.join(dir, "output/remote.html"), "utf8");
    const inlined = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html)?.[1] ?? "";
    const shown = Buffer.from(inlined, "base64").toString("utf8");
    expect(shown).toContain('<rect width="300" height="100" fill="#eef"/>');
    expect(shown).not.toMatch(/logo\.png|badge\.png/);
  });

  it("--strict: both are errors and neither document is written", () => {
    const dir = corruptProject();
    const run = press(["build", "--strict"], dir);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("content/corrupt.md:5:1: error: img/fake.png is not a PNG");
    expect(run.stderr).toContain("content/corrupt.md:7:1: error: img/broken.svg is not well-formed SVG");
    expect(run.stderr).toContain(
      "content/remote.md:5:10: error: remote image not fetched: https://example.com/fonts.css",
    );
    expect(run.stderr).not.toContain("shown without it");
    expect(run.stdout).toContain("0 built, 0 up to date, 2 failed");
    expect(outputs(path.join(dir, "output"))).toEqual([]);
  });
});

describe("image paths with # or ? in a file's name, or a % that is no escape", () => {
  it("inline a file named with # or ? as written, and take a bad % escape as a missing image, not one outside the project", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-images-odd-"));
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    fs.mkdirSync(path.join(dir, "content/img#1"), { recursive: true });
    fs.writeFileSync(path.join(dir, "content/img#1/x.png"), png);
    fs.writeFileSync(path.join(dir, "content/a?b.png"), png);
    fs.writeFileSync(path.join(dir, "content/chart.png"), png);
    fs.writeFileSync(
      path.join(dir, "content/odd.md"),
      "# Odd\n\n![Hash](<img#1/x.png>)\n\n![Query](a?b.png)\n\n![Fragment](chart.png#view)\n\n![Bad](%E0%A4%A.png)\n",
    );
    const run = press(["build", "--format", "html"], dir);
    expect(run.code).toBe(0);
    expect(
      run.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("  hint")),
    ).toEqual(["content/odd.md:9:1: warning: image not found: %E0%A4%25A.png [image/missing]"]);
    const html = fs.readFileSync(path.join(dir, "output/odd.html"), "utf8");
    expect(html.match(/<img [^>]*src="data:image\/png/g)).toHaveLength(3);
  });
});
