/**
 * A theme without templates: `theme:` in press.config.yaml sets a logo (an image in the project,
 * on the cover), colours (the palette's custom properties), fonts from an installed @fontsource
 * package, and extra CSS (a file in the project, inlined after every template's own).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";
import type { FieldValue } from "../parse/schema.js";
import { closest } from "../report/suggest.js";
import { imageContent } from "../transform/image-content.js";

export interface Theme {
  /** Absolute path of the logo image, or null. */
  logo: string | null;
  /** Palette custom properties (without `--`) and their values. */
  colours: Record<string, string>;
  /** @fontsource packages for the body text and for headings, furniture and tables. */
  bodyFont: string | null;
  headingFont: string | null;
  /** Absolute path of the extra stylesheet, or null. */
  css: string | null;
  /** The project's files the stylesheet refers to by `url()` (a font file, an image), inlined. */
  cssFiles?: string[];
  /** The project's root, outside which no file the stylesheet names is read. */
  root?: string;
}

export const NO_THEME: Theme = { logo: null, colours: {}, bodyFont: null, headingFont: null, css: null };

/** What a file the stylesheet refers to is, by its extension. */
const CSS_FILE_TYPES: Record<string, string> = {
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".svg": "image/svg+xml",
};
/** `url(…)`, its inside as written (quotes and spaces trimmed in code: a pattern of its own took quadratic time). */
const CSS_URL = /url\(([^)]*)\)/g;

/** A `url()`'s address: spaces and quotes round it taken off. */
function urlOf(inside: string): string {
  const url = inside.trim();
  const quote = url.charAt(0);
  return (quote === '"' || quote === "'") && url.endsWith(quote) && url.length > 1 ? url.slice(1, -1).trim() : url;
}

/** The stylesheet with its comments blanked (lines and columns kept): a commented-out `@import` is no import. */
function withoutComments(css: string): string {
  let out = "";
  let at = 0;
  for (let open = css.indexOf("/*"); open !== -1; open = css.indexOf("/*", at)) {
    const close = css.indexOf("*/", open + 2);
    const end = close === -1 ? css.length : close + 2;
    out += css.slice(at, open) + css.slice(open, end).replace(/[^\n]/g, " ");
    at = end;
  }
  return out + css.slice(at);
}

/**
 * The files a theme's stylesheet refers to by `url()`, each inside the project, and what is wrong
 * with the others: a remote address (never fetched), a file missing or outside the project, an
 * `@import` (not followed). These were left in the stylesheet without a word: the browser loaded
 * none of them, and a font named so printed in the machine's.
 */
function cssReferences(file: string, root: string): { files: string[]; problems: string[] } {
  const css = withoutComments(fs.readFileSync(file, "utf8"));
  const shown = path.relative(root, file);
  // Lines counted as the matches come, in order: once over the file.
  let line = 1;
  let counted = 0;
  const lineOf = (at: number) => {
    for (let i = css.indexOf("\n", counted); i !== -1 && i < at; i = css.indexOf("\n", i + 1)) line++;
    counted = Math.max(counted, at);
    return line;
  };
  const files: string[] = [];
  const problems: string[] = [];
  const found = [
    ...[...css.matchAll(/@import\b/g)].map((m) => ({ at: m.index, url: undefined as string | undefined })),
    ...[...css.matchAll(CSS_URL)].map((m) => ({ at: m.index, url: urlOf(m[1] ?? "") })),
  ].sort((a, b) => a.at - b.at);
  for (const { at, url } of found) {
    const where = `${shown}:${lineOf(at)}`;
    if (url === undefined) {
      problems.push(`${where}: @import is not followed: put those rules in this file`);
      continue;
    }
    if (url === "" || url.startsWith("data:") || url.startsWith("#")) continue;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) {
      problems.push(`${where}: url(${url}) is remote, and Press never fetches: keep a copy in the project`);
      continue;
    }
    const target = cssTarget(file, url, root);
    if (target === "outside") problems.push(`${where}: url(${url}) is outside the project`);
    else if (!target) problems.push(`${where}: url(${url}): no such file`);
    else files.push(target);
  }
  return { files, problems };
}

/** The palette's colours a theme may set (css/palette.css). */
export const THEME_COLOURS = ["accent", "accent-2", "ink", "muted", "rule", "tint", "warn", "warn-tint", "marking"];
const FILE_KEYS = ["logo", "css"];
const FONT_KEYS = ["body-font", "heading-font"];
export const THEME_KEYS = [...FILE_KEYS, ...THEME_COLOURS, ...FONT_KEYS];

