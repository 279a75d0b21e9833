/**
 * PDF/UA-1: Press's checker (src/pdf/check-ua.ts) over real prints. A PDF straight from Chromium
 * fails each rule the finishing repairs; every output Press builds from content/ passes them.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build } from "../../src/build.js";
import { resolveConfig } from "../../src/config.js";
import { blockTexts } from "../../src/kinds/block-texts.js";
import { checkPdfUa, formatUaFailure, type UaFailure } from "../../src/pdf/check-ua.js";
import { BrowserSession } from "../../src/render/browser.js";
import { findBrowser } from "../../src/render/find-browser.js";
import { renderPdf } from "../../src/render/pdf.js";
import { REPO } from "../support/parse.js";
import { readPdf, structureText, taggedGlyphText } from "../support/pdf.js";

const OUTPUTS = [
  "briefings/peacekeeping-participation.pdf",
  "fr/briefings/peacekeeping-synthese.pdf",
  "ar/briefings/peacekeeping-key-points.pdf",
  "decks/peacekeeping-participation.pdf",
  "decks/peacekeeping-participation.handout.pdf",
];

/** The rules the finishing makes hold, each failed by Chromium's own print of the briefing. */
const REPAIRED = ["06-001", "28-012", "02-001", "01-005", "09-004", "09-005", "13-004", "31-028"];

let out: string;
let session: BrowserSession;
/** The briefing as Chromium prints it, unfinished, and its checker's failures. */
let printed: Uint8Array;
let raw: UaFailure[];
const finished = new Map<string, UaFailure[]>();

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), "press-ua-"));
  const report = await build(resolveConfig({ inputs: ["content"], out }, REPO, {}));
  expect(report.ok).toBe(true);
  for (const file of OUTPUTS) finished.set(file, await checkPdfUa(fs.readFileSync(path.join(out, file))));
  const html = fs.readFileSync(path.join(out, "briefings/peacekeeping-participation.html"), "utf8");
  session = await BrowserSession.launch((await findBrowser()).executablePath, 1);
  printed = await session.withPage((page) => renderPdf(page, html, { timeout: 60_000 }));
  raw = await checkPdfUa(printed);
});

afterAll(async () => {
  await session?.close();
  fs.rmSync(out, { recursive: true, force: true });
});

const lines = (file: string, failures: UaFailure[]) => failures.map((f) => formatUaFailure(file, f));

describe("the PDF/UA-1 checker", () => {
  it("fails Chromium's own print for the reasons an audit by hand found", () => {
    const found = new Set(raw.map((f) => f.checkpoint));
    for (const checkpoint of ["06-001", "01-005", "28-012", "02-001", "09-005", "13-004"])
      expect(found, checkpoint).toContain(checkpoint);
    const untagged = raw.find((f) => f.checkpoint === "01-005");
    expect(untagged?.page).toBe(1);
    expect(untagged?.object).toMatch(/^\d+ 0 R$/);
  });

  it("passes every PDF Press builds from content/", () => {
    for (const [file, failures] of finished) expect(lines(file, failures)).toEqual([]);
  });

  it.each(REPAIRED)("finds %s in Chromium's print and in no output of content/", (checkpoint) => {
    expect(raw.some((f) => f.checkpoint === checkpoint)).toBe(true);
    for (const [file, failures] of finished)
      expect(
        lines(
          file,
          failures.filter((f) => f.checkpoint === checkpoint),
        ),
      ).toEqual([]);
  });
});

