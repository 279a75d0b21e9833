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
}

export const NO_THEME: Theme = { logo: null, colours: {}, bodyFont: null, headingFont: null, css: null };

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
      } else theme.css = file;
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
  return [theme.logo, theme.css].filter((file): file is string => file !== null);
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
  const extra = theme.css ? fs.readFileSync(theme.css, "utf8") : "";
  return `${rules}${extra}`;
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