const LOGO_TYPES: Record<string, string> = {
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
};

/** A colour as CSS would take it, and nothing that could end the declaration. */
const COLOUR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla|oklch|lab|lch)\([0-9.,%\s/a-z-]+\))$/i;
/** CSS's colour keywords (CSS Color 4): a word that is none of them would be dropped by the browser, unsaid. */
const COLOUR_NAMES = new Set(
  `
  aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet
  brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan
  darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen
  darkorange darkorchid darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey
  darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite
  forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew
  hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue
  lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon
  lightseagreen lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime
  limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple
  mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue
  mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
  palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
  powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen
  seashell sienna silver skyblue slateblue slategray slategrey snow springgreen steelblue tan teal
  thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen transparent
  currentcolor
`
    .trim()
    .split(/\s+/),
);

/**
 * The theme of a project file's `theme` map; each mistake is a message (the caller makes it a
 * configuration error naming press.config.yaml).
 */
export interface ThemeProblem {
  /** The theme key it is about, to say where it is in the file. */
  key: string;
  message: string;
  hint?: string;
}

export function readTheme(root: string, value: FieldValue | undefined): { theme: Theme; problems: ThemeProblem[] } {
  if (value === undefined) return { theme: NO_THEME, problems: [] };
  const problems: ThemeProblem[] = [];
  const say = (key: string, message: string, hint?: string) => problems.push({ key, message, hint });
  const map = value as unknown as Record<string, string>;
  const theme: Theme = { ...NO_THEME, colours: {} };
  for (const [key, raw] of Object.entries(map)) {
    const text = String(raw).trim();
    if (THEME_COLOURS.includes(key)) {
      if (COLOUR.test(text) || COLOUR_NAMES.has(text.toLowerCase())) theme.colours[key] = text;
      else say(key, `theme: "${key}" must be a CSS colour such as #0b5cad (got "${text}")`);
    } else if (key === "logo" || key === "css") {
      const file = path.resolve(root, text);
      // By its real path too: a symbolic link to a file outside the project was read into every
      // output (an image in Markdown linked so is refused: load/read.ts).
      if (!within(root, file) || !within(realPath(root), realPath(file))) {
        say(key, `theme: "${key}" must be a file inside the project (got "${text}")`);
      } else if (!fs.existsSync(file)) {
        say(key, `theme: "${key}": no such file ${text}`);
      } else if (key === "logo" && !LOGO_TYPES[path.extname(file).toLowerCase()]) {
        say(key, `theme: "logo" must be one of ${Object.keys(LOGO_TYPES).join(" ")} (got "${text}")`);
      } else if (key === "logo") {
        // A logo Chromium cannot draw would be its broken-image icon on every cover.
        const content = imageContent(fs.readFileSync(file), LOGO_TYPES[path.extname(file).toLowerCase()] ?? "");
        if ("problem" in content) say(key, `theme: "logo": ${text} ${content.problem}`);
        else if (content.remote.length > 0)
          say(key, `theme: "logo": ${text} refers to ${content.remote.join(", ")}, which Press never fetches`);
        else theme.logo = file;
      } else {
        const { files, problems } = cssReferences(file, root);
        for (const problem of problems) say(key, `theme: "css": ${problem}`);
        theme.css = file;
        theme.cssFiles = files;
        theme.root = root;
      }
    } else if (key === "body-font" || key === "heading-font") {
      if (!/^@fontsource(-variable)?\/[a-z0-9-]+$/.test(text)) {
        say(key, `theme: "${key}" names an @fontsource package, e.g. @fontsource/lora (got "${text}")`);
      } else if (!installed(text, root)) {
        say(key, `theme: "${key}": the font package ${text} is not installed: npm install ${text}`);
      } else if (key === "body-font") theme.bodyFont = text;
      else theme.headingFont = text;
    } else {
      const near = closest(key, THEME_KEYS);
      say(
        key,
        `theme: unknown key "${key}"`,
        near ? `did you mean "${near}"?` : `theme keys: ${THEME_KEYS.join(", ")}`,
      );
    }
  }
  return { theme, problems };
}

/** Whether a package can be found from the project, the working folder or Press (as fonts.ts looks). */
function installed(name: string, root: string): boolean {
  try {
    createRequire(path.join(root, "press.config.yaml")).resolve(`${name}/package.json`, {
      paths: [root, process.cwd(), PACKAGE_ROOT],
    });
    return true;
  } catch {
    return false;
  }
}

