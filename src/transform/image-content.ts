/**
 * What an image file holds, told from its bytes before it is inlined: Chromium shows its
 * broken-image icon, and nothing else, for a file it cannot draw, and never loads what an SVG shown
 * as an image refers to. A raster image is known by its first bytes and never decoded (a
 * 20000×20000 PNG costs what a small one does); an SVG is read once through as XML (saxes), which
 * Chromium requires it to be. Its type is what it holds, not its name: a JPEG named
 * `.png` is inlined as the JPEG it is (Chromium draws it either way).
 */

import { SaxesParser, type SaxesTagPlain } from "saxes";

export type ImageContent =
  /** An image Chromium can draw, with the type it is inlined as. */
  | { mime: string; remote: string[]; svg?: string }
  /** What is wrong with it, in words that follow its name ("is empty"). */
  | { problem: string };

const SVG_NS = "http://www.w3.org/2000/svg";
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const NOT_AN_IMAGE = "is not a PNG, JPEG, GIF, WebP, AVIF or SVG image";

/** What `bytes` hold; `named` is the type its name gives (`image/svg+xml` for `chart.svg`). */
export function imageContent(bytes: Uint8Array, named: string): ImageContent {
  if (bytes.length === 0) return { problem: "is empty" };
  const raster = rasterType(bytes);
  if (raster) return { mime: raster, remote: [] };
  // Neither a raster image nor markup: not worth reading as text to the end.
  const first = bytes.findIndex((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
  const markup = bytes[first] === 0x3c || (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  if (!markup && named !== "image/svg+xml") return { problem: NOT_AN_IMAGE };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const svg = readSvg(text);
  if (!svg.problem) return { mime: "image/svg+xml", remote: svg.remote, svg: svg.shown };
  // A file named as a raster image that is neither that nor an SVG: what it holds matters more
  // than why it is no SVG (an HTML error page saved as chart.png is no broken SVG).
  if (named !== "image/svg+xml") return { problem: NOT_AN_IMAGE };
  return { problem: svg.notXml ? `is not well-formed SVG: ${svg.problem}` : `is not an SVG image: ${svg.problem}` };
}

/** The type of a raster image by its signature: PNG, JPEG, GIF, WebP or AVIF. */
export function rasterType(b: Uint8Array): string | undefined {
  const ascii = (at: number, text: string) =>
    at + text.length <= b.length && [...text].every((c, i) => b[at + i] === c.charCodeAt(0));
  if (PNG_SIGNATURE.every((byte, i) => b[i] === byte)) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(4, "ftyp")) {
    // An ISO media file's brands: the major one, then the compatible ones to the end of the box.
    // AVIF says avif (a still) or avis (a sequence); a HEIC photo, which Chromium cannot draw, does not.
    const size = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0);
    const end = Math.min(Math.max(size, 16), b.length, 4096);
    for (let at = 8; at + 4 <= end; at += at === 8 ? 8 : 4) {
      if (ascii(at, "avif") || ascii(at, "avis")) return "image/avif";
    }
  }
  return undefined;
}

export interface SvgReading {
  /** What makes it no SVG image Chromium can draw, with its line and column; none when it is one. */
  problem?: string;
  /** The problem is in the XML itself (else the XML is fine but it is no SVG). */
  notXml?: boolean;
  /** Addresses outside the file it refers to, which are never fetched: images, stylesheets, fonts. */
  remote: string[];
  /**
   * The SVG as it is shown, when it is one: without the attributes that would load a remote image,
   * which Chromium draws as its broken-image icon inside the SVG (a remote `url()` draws nothing).
   */
  shown?: string;
}

const CSS_URL = /url\(\s*(["']?)([^"')]*)\1\s*\)|@import\s+(["'])([^"']*)\3/gi;

/**
 * An SVG as Chromium's XML parser reads it: well-formed XML (saxes, a conformant non-validating
 * parser, with the entities a DOCTYPE declares, as an Illustrator export has), its root an `<svg>`
 * in the SVG namespace; and the remote addresses it refers to (`href` and `xlink:href`, `src`,
 * `url(…)` and `@import` in a style).
 */
export function readSvg(text: string): SvgReading {
  const remote = new Set<string>();
  // Where the attributes that load a remote image are, to be taken out: [start, end) in the text.
  const loads: [number, number][] = [];
  const open: string[] = [];
  let root: SaxesTagPlain | undefined;
  let tagStart = 0;
  const cssUrls = (css: string) => {
    for (const found of css.matchAll(CSS_URL)) {
      const url = (found[2] ?? found[4] ?? "").trim();
      if (isRemote(url)) remote.add(url);
    }
  };
  // Without namespace processing: saxes keeps a namespace context per open element, which made a
  // hundred thousand nested groups take minutes; the root's namespace is looked at below.
  const parser = new SaxesParser({ xmlns: false, position: true });
  parser.on("doctype", (doctype) => {
    for (const found of doctype.matchAll(/<!ENTITY\s+([^\s%"']+)\s+(["'])([^"']*)\2/g)) {
      parser.ENTITIES[found[1] ?? ""] = found[3] ?? "";
    }
  });
  parser.on("opentagstart", () => {
    tagStart = text.lastIndexOf("<", parser.position);
  });
  parser.on("opentag", (tag) => {
    root ??= tag;
    const source = text.slice(tagStart, parser.position);
    for (const [name, written] of Object.entries(tag.attributes)) {
      const value = written.trim();
      // A link (`<a href>`) is followed by no one in an image; an href or src elsewhere is a load.
      const load = (localName(name) === "href" || name === "src") && localName(tag.name) !== "a";
      if (load && isRemote(value)) {
        remote.add(value);
        const written = new RegExp(`\\s${escapeRegExp(name)}\\s*=\\s*(?:"[^"]*"|'[^']*')`).exec(source);
        if (written) loads.push([tagStart + written.index, tagStart + written.index + written[0].length]);
      } else if (/url\(|@import/i.test(value)) cssUrls(value);
    }
    if (!tag.isSelfClosing) open.push(localName(tag.name));
  });
  parser.on("closetag", () => {
    open.pop();
  });
  const inStyle = (css: string) => {
    if (open.at(-1) === "style") cssUrls(css);
  };
  parser.on("text", inStyle);
  parser.on("cdata", inStyle);
  parser.on("error", (error) => {
    throw error;
  });
  try {
    parser.write(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).close();
  } catch (error) {
    // saxes says `line:column: what` (its column from 0).
    const said = /^(\d+):(\d+): ([\s\S]*)$/.exec((error as Error).message);
    const what = said
      ? `${said[3]?.replace(/\.$/, "")} (line ${said[1]}, column ${Number(said[2]) + 1})`
      : (error as Error).message;
    return { problem: what, notXml: true, remote: [...remote] };
  }
  if (!root) return { problem: "it holds no element", notXml: true, remote: [] };
  if (localName(root.name) !== "svg") return { problem: `its root element is <${root.name}>, not <svg>`, remote: [] };
  const prefix = root.name.includes(":") ? `:${root.name.slice(0, root.name.indexOf(":"))}` : "";
  if (root.attributes[`xmlns${prefix}`] !== SVG_NS) {
    return {
      problem: `its <${root.name}> does not say xmlns${prefix}="${SVG_NS}", without which Chromium draws nothing`,
      remote: [],
    };
  }
  let shown = text;
  if (loads.length > 0) {
    shown = "";
    let from = 0;
    for (const [start, end] of loads) {
      shown += text.slice(from, start);
      from = end;
    }
    shown += text.slice(from);
  }
  return { remote: [...remote], shown };
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** An address with a scheme (other than `data:`) or a host (`//example.org/x.png`): never fetched. */
export function isRemote(url: string): boolean {
  if (url.startsWith("//") || url.startsWith("\\\\")) return true;
  return /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^data:/i.test(url);
}
