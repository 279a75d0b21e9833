/**
 * The Handlebars environment: templates and partials from the templates folders (the project's
 * over Press's own, file by file), compiled in strict mode (a missing field fails with the
 * template's name and line), a few pure helpers. Only files in those folders are ever compiled: a
 * document's text is data.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Handlebars from "handlebars";
import { DiagnosticError, diagnostic } from "../report/diagnostic.js";
import { type TemplateDirs, templateCandidates, templateFile, templateNames } from "./layers.js";
import { compileOptions, precompiled } from "./precompiled.js";

const require = createRequire(import.meta.url);

export type TemplateContext = Record<string, unknown>;

const NAME = /^[a-z0-9][a-z0-9-]*$/;
/** The partial file an error was thrown in, innermost first. */
const THROWN_IN = new WeakMap<Error, string>();
/** Partial calls in one rendering: a deck of 10,000 slides makes some 60,000. */
const MAX_PARTIAL_CALLS = 1_000_000;

export class TemplateEngine {
  private environment: typeof Handlebars | undefined;
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly stylesheets = new Map<string, string>();
  /** Partials called in the rendering under way. */
  private partialCalls = 0;

  constructor(readonly dirs: TemplateDirs) {}

  /**
   * Handlebars with Press's helpers and the folder's partials, made on the first rendering: a build
   * with nothing to render (or a worker that only parses) never loads it.
   */
  private get handlebars(): typeof Handlebars {
    if (this.environment) return this.environment;
    const environment = (require("handlebars") as typeof Handlebars).create();
    registerHelpers(environment);
    for (const name of templateNames(this.dirs, "partials", ".hbs")) {
      const file = templateFile(this.dirs, `partials/${name}.hbs`);
      const source = fs.readFileSync(file, "utf8");
      checkSyntax(environment, file, source);
      const partial = compile(environment, source);
      // Counted: partials that each call the next twice, thirty deep, made a billion copies, and
      // the build died of memory after minutes, every other document with it.
      environment.registerPartial(name, ((context: unknown, options: unknown) => {
        if (++this.partialCalls > MAX_PARTIAL_CALLS)
          throw new Error(
            `partials were called more than ${MAX_PARTIAL_CALLS.toLocaleString("en")} times for one document (${name}.hbs the last): does a partial call others, each more than once, level after level?`,
          );
        try {
          return partial(context, options as Handlebars.RuntimeOptions);
        } catch (error) {
          // The innermost partial is where it went wrong: it was said of the template at the top.
          if (error instanceof Error && !THROWN_IN.has(error)) THROWN_IN.set(error, file);
          throw error;
        }
      }) as Handlebars.Template);
    }
    this.environment = environment;
    return environment;
  }

