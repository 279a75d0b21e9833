import { describe, expect, it } from "vitest";
import { frontMatterFails } from "../../src/parse/front-matter.js";
import { formatDiagnostic } from "../../src/report/diagnostic.js";
import { parseText } from "../support/parse.js";

describe("front matter", () => {
  it("reads every documented field into the document's metadata", async () => {
    const doc = await parseText(
      [
        "---",
        "title: A paper",
        "subtitle: With a subtitle",
        "short-title: Paper",
        "date: 2026-11-25",
        "author: [Ann One, Bob Two]",
        "organisation: The Unit",
        "classification: RESTRICTED",
        "distribution: Limited",
        "version: 1.0",
        "reference: REF/1",
        "lang: fr",
        "summary: In brief.",
        "keywords: alpha, beta",
        "kind: briefing",
        "paper: letter",
        "toc-depth: 3",
        "number-sections: false",
        "---",
        "",
        "Text.",
      ].join("\n"),
    );
    expect(doc.diagnostics).toEqual([]);
    expect(doc.meta).toMatchObject({
      title: "A paper",
      subtitle: "With a subtitle",
      shortTitle: "Paper",
      date: "2026-11-25",
      authors: ["Ann One", "Bob Two"],
      organisation: "The Unit",
      classification: "RESTRICTED",
      distribution: "Limited",
      version: "1.0",
      reference: "REF/1",
      lang: "fr",
      summary: "In brief.",
      keywords: ["alpha", "beta"],
      kind: "briefing",
      paper: "Letter",
      tocDepth: 3,
      numberSections: false,
      toc: true,
    });
  });

  it("warns of an unknown key at its file, line and column, with the key that was meant", async () => {
    const text = "---\ntitle: Fine\n  \nauthour: Someone\n---\n\nText.\n";
    const doc = await parseText(text, { file: "content/bad.md" });
    const warning = doc.diagnostics[0];
    if (!warning) throw new Error("expected a diagnostic");
    expect(warning).toMatchObject({ file: "content/bad.md", line: 4, column: 1, severity: "warning" });
    expect(formatDiagnostic(warning)).toBe(
      'content/bad.md:4:1: warning: unknown key "authour" [front-matter/unknown-key]\n  hint: did you mean "author"?',
    );
    const strict = await parseText(`${text.replace("---\n\nText", "owner: Jane\n---\n\nText")}`, {
      file: "content/bad.md",
      strict: true,
    });
    expect(strict.diagnostics.map((d) => [d.line, d.severity, d.rule])).toEqual([
      [4, "error", "front-matter/unknown-key"],
      [5, "warning", "front-matter/unknown-key"],
    ]);
  });

  it("hands custom keys to templates as meta.extra, as data", async () => {
    const doc = await parseText(
      "---\ntitle: T\nowner: Jane\nreview-date: 2027-01-01\nsteps: [1, two]\nnested: {a: {b: true}}\n---\n",
    );
    expect(doc.meta.extra).toEqual({
      owner: "Jane",
      "review-date": "2027-01-01",
      steps: [1, "two"],
      nested: { a: { b: true } },
    });
    const unknown = doc.diagnostics.filter((d) => d.rule === "front-matter/unknown-key");
    expect(unknown.map((d) => d.severity)).toEqual(["warning", "warning", "warning", "warning"]);
    expect(unknown[0]?.hint).toContain("reaches templates in meta.extra");
    // The same hint for every key of one's own, so that it is printed once for all of them.
    expect(new Set(unknown.map((d) => d.hint)).size).toBe(1);
  });

  it("reads a Marp deck's front matter: marp makes slides, size the aspect, paginate is fine, theme is a warning", async () => {
    const doc = await parseText(
      "---\nmarp: true\ntheme: gaia\npaginate: true\nsize: 4:3\n---\n\n# One\n\n---\n\n# Two\n",
    );
    expect(doc.meta.kind).toBe("slides");
    expect(doc.meta.aspect).toBe("4:3");
    expect(doc.slides.length).toBe(2);
    expect(doc.diagnostics.map((d) => [d.line, d.severity, d.rule])).toEqual([[3, "warning", "front-matter/foreign"]]);
    expect(doc.diagnostics[0]?.message).toContain('"theme" is not used');
    const md2pdf = await parseText("---\npdf_options:\n  format: A4\ndocument_title: Old\n---\n\nText.\n");
    expect(md2pdf.meta.title).toBe("Old");
    expect(md2pdf.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('"pdf_options" is not used')]);
  });

  it("reads cover, document-control and status: draft", async () => {
    const plain = await parseText("---\ntitle: T\n---\n");
    expect(plain.meta).toMatchObject({ cover: true, documentControl: true, status: null, draft: false });
    const draft = await parseText("---\ntitle: T\ncover: false\ndocument-control: false\nstatus: Draft\n---\n");
    expect(draft.meta).toMatchObject({ cover: false, documentControl: false, status: "Draft", draft: true });
  });

  it("points at the value of a field with the wrong type", async () => {
    const doc = await parseText("---\ntitle: Fine\ntoc-depth: deep\npaper: A5\n---\n\nText.\n");
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [3, 12, '"toc-depth" must be a whole number from 1 to 4'],
      [4, 8, '"paper" must be one of: A4, Letter'],
    ]);
  });

  it("refuses a language that is no BCP 47 tag, at its value, and takes one that is", async () => {
    // It was written into the HTML and the PDF, whose own PDF/UA check then failed.
    const doc = await parseText('---\ntitle: T\nlang: "not a lang!"\nalt-lang: 12\n---\n\nText.\n');
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [3, 7, "error", '"lang" must be a language tag (BCP 47), e.g. en, fr, ar, pt-BR (got "not a lang!")'],
      [4, 11, "error", '"alt-lang" must be a language tag (BCP 47), e.g. en, fr, ar, pt-BR (got "12")'],
    ]);
    const good = await parseText("---\ntitle: T\nlang: pt_BR\nalt-lang: ar\n---\n\nTexto.\n");
    expect(good.meta.lang).toBe("pt-BR");
    expect(good.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("refuses a date that is not a day of the calendar, and takes free text", async () => {
    const doc = await parseText("---\ntitle: Dated\ndate: 2026-13-45\n---\n\nText.\n");
    expect(doc.diagnostics.map((d) => [d.line, d.column, d.severity, d.message])).toEqual([
      [3, 7, "error", expect.stringContaining('"date" is not a day of the calendar: 2026-13-45')],
    ]);
    const april = await parseText("---\ndate: 2026-04-31\n---\n\nText.\n");
    expect(april.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("is not a day")]);
    for (const date of ["2028-02-29", "Spring 2026", "2026-11-25"]) {
      const fine = await parseText(`---\ndate: ${date}\n---\n\nText.\n`);
      expect(fine.diagnostics, date).toEqual([]);
      expect(fine.meta.date).toBe(date);
    }
  });

  it("warns of front matter that is opened and never closed, at its first line", async () => {
    const doc = await parseText("---\ntitle: Unclosed front matter\n\n# Heading\n\nText.\n");
    expect(doc.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`)).toEqual([
      "1:1 warning front-matter/unclosed",
    ]);
    // A rule and a paragraph that only look like it are not.
    const rule = await parseText("---\n\nNote that this is text.\n");
    expect(rule.diagnostics.filter((d) => d.rule === "front-matter/unclosed")).toEqual([]);
  });

  it("counts lines from the top of a file with a byte order mark and CRLF line ends", async () => {
    const doc = await parseText("\uFEFF---\r\ntitle: x\r\nbogus: 1\r\n---\r\n\r\nText.\r\n");
    expect(doc.diagnostics[0]).toMatchObject({ line: 3, column: 1, message: 'unknown key "bogus"' });
  });

  it("refuses custom YAML tags instead of running them", async () => {
    const doc = await parseText('---\ntitle: !!js/function "function () { return 1 }"\n---\n');
    expect(doc.diagnostics[0]).toMatchObject({ line: 2, column: 8, severity: "error" });
    expect(doc.diagnostics[0]?.message).toContain("custom YAML tags are not allowed");
  });

  it("says an alias or a merge key is not expanded, where it is, not that the value is of the wrong type", async () => {
    const doc = await parseText(
      '---\ndefaults: &d\n  author: Anchor Author\ntitle: &t "Anchored title"\nsubtitle: *t\n<<: *d\nkeywords: [one, *t]\n---\n\nBody.\n',
    );
    expect(doc.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message} [${d.rule}]`)).toEqual([
      '2:1 warning unknown key "defaults" [front-matter/unknown-key]',
      '5:11 error "subtitle": a YAML alias (*t) is not expanded in front matter: write the value out [front-matter/schema]',
      "6:1 error a YAML merge key (<<: *d) is not expanded in front matter: write its keys out [front-matter/schema]",
      '7:17 error "keywords": a YAML alias (*t) is not expanded in front matter: write the value out [front-matter/schema]',
    ]);
  });

  it("reports broken YAML with its position", async () => {
    const doc = await parseText("---\ntitle: [unclosed\n---\n");
    expect(doc.diagnostics[0]?.severity).toBe("error");
    expect(doc.diagnostics[0]?.rule).toBe("front-matter/yaml");
    expect(doc.diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("reports one broken YAML line as one error, at the bracket never closed, with a hint", async () => {
    const list = await parseText("---\ntitle: Bad\nkeywords: [one, two\nauthor: me: you\n---\n\nText.\n");
    const errors = list.diagnostics.filter((d) => d.rule === "front-matter/yaml");
    expect(errors.map((d) => `${d.line}:${d.column} ${d.hint}`)).toEqual(["3:11 the [ here is never closed with ]"]);
    const map = await parseText("---\ntitle: Bad\nmeta: {a: 1\n---\n\nText.\n");
    expect(map.diagnostics.map((d) => `${d.line}:${d.column} ${d.hint}`)).toEqual([
      "3:7 the { here is never closed with }",
    ]);
    const colon = await parseText("---\ntitle: Peacekeeping: an overview\n---\n\nText.\n");
    expect(colon.diagnostics).toEqual([
      expect.objectContaining({ line: 2, column: 8, severity: "error", hint: expect.stringContaining("needs quotes") }),
    ]);
  });

  it("warns of a document with no text, at its first line", async () => {
    for (const text of ["", "---\ntitle: Only front matter\n---\n", "---\ntitle: C\n---\n<!-- nothing -->\n"]) {
      const doc = await parseText(text, { file: "empty.md" });
      expect(doc.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.rule}`)).toEqual([
        "1:1 warning document/empty",
      ]);
    }
    expect((await parseText("Some text.\n")).diagnostics).toEqual([]);
    // A document that is one raw HTML table has text (a README of a table was called empty).
    const table = await parseText("# Title\n\n<table>\n<tr><td>cell</td></tr>\n</table>\n");
    expect(table.diagnostics.map((d) => d.rule)).toEqual([]);
    // A front matter that failed is the news, not the empty body.
    const broken = await parseText("---\ntitle: [\n---\n");
    expect(broken.diagnostics.map((d) => d.rule)).toEqual(["front-matter/yaml"]);
  });

  it("takes the title from a lone top heading, which then leaves the body", async () => {
    const doc = await parseText("# The Title\n\n## First\n\nText.\n");
    expect(doc.meta.title).toBe("The Title");
    expect(doc.bodyHtml).not.toContain("The Title");
    expect(doc.toc.map((e) => `${e.number} ${e.text}`)).toEqual(["1 First"]);
  });

  it("takes the title from a heading without its attributes ({#id}, {-}), in a briefing and a deck", async () => {
    const doc = await parseText("# Introduction {#intro}\n\n## Next {.unnumbered}\n\nText.\n");
    expect(doc.meta.title).toBe("Introduction");
    const other = await parseText("## Overview {#overview .unlisted}\n\n## Next\n\nText.\n");
    expect(other.meta.title).toBe("Overview");
    const deck = await parseText("---\nkind: slides\n---\n\n# Welcome {#start}\n\nText.\n");
    expect(deck.meta.title).toBe("Welcome");
    // Braces that are not attributes stay.
    const code = await parseText("# Sets {a, b}\n\nText.\n");
    expect(code.meta.title).toBe("Sets {a, b}");
  });

  it("takes the title from the file name when there is no heading", async () => {
    const doc = await parseText("Just a paragraph.\n", { file: "weekly_security-update.md" });
    expect(doc.meta.title).toBe("Weekly security update");
  });

  it("inherits project defaults, which front matter overrides", async () => {
    const doc = await parseText("---\nclassification: SECRET\n---\n", {
      defaults: { organisation: "Ministry", classification: "OFFICIAL", paper: "Letter" },
    });
    expect(doc.meta).toMatchObject({ organisation: "Ministry", classification: "SECRET", paper: "Letter" });
  });
});

describe("front matter read alone, before any browser", () => {
  const source = (text: string) => ({ path: "/p/a.md", displayPath: "a.md", outputStem: "a", text });
  it("tells a document its front matter fails from one that may render", () => {
    expect(frontMatterFails(source("---\ntitle: [broken\n---\n# A\n"))).toBe(true);
    expect(frontMatterFails(source("---\npaper: A7\n---\n"))).toBe(true);
    expect(frontMatterFails(source("\uFEFF---\r\ntitle: Fine\r\nowner: Jane\r\n---\r\n# A\r\n"))).toBe(false);
    expect(frontMatterFails(source("# No front matter\n\n---\n\npaper: A7\n"))).toBe(false);
    expect(frontMatterFails(source("---\ntitle: never closed\n"))).toBe(false);
    expect(frontMatterFails(source(`---\n${"---x\n".repeat(50_000)}`))).toBe(false);
  });
});