describe("press check --pdf", () => {
  it("prints a line per failure or per file it cannot read, saying why, and exits 1 when there is one", () => {
    const good = path.join(out, "briefings/peacekeeping-participation.pdf");
    const raw = path.join(out, "raw.pdf");
    fs.writeFileSync(raw, printed);
    // Only the trailer's /Encrypt entry is looked for: enough to stand for an encrypted file.
    const encrypted = path.join(out, "encrypted.pdf");
    fs.writeFileSync(
      encrypted,
      Buffer.concat([fs.readFileSync(good), Buffer.from("\ntrailer\n<< /Encrypt 9 0 R >>\n")]),
    );
    const text = path.join(out, "text.pdf");
    fs.writeFileSync(text, "not a PDF at all");
    const press = (files: string[]) =>
      spawnSync(process.execPath, [path.join(REPO, "bin/press.js"), "check", "--pdf", ...files], { encoding: "utf8" });
    const passing = press([good]);
    expect(passing.status).toBe(0);
    expect(passing.stdout.trim()).toBe("1 PDF checked against PDF/UA-1: 0 failures");
    const failing = press([good, raw, encrypted, text, path.join(out, "missing.pdf")]);
    expect(failing.status).toBe(1);
    const lines = failing.stdout.trim().split("\n");
    expect(lines.filter((line) => line.startsWith(`${good}:`))).toEqual([]);
    expect(
      lines.some((line) => line.startsWith(`${raw}: page 1, object `) && line.includes("[Matterhorn 01-005")),
    ).toBe(true);
    expect(lines).toContain(
      `${encrypted}: error: encrypted: Press cannot read an encrypted PDF (decrypt it first, e.g. qpdf --decrypt) [read]`,
    );
    expect(lines).toContain(`${text}: error: not a PDF: no %PDF- header in its first bytes [read]`);
    expect(lines.some((line) => line.startsWith(`${path.join(out, "missing.pdf")}: error: cannot read: ENOENT`))).toBe(
      true,
    );
    expect(failing.stderr).not.toMatch(/Trying to parse|at .*\.js:\d+/);
  });
});

describe("the language of replacement text", () => {
  it("fails 11-005 when an ActualText's language cannot be determined (no Lang on it, its parents or the catalog)", async () => {
    const file = path.join(out, "briefings/peacekeeping-participation.pdf");
    const pdf = await PDFDocument.load(fs.readFileSync(file), { updateMetadata: false });
    expect(
      (finished.get("briefings/peacekeeping-participation.pdf") ?? []).some((f) => f.checkpoint === "11-005"),
    ).toBe(false);
    // The catalog's language, and Chromium's on the Document element, taken away.
    pdf.catalog.delete(PDFName.of("Lang"));
    for (const [, object] of pdf.context.enumerateIndirectObjects())
      if (object instanceof PDFDict && object.get(PDFName.of("S")) === PDFName.of("Document"))
        object.delete(PDFName.of("Lang"));
    const failures = await checkPdfUa(await pdf.save({ useObjectStreams: false }));
    expect(failures.filter((f) => f.checkpoint === "11-005").length).toBeGreaterThan(10);
  });
});

describe("the outline and the print boxes", () => {
  it("titles bookmarks with the headings as written: Arabic in logical order, French with its spaces", async () => {
    const outline = async (file: string) => (await readPdf(fs.readFileSync(path.join(out, file)))).outline;
    const arabic = await outline("ar/briefings/peacekeeping-key-points.pdf");
    expect(arabic[0]).toBe("مشاركة الدول الإسلامية في عمليات الأمم المتحدة لحفظ السلام");
    expect(arabic).toContain("بيانات الوثيقة");
    expect(arabic).toContain("٣ التوصيات");
    const french = await outline("fr/briefings/peacekeeping-synthese.pdf");
    expect(french[0]).toBe("Les pays islamiques dans le maintien de la paix des Nations Unies");
  });

  it("gives every page a TrimBox equal to its MediaBox, and the file an identifier from its content", async () => {
    const ids = new Set<string>();
    for (const file of OUTPUTS) {
      const pdf = await PDFDocument.load(fs.readFileSync(path.join(out, file)), { updateMetadata: false });
      for (const page of pdf.getPages()) expect(page.getTrimBox()).toEqual(page.getMediaBox());
      const id = pdf.context.trailerInfo.ID;
      expect(id).toBeInstanceOf(PDFArray);
      const first = (id as PDFArray).lookup(0, PDFHexString).asString();
      expect(first).toMatch(/^[0-9A-F]{32}$/);
      ids.add(first);
    }
    expect(ids.size).toBe(OUTPUTS.length);
    const chromium = await PDFDocument.load(printed, { updateMetadata: false });
    expect(chromium.getPage(0).node.get(PDFName.of("TrimBox"))).toBeUndefined();
  });
});