  /**
   * Files a template named `name` reads (its .hbs, its CSS and the partials it uses, however deep),
   * in every folder they may come from: an override added or removed changes the cache key.
   */
  files(name: string): string[] {
    const used = new Set<string>([`${name}.hbs`, `css/${name}.css`]);
    const pending = [`${name}.hbs`];
    for (let relative = pending.pop(); relative; relative = pending.pop()) {
      const file = templateFile(this.dirs, relative);
      if (!fs.existsSync(file)) continue;
      for (const match of fs.readFileSync(file, "utf8").matchAll(/\{\{#?>\s*([\w-]+)/g)) {
        const partial = `partials/${match[1]}.hbs`;
        if (!used.has(partial)) {
          used.add(partial);
          pending.push(partial);
        }
      }
    }
    return [...used].flatMap((relative) => templateCandidates(this.dirs, relative)).sort();
  }

  has(name: string): boolean {
    return NAME.test(name) && fs.existsSync(this.templatePath(name));
  }

  /** Names of the templates in the folder (for messages). */
  names(): string[] {
    return templateNames(this.dirs, ".", ".hbs");
  }

  /** The template's stylesheet, `css/<name>.css`, or "" when it has none. */
  css(name: string): string {
    let css = this.stylesheets.get(name);
    if (css === undefined) {
      const file = this.cssPath(name);
      css = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      this.stylesheets.set(name, css);
    }
    return css;
  }

  render(name: string, context: TemplateContext): string {
    if (!this.has(name))
      throw new Error(`no template "${name}" in ${this.dirs.join(", ")} (have: ${this.names().join(", ")})`);
    let template = this.compiled.get(name);
    if (!template) {
      const source = fs.readFileSync(this.templatePath(name), "utf8");
      checkSyntax(this.handlebars, this.templatePath(name), source);
      template = compile(this.handlebars, source);
      this.compiled.set(name, template);
    }
    try {
      this.partialCalls = 0;
      return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      const file = path.relative(
        process.cwd(),
        (error instanceof Error && THROWN_IN.get(error)) || this.templatePath(name),
      );
      // Handlebars says `"titel" not defined in [object Object] - 9:30`: the place goes in front.
      const said = /^([\s\S]*?) - (\d+):(\d+)$/.exec((error as Error).message);
      const message = (said?.[1] ?? (error as Error).message).replace(/ in \[object Object\]/, "");
      if (!said) throw new Error(`template ${file}: ${message}`);
      throw new DiagnosticError(
        diagnostic(file, { line: Number(said[2]), column: Number(said[3]) + 1 }, "error", "template/render", message),
      );
    }
  }

  /** A file of the templates folders by its path inside them, e.g. `js/deck.js`. */
  file(relative: string): string {
    return templateFile(this.dirs, relative);
  }

  private templatePath(name: string): string {
    return templateFile(this.dirs, `${name}.hbs`);
  }

  private cssPath(name: string): string {
    return templateFile(this.dirs, `css/${name}.css`);
  }
}

/**
 * A template that does not parse, said at its own file, line and column, in one line: Handlebars
 * compiles on first use, so a mistake in a partial (an ejected cover.hbs) was reported in Handlebars'
 * four lines as the error of the template using it, for every document. It stops the build (exit 2).
 */
export class TemplateSyntaxError extends Error {}

function checkSyntax(handlebars: typeof Handlebars, file: string, source: string): void {
  // Press's own templates were compiled when it was built: they parse.
  if (precompiled(handlebars, source)) return;
  try {
    handlebars.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    // A block closed by another's end (`{{#if}} … {{/each}}`): Handlebars gives its place.
    const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
    const at = error as { lineNumber?: number; column?: number };
    if (mismatch && at.lineNumber !== undefined)
      throw new TemplateSyntaxError(
        `${path.relative(process.cwd(), file)}:${at.lineNumber}:${(at.column ?? 0) + 1}: error: {{#${mismatch[1]}}} is closed by {{/${mismatch[2]}}} [template/syntax]`,
      );
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
    const [, excerpt = "", caret = ""] = message.split("\n");
    const before = excerpt.slice(0, caret.indexOf("^")).replace(/^\.\.\./, "");
    const column = columnOf(source.split("\n")[line - 1] ?? "", before);
    const got = /got '([^']+)'/.exec(message)?.[1];
    const expecting = [...(/Expecting (.*), got/.exec(message)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const what =
      got === "INVALID" || expecting.includes("CLOSE")
        ? "a {{ … }} not closed, or something in it Handlebars cannot read"
        : got === "EOF"
          ? "the template ends inside a block: a {{/…}} is missing"
          : `Handlebars found ${got ?? "something"} where it expects ${expecting.slice(0, 3).join(", ") || "something else"}`;
    throw new TemplateSyntaxError(
      `${path.relative(process.cwd(), file)}:${line}:${column}: error: ${what} [template/syntax]`,
    );
  }
}

/** Where on its line the text `before` (what precedes the mistake, maybe from lines above) ends: 1-based. */
function columnOf(text: string, before: string): number {
  // `before` ends within the line: where it first does.
  const at = before ? text.indexOf(before) : -1;
  if (at >= 0) return at + before.length + 1;
  // It began on a line above: the longest start of the line that ends it.
  for (let end = Math.min(text.length, before.length); end > 0; end--)
    if (before.endsWith(text.slice(0, end))) return end + 1;
  return 1;
}

/** A template compiled when Press was built (precompiled.ts) if it is one of Press's own, or now. */
function compile(handlebars: typeof Handlebars, source: string): Handlebars.TemplateDelegate {
  const spec = precompiled(handlebars, source);
  // What Handlebars.compile makes of the same source, from the code it generated for it then.
  if (spec) return handlebars.template(new Function(`return ${spec};`)());
  return handlebars.compile(source, compileOptions());
}

function registerHelpers(hb: typeof Handlebars): void {
  /** Text inside a CSS string literal, e.g. `content: "{{{css-string title}}}"` in a <style>. */
  hb.registerHelper("css-string", (value: unknown) =>
    String(value ?? "").replace(/[\\"\n\r<>&]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `),
  );
  hb.registerHelper("join", (list: unknown, separator: unknown) =>
    Array.isArray(list) ? list.join(typeof separator === "string" ? separator : ", ") : "",
  );
  hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  hb.registerHelper("or", (...args: unknown[]) => args.slice(0, -1).find(Boolean) ?? null);
}
