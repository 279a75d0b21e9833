import { describe, expect, it } from "vitest";
import { parseText } from "../support/parse.js";

const deck = (body: string) => parseText(`---\nkind: slides\ntitle: Deck\n---\n${body}`, { file: "deck.md" });

describe("slides from Markdown", () => {
  it("cuts the body at --- into slides numbered from 2 (the title slide is 1), with their source lines", async () => {
    const doc = await deck("# One\n\nText.\n\n---\n\n# Two\n\n---\n\n## Three\n\n- a\n");
    expect(doc.slides.map((s) => [s.number, s.line, s.title])).toEqual([
      [2, 5, "One"],
      [3, 11, "Two"],
      [4, 15, "Three"],
    ]);
  });

  it("keeps an empty slide between two --- as a blank slide, as Marp does, and makes none of a --- at either end", async () => {
    const doc = await deck("\n---\n\n# One\n\n---\n\n---\n\n# Three\n\n---\n");
    expect(doc.slides.map((s) => [s.number, s.line, s.title, s.html.trim()])).toEqual([
      [2, 8, "One", expect.stringContaining("One")],
      [3, 10, "", ""],
      [4, 14, "Three", expect.stringContaining("Three")],
    ]);
  });

  it("reads Pandoc's and Quarto's fenced divs as directives: notes, columns and callouts are not printed as text", async () => {
    const doc = await deck(
      [
        "# A",
        "",
        "::: notes",
        "Secret speaker note.",
        ":::",
        "",
        "---",
        "",
        ":::: {.columns}",
        '::: {.column width="40%"}',
        "Left",
        ":::",
        "::: column",
        "Right",
        ":::",
        "::::",
        "",
        '::: {.callout-warning title="Mind this"}',
        "Careful.",
        ":::",
        "",
        "```",
        "::: notes",
        "```",
      ].join("\n"),
    );
    const [first, second] = doc.slides;
    expect(first?.notesHtml).toContain("Secret speaker note.");
    expect(first?.html).not.toContain("Secret");
    expect(second?.layout).toBe("two-columns");
    expect(second?.html).toContain('<div class="column"><p>Left</p></div><div class="column"><p>Right</p></div>');
    expect(second?.html).toContain('<p class="callout-title">Mind this</p>');
    expect(second?.html).not.toMatch(/:::(?! notes)/);
    expect(second?.html).toContain("<code>::: notes\n</code>");
    // Code in a quotation or opened on a list item's line ends where Markdown ends it: divs after it are read.
    const after = await deck(
      "# One\n\n> ```\n> quoted code\n> ```\n\n- ```js\n  let x = 1;\n  ```\n\n::: {.notes}\nSECRET SPEAKER NOTE\n:::\n",
    );
    expect(after.slides[0]?.notesHtml).toContain("SECRET SPEAKER NOTE");
    expect(after.slides[0]?.html).not.toContain("SECRET");
    const said = doc.diagnostics.filter((d) => d.rule === "directives/pandoc");
    expect(said.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '14:1 width="40%" of this div is not used by Press',
    ]);
  });

  it("reads a Marp deck as Marp does: headingDivider splits, directives are neither content nor notes, image keywords are no alt text", async () => {
    const marp = (body: string, extra = "") =>
      parseText(`---\nmarp: true\ntitle: Deck\n${extra}---\n${body}`, { file: "deck.md" });
    const split = await marp("# One\n\nText.\n\n## Two\n\n- a\n\n## Three\n\n### Not split\n", "headingDivider: 2\n");
    expect(split.slides.map((s) => s.title)).toEqual(["One", "Two", "Three"]);
    expect(split.diagnostics.filter((d) => d.rule === "front-matter/unknown-key" || d.rule === "slides/marp")).toEqual(
      [],
    );
    const doc = await marp(
      [
        "# Part one\n\n<!-- _class: lead -->\n",
        "---\n\n<!-- transition: fade -->\n<!-- math: katex -->\n\n# Part two\n\n<!-- A presenter note -->\n",
        "---\n\n![w:200 Our logo](data:image/png;base64,iVBORw0KGgo=)\n\n![sepia](data:image/png;base64,iVBORw0KGgo=)\n",
      ].join("\n"),
    );
    expect(doc.slides.map((s) => s.layout)).toEqual(["section", "section", "content"]);
    expect(doc.slides[1]?.notesHtml).toContain("A presenter note");
    expect(doc.slides[1]?.notesHtml).not.toMatch(/transition|katex/);
    expect(doc.slides[2]?.html).toContain('alt="Our logo"');
    expect(doc.slides[2]?.html).not.toMatch(/alt="(w|sepia)/);
    const said = doc.diagnostics.filter((d) => d.rule === "slides/marp").map((d) => `${d.line} ${d.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        '11 "transition" is a Marp directive: not used by Press',
        '20 Marp\'s image keywords in "w:200 Our logo" are not applied: Press sizes an image to its slide',
        '22 Marp\'s image keywords in "sepia" are not applied: Press sizes an image to its slide',
      ]),
    );
  });

  it("reads headingDivider as YAML, as Marp does: with a comment, quoted, or a list of levels", async () => {
    const marp = (divider: string) =>
      parseText(`---\nmarp: true\ntitle: Deck\nheadingDivider: ${divider}\n---\n# One\n\n## Two\n\n### Three\n`, {
        file: "deck.md",
      });
    expect((await marp("2 # split at ## too")).slides.map((s) => s.title)).toEqual(["One", "Two"]);
    expect((await marp('"2"')).slides.map((s) => s.title)).toEqual(["One", "Two"]);
    expect((await marp("[1, 3]")).slides.map((s) => s.title)).toEqual(["One", "Three"]);
  });

  it("reads Pandoc's closing colons on a div's line and a div with no space before its braces", async () => {
    const doc = await deck("# A\n\n::: notes :::\nOne note.\n:::\n\n:::{.notes}\nTwo notes.\n:::\n");
    expect(doc.slides[0]?.notesHtml).toContain("One note.");
    expect(doc.slides[0]?.notesHtml).toContain("Two notes.");
    expect(doc.slides[0]?.html).not.toContain("notes");
  });

  it("stops a deck at an HTML comment that never ends, rather than hide every later slide", async () => {
    const doc = await deck("# A\n\nText.\n\n<!-- a note to self\n\n---\n\n# B\n\nHidden.\n");
    expect(doc.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`)).toEqual([
      "9:1 error html/unclosed-comment an HTML comment (<!--) with no end (-->): everything after it would be hidden",
    ]);
  });

  it("says so when a deck with no --- has several top-level headings on its one slide", async () => {
    const doc = await deck("## One\n\nText.\n\n## Two\n\nMore.\n");
    const said = doc.diagnostics.filter((d) => d.rule === "slides/one-slide");
    expect(said.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      "9:1 this deck has no --- slide break: its 2 headings of level 2 are all on one slide",
    ]);
    const fine = await deck("## One\n\n### Sub\n\n---\n\n## Two\n");
    expect(fine.diagnostics.filter((d) => d.rule === "slides/one-slide")).toEqual([]);
  });

  it("ends a :::notes left open before the next slide break, and says so, rather than making later slides notes", async () => {
    const doc = await deck("# A\n\n:::notes\nnote for A\n\n---\n\n# B lostB\n\n---\n\n# C lostC\n");
    expect(doc.slides.map((s) => s.title)).toEqual(["A", "B lostB", "C lostC"]);
    expect(doc.slides[0]?.notesHtml).toContain("note for A");
    expect(doc.slides[0]?.notesHtml).not.toContain("lost");
    const said = doc.diagnostics.filter((d) => d.rule === "directives/unclosed");
    expect(said.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`)).toEqual([
      "7:1 warning :::notes has no closing ::: line: it was ended before the slide break at line 10",
    ]);
    // Closed ones, in a quotation, a list item or nested with more colons, are not said.
    const closed = await deck(
      "# A\n\n> :::notes\n> x\n> :::\n\n- item\n\n  :::notes\n  y\n  :::\n\n::::columns\n:::column\nz\n:::\n::::\n\n:::notes\nlast\n:::\n",
    );
    expect(closed.diagnostics.filter((d) => d.rule === "directives/unclosed")).toEqual([]);
  });

  it("ends a :::notes left open before the next slide break even when a later block's ::: would close it", async () => {
    const doc = await deck(
      "# Six\n\nVisiblesix\n\n:::notes\nSecretzeta\n\n---\n\n# Seven\n\nVisibleseven\n\n---\n\n# Eight\n\n:::notes\nSecrettheta\n:::\n\nAftereight\n",
    );
    expect(doc.slides.map((s) => s.title)).toEqual(["Six", "Seven", "Eight"]);
    expect(doc.slides[0]?.notesHtml).toContain("Secretzeta");
    expect(doc.slides[0]?.notesHtml).not.toContain("Seven");
    expect(doc.slides[2]?.notesHtml).toContain("Secrettheta");
    expect(doc.slides[2]?.html).toContain("Aftereight");
    const said = doc.diagnostics.filter((d) => d.rule === "directives/unclosed").map((d) => `${d.line} ${d.message}`);
    expect(said[0]).toBe(
      "9 :::notes runs over slide breaks to a ::: further on: it was ended before the slide break at line 12",
    );
  });

  it("says a misspelt layout directive, and no comment that is none", async () => {
    const doc = await deck("<!-- layot: section -->\n# A\n\nText.\n\n---\n\n<!-- fix: later -->\n# B\n");
    const said = doc.diagnostics.filter((d) => d.rule === "slides/layout");
    expect(said.map((d) => `${d.line}:${d.column} ${d.message} / ${d.hint}`)).toEqual([
      '5:1 unknown slide directive "layot" in a comment at the slide\'s top / did you mean "layout"?',
    ]);
  });

  it("infers the layout from what a slide holds", async () => {
    const doc = await deck(
      [
        "# Only a heading",
        "---",
        "> A quotation",
        "",
        "Someone",
        "---",
        "## Chart",
        "",
        "![A chart](data:image/png;base64,AA==)",
        "---",
        "::::columns",
        ":::column",
        "Left",
        ":::",
        ":::column",
        "Right",
        ":::",
        "::::",
        "---",
        "## Points",
        "",
        "- one",
      ].join("\n\n"),
    );
    expect(doc.slides.map((s) => s.layout)).toEqual(["section", "quote", "figure", "two-columns", "content"]);
    expect(doc.slides[3]?.html).toContain('<div class="columns"><div class="column">');
  });

  it("sets a quotation with a short attribution after it in the quote layout, not one with more", async () => {
    const doc = await deck(
      [
        "> Words worth quoting",
        "Someone Famous",
        "---",
        "# Heading and quote",
        "> Quoted in content",
        "Body after, a paragraph long enough to be the slide's own text rather than any attribution of the quotation above it, and more.",
        "---",
        "> Words",
        "One.",
        "Two.",
        "---",
        "> Words",
        "— An attribution with a dash, however long it is, naming the speech, the place and the year.",
        "---",
        "> Words",
        "Body after.",
      ].join("\n\n"),
    );
    expect(doc.slides.map((s) => s.layout)).toEqual(["quote", "content", "content", "quote", "content"]);
  });

  it("warns where text right above --- makes a heading instead of a slide break", async () => {
    const doc = await deck("# A\n\nLast line of the slide\n---\n\n# B\n\nText.\n\n---\n\n# C\n");
    const said = doc.diagnostics.filter((d) => d.rule === "slides/setext");
    // Line 8: the --- under "Last line of the slide" (the front matter takes lines 1–4).
    expect(said.map((d) => `${d.line}:${d.column} ${d.severity}`)).toEqual(["8:1 warning"]);
    expect(doc.slides).toHaveLength(2);
  });

  it("says where it meets Marp's own syntax: directives in comments, background images", async () => {
    const doc = await deck("<!-- _class: lead -->\n\n![bg left 40%](chart.png)\n\n# Title\n\n- point\n");
    const said = doc.diagnostics.filter((d) => d.rule === "slides/marp");
    expect(said.map((d) => `${d.line} ${d.severity} ${d.message}`)).toEqual([
      '5 warning "class" is a Marp directive: not used by Press',
      "7 warning ![bg …] is Marp's background image: Press shows the image as a figure on the slide",
    ]);
    // Marp's keywords are not the image's alt text (nor its caption).
    expect(doc.slides[0]?.html).not.toContain("bg left");
  });

  it("reads a Marp deck's comments as presenter notes, as Marp does, and only a Marp deck's", async () => {
    const marp = await parseText(
      "---\nmarp: true\ntitle: M\n---\n\n<!-- Say hello first. -->\n\n# One\n\n- point\n\n<!-- _class: lead -->\n\n<!--\nThen the point.\n\nAnd a second paragraph.\n-->\n\n---\n\n<!-- fit -->\n\n# Two\n",
      { file: "deck.md" },
    );
    expect(marp.slides[0]?.notesHtml.replace(/\n/g, "")).toBe(
      "<p>Say hello first.</p><p>Then the point.</p><p>And a second paragraph.</p>",
    );
    expect(marp.slides[0]?.html).not.toContain("Say hello");
    expect(marp.slides[1]).toMatchObject({ fit: true, notesHtml: "" });
    // In a deck of Press's own, a comment stays a comment.
    const own = await deck("<!-- a remark for the author -->\n\n# One\n\n<!-- another -->\n");
    expect(own.slides[0]?.notesHtml).toBe("");
  });

  it("takes the layout and fit from an HTML comment at the slide's top", async () => {
    const doc = await deck("<!-- layout: quote; fit -->\n\n> Words\n\n— Author\n");
    expect(doc.slides[0]).toMatchObject({ layout: "quote", fit: true });
    expect(doc.diagnostics).toEqual([]);
  });

  it("warns of an unknown layout at its line and falls back to the inferred one", async () => {
    const doc = await deck("# A\n\n---\n\n<!-- layout: sideways -->\n\nText.\n");
    expect(doc.diagnostics[0]).toMatchObject({ file: "deck.md", line: 9, rule: "slides/layout", severity: "warning" });
    expect(doc.slides[1]?.layout).toBe("content");
  });

  it("keeps speaker notes out of the slide and with it as notes", async () => {
    const doc = await deck("# A\n\nShown.\n\n:::notes\nSay this.\n:::\n");
    expect(doc.slides[0]?.html).toContain("Shown.");
    expect(doc.slides[0]?.html).not.toContain("Say this.");
    expect(doc.slides[0]?.notesHtml).toContain("<p>Say this.</p>");
  });

  it("keeps the headings of a deck without front matter title, and titles it from the first", async () => {
    const doc = await parseText("---\nkind: slides\n---\n# First slide\n\n---\n\n# Second\n");
    expect(doc.meta.title).toBe("First slide");
    expect(doc.slides).toHaveLength(2);
  });

  it("shows a footnote on the slide that refers to it, numbered through the deck, its marker a number", async () => {
    const doc = await deck(
      "# A\n\nClaim.[^src] Other.[^b]\n\n:::notes\nSpeaker.\n:::\n\n---\n\n# B\n\nAgain.[^src]\n\n[^src]: The ledger, *2026*.\n[^b]: Second note.\n[^unused]: Never cited.\n",
    );
    const [a, b] = doc.slides;
    expect(a?.html).toContain('Claim.<sup class="slide-note-ref">1</sup> Other.<sup class="slide-note-ref">2</sup>');
    expect(a?.html).toMatch(
      /<ol class="slide-footnotes">\s*<li value="1">The ledger, <em>2026<\/em>.<\/li>\s*<li value="2">Second note.<\/li>/,
    );
    expect(a?.notesHtml).toContain("Speaker.");
    expect(a?.notesHtml).not.toContain("ledger");
    expect(b?.html).toContain('Again.<sup class="slide-note-ref">1</sup>');
    expect(b?.html).toMatch(/<li value="1">The ledger/);
    expect(b?.html).not.toContain("Second note");
    expect(doc.diagnostics.map((d) => `${d.rule} ${d.line}`)).toEqual(["footnotes/unused 21"]);
  });

  it("keeps a footnote cited in the speaker's notes with them, off the slide, and makes no slide of notes after a last ---", async () => {
    const doc = await deck(
      "# One\n\nVisible.[^a]\n\n:::notes\nSpeaker only: source[^s].\n:::\n\n---\n\n# Two\n\nMore.\n\n---\n\n[^a]: Shown note.\n[^s]: The informant is agent X-17.\n",
    );
    expect(doc.slides.map((s) => s.title)).toEqual(["One", "Two"]);
    const [one] = doc.slides;
    expect(one?.html).toContain("Shown note.");
    expect(one?.html).not.toContain("X-17");
    expect(one?.notesHtml).toMatch(/Speaker only: source<sup class="slide-note-ref">2<\/sup>/);
    expect(one?.notesHtml).toMatch(/<li value="2">The informant is agent X-17.<\/li>/);
  });

  it("reads the slide options of the front matter", async () => {
    const doc = await parseText('---\nkind: slides\naspect: "4:3"\nhandout: 6\nfit: true\n---\n# A\n');
    expect(doc.meta).toMatchObject({ aspect: "4:3", handout: 6, fit: true });
  });
});