describe("what a screen reader reads", () => {
  const text = async (file: string) => (await structureText(fs.readFileSync(path.join(out, file)))).text;

  it("reads no slide furniture: the marking, deck title and slide number are artifacts", async () => {
    for (const file of ["decks/peacekeeping-participation.pdf", "decks/peacekeeping-participation.handout.pdf"]) {
      const read = await text(file);
      expect(read).toContain("Why this matters now");
      expect(read).not.toContain("OFFICIAL");
    }
  });

  it("reads a figure whose caption repeats its alt text once, with its number in a briefing", async () => {
    const times = (text: string, part: string) => text.split(part).length - 1;
    const deck = await text("decks/peacekeeping-participation.pdf");
    expect(times(deck, "Five UN peace operations in which OIC member states served")).toBe(1);
    const briefing = await text("briefings/peacekeeping-participation.pdf");
    expect(times(briefing, "Five UN peace operations in which OIC member states served")).toBe(1);
    expect(briefing).toContain("Figure 1. Five UN peace operations");
  });

  /** Words of a text: split at white space, punctuation trimmed from their ends. */
  const wordsOf = (text: string) =>
    text
      .split(/\s+/)
      .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
      .filter(Boolean);
  /** The words of the source's paragraphs that the tagged text alone (no line ends from the layout) does not hold whole. */
  const joinedWords = async (pdf: Uint8Array, html: string, lang: string) => {
    const read = new Set(wordsOf((await structureText(pdf, { lineEnds: false })).text));
    const paragraphs = blockTexts(html, lang).filter((block) => block.tag === "p");
    expect(paragraphs.length).toBeGreaterThan(5);
    return [...new Set(paragraphs.flatMap((block) => wordsOf(block.text)))].filter((word) => !read.has(word));
  };
  const source = (file: string) => fs.readFileSync(path.join(out, file.replace(/\.pdf$/, ".html")), "utf8");

  it("reads every word of the briefings' paragraphs whole from the tagged text alone, in English and French", async () => {
    for (const [file, lang] of [
      ["briefings/peacekeeping-participation.pdf", "en"],
      ["fr/briefings/peacekeeping-synthese.pdf", "fr"],
    ] as const)
      expect(await joinedWords(fs.readFileSync(path.join(out, file)), source(file), lang), file).toEqual([]);
    // Chromium's own print runs the last word of a wrapped line into the next one's first.
    const chromium = await joinedWords(printed, source("briefings/peacekeeping-participation.pdf"), "en");
    expect(chromium.length).toBeGreaterThan(20);
  });

  it("finds a space drawn at each line wrap of the briefings' tagged text, for tools that join its glyphs", async () => {
    // The words of the source's paragraphs that are tagged (the running header's are artifacts), in
    // lower case (labels are set in capitals), that the glyphs joined do not hold whole.
    const tagged = new Set(
      wordsOf((await structureText(fs.readFileSync(path.join(out, OUTPUTS[0] as string)))).text.toLowerCase()),
    );
    // One apostrophe glyph serves ’ and ʼ.
    const fold = (text: string) => text.toLowerCase().replace(/[’ʼ]/g, "'");
    const missing = (read: string, html: string, lang: string) => {
      const words = new Set(wordsOf(fold(read)));
      const paragraphs = blockTexts(html, lang).filter((block) => block.tag === "p");
      const written = new Set(paragraphs.flatMap((block) => wordsOf(fold(block.text))));
      return [...written].filter((word) => (lang !== "en" || tagged.has(word)) && !words.has(word));
    };
    for (const [file, lang] of [
      ["briefings/peacekeeping-participation.pdf", "en"],
      ["fr/briefings/peacekeeping-synthese.pdf", "fr"],
    ] as const) {
      const glyphs = await taggedGlyphText(fs.readFileSync(path.join(out, file)));
      // Not at a line's end: the cover's organisation and reference, two elements on one line.
      expect(missing(glyphs, source(file), lang), file).toEqual([lang === "en" ? "popu/2026/017" : "popu/2026/017-fr"]);
    }
    const chromium = missing(await taggedGlyphText(printed), source("briefings/peacekeeping-participation.pdf"), "en");
    expect(chromium.length).toBeGreaterThan(20);
  });

  it("reads the Arabic briefing's headings and paragraphs in logical order, and its English cover block as English", async () => {
    const file = "ar/briefings/peacekeeping-key-points.pdf";
    const { elements } = await structureText(fs.readFileSync(path.join(out, file)), { lineEnds: false });
    const written = new Set(blockTexts(source(file), "ar").map((block) => block.text));
    const arabic = elements.filter(
      (e) => /^(H\d|P|LBody|TD|TH|Caption|Link)$/.test(e.role) && /[\u0600-\u06FF]/.test(e.text),
    );
    expect(arabic.length).toBeGreaterThan(40);
    // An entry of the contents: a heading as written, and its page number.
    const logical = (text: string) => written.has(text) || written.has(text.replace(/ [٠-٩]+$/, ""));
    // Every one from the source, the contents' entries with their page number and the document
    // control's date (written by the template) included.
    expect(arabic.filter((e) => !logical(e.text)).map((e) => `${e.role}: ${e.text}`)).toEqual([]);
    expect(elements.filter((e) => e.lang === "en").map((e) => e.text)).toEqual([
      "Islamic Nations in UN Peacekeeping",
      "Key points and summary, Arabic edition",
    ]);
  });

  it("reads the English and French briefings in reading order, the words at line wraps apart", async () => {
    const english = await text("briefings/peacekeeping-participation.pdf");
    expect(english).toContain("Delegation staff and partner ministries. Not for publication.");
    expect(english.indexOf("1 Purpose")).toBeLessThan(english.indexOf("2 Background"));
    const french = await text("fr/briefings/peacekeeping-synthese.pdf");
    expect(french).toContain("Les pays islamiques dans le maintien de la paix des Nations Unies");
  });
});

