/**
 * What an image file holds, from its bytes: a raster image by its signature (never decoded), an
 * SVG read as XML, and what is wrong with anything else; and the remote addresses an SVG refers to.
 */
import { describe, expect, it } from "vitest";
import { imageContent, rasterType, readSvg } from "../../src/transform/image-content.js";
import { PNG } from "../support/parse.js";

const SVG = "image/svg+xml";
const bytes = (text: string) => Buffer.from(text);
const svg = (inside: string, open = '<svg xmlns="http://www.w3.org/2000/svg">') => `${open}${inside}</svg>`;

describe("raster images, by their first bytes", () => {
  it("knows PNG, JPEG, GIF, WebP and AVIF, and not HEIC", () => {
    expect(rasterType(PNG)).toBe("image/png");
    expect(rasterType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe("image/jpeg");
    expect(rasterType(bytes("GIF89a\x01\x00"))).toBe("image/gif");
    expect(rasterType(bytes("RIFF\x24\x00\x00\x00WEBPVP8 "))).toBe("image/webp");
    const ftyp = (major: string, ...compatible: string[]) => {
      const box = Buffer.from(`\0\0\0\0ftyp${major}\0\0\0\0${compatible.join("")}`, "latin1");
      box.writeUInt32BE(box.length, 0);
      return box;
    };
    expect(rasterType(ftyp("avif", "mif1", "miaf"))).toBe("image/avif");
    expect(rasterType(ftyp("mif1", "miaf", "avis"))).toBe("image/avif");
    expect(rasterType(ftyp("heic", "mif1", "heic"))).toBeUndefined();
    expect(rasterType(bytes("not really a png"))).toBeUndefined();
    expect(rasterType(PNG.subarray(0, 7))).toBeUndefined();
  });

  it("inlines an image as the type it is, whatever its name says", () => {
    expect(imageContent(Buffer.from([0xff, 0xd8, 0xff, 0xdb]), "image/png")).toEqual({
      mime: "image/jpeg",
      remote: [],
    });
    expect(imageContent(PNG, SVG)).toEqual({ mime: "image/png", remote: [] });
    expect(imageContent(bytes(svg("")), "image/png")).toEqual({ mime: SVG, remote: [], svg: svg("") });
  });

  it("says what is wrong with a file that is no image", () => {
    expect(imageContent(bytes("not really a png"), "image/png")).toEqual({
      problem: "is not a PNG, JPEG, GIF, WebP, AVIF or SVG image",
    });
    expect(imageContent(bytes("<!DOCTYPE html><html><body>404</body></html>"), "image/png")).toEqual({
      problem: "is not a PNG, JPEG, GIF, WebP, AVIF or SVG image",
    });
    expect(imageContent(new Uint8Array(0), "image/png")).toEqual({ problem: "is empty" });
    expect(imageContent(bytes('<svg xmlns="http://www.w3.org/2000/svg"><text'), SVG)).toEqual({
      problem: "is not well-formed SVG: unclosed tag: svg (line 1, column 46)",
    });
    expect(imageContent(bytes("plain text"), SVG)).toEqual({
      problem: "is not well-formed SVG: text data outside of root node (line 1, column 11)",
    });
  });

  it("reads only the first bytes of a large raster image", () => {
    const huge = Buffer.alloc(64 * 1024 * 1024);
    PNG.copy(huge);
    expect(imageContent(huge, "image/png")).toEqual({ mime: "image/png", remote: [] });
  });
});

describe("SVG, read as XML", () => {
  it("takes well-formed SVG: a declaration, DOCTYPE and entities, comments, CDATA, prefixes, a BOM", () => {
    for (const text of [
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n',
      "\ufeff<svg xmlns=\"http://www.w3.org/2000/svg\"><text x='1'>A &amp; B &#x2014; &#8212; &lt;</text></svg>",
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [\n<!ENTITY ns_svg "http://www.w3.org/2000/svg">\n]>\n<svg xmlns="&ns_svg;"><g/></svg>',
      svg('<style><![CDATA[ text { fill: red } a > b { } ]]></style><g ><rect width = "1" /></g>'),
      '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:rect width="1"/></s:svg>',
      svg("<text>مرحبا</text>"),
    ]) {
      expect(readSvg(text), text).toEqual({ remote: [], shown: text });
    }
  });

  it("says where it is not well-formed, and why, in the words of saxes, with line and column", () => {
    const problem = (text: string) => readSvg(text).problem;
    expect(problem(svg("<g></h>"))).toBe("unexpected close tag (line 1, column 48)");
    expect(problem('<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n')).toBe("unclosed tag: g (line 3, column 1)");
    expect(problem(svg("<text>a < b</text>"))).toMatch(/^disallowed character in tag name \(line 1, column \d+\)$/);
    expect(problem(svg("<text>R&D</text>"))).toMatch(/\(line 1, column \d+\)$/);
    expect(problem(svg("<text>&nbsp;</text>"))).toMatch(/^undefined entity \(line 1/);
    expect(problem(svg("<rect width=1/>"))).toMatch(/^unquoted attribute value/);
    expect(problem(svg('<rect width="1" width="2"/>'))).toMatch(/^duplicate attribute: width/);
    expect(problem(svg('<rect width="1"height="2"/>'))).toMatch(/^no whitespace between attributes/);
    expect(problem(`${svg("")}<svg/>`)).toMatch(/^documents may contain only one root/);
    expect(problem(`${svg("")} trailing`)).toMatch(/^text data outside of root node/);
    expect(problem(svg("<!-- open"))).toMatch(/^unclosed tag: svg/);
    expect(problem("")).toMatch(/^document must contain a root element/);
  });

  it("says when well-formed XML is no SVG Chromium draws", () => {
    expect(readSvg("<html><body/></html>").problem).toBe("its root element is <html>, not <svg>");
    expect(readSvg('<svg width="10"/>').problem).toBe(
      'its <svg> does not say xmlns="http://www.w3.org/2000/svg", without which Chromium draws nothing',
    );
    expect(imageContent(bytes('<svg width="10"/>'), SVG)).toEqual({
      problem:
        'is not an SVG image: its <svg> does not say xmlns="http://www.w3.org/2000/svg", without which Chromium draws nothing',
    });
  });

  it("finds the remote addresses it refers to: href, xlink:href, src, url() and @import, and no link", () => {
    const text = svg(
      [
        '<image href="https://example.com/logo.png"/>',
        '<image xlink:href="//example.org/x.png"/>',
        '<use href="#local"/><image href="data:image/png;base64,AA=="/><image href="logo.png"/>',
        '<rect fill="url(http://example.net/p.svg#g)" style="fill: url(&quot;https://example.net/s.png&quot;)"/>',
        "<style>@import url(https://fonts.example/a.css); @import 'https://fonts.example/b.css'; rect { fill: url(#g) }</style>",
        '<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="https://example.com/html.png"/></foreignObject>',
        '<a href="https://example.com/a-link"><text>link</text></a>',
      ].join(""),
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">',
    );
    const reading = readSvg(text);
    expect(reading.remote).toEqual([
      "https://example.com/logo.png",
      "//example.org/x.png",
      "http://example.net/p.svg#g",
      "https://example.net/s.png",
      "https://fonts.example/a.css",
      "https://fonts.example/b.css",
      "https://example.com/html.png",
    ]);
    // Shown without the attributes that would draw a broken-image icon; links and local references kept.
    expect(reading.shown).toContain('<image/><image/><use href="#local"/><image href="data:image/png;base64,AA=="/>');
    expect(reading.shown).toContain('<img xmlns="http://www.w3.org/1999/xhtml"/>');
    expect(reading.shown).toContain('<a href="https://example.com/a-link">');
    expect(reading.shown).toContain('fill="url(http://example.net/p.svg#g)"');
  });

  it("reads a large SVG, and one nested a hundred thousand deep, within the test's time limit (a quadratic reader took minutes)", () => {
    const text = svg('<g><rect width="1" height="1" fill="#000"/></g>\n'.repeat(200_000));
    expect(readSvg(text).remote).toEqual([]);
    const deep = svg(`${"<g>".repeat(100_000)}${"</g>".repeat(100_000)}`);
    expect(readSvg(deep).problem).toBeUndefined();
  });
});
