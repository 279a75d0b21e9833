import { describe, expect, it } from "vitest";
import { PNG, parseText } from "../support/parse.js";

const tocLines = (doc: { toc: { number: string; text: string; level: number }[] }) =>
  doc.toc.map((e) => `${e.level}|${e.number}|${e.text}`);

describe("Markdown to HTML", () => {
  it("numbers sections 1, 1.1, 1.1.1 and makes the top level h2", async () => {
    const doc = await parseText("---\ntitle: T\ntoc-depth: 3\n---\n# A\n## A one\n### A one one\n## A two\n# B\n");
    expect(tocLines(doc)).toEqual(["1|1|A", "2|1.1|A one", "3|1.1.1|A one one", "2|1.2|A two", "1|2|B"]);
    expect(doc.bodyHtml).toContain('<h2 id="a"><span class="secno">1</span> A</h2>');
    expect(doc.bodyHtml).toContain('<h4 id="a-one-one"><span class="secno">1.1.1</span> A one one</h4>');
  });

  it("lays out a paragraph written mostly in Arabic right to left in an English document, and no other", async () => {
    const doc = await parseText(
      [
        "---\ntitle: T\n---\n",
        "مرحبا بكم في هذا التقرير عن حفظ السلام مع UN Security Council في نيويورك.\n",
        "An English paragraph that names الأمم المتحدة once.\n",
        "- بند أول في قائمة\n- An English item\n",
        '<p dir="ltr">مرحبا بكم في هذا التقرير</p>\n',
      ].join("\n"),
    );
    expect(doc.bodyHtml).toContain('<p dir="rtl">مرحبا بكم في هذا التقرير عن حفظ السلام مع UN Security Council');
    expect(doc.bodyHtml).toContain("<p>An English paragraph");
    expect(doc.bodyHtml).toContain('<li dir="rtl">بند أول في قائمة</li>');
    expect(doc.bodyHtml).toContain("<li>An English item</li>");
    expect(doc.bodyHtml).toContain('<p dir="ltr">مرحبا');
  });

  it("says where an image's path has a space, which makes it text, and how to write it", async () => {
    const doc = await parseText(
      '---\ntitle: T\n---\n\nText before ![Spaces alt](images/my chart 2026.png "cap") after.\n\n![ok](<images/fine name.png>)\n',
    );
    const said = doc.diagnostics.filter((d) => d.rule === "image/unparsed");
    expect(said.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "5:13 ![…](images/my chart 2026.png) is printed as text, not as an image: the path has a space",
    ]);
    expect(said[0]?.hint).toContain("![…](<images/my chart 2026.png>)");
    // A line of many unclosed ones: looked at in one pass (a pattern with backtracking took a
    // minute and a half over these 28 KB), and none said, for none is an image with a space.
    const many = await parseText(`# T\n\n${"![a](x ".repeat(4000)}\n\n${"![b](x y) ".repeat(3)}\n`);
    expect(many.diagnostics.filter((d) => d.rule === "image/unparsed").map((d) => `${d.line}:${d.column}`)).toEqual([
      "5:1",
      "5:11",
      "5:21",
    ]);
  });

  it("numbers a heading that jumps levels by its place in the outline, 1.1, not 1.0.0.1", async () => {
    const doc = await parseText(
      "---\ntitle: T\ntoc-depth: 3\n---\n# A\n#### Deep\n### Back\n###### Deeper\n# B\n### B deep\n",
    );
    expect(tocLines(doc)).toEqual(["1|1|A", "2|1.1|Deep", "2|1.2|Back", "3|1.2.1|Deeper", "1|2|B", "2|2.1|B deep"]);
    expect(doc.bodyHtml).toContain('<h3 id="deep"><span class="secno">1.1</span> Deep</h3>');
    expect(doc.bodyHtml).toContain('<h4 id="deeper"><span class="secno">1.2.1</span> Deeper</h4>');
    expect(doc.diagnostics.filter((d) => d.rule === "headings/jump").map((d) => d.line)).toEqual([6, 8, 10]);
  });

  it("ends a callout left open before the next heading, and says so, so that later sections keep their numbers", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n# One\n\n:::key-points\n- point\n\n# Two\n\nText.\n\n:::warning\nCareful.\n\n## Two one\n",
    );
    expect(tocLines(doc)).toEqual(["1|1|One", "1|2|Two", "2|2.1|Two one"]);
    expect(doc.bodyHtml).toMatch(/<li>point<\/li>\s*<\/ul>\s*<\/aside>\s*<h2 id="two">/);
    expect(
      doc.diagnostics.filter((d) => d.rule === "directives/unclosed").map((d) => `${d.line}:${d.column} ${d.message}`),
    ).toEqual([
      "6:1 :::key-points has no closing ::: line: it was ended before the heading at line 9",
      "13:1 :::warning has no closing ::: line: it was ended before the heading at line 16",
    ]);
    const atEnd = await parseText("---\ntitle: T\n---\n# One\n\n:::note\nText to the end.\n");
    expect(atEnd.diagnostics.filter((d) => d.rule === "directives/unclosed").map((d) => d.message)).toEqual([
      ":::note has no closing ::: line: it runs to the end of what it is in",
    ]);
  });

  it("keeps a note's marker out of the contents, numbers no empty heading, and gives a duplicate id its own", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n# Heading with note[^1]\n\n# Same {#same}\n\n# Other {#same}\n\n#\n\n# After\n\n[^1]: The note.\n",
    );
    expect(tocLines(doc).slice(0, 4)).toEqual(["1|1|Heading with note", "1|2|Same", "1|3|Other", "1|4|After"]);
    expect(doc.toc.map((e) => e.id).slice(0, 4)).toEqual(["heading-with-note1", "same", "same-1", "after"]);
    expect(doc.bodyHtml).toContain('<h2 id="same-1"><span class="secno">3</span> Other</h2>');
    expect(
      doc.diagnostics
        .filter((d) => d.rule.startsWith("headings/"))
        .map((d) => `${d.line}:${d.column} ${d.rule}`)
        .sort(),
    ).toEqual(["10:1 headings/empty", "8:1 headings/duplicate-id"]);
  });

  it("cuts a Cyrillic heading's id by the PDF name it makes (a letter costs ten bytes there), its links too", async () => {
    const heading = "Обыденное использование командной строки и прочее";
    const id = heading.toLowerCase().replaceAll(" ", "-");
    const doc = await parseText(`---\ntitle: T\n---\n\nСм. [раздел](#${id}).\n\n## ${heading}\n\nТекст.\n`);
    const short = doc.toc[0]?.id ?? "";
    expect(short).toBe("обыденное");
    const name = encodeURIComponent(short).replaceAll("%", "#25");
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(127);
    expect(doc.bodyHtml).toContain(`<a href="#${short}">раздел</a>`);
  });

  it("cuts an id too long for a PDF name (127 bytes) at a hyphen, and points its links at the short one", async () => {
    const long =
      "Heading with supercalifragilisticexpialidocious words that go on and on for a very long time past the limit";
    const label = "a".repeat(120);
    const doc = await parseText(
      `---\ntitle: T\n---\n# ${long}\n\nSee [it](#${long.toLowerCase().replaceAll(" ", "-")}) and a note[^${label}].\n\n[^${label}]: The note.\n`,
    );
    const short = "heading-with-supercalifragilisticexpialidocious-words-that-go";
    expect(doc.toc[0]?.id).toBe(short);
    expect(doc.bodyHtml).toContain(`<a href="#${short}">it</a>`);
    const ids = [...doc.bodyHtml.matchAll(/ id="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(ids.filter((id) => Buffer.byteLength(id) > 100)).toEqual([]);
    // The note and its marker still point at each other.
    const [ref, note] = [/data-footnote-ref/, /<li id="/].map((re) => re.test(doc.bodyHtml));
    expect([ref, note]).toEqual([true, true]);
    for (const [, target] of doc.bodyHtml.matchAll(/href="#([^"]*)"/g)) expect(ids).toContain(target);
  });

  it("numbers notes in the document's digits: markers and the notes' list", async () => {
    const doc = await parseText("---\ntitle: T\nlang: ar\ndigits: arabic-indic\n---\n# أ\n\nنص.[^1]\n\n[^1]: حاشية.\n");
    expect(doc.bodyHtml).toMatch(/data-footnote-ref[^>]*>١<\/a>/);
    expect(doc.bodyHtml).toContain('<ol class="digits-arabic-indic">');
    const latin = await parseText("---\ntitle: T\n---\n# A\n\nText.[^1]\n\n[^1]: Note.\n");
    expect(latin.bodyHtml).toMatch(/data-footnote-ref[^>]*>1<\/a>/);
  });

  it("lists only the levels asked for in the contents", async () => {
    const doc = await parseText("---\ntitle: T\n---\n## A\n### A one\n#### Deep\n");
    expect(tocLines(doc)).toEqual(["1|1|A", "2|1.1|A one"]);
  });

  it("honours {-}, {.unnumbered}, {.unlisted} and {#id} on headings", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n# Intro {-}\n# One\n# Aside {.unnumbered .unlisted}\n# Two {#second}\n",
    );
    expect(tocLines(doc)).toEqual(["1||Intro", "1|1|One", "1|2|Two"]);
    expect(doc.bodyHtml).toContain('id="second"');
    expect(doc.bodyHtml).not.toContain("{");
  });

  it("numbers without section numbers when number-sections is false", async () => {
    const doc = await parseText("---\ntitle: T\nnumber-sections: false\n---\n# A\n## B\n");
    expect(tocLines(doc)).toEqual(["1||A", "2||B"]);
    expect(doc.bodyHtml).not.toContain("secno");
  });

  it("letters annexes and numbers their sections A.1", async () => {
    const doc = await parseText("---\ntitle: T\n---\n# Main\n::annex[Data]\n## Tables\n::annex[More]\n");
    expect(tocLines(doc)).toEqual(["1|1|Main", "1|Annex A|Data", "2|A.1|Tables", "1|Annex B|More"]);
    expect(doc.bodyHtml).toMatch(/<h2 class="annex" id="data"><span class="secno">Annex A<\/span> Data<\/h2>/);
  });

  it("letters an Arabic document's annexes in abjad order, not with Latin letters", async () => {
    const annexes = Array.from({ length: 5 }, (_, i) => `::annex[ملحق ${i + 1}]\n`).join("");
    const doc = await parseText(`---\ntitle: T\nlang: ar\n---\n# الأول\n${annexes}## جداول\n`);
    expect(tocLines(doc)).toEqual([
      "1|1|الأول",
      "1|الملحق أ|ملحق 1",
      "1|الملحق ب|ملحق 2",
      "1|الملحق ج|ملحق 3",
      "1|الملحق د|ملحق 4",
      "1|الملحق هـ|ملحق 5",
      "2|هـ.1|جداول",
    ]);
  });

  it("keeps :name in an image's description and its caption as written: 10:30, 16:9, note:warning", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n\n![Throughput at 10:30, aspect 16:9](data:image/png;base64," +
        PNG.toString("base64") +
        ") and :name in text, [a:b](#x)\n\n![see note:warning and a:b](data:image/png;base64," +
        PNG.toString("base64") +
        ' "Caption at 10:30")\n',
    );
    expect(doc.bodyHtml).toContain('alt="Throughput at 10:30, aspect 16:9"');
    expect(doc.bodyHtml).toContain('alt="see note:warning and a:b"');
    expect(doc.bodyHtml).toContain("Caption at 10:30");
    expect(doc.bodyHtml).toContain(':name in text, <a href="#x">a:b</a>');
  });

  it("sets code and addresses left to right in a right-to-left document", async () => {
    const doc = await parseText(
      "---\ntitle: T\nlang: ar\n---\n\nانظر https://www.fao.org/giews/ar/ للمزيد و`f(1);` هنا.\n\n```js\nconst x = f(1);\n```\n",
    );
    expect(doc.bodyHtml).toContain(
      '<a href="https://www.fao.org/giews/ar/" dir="ltr">https://www.fao.org/giews/ar/</a>',
    );
    expect(doc.bodyHtml).toContain('<code dir="ltr">f(1);</code>');
    expect(doc.bodyHtml).toMatch(/<pre dir="ltr"><code class="language-js">const x = f\(1\);/);
    // A negative number in Latin digits keeps its minus before it.
    const table = await parseText(
      "---\ntitle: T\nlang: ar\n---\n\n| البند | القيمة |\n|---|---|\n| العجز | −21000.01 |\n| النمو | -4.25 % |\n",
    );
    expect(table.bodyHtml).toContain('<bdi dir="ltr">−21000.01</bdi>');
    expect(table.bodyHtml).toContain('<bdi dir="ltr">-4.25\u00A0%</bdi>');
  });

  it("turns callout directives into labelled asides", async () => {
    const doc = await parseText(":::key-points\n- one\n:::\n\n:::warning[Mind this]\nCareful.\n:::\n");
    expect(doc.bodyHtml).toContain(
      '<aside class="callout callout-key-points" role="note"><p class="callout-title">Key points</p>',
    );
    expect(doc.bodyHtml).toContain('<p class="callout-title">Mind this</p>');
    expect(doc.diagnostics).toEqual([]);
  });

  it("reports an unknown directive with its line and keeps its content", async () => {
    const doc = await parseText("Text.\n\n:::sidebar\nInside.\n:::\n", { file: "x.md" });
    expect(doc.diagnostics).toEqual([
      expect.objectContaining({ file: "x.md", line: 3, column: 1, severity: "warning", rule: "unknown-directive" }),
    ]);
    expect(doc.bodyHtml).toContain("Inside.");
  });

  it("notes lists nested past the indented levels once, at the first list past them, with the deepest level", async () => {
    const list = (levels: number) =>
      Array.from({ length: levels }, (_, i) => `${"  ".repeat(i)}- item ${i + 1}`).join("\n");
    const deep = await parseText(`# Deep\n\n${list(12)}\n\nAnd after.\n\n${list(10)}\n`);
    const notes = deep.diagnostics.filter((d) => d.rule === "lists/deep");
    expect(notes.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`)).toEqual([
      "11:17 note lists nested 12 deep: indented no further past level 8, so that every level stays on the page",
    ]);
    const eight = await parseText(`# Fine\n\n${list(8)}\n`);
    expect(eight.diagnostics.filter((d) => d.rule === "lists/deep")).toEqual([]);
  });

  it("notes block quotations nested past eight levels, counted through lists, once", async () => {
    const deep = await parseText(`# Deep\n\n${"> ".repeat(5)}- ${"> ".repeat(6)}text\n\n${"> ".repeat(8)}fine\n`);
    expect(
      deep.diagnostics.filter((d) => d.rule === "quotes/deep").map((d) => `${d.line}:${d.column} ${d.severity}`),
    ).toEqual(["3:19 note"]);
    expect(deep.diagnostics.find((d) => d.rule === "quotes/deep")?.message).toContain("nested 11 deep");
    const eight = await parseText(`# Fine\n\n${"> ".repeat(8)}text\n`);
    expect(eight.diagnostics.filter((d) => d.rule === "quotes/deep")).toEqual([]);
  });

  it("takes a link to an id written in other case, as GitHub does, and warns of one to nothing", async () => {
    const doc = await parseText(
      "# Guide\n\nSee [makeRe](#makeRe), [API](#Api%20Guide) and [gone](#nowhere).\n\n## makeRe\n\n## API guide\n",
    );
    expect(doc.bodyHtml).toContain('<a href="#makere">makeRe</a>');
    expect(doc.diagnostics.map((d) => `${d.rule} ${d.message}`)).toEqual([
      "links/internal link to #Api Guide, which is not in the document",
      "links/internal link to #nowhere, which is not in the document",
    ]);
  });

  it("keeps text that only looks like a text directive", async () => {
    const doc = await parseText("Meet at 10:30 in UNIFIL:HQ, ratio 3:1.\n");
    expect(doc.bodyHtml).toContain("Meet at 10:30 in UNIFIL:HQ, ratio 3:1.");
  });

  it("makes a lone image a numbered figure captioned by its title or alt text, never read twice", async () => {
    // An image with neither shows no number and takes none.
    const doc = await parseText('![Alt text](a.png)\n\n![](a.png)\n\n![Other](b.png "The title")\n', {
      assets: { "a.png": PNG, "b.png": PNG },
    });
    expect(doc.bodyHtml).toMatch(/<figure><img src="data:image\/png;base64,iVBORw0KGgo[^"]*" alt=""><\/figure>/);
    expect(doc.bodyHtml).toMatch(
      /<figure><img src="data:image\/png;base64,iVBORw0KGgo[^"]*" alt="Figure 1\. Alt text"><figcaption aria-hidden="true"><span class="caption-label">Figure 1\. <\/span>Alt text<\/figcaption><\/figure>/,
    );
    // A caption of its own (the title) is read, after the alt text.
    expect(doc.bodyHtml).toContain(
      'alt="Other"><figcaption><span class="caption-label">Figure 2. </span>The title</figcaption>',
    );
  });

  it("warns of a missing image and puts a placeholder in its place, keeping the figure's number", async () => {
    const doc = await parseText("![Alt a](missing.png)\n\n![Alt b](b.png)\n", {
      file: "d.md",
      assets: { "b.png": PNG },
    });
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
      [1, 1, "warning", "image/missing"],
    ]);
    expect(doc.bodyHtml).toContain(
      '<figure><span class="image-placeholder image-missing"><span class="image-placeholder-problem">Image not found</span> <span class="image-placeholder-file" dir="ltr">missing.png</span> <span class="image-placeholder-alt">Alt a</span></span><figcaption><span class="caption-label">Figure 1. </span>Alt a</figcaption></figure>',
    );
    expect(doc.bodyHtml).toContain("Figure 2. </span>Alt b");
    expect(doc.assets).toEqual(["/project/missing.png", "/project/b.png"]);
  });

  it("refuses a path out of the project", async () => {
    const doc = await parseText("![b](../../etc/passwd.png)\n", { file: "d.md" });
    expect(doc.diagnostics.map((d) => [d.line, d.severity, d.rule])).toEqual([[1, "error", "image/outside-project"]]);
  });

  it("never fetches a remote image, says so, and shows a placeholder with the address", async () => {
    const doc = await parseText("Inline ![a](https://example.org/x.png) and ![b](//example.org/y.png).\n");
    expect(doc.diagnostics.map((d) => [d.column, d.severity, d.rule])).toEqual([
      [8, "warning", "image/remote"],
      [44, "warning", "image/remote"],
    ]);
    expect(doc.bodyHtml).not.toContain("<img");
    expect(doc.bodyHtml).toContain('<span class="image-placeholder-file" dir="ltr">https://example.org/x.png</span>');
  });

  it("puts a placeholder for an image of a type it cannot inline, in raw HTML too, in the document's language", async () => {
    const doc = await parseText('---\nlang: fr\n---\n\n<img src="x" alt="Une carte">\n\n![Plan](plan.bmp)\n', {
      assets: { x: "x", "plan.bmp": "b" },
    });
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule])).toEqual([
      [5, 1, "warning", "image/unsupported"],
      [7, 1, "warning", "image/unsupported"],
    ]);
    expect(doc.bodyHtml).not.toContain("<img");
    expect(doc.bodyHtml).toContain("Type d’image non pris en charge</span>");
    expect(doc.bodyHtml).toContain('<span class="image-placeholder-alt">Une carte</span>');
  });

  it("puts a placeholder for a file that is no image, or no well-formed SVG, saying what is wrong at its place", async () => {
    const doc = await parseText(
      "Text ![Fake png altFake](img/fake.png) inline.\n\n![Broken svg altBroken](img/broken.svg)\n\n![Good](img/good.png)\n",
      {
        file: "d.md",
        assets: {
          "img/fake.png": "not really a png",
          "img/broken.svg": '<svg xmlns="http://www.w3.org/2000/svg"><text',
          "img/good.png": PNG,
        },
      },
    );
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule, d.message])).toEqual([
      [1, 6, "warning", "image/unreadable", "img/fake.png is not a PNG, JPEG, GIF, WebP, AVIF or SVG image"],
      [
        3,
        1,
        "warning",
        "image/unreadable",
        "img/broken.svg is not well-formed SVG: unclosed tag: svg (line 1, column 46)",
      ],
    ]);
    expect(doc.bodyHtml).toContain(
      '<span class="image-placeholder image-unreadable"><span class="image-placeholder-problem">Image cannot be read</span> <span class="image-placeholder-file" dir="ltr">img/fake.png</span> <span class="image-placeholder-alt">Fake png altFake</span></span>',
    );
    expect(doc.bodyHtml).toContain('<span class="image-placeholder-alt">Broken svg altBroken</span>');
    expect(doc.bodyHtml.match(/<img /g)).toHaveLength(1);
    // The file is still one the build depends on: fixed, the document is rebuilt.
    expect(doc.assets).toContain("/project/img/fake.png");
  });

  it("warns of a remote address inside an SVG, naming it, and shows the SVG without it", async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#eef"/><image href="https://example.com/logo.png" x="0" y="0" width="100" height="100"/></svg>';
    const doc = await parseText("# Chart\n\n![Chart altChart](img/remote-inside.svg)\n", {
      assets: { "img/remote-inside.svg": svg },
    });
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.rule, d.message])).toEqual([
      [
        3,
        1,
        "warning",
        "image/remote",
        "remote image not fetched: https://example.com/logo.png, inside img/remote-inside.svg",
      ],
    ]);
    const inlined = /<img src="data:image\/svg\+xml;base64,([^"]+)"/.exec(doc.bodyHtml)?.[1] ?? "";
    // Without the address, which Chromium would draw as a broken-image icon inside the chart.
    expect(Buffer.from(inlined, "base64").toString()).toBe(svg.replace(' href="https://example.com/logo.png"', ""));
  });

  it("captions a table from a following 'Table:' paragraph", async () => {
    const doc = await parseText("| A | B |\n|---|---|\n| 1 | 2 |\n\nTable: Two numbers\n");
    expect(doc.bodyHtml).toMatch(
      /<table data-line="1"><caption id="table-caption-1"><span class="caption-label">Table 1\. <\/span>Two numbers<\/caption>/,
    );
    expect(doc.bodyHtml).not.toContain("<p>Table:");
  });

  it("captions a table from a 'Table:' or 'table:' paragraph before or after it, as Pandoc does, and numbers in order", async () => {
    const doc = await parseText(
      "table: First\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| C |\n|---|\n| 3 |\n\nTable: Second\n\nTable: Third\n\n| D |\n|---|\n| 4 |\n\nTABLE: not a caption\n",
    );
    const captions = [...doc.bodyHtml.matchAll(/<caption[^>]*>(.*?)<\/caption>/g)].map((m) =>
      m[1]?.replace(/<[^>]+>/g, ""),
    );
    expect(captions).toEqual(["Table 1. First", "Table 2. Second", "Table 3. Third"]);
    // Captions written above two tables in a row each go to their own table.
    const above = await parseText("Table: A\n\n| A |\n|---|\n| 1 |\n\nTable: B\n\n| B |\n|---|\n| 2 |\n");
    expect(
      [...above.bodyHtml.matchAll(/<caption[^>]*>(.*?)<\/caption>/g)].map((m) => m[1]?.replace(/<[^>]+>/g, "")),
    ).toEqual(["Table 1. A", "Table 2. B"]);
    // One caption between two tables, the first without: it is right before the second, which takes it.
    const between = await parseText("| A |\n|---|\n| 1 |\n\nTable: Between\n\n| B |\n|---|\n| 2 |\n");
    const html = between.bodyHtml;
    expect([...html.matchAll(/<caption[^>]*>(.*?)<\/caption>/g)].map((m) => m[1]?.replace(/<[^>]+>/g, ""))).toEqual([
      "Table 1. Between",
    ]);
    expect(html.indexOf("Between")).toBeGreaterThan(html.indexOf(">1<"));
    expect(html.indexOf("Between")).toBeLessThan(html.indexOf(">2<"));
    // The document language's word: French with its space before the colon, Arabic with or without the article.
    for (const [lang, written, shown] of [
      ["fr", "Tableau : Les contributions", "Tableau 1. </span>Les contributions"],
      ["ar", "جدول: الأنصبة المقررة", "الجدول 1. </span>الأنصبة المقررة"],
      ["ar", "الجدول: الأنصبة", "الجدول 1. </span>الأنصبة"],
    ]) {
      const local = await parseText(`---\ntitle: T\nlang: ${lang}\n---\n${written}\n\n| A |\n|---|\n| 1 |\n`);
      expect(local.bodyHtml, written).toContain(shown);
    }
    expect(doc.bodyHtml).toContain("<p>TABLE: not a caption</p>");
    expect(doc.bodyHtml).not.toMatch(/<p>[Tt]able:/);
  });

  it("lists a heading with an image left out under the image's alt text, not the placeholder's words", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n# ![vfile](https://example.org/logo.svg) the virtual file\n\nText.\n",
    );
    expect(tocLines(doc)).toEqual(["1|1|vfile the virtual file"]);
    // The heading itself still shows what was left out.
    expect(doc.bodyHtml).toContain("https://example.org/logo.svg");
  });

  it("collects footnotes as Notes, listed in the contents, before references and annexes", async () => {
    const doc = await parseText(
      "---\ntitle: T\n---\n# One\n\nText.[^a]\n\n:::references\n- A book.\n:::\n\n[^a]: The note.\n\n::annex[Extra]\n",
    );
    expect(tocLines(doc)).toEqual(["1|1|One", "1||Notes", "1||References", "1|Annex A|Extra"]);
    const html = doc.bodyHtml;
    expect(html.indexOf("The note.")).toBeLessThan(html.indexOf("A book."));
    expect(html.indexOf("A book.")).toBeLessThan(html.indexOf("Extra"));
  });

  it("renders GFM: strikethrough, task lists and autolinks", async () => {
    const doc = await parseText("~~old~~ www.example.org\n\n- [x] done\n");
    expect(doc.bodyHtml).toContain("<del>old</del>");
    expect(doc.bodyHtml).toContain('href="http://www.example.org"');
    expect(doc.bodyHtml).toContain('type="checkbox"');
  });

  it("keeps safe raw HTML and takes out scripts, handlers, frames and javascript: links, saying so", async () => {
    const doc = await parseText(
      [
        '<p>Kept <mark>marked</mark> and <abbr title="United Nations">UN</abbr>.</p>',
        "",
        "<script>document.title = 'x'</script>",
        "",
        '<img src="x.png" onerror="alert(1)">',
        "",
        '<a href="javascript:alert(1)">link</a> <iframe src="https://example.org"></iframe>',
        "",
        '<p style="background: url(https://example.org/x)">styled</p>',
      ].join("\n"),
      { assets: { "x.png": PNG } },
    );
    const html = doc.bodyHtml;
    expect(html).toContain("<mark>marked</mark>");
    expect(html).toContain('<abbr title="United Nations">UN</abbr>');
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe|style=|example\.org/i);
    expect(html).toContain('<img src="data:image/png;base64,');
    expect(doc.diagnostics.filter((d) => d.rule === "html/unsafe").map((d) => d.line)).toEqual([3, 5, 7, 7, 9]);
  });

  it("reports an inline style and an element outside the allow-list when it drops them", async () => {
    const doc = await parseText('Text <font color="red">red</font> and <span style="color: red">styled</span>.\n');
    expect(doc.bodyHtml).toContain("red");
    expect(doc.bodyHtml).not.toMatch(/<font|style=/);
    expect(doc.diagnostics.filter((d) => d.rule === "html/unsafe").map((d) => d.message)).toEqual([
      "<font> removed from raw HTML (its text is kept)",
      "inline style removed from <span>",
    ]);
    const trusted = await parseText('<span style="color: red">styled</span>\n', { htmlPolicy: "trusted" });
    expect(trusted.diagnostics).toEqual([]);
  });

  it("reads VitePress's and Docusaurus's containers with a title (::: tip Title, :::info Title, ::: details)", async () => {
    const doc = await parseText(
      [
        ":::info You are reading the docs!",
        "Info body.",
        ":::",
        "",
        "::: tip Custom: title",
        "Tip body.",
        ":::",
        "",
        ":::danger",
        "Danger body.",
        ":::",
        "",
        "::: details Click me",
        "Details body.",
        ":::",
        "",
        "```",
        "::: tip In code",
        "```",
        "",
      ].join("\n"),
    );
    // Each opening line was printed as text, its body and closing colons run into one paragraph.
    expect(doc.bodyHtml).toContain(
      '<aside class="callout callout-note" role="note"><p class="callout-title">You are reading the docs!</p><p>Info body.</p></aside>',
    );
    expect(doc.bodyHtml).toContain('<p class="callout-title">Custom: title</p><p>Tip body.</p>');
    expect(doc.bodyHtml).toContain(
      '<aside class="callout callout-warning" role="note"><p class="callout-title">Warning</p><p>Danger body.</p></aside>',
    );
    expect(doc.bodyHtml).toContain("<details open><summary>Click me</summary><p>Details body.</p></details>");
    expect(doc.bodyHtml).toContain("<code>::: tip In code\n</code>");
    expect(doc.bodyHtml).not.toMatch(/<p>:::/);
    expect(doc.diagnostics).toEqual([]);
  });

  it("makes no figure of a raw <img> alone in its paragraph (the Rust book's, captioned by its author), as Pandoc", async () => {
    const doc = await parseText(
      '<img alt="Two tables: s1 on the stack"\nsrc="img/a.png" class="center" />\n\n<span class="caption">Figure 4-1: s1 in memory</span>\n\n![A chart](img/a.png)\n',
      { assets: { "img/a.png": PNG } },
    );
    expect(doc.bodyHtml).toMatch(
      /^<p><img alt="Two tables: s1 on the stack" src="data:image\/png;base64,[^"]+" class="center"><\/p>/,
    );
    expect(doc.bodyHtml.match(/<figure>/g)?.length).toBe(1);
    expect(doc.bodyHtml).toContain('alt="Figure 1. A chart"');
  });

  it("prints a word in angle brackets that names no element and is never closed as written (Vec<String>, <SmartAPI>)", async () => {
    const doc = await parseText(
      "Use the <SmartAPI> client and Vec<String> here, or a <T> param, <my-el/>.\n\nKept: <b>bold</b> and <Foo>unwrapped</Foo>.\n",
    );
    // Each was taken for an opening tag, and the word was gone from the page.
    expect(doc.bodyHtml).toContain(
      "<p>Use the &#x3C;SmartAPI> client and Vec&#x3C;String> here, or a &#x3C;T> param, &#x3C;my-el/>.</p>",
    );
    expect(doc.bodyHtml).toContain("<p>Kept: <b>bold</b> and unwrapped.</p>");
    expect(doc.diagnostics.map((d) => d.message)).toEqual(["<foo> removed from raw HTML (its text is kept)"]);
  });

  it("makes an element outside the allow-list with a caption a figure with that caption (mdBook's <Listing>)", async () => {
    const doc = await parseText(
      '<Listing number="4-1" caption="A variable and its scope">\n\n```rust\nlet s = "hello";\n```\n\n</Listing>\n',
    );
    expect(doc.bodyHtml).toMatch(
      /^<figure><pre><code class="language-rust">let s = "hello";\n<\/code><\/pre>\n<figcaption>Listing 4-1: A variable and its scope<\/figcaption><\/figure>/,
    );
    expect(doc.diagnostics).toEqual([]);
    const named = await parseText('<Listing file-name="src/main.rs">\n\n```rust\nfn main() {}\n```\n\n</Listing>\n');
    expect(named.bodyHtml).toMatch(/^<figure><p class="listing-file">Filename: src\/main\.rs<\/p><pre>/);
    expect(named.diagnostics).toEqual([]);
  });

  it("lets a trusted project keep inline styles, but never url()", async () => {
    const doc = await parseText('<p style="color: red">red</p>\n\n<p style="background:url(x.png)">bg</p>\n', {
      htmlPolicy: "trusted",
    });
    expect(doc.bodyHtml).toContain('<p style="color: red">red</p>');
    expect(doc.bodyHtml).toContain("<p>bg</p>");
  });
});