describe("languages of parts", () => {
  it("keeps each part's language in a paragraph that also holds a right-to-left part, read in logical order", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-parts-"));
    try {
      fs.writeFileSync(
        path.join(dir, "parts.md"),
        '# Parts\n\nThe German observer said <em lang="de">Zusammenarbeit</em>, and the phrase <span lang="ar">شكرا جزيلا</span> closed the session.\n',
      );
      const out = path.join(dir, "out");
      const report = await build(resolveConfig({ inputs: [path.join(dir, "parts.md")], out }, dir, {}));
      expect(report.ok).toBe(true);
      const bytes = fs.readFileSync(path.join(out, "parts.pdf"));
      const { elements } = await structureText(bytes, { lineEnds: false });
      // A whole paragraph's ActualText stood for both parts and their Lang: neither had one.
      expect(elements.filter((e) => e.lang === "de").map((e) => e.text.replace(/[,\s]+$/, ""))).toContain(
        "Zusammenarbeit",
      );
      expect(elements.filter((e) => e.lang === "ar").map((e) => e.text.trim())).toContain("شكرا جزيلا");
      const paragraph = elements
        .filter((e) => e.role === "P")
        .map((e) => e.text)
        .join(" ");
      expect(paragraph).toContain(
        "The German observer said Zusammenarbeit, and the phrase شكرا جزيلا closed the session.",
      );
      expect(lines("parts.pdf", await checkPdfUa(bytes))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("footnotes", () => {
  it("tags each footnote a Note with its own ID, its text inside (an image alone too), and an inline part in another language with its Lang, in a document nobody here wrote", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-notes-"));
    try {
      fs.copyFileSync(path.join(REPO, "content/briefings/images/mission-timeline.svg"), path.join(dir, "chart.svg"));
      fs.writeFileSync(
        path.join(dir, "notes.md"),
        [
          "---\ntitle: Notes of every shape\n---\n",
          "# Text\n",
          "A claim.[^one] Another, with a longer note.[^two] A third.[^3] And the first again.[^one] A fourth.[^4]\n",
          'A paragraph long enough to wrap onto a second and a third line of the page, so that Chromium draws it line by line and leaves out the spaces where it wraps: the motto <span lang="fr">liberté, égalité, fraternité</span> is French, <em lang="de">Weltanschauung</em> German, and both keep their language though the paragraph wraps.\n',
          'A part with markup inside it: <span lang="fr">le <em>mot</em> juste</span>, and <span lang="de">die <strong>Welt</strong></span> last.\n',
          '<p lang="fr">Les délégations ont souligné la nécessité d\'un financement prévisible et durable pour les opérations sur le terrain, longtemps attendu.</p>\n',
          "[^one]: Zanzibar quorum note.",
          "[^two]: Yellowhammer first paragraph.\n\n    Quillwort second paragraph, with a list:\n\n    - Xylograph item\n",
          "[^3]: Juniper *emphasised* note.\n",
          "[^4]: ![A small timeline](chart.svg)\n",
        ].join("\n"),
      );
      const notesOut = path.join(dir, "out");
      const report = await build(resolveConfig({ inputs: [path.join(dir, "notes.md")], out: notesOut }, dir, {}));
      expect(report.ok).toBe(true);
      const bytes = fs.readFileSync(path.join(notesOut, "notes.pdf"));
      const { elements } = await structureText(bytes, { lineEnds: false });
      const notes = elements.filter((e) => e.role === "Note").map((e) => e.text);
      // Chromium gives <em lang> its Lang, Press a <span lang>'s element; the wrapped paragraph gets
      // no ActualText that would stand for both (pdf.js would then list neither).
      expect(elements).toContainEqual({ role: "NonStruct", text: "liberté, égalité, fraternité", lang: "fr" });
      // The paragraph reads as written, its words apart at the wraps, from its runs' texts.
      expect(elements.find((e) => e.role === "P" && e.text.startsWith("A paragraph long"))?.text).toBe(
        "A paragraph long enough to wrap onto a second and a third line of the page, so that Chromium draws it line by line and leaves out the spaces where it wraps: the motto liberté, égalité, fraternité is French, Weltanschauung German, and both keep their language though the paragraph wraps.",
      );
      // (Em read through the RoleMap as a Span), and nothing inside it a second one.
      expect(elements).toContainEqual({ role: "Span", text: "Weltanschauung", lang: "de" });
      expect(elements.filter((e) => e.text === "Weltanschauung" && e.lang)).toHaveLength(1);
      // A part with markup inside it has no element of its own: each of its runs gets the Lang.
      const runs = (lang: string) => elements.filter((e) => e.lang === lang && e.role !== "P").map((e) => e.text);
      expect(runs("fr")).toEqual(["liberté, égalité, fraternité", "le", "mot", "juste"]);
      expect(runs("de")).toEqual(["Weltanschauung", "die", "Welt"]);
      expect(notes).toHaveLength(4);
      expect(notes[0]).toContain("Zanzibar quorum note.");
      expect(notes[1]).toContain("Yellowhammer first paragraph.");
      expect(notes[1]).toContain("Quillwort second paragraph");
      expect(notes[1]).toContain("Xylograph item");
      expect(notes[2]).toContain("Juniper emphasised note.");
      // A note of an image alone: no text of it to match, found by its place among the notes.
      expect(notes[3]).toContain("A small timeline");
      // The way back to the text is not printed, so not read either.
      expect(notes.join(" ")).not.toContain("↩");
      expect(lines("notes.pdf", await checkPdfUa(bytes))).toEqual([]);
      // A <p lang> wrapped, whose source text is given: one Lang in its dictionary, Chromium's, not two.
      expect(elements).toContainEqual(expect.objectContaining({ role: "P", lang: "fr" }));
      const objects = [...bytes.toString("latin1").matchAll(/stream\r?\n/g)]
        .map((m) => {
          try {
            return inflateSync(bytes.subarray((m.index ?? 0) + m[0].length)).toString("latin1");
          } catch {
            return "";
          }
        })
        .join("\n");
      expect(objects).toMatch(/\/Lang \(fr\)/);
      const dictionaries = [...objects.matchAll(/<<((?:[^<>]|<[0-9A-Fa-f\s]*>)*)>>/g)].map((m) => m[1] ?? "");
      expect(dictionaries.filter((d) => d.split("/Lang ").length > 2)).toEqual([]);
      // Each Note's ID is in the id tree, pointing at it.
      const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
      const ids: string[] = [];
      for (const [ref, object] of pdf.context.enumerateIndirectObjects())
        if (object instanceof PDFDict && object.get(PDFName.of("S")) === PDFName.of("Note")) {
          const id = object.get(PDFName.of("ID"));
          expect(id).toBeDefined();
          ids.push(`${String(id)} ${ref.toString()}`);
        }
      const root = pdf.catalog.lookup(PDFName.of("StructTreeRoot"), PDFDict);
      const names = root.lookup(PDFName.of("IDTree"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
      const tree = new Set<string>();
      for (let i = 0; i + 1 < names.size(); i += 2) tree.add(`${String(names.get(i))} ${String(names.get(i + 1))}`);
      expect(ids).toHaveLength(4);
      for (const entry of ids) expect(tree).toContain(entry);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("does so in the briefings; Chromium's own print has no Note", async () => {
    for (const file of ["briefings/peacekeeping-participation.pdf", "ar/briefings/peacekeeping-key-points.pdf"]) {
      const { elements } = await structureText(fs.readFileSync(path.join(out, file)));
      expect(elements.filter((e) => e.role === "Note").length, file).toBe(1);
    }
    const { elements } = await structureText(printed);
    expect(elements.filter((e) => e.role === "Note")).toEqual([]);
  });
});

describe("Markdown nobody here wrote", () => {
  it("passes the checker: the READMEs of packages Press depends on, their heading jumps levelled in the structure", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-foreign-"));
    try {
      const readmes = ["micromark", "vfile", "mdast-util-to-hast"].map((name) => {
        const folder = path.join(REPO, "node_modules", name);
        const file = fs.readdirSync(folder).find((f) => /^readme\.md$/i.test(f)) ?? "README.md";
        fs.copyFileSync(path.join(folder, file), path.join(dir, `${name}.md`));
        return name;
      });
      fs.writeFileSync(path.join(dir, "jumps.md"), "# Title\n\nText.\n\n### Three\n\nText.\n\n###### Six\n\nText.\n");
      const outDir = path.join(dir, "out");
      const report = await build(
        resolveConfig({ inputs: [...readmes, "jumps"].map((n) => path.join(dir, `${n}.md`)), out: outDir }, dir, {}),
      );
      expect(report.ok).toBe(true);
      for (const name of [...readmes, "jumps"]) {
        const bytes = fs.readFileSync(path.join(outDir, `${name}.pdf`));
        expect(lines(`${name}.pdf`, await checkPdfUa(bytes))).toEqual([]);
      }
      // The source's jump is warned about at its line; the heading it jumps to is numbered and
      // tagged one level below the one before (the first `#` is the title, `###` the first section).
      const jumps = report.documents.find((d) => d.source.endsWith("jumps.md"));
      expect(jumps?.diagnostics.filter((d) => d.rule === "headings/jump").map((d) => d.line)).toEqual([9]);
      const { elements } = await structureText(fs.readFileSync(path.join(outDir, "jumps.pdf")));
      const headings = elements.filter((e) => /^H\d$/.test(e.role)).map((e) => `${e.role} ${e.text}`);
      expect(headings.slice(-2)).toEqual(["H2 1 Three", "H3 1.1 Six"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
