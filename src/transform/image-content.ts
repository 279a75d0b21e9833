/**
 * What an image file holds, told from its bytes before it is inlined: Chromium shows its
 * broken-image icon, and nothing else, for a file it cannot draw, and never loads what an SVG shown
 * as an image refers to. A raster image is known by its first bytes and never decoded (a
 * 20000×20000 PNG costs what a small one does); an SVG is read once through, start to end, as
 * XML, which Chromium requires it to be. Its type is what it holds, not its name: a JPEG named
 * `.png` is inlined as the JPEG it is (Chromium draws it either way).
 */

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

// Names as XML writes them; a name start is a letter, `_`, `:` or any character past ASCII.
const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*/y;
const SPACE = /[ \t\r\n]*/y;
const REFERENCE = /&(?:#[0-9]+|#x[0-9A-Fa-f]+|([A-Za-z_:\u00C0-\uFFFF][\w.:\-\u00B7\u00C0-\uFFFF]*));/y;
const PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);
const CSS_URL = /url\(\s*(["']?)([^"')]*)\1\s*\)|@import\s+(["'])([^"']*)\3/gi;

/**
 * An SVG as Chromium's XML parser reads it: well-formed (every tag closed in order, attributes
 * quoted and not repeated, `&` starting a reference, one root element), its root an `<svg>` in
 * the SVG namespace; and the remote addresses it refers to (`href` and `xlink:href`, `src` in a
 * `<foreignObject>`, `url(…)` and `@import` in a style). Linear in the length of the text.
 */
export function readSvg(text: string): SvgReading {
  const remote = new Set<string>();
  // Where the attributes that load a remote image are, to be taken out: [start, end) in the text.
  const loads: [number, number][] = [];
  const open: string[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let root: { name: string; attributes: Map<string, string> } | undefined;
  // Entities a DOCTYPE declares, by name; with a DOCTYPE any name may be used (its DTD may declare it).
  let entities: Map<string, string> | undefined;

  const at = (offset: number, what: string): SvgReading => {
    const before = text.slice(0, offset).split("\n");
    return {
      problem: `${what} (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`,
      notXml: true,
      remote: [...remote],
    };
  };
  const match = (pattern: RegExp, from: number): string | undefined => {
    pattern.lastIndex = from;
    return pattern.exec(text)?.[0];
  };
  // Each `&` in text or a value starts a reference; searched for in that stretch alone (linear).
  const referencesIn = (from: number, to: number): SvgReading | undefined => {
    const stretch = text.slice(from, to);
    for (let amp = stretch.indexOf("&"); amp >= 0; amp = stretch.indexOf("&", amp + 1)) {
      REFERENCE.lastIndex = amp;
      const found = REFERENCE.exec(stretch);
      if (!found) return at(from + amp, "an `&` that starts no reference (write `&amp;`)");
      const name = found[1];
      if (name !== undefined && !PREDEFINED.has(name) && !entities)
        return at(from + amp, `an undefined entity &${name};`);
    }
    return undefined;
  };
  const cssUrls = (css: string) => {
    for (const found of css.matchAll(CSS_URL)) {
      const url = (found[2] ?? found[4] ?? "").trim();
      if (isRemote(url)) remote.add(url);
    }
  };

  while (i < n) {
    const lt = text.indexOf("<", i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      if (open.length === 0) {
        const stray = text.slice(i, end).search(/[^ \t\r\n]/);
        if (stray >= 0) return at(i + stray, root ? "text after the root element" : "text before the root element");
      } else {
        const wrong = referencesIn(i, end);
        if (wrong) return wrong;
        if (open.at(-1) === "style") cssUrls(text.slice(i, end));
      }
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith("<!--", i)) {
      const close = text.indexOf("-->", i + 4);
      if (close < 0) return at(i, "a comment that is never closed");
      i = close + 3;
    } else if (text.startsWith("<![CDATA[", i)) {
      if (open.length === 0) return at(i, "a CDATA section outside the root element");
      const close = text.indexOf("]]>", i + 9);
      if (close < 0) return at(i, "a CDATA section that is never closed");
      if (open.at(-1) === "style") cssUrls(text.slice(i + 9, close));
      i = close + 3;
    } else if (text.startsWith("<?", i)) {
      const close = text.indexOf("?>", i + 2);
      if (close < 0) return at(i, "a processing instruction that is never closed");
      i = close + 2;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      if (root) return at(i, "a DOCTYPE after the root element");
      // To its `>`, past an internal subset in brackets and quoted strings in it.
      let j = i + 9;
      let bracket = false;
      for (; j < n; j++) {
        const c = text[j];
        if (c === '"' || c === "'") {
          const close = text.indexOf(c, j + 1);
          if (close < 0) break;
          j = close;
        } else if (c === "[") bracket = true;
        else if (c === "]") bracket = false;
        else if (c === ">" && !bracket) break;
      }
      if (j >= n) return at(i, "a DOCTYPE that is never closed");
      entities = new Map();
      for (const found of text.slice(i, j).matchAll(/<!ENTITY\s+([^\s%"']+)\s+(["'])([^"']*)\2/g)) {
        entities.set(found[1] ?? "", found[3] ?? "");
      }
      i = j + 1;
    } else if (text.startsWith("</", i)) {
      const name = match(NAME, i + 2);
      if (!name) return at(i, "`</` followed by no tag name");
      let j = i + 2 + name.length;
      j += match(SPACE, j)?.length ?? 0;
      if (j >= n) return at(i, `the file ends inside the </${name}> tag`);
      if (text[j] !== ">") return at(j, `an unexpected character in the </${name}> tag`);
      const expected = open.pop();
      if (expected === undefined) return at(i, `</${name}> closes no element`);
      if (expected !== name) return at(i, `</${name}> where </${expected}> was expected`);
      i = j + 1;
    } else {
      const name = match(NAME, i + 1);
      if (!name) return at(i, "a `<` that starts no tag (write `&lt;`)");
      if (root && open.length === 0) return at(i, `a second root element <${name}>`);
      const attributes = new Map<string, string>();
      let j = i + 1 + name.length;
      let selfClosing = false;
      for (;;) {
        const space = match(SPACE, j)?.length ?? 0;
        j += space;
        if (j >= n) return at(i, `the file ends inside the <${name}> tag`);
        if (text[j] === ">") break;
        if (text.startsWith("/>", j)) {
          selfClosing = true;
          j += 1;
          break;
        }
        const attribute = match(NAME, j);
        if (!attribute || space === 0) return at(j, `an unexpected character in the <${name}> tag`);
        const start = j - space;
        j += attribute.length;
        j += match(SPACE, j)?.length ?? 0;
        if (j >= n) return at(i, `the file ends inside the <${name}> tag`);
        if (text[j] !== "=") return at(j, `the attribute ${attribute} of <${name}> has no value`);
        j += 1;
        j += match(SPACE, j)?.length ?? 0;
        const quote = text[j];
        if (quote !== '"' && quote !== "'") return at(j, `the value of ${attribute} in <${name}> is not quoted`);
        const close = text.indexOf(quote, j + 1);
        if (close < 0) return at(j, `the file ends inside the value of ${attribute} in <${name}>`);
        const value = text.slice(j + 1, close);
        const lessThan = value.indexOf("<");
        if (lessThan >= 0) return at(j + 1 + lessThan, `a \`<\` in the value of ${attribute} (write \`&lt;\`)`);
        const wrong = referencesIn(j + 1, close);
        if (wrong) return wrong;
        if (attributes.has(attribute)) return at(j, `the attribute ${attribute} twice in <${name}>`);
        const decoded = decodeReferences(value, entities);
        attributes.set(attribute, decoded);
        // A link (`<a href>`) is followed by no one in an image; an href or src elsewhere is a load.
        const load = (localName(attribute) === "href" || attribute === "src") && localName(name) !== "a";
        if (load && isRemote(decoded.trim())) {
          remote.add(decoded.trim());
          loads.push([start, close + 1]);
        } else if (/url\(|@import/i.test(decoded)) cssUrls(decoded);
        j = close + 1;
      }
      root ??= { name, attributes };
      if (!selfClosing) open.push(name);
      i = j + 1;
    }
  }
  if (open.length > 0) return at(n, `the file ends inside <${open.at(-1)}>, which is never closed`);
  if (!root) return { problem: "it holds no element", notXml: true, remote: [] };
  const prefix = root.name.includes(":") ? root.name.slice(0, root.name.indexOf(":")) : "";
  if (localName(root.name) !== "svg") return { problem: `its root element is <${root.name}>, not <svg>`, remote: [] };
  if (root.attributes.get(prefix ? `xmlns:${prefix}` : "xmlns") !== SVG_NS) {
    return {
      problem: `its <${root.name}> does not say xmlns${prefix ? `:${prefix}` : ""}="${SVG_NS}", without which Chromium draws nothing`,
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

/** An address with a scheme (other than `data:`) or a host (`//example.org/x.png`): never fetched. */
export function isRemote(url: string): boolean {
  if (url.startsWith("//") || url.startsWith("\\\\")) return true;
  return /^[a-z][a-z0-9+.-]*:/i.test(url) && !/^data:/i.test(url);
}

const PREDEFINED_TEXT: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** An attribute's value as the parser gives it: references replaced (entities a DOCTYPE declares too). */
function decodeReferences(value: string, entities: Map<string, string> | undefined): string {
  if (!value.includes("&")) return value;
  return value.replace(/&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([^;&\s]+));/g, (whole, dec, hex, name) => {
    if (name) return PREDEFINED_TEXT[name] ?? entities?.get(name) ?? whole;
    const code = dec ? Number.parseInt(dec, 10) : Number.parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}
