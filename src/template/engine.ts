/**
 * The Handlebars environment: templates and partials from one templates folder, compiled in
 * strict mode (a missing field fails with the template's name and line), a few pure helpers.
 * Only files in the templates folder are ever compiled: a document's text is data.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Handlebars from "handlebars";

const require = createRequire(import.meta.url);

export type TemplateContext = Record<string, unknown>;

const NAME = /^[a-z0-9][a-z0-9-]*$/;

export class TemplateEngine {
  private environment: typeof Handlebars | undefined;
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly stylesheets = new Map<string, string>();

  constructor(readonly dir: string) {}

  /**
   * Handlebars with Press's helpers and the folder's partials, made on the first rendering: a build
   * with nothing to render (or a worker that only parses) never loads it.
   */
  private get handlebars(): typeof Handlebars {
    if (this.environment) return this.environment;
    const environment = (require("handlebars") as typeof Handlebars).create();
    registerHelpers(environment);
    const partials = path.join(this.dir, "partials");
    if (fs.existsSync(partials)) {
      for (const file of fs
        .readdirSync(partials)
        .filter((f) => f.endsWith(".hbs"))
        .sort()) {
        const source = fs.readFileSync(path.join(partials, file), "utf8");
        environment.registerPartial(file.slice(0, -4), environment.compile(source, { strict: true }));
      }
    }
    this.environment = environment;
    return environment;
  }

  /** Files a template named `name` reads: its .hbs, its CSS and the partials it uses, however deep. */
  files(name: string): string[] {
    const files = new Set<string>([this.templatePath(name), this.cssPath(name)]);
    const pending = [this.templatePath(name)];
    for (let file = pending.pop(); file; file = pending.pop()) {
      if (!fs.existsSync(file)) continue;
      for (const match of fs.readFileSync(file, "utf8").matchAll(/\{\{#?>\s*([\w-]+)/g)) {
        const partial = path.join(this.dir, "partials", `${match[1]}.hbs`);
        if (!files.has(partial)) {
          files.add(partial);
          pending.push(partial);
        }
      }
    }
    return [...files].filter((f) => fs.existsSync(f)).sort();
  }

  has(name: string): boolean {
    return NAME.test(name) && fs.existsSync(this.templatePath(name));
  }

  /** Names of the templates in the folder (for messages). */
  names(): string[] {
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith(".hbs"))
      .map((f) => f.slice(0, -4))
      .sort();
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
    if (!this.has(name)) throw new Error(`no template "${name}" in ${this.dir} (have: ${this.names().join(", ")})`);
    let template = this.compiled.get(name);
    if (!template) {
      template = this.handlebars.compile(fs.readFileSync(this.templatePath(name), "utf8"), {
        strict: true,
        noEscape: false,
      });
      this.compiled.set(name, template);
    }
    try {
      return template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      throw new Error(`template ${path.relative(process.cwd(), this.templatePath(name))}: ${(error as Error).message}`);
    }
  }

  private templatePath(name: string): string {
    return path.join(this.dir, `${name}.hbs`);
  }

  private cssPath(name: string): string {
    return path.join(this.dir, "css", `${name}.css`);
  }
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
