/**
 * The PDF syntax reader behind PDF finishing, on small files written here: every kind of value,
 * the lookalikes (a run of numbers is not a reference), and the files it must refuse so that the
 * finishing falls back to pdf-lib.
 */
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { finishPlainPdf } from "../../src/pdf/finish-plain.js";
import { type PdfValue, pdfText, readPdf, textOf, UnexpectedPdf } from "../../src/pdf/pdf-syntax.js";

/** A PDF with a classic cross-reference table holding `bodies` as objects 1, 2, … */
function classicPdf(bodies: string[], trailer = "/Root 1 0 R"): Uint8Array {
  let text = "%PDF-1.4\n";
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(Buffer.byteLength(text, "latin1"));
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, "latin1");
  text += `xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, "0")} 00000 n \n`;
  text += `trailer\n<</Size ${bodies.length + 1}\n${trailer}>>\nstartxref\n${xref}\n%%EOF`;
  return new Uint8Array(Buffer.from(text, "latin1"));
}

/** A value as plain data, without byte ranges. */
function plain(value: PdfValue | undefined): unknown {
  if (value?.type === "array") return value.value.map(plain);
  if (value?.type === "dict") return Object.fromEntries([...value.value].map(([key, v]) => [key, plain(v)]));
  return value && { [value.type]: value.value };
}

describe("reading PDF syntax", () => {
  it("reads every kind of value, keeping references apart from runs of numbers", () => {
    const file = readPdf(
      classicPdf([
        "<</Type /Catalog /A#20B (x) /Str (a\\(b\\)c (nested) \\\\ \\101\\n) /Hex <FEFF 0041 00e9>" +
          " /Numbers [1 2 3 -1.5 .5 4 0 R 6] /Ref 2 0 R /Flag true /None null>>",
        "[1 0 R]",
      ]),
    );
    expect(plain(file.objects.get(1)?.value)).toEqual({
      Type: { name: "Catalog" },
      "A B": { string: "x" },
      Str: { string: "a(b)c (nested) \\ A\n" },
      Hex: { string: "\xfe\xff\x00\x41\x00\xe9" },
      Numbers: [
        { number: 1 },
        { number: 2 },
        { number: 3 },
        { number: -1.5 },
        { number: 0.5 },
        { ref: 4 },
        { number: 6 },
      ],
      Ref: { ref: 2 },
      Flag: { other: "true" },
      None: { other: "null" },
    });
    const catalog = file.objects.get(1)?.value;
    const hex = catalog?.type === "dict" ? catalog.value.get("Hex") : undefined;
    expect(textOf(hex)).toBe("Aé");
    expect(plain(file.objects.get(2)?.value)).toEqual([{ ref: 1 }]);
  });

  it("keeps each value's place in the file, so a change can be spliced in", () => {
    const bytes = classicPdf(["<</Type /Catalog /Lang (en)>>"]);
    const catalog = readPdf(bytes).objects.get(1)?.value;
    const lang = catalog?.type === "dict" ? catalog.value.get("Lang") : undefined;
    expect(Buffer.from(bytes.subarray(lang?.start, lang?.end)).toString("latin1")).toBe("(en)");
  });

  it("reads a stream by its length, whatever bytes it holds", () => {
    const file = readPdf(classicPdf(["<</Length 21>>\nstream\nendobj endstream (((\nendstream"]));
    const stream = file.objects.get(1)?.stream;
    expect(stream && Buffer.from(file.bytes.subarray(stream.start, stream.end)).toString("latin1")).toBe(
      "endobj endstream (((\n",
    );
  });

  it("writes text as a literal when it is plain ASCII, else as UTF-16", () => {
    expect(pdfText("a (b) \\")).toBe("(a \\(b\\) \\\\)");
    expect(pdfText("é")).toBe("<FEFF00E9>");
  });

  it("refuses what Chromium does not write: object streams, updates, encryption, damage", async () => {
    const saved = await (await PDFDocument.create()).save({ useObjectStreams: true });
    expect(() => readPdf(saved)).toThrow(UnexpectedPdf);
    expect(() => readPdf(classicPdf(["<</Type /Catalog>>"], "/Root 1 0 R /Prev 9"))).toThrow(UnexpectedPdf);
    expect(() => readPdf(classicPdf(["<</Type /Catalog>>"], "/Root 1 0 R /Encrypt 1 0 R"))).toThrow(UnexpectedPdf);
    expect(() => readPdf(classicPdf(["<</Type /Catalog (unterminated>>"]))).toThrow(UnexpectedPdf);
    const moved = classicPdf(["<</Type /Catalog>>"]);
    moved[9] = 0x20; // "1 0 obj" no longer where the table says
    expect(() => readPdf(moved)).toThrow(UnexpectedPdf);
    expect(() => finishPlainPdf({ pdf: new Uint8Array([1, 2, 3]), ids: [], metadata: META })).toThrow(UnexpectedPdf);
  });
});

const META = { title: "t", authors: [], subject: null, keywords: [], lang: "en", creator: "c", date: new Date(0) };