function within(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** A file's real path, its links followed; the path itself when it does not exist (said next). */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** Files the outputs are made from (for the cache key). */
export function themeFiles(theme: Theme): string[] {
  return [theme.logo, theme.css, ...(theme.cssFiles ?? [])].filter((file): file is string => file !== null);
}

/** The font packages the theme adds to fonts.yaml's. */
export function themeFontPackages(theme: Theme): string[] {
  return [theme.bodyFont, theme.headingFont].filter((name): name is string => name !== null);
}

/**
 * CSS after the templates' own: the colours and font families as custom properties, then the
 * project's stylesheet. `family` names the family a font package declares.
 */
export function themeCss(theme: Theme, family: (fontPackage: string) => string | undefined): string {
  const properties = Object.entries(theme.colours).map(([name, value]) => `--${name}: ${value};`);
  const body = theme.bodyFont ? family(theme.bodyFont) : undefined;
  const heading = theme.headingFont ? family(theme.headingFont) : undefined;
  if (body) properties.push(`--serif: "${body}", var(--fallbacks), serif;`);
  if (heading) properties.push(`--sans: "${heading}", var(--fallbacks), sans-serif;`);
  const rules = properties.length ? `:root { ${properties.join(" ")} }\n` : "";
  const extra = theme.css ? inlinedCss(theme.css, theme.root ?? path.dirname(theme.css)) : "";
  return `${rules}${extra}`;
}

const inlined = new Map<string, string>();

/**
 * The stylesheet with each `url()` of a file inside the project as a `data:` URL (a font file, an
 * image; its `#fragment` kept), made once for each state of the stylesheet and its files (a watch
 * rebuild sees an edit). A `url()` of anything else is left as written: the page's requests are
 * blocked and said, and a file outside the project is never read.
 */
function inlinedCss(file: string, root: string): string {
  const css = fs.readFileSync(file, "utf8");
  const live = withoutComments(css);
  const targets: string[] = [];
  for (const match of live.matchAll(CSS_URL)) {
    const target = cssTarget(file, urlOf(match[1] ?? ""), root);
    if (target && target !== "outside") targets.push(`${target}@${fs.statSync(target).mtimeMs}`);
  }
  const key = `${file}\0${css}\0${targets.join("\0")}`;
  const known = inlined.get(key);
  if (known !== undefined) return known;
  let result = "";
  let at = 0;
  for (const match of live.matchAll(CSS_URL)) {
    const url = urlOf(match[1] ?? "");
    const target = cssTarget(file, url, root);
    if (!target || target === "outside") continue;
    const type = CSS_FILE_TYPES[path.extname(target).toLowerCase()] ?? "application/octet-stream";
    const fragment = url.includes("#") ? url.slice(url.indexOf("#")) : "";
    result += `${css.slice(at, match.index)}url("data:${type};base64,${fs.readFileSync(target).toString("base64")}${fragment}")`;
    at = match.index + match[0].length;
  }
  result += css.slice(at);
  inlined.clear();
  inlined.set(key, result);
  return result;
}

/**
 * The project file a stylesheet's `url()` names, by its real path: undefined when it names none
 * (data, a fragment, an address, a file that is not there), "outside" when it leaves the project.
 */
function cssTarget(file: string, url: string, root: string): string | undefined {
  if (url === "" || url.startsWith("data:") || url.startsWith("#") || /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url))
    return undefined;
  let decoded: string;
  try {
    decoded = decodeURI(url.split(/[?#]/)[0] ?? "");
  } catch {
    return undefined;
  }
  const named = path.resolve(path.dirname(file), decoded);
  if (!within(root, named)) return "outside";
  if (!fs.existsSync(named) || !fs.statSync(named).isFile()) return undefined;
  return within(realPath(root), realPath(named)) ? named : "outside";
}

/**
 * The logo as a `data:` URL for the cover, or null. An SVG gets the bundled faces it names
 * (`prepareSvg`, as a figure's does): shown as an image it cannot see the document's fonts, and its
 * text was drawn in the machine's.
 */
export function themeLogo(theme: Theme, prepareSvg: (svg: string) => string = (svg) => svg): string | null {
  if (!theme.logo) return null;
  const type = LOGO_TYPES[path.extname(theme.logo).toLowerCase()] ?? "application/octet-stream";
  const bytes = fs.readFileSync(theme.logo);
  const data = type === "image/svg+xml" ? Buffer.from(prepareSvg(bytes.toString("utf8"))) : bytes;
  return `data:${type};base64,${data.toString("base64")}`;
}
