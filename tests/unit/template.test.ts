import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDate, templateContext } from "../../src/template/context.js";
import { TemplateEngine } from "../../src/template/engine.js";
import { fontFaces, fontFacesFor, uncoveredCharacters, withListedFamilies } from "../../src/template/fonts.js";
import { loadLabels } from "../../src/template/labels.js";
import { precompiled } from "../../src/template/precompiled.js";
import { parseText, TEMPLATES } from "../support/parse.js";

async function renderBriefing(markdown: string, pages = new Map<string, number>(), templates = TEMPLATES) {
  const document = await parseText(markdown);
  const engine = new TemplateEngine([templates]);
  return engine.render("briefing", {
    ...templateContext({
      document,
      labels: loadLabels([TEMPLATES], document.meta.lang).labels,
      css: engine.css("briefing"),
      fontFaces: "",
      generator: "Press test",
      pages,
    }),
    contentSecurityPolicy: "default-src 'none'",
  });
}

describe("briefing template", () => {
  it("puts the cover, document control, contents with page numbers and body in one page", async () => {
    const html = await renderBriefing(
      "---\ntitle: Paper\nclassification: restricted\nversion: 2\nauthor: Ann\n---\n# First\n\nBody text.\n",
      new Map([["first", 3]]),
    );
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<h1 class="cover-title">Paper</h1>');
    expect(html).toContain('@top-center { content: "RESTRICTED"; }');
    expect(html).toContain('counter(page, decimal) " of " counter(pages, decimal)');
    expect(html).toContain('<span class="toc-text">First</span><span class="toc-page">3</span>');
    expect(html).toContain('<th scope="row">Version</th><td>2</td>');
    expect(html).toContain("Body text.");
  });

  it("renders Press's own templates from the forms compiled when Press was built, as compiling them now would", async () => {
    const handlebars = createRequire(import.meta.url)("handlebars").create();
    const files = fs.readdirSync(TEMPLATES, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".hbs"));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      expect(precompiled(handlebars, fs.readFileSync(path.join(TEMPLATES, file), "utf8")), file).toBeDefined();
    }
    // A copy whose every template ends in a comment is found in none of them, and compiled now.
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "press-tpl-"));
    fs.cpSync(TEMPLATES, copy, { recursive: true });
    for (const file of files) fs.appendFileSync(path.join(copy, file), "{{!-- changed --}}");
    const markdown =
      "---\ntitle: Paper\nclassification: restricted\n---\n# First\n\nBody | text\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    const pages = new Map([["first", 3]]);
    const now = await renderBriefing(markdown, pages, copy);
    expect(precompiled(handlebars, fs.readFileSync(path.join(copy, "briefing.hbs"), "utf8"))).toBeUndefined();
    expect(now).toContain('<span class="toc-page">3</span>');
    expect(await renderBriefing(markdown, pages)).toBe(now);
  });

  it("shows a document's {{ }} literally: its text is data, never a template", async () => {
    const html = await renderBriefing('---\ntitle: "{{constructor}} {{> cover}}"\n---\nSee {{meta.title}} here.\n');
    expect(html).toContain("{{constructor}} {{&gt; cover}}");
    expect(html).toContain("See {{meta.title}} here.");
  });

  it("escapes front matter inside CSS strings so it cannot end the rule or the style element", async () => {
    const html = await renderBriefing(
      '---\ntitle: Fine\nshort-title: "a\\"; } body { display: none } </style>"\n---\nx\n',
    );
    const rule = /@top-left \{ content: "([^"]*)"; \}/.exec(html)?.[1];
    expect(rule).toBeDefined();
    expect(rule).not.toMatch(/[<>]/);
    expect(html.match(/<\/style>/g)?.length).toBe(3);
  });

  it("fails a template that names a missing field, with the template's name and line", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-tpl-"));
    fs.writeFileSync(path.join(dir, "broken.hbs"), "<p>{{meta.title}}</p>\n<p>{{meta.nosuch}}</p>\n");
    const engine = new TemplateEngine([dir]);
    expect(() => engine.render("broken", { meta: { title: "x" } })).toThrow(
      /broken\.hbs:2:6: error: "nosuch" not defined \[template\/render\]/,
    );
  });

  it("resolves template names only inside the templates folder", () => {
    const engine = new TemplateEngine([TEMPLATES]);
    expect(engine.has("briefing")).toBe(true);
    expect(engine.has("../package")).toBe(false);
    expect(engine.has("/etc/passwd")).toBe(false);
  });

  it("formats ISO dates for the language and keeps free text", () => {
    expect(formatDate("2026-11-25", "en")).toBe("25 November 2026");
    expect(formatDate("2026-11-25", "fr")).toBe("25 novembre 2026");
    expect(formatDate("Spring 2026", "en")).toBe("Spring 2026");
  });

  it("inlines the bundled fonts as data URLs, only the subsets fonts.yaml names", () => {
    const { rules, files } = fontFaces([TEMPLATES]);
    const css = rules.map((rule) => rule.css).join("\n");
    expect(css).toContain("font-family: 'Source Serif 4'");
    expect(css).toContain("font-family: 'Inter'");
    expect(css).toContain("url(data:font/woff2;base64,");
    expect(css).not.toMatch(/url\(\.\//);
    expect(
      files.every((f) =>
        /-(latin|latin-ext|cyrillic|cyrillic-ext|greek|greek-ext|vietnamese|arabic|symbols|\d+)-\d+-(normal|italic)\.woff2$/.test(
          f,
        ),
      ),
    ).toBe(true);
    expect(files.some((f) => f.includes("amiri-arabic-400-normal"))).toBe(true);
    expect(files.some((f) => /inter-cyrillic-400-normal/.test(f))).toBe(true);
    expect(files.some((f) => /-(devanagari|hebrew|thai)-/.test(f))).toBe(false);
  });

  it("inlines for a document only the faces its characters need", () => {
    expect(fontFacesFor([TEMPLATES], "Plain English text.")).not.toContain("font-family: 'Amiri'");
    expect(fontFacesFor([TEMPLATES], "Plain English text.")).toContain("font-family: 'Inter'");
    expect(fontFacesFor([TEMPLATES], "حفظ السلام")).toContain("font-family: 'Amiri'");
    // Cyrillic, Greek and Vietnamese from the text faces' own packages, only where they are used.
    expect(fontFacesFor([TEMPLATES], "Plain English text.")).not.toMatch(/U\+0400-045F/);
    expect(fontFacesFor([TEMPLATES], "Здравствуйте")).toMatch(/U\+0400-045F/);
    expect(uncoveredCharacters([TEMPLATES], "Здравствуйте, Καλημέρα, Tiếng Việt")).toEqual([]);
    const plain = fontFacesFor([TEMPLATES], "Plain English text, with – dashes — and “quotes”.\n");
    expect(plain).not.toContain("Noto Sans");
    expect(fontFacesFor([TEMPLATES], "Done ✓")).toContain("font-family: 'Noto Sans Symbols 2'");
    expect(fontFacesFor([TEMPLATES], "Done ✓")).not.toContain("font-family: 'Noto Sans Math'");
    expect(fontFacesFor([TEMPLATES], "a → b")).toContain("font-family: 'Noto Sans Math'");
    // Emoji: the two slices of the face, of eleven, that list a party popper; none for digits, # and
    // *, which the emoji face's slices also list (keycaps).
    const party = fontFacesFor([TEMPLATES], "Thank you 🎉");
    expect(party.split("font-family: 'Noto Emoji'").length - 1).toBe(2);
    expect(fontFacesFor([TEMPLATES], "Item #3, 2 * 4 = 8, © 2026")).not.toContain("Noto Emoji");
    // A keycap: the emoji face once more, for the whole sequence, under the family of its span.
    const keycap = fontFacesFor([TEMPLATES], "Press 1\uFE0F\u20E3");
    expect(keycap).toMatch(
      /font-family: 'Press Keycaps';[^}]*unicode-range: U\+23, U\+2A, U\+30-39, U\+FE0F, U\+20E3;/,
    );
    expect(fontFacesFor([TEMPLATES], "Item #3")).not.toContain("Press Keycaps");
  });

  it("adds a family a project's fonts.yaml lists, and no stylesheet names, to the stacks' fallbacks", () => {
    // A project's own face, as the missing-glyph hint says to add one (a CJK face, here a stand-in).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-fonts-"));
    const pkg = path.join(dir, "node_modules/@fontsource/stand-in");
    fs.mkdirSync(path.join(pkg, "files"), { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), '{"name":"@fontsource/stand-in","version":"1.0.0"}');
    const woff2 = "stand-in-chinese-simplified-400-normal.woff2";
    fs.copyFileSync(fontFaces([TEMPLATES]).files[0] as string, path.join(pkg, "files", woff2));
    fs.writeFileSync(
      path.join(pkg, "400.css"),
      `@font-face {\n  font-family: 'Stand In SC';\n  font-style: normal;\n  font-display: swap;\n  font-weight: 400;\n  src: url(./files/${woff2}) format('woff2');\n  unicode-range: U+4E00-9FFF;\n}\n`,
    );
    fs.mkdirSync(path.join(dir, "templates"));
    const listed = fs.readFileSync(path.join(TEMPLATES, "fonts.yaml"), "utf8");
    fs.writeFileSync(
      path.join(dir, "templates/fonts.yaml"),
      `${listed}\n- package: "@fontsource/stand-in"\n  styles: [400]\n  subsets: [chinese-simplified]\n`,
    );
    const dirs = [path.join(dir, "templates"), TEMPLATES];
    const palette = fs.readFileSync(path.join(TEMPLATES, "css/palette.css"), "utf8");
    const css = withListedFamilies(palette, dirs);
    expect(
      css.endsWith(
        ':root { --fallbacks: "Amiri", "Noto Sans Symbols 2", "Noto Sans Math", "Noto Emoji", "DejaVu Sans", "Stand In SC"; }',
      ),
    ).toBe(true);
    // The bundled faces alone add nothing: every one is named.
    expect(withListedFamilies(palette, [TEMPLATES])).toBe(palette);
  });

  it("refuses a style or a subset of fonts.yaml that its package does not have, naming those it has", () => {
    const listed = fs.readFileSync(path.join(TEMPLATES, "fonts.yaml"), "utf8");
    const withList = (text: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-fonts-"));
      fs.writeFileSync(path.join(dir, "fonts.yaml"), text);
      return [dir, TEMPLATES];
    };
    // The face was left out without a word (the machine's font printed), or the build stopped on an ENOENT.
    expect(() =>
      fontFaces(
        withList(
          listed.replace(
            "subsets: [latin, latin-ext, cyrillic, cyrillic-ext, greek, vietnamese]",
            "subsets: [latn, latin-ext]",
          ),
        ),
      ),
    ).toThrow(/fonts\.yaml: @fontsource\/source-serif-4 has no subset latn \(it has .*\blatin\b.*\)/);
    expect(() => fontFaces(withList(listed.replace("styles: [400, 500, 600, 700]", "styles: [450, 500]")))).toThrow(
      /fonts\.yaml: @fontsource\/inter has no style 450 \(it has 100, .*400, .*900-italic\)/,
    );
  });

  it("has a glyph for check marks, stars, boxes and arrows, and says which characters no bundled face has", () => {
    expect(uncoveredCharacters([TEMPLATES], "✓ ✔ ✗ ★ ☆ ☐ ☑ ■ ● ▲ → ← ↑ ↓ ⇒ ≤ ≥ ≠ ∑ ± ×")).toEqual([]);
    // In the range Press takes Noto Sans Symbols 2 for, but not among its glyphs.
    expect(uncoveredCharacters([TEMPLATES], "Flag ⚑ and ✓")).toEqual(["⚑"]);
    expect(uncoveredCharacters([TEMPLATES], "漢字 ✓")).toEqual(["漢", "字"]);
    expect(uncoveredCharacters([TEMPLATES], "Launch 🚀, thanks 🎉 🙏")).toEqual([]);
    // The emoji style's selector after ❤ and ⚠ draws nothing; a keycap's enclosing mark is the emoji face's.
    expect(uncoveredCharacters([TEMPLATES], "❤️ ⚠️ 1️⃣")).toEqual([]);
  });
});
