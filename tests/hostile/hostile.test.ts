/**
 * Hostile content: every case is a document in one project, built in one run with the real
 * browser. For all of them together: no request reaches the trap server, no byte of the secret
 * file outside the project is in any output, no code runs (the marker never appears), no partial
 * file is left. For each: the right outcome, and a message naming the file.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO } from "../support/parse.js";
import { readPdf } from "../support/pdf.js";
import { makeProject } from "../support/project.js";
import { makeOutside, type Outside, startTrap, type Trap } from "./harness.js";

interface Case {
  name: string;
  /** The document's text; TRAP is the trap server's origin, SECRET the secret SVG's path, MARKER the marker's. */
  text: string | Buffer;
  outcome: "built" | "failed";
  /** A rule id expected among the document's messages. */
  rule?: string;
}

const CASES: Case[] = [
  // Network
  { name: "net-image", text: "![x](TRAP/markdown.png)\n", outcome: "built", rule: "image/remote" },
  {
    name: "net-image-upper-scheme",
    text: "![x](HTTP://127.0.0.1:PORT/upper.png)\n",
    outcome: "built",
    rule: "image/remote",
  },
  {
    name: "net-image-protocol-relative",
    text: "![x](//127.0.0.1:PORT/relative.png)\n",
    outcome: "built",
    rule: "image/remote",
  },
  { name: "net-image-ipv6", text: "![x](http://[::1]:PORT/v6.png)\n", outcome: "built", rule: "image/remote" },
  { name: "net-raw-img", text: '<img src="TRAP/raw.png" alt="x">\n', outcome: "built", rule: "image/remote" },
  { name: "net-raw-iframe", text: '<iframe src="TRAP/frame"></iframe>\n', outcome: "built", rule: "html/unsafe" },
  {
    name: "net-raw-link",
    text: '<link rel="stylesheet" href="TRAP/x.css">\n\nText.\n',
    outcome: "built",
    rule: "html/unsafe",
  },
  {
    name: "net-raw-style-import",
    text: "<style>@import url(TRAP/import.css); body { background: url(TRAP/bg.png) }</style>\n",
    outcome: "built",
    rule: "html/unsafe",
  },
  { name: "net-inline-style-url", text: '<p style="background: url(TRAP/inline.png)">styled</p>\n', outcome: "built" },
  {
    name: "net-meta-refresh",
    text: '<meta http-equiv="refresh" content="0;url=TRAP/refresh">\n',
    outcome: "built",
    rule: "html/unsafe",
  },
  {
    name: "net-base",
    text: '<base href="TRAP/">\n\n![x](relative-to-base.png)\n',
    outcome: "built",
    rule: "image/missing",
  },
  {
    name: "net-object-embed",
    text: '<object data="TRAP/object"></object><embed src="TRAP/embed">\n',
    outcome: "built",
    rule: "html/unsafe",
  },
  { name: "net-svg-external", text: "![chart](external.svg)\n", outcome: "built", rule: "image/remote" },
  // Local files
  // An absolute path is read from the project root, where the secret is not: a placeholder.
  { name: "file-absolute", text: "![x](SECRET)\n", outcome: "built", rule: "image/missing" },
  { name: "file-dotdot", text: "![x](DOTDOT)\n", outcome: "failed", rule: "image/outside-project" },
  { name: "file-encoded-dotdot", text: "![x](ENCODED)\n", outcome: "failed", rule: "image/outside-project" },
  { name: "file-symlink", text: "![x](link-to-secret.svg)\n", outcome: "failed", rule: "image/outside-project" },
  { name: "file-url", text: "![x](file://SECRET)\n", outcome: "built", rule: "image/remote" },
  { name: "file-raw-img-url", text: '<img src="file://SECRET" alt="x">\n', outcome: "built", rule: "image/remote" },
  // Scripts
  {
    name: "script-raw",
    text: "<script>fetch('TRAP/script')</script>\n\nText.\n",
    outcome: "built",
    rule: "html/unsafe",
  },
  {
    name: "script-event-handler",
    text: '<img src="missing-on-purpose.png" onerror="fetch(\'TRAP/onerror\')">\n',
    outcome: "built",
    rule: "html/unsafe",
  },
  {
    name: "script-javascript-url",
    text: "[click](javascript:fetch('TRAP/js'))\n\n<a href=\"javascript:fetch('TRAP/js2')\">raw</a>\n",
    outcome: "built",
    rule: "html/unsafe",
  },
  {
    name: "script-svg-onload",
    text: "<svg onload=\"fetch('TRAP/svg')\"><script>fetch('TRAP/svg2')</script></svg>\n",
    outcome: "built",
    rule: "html/unsafe",
  },
  // Front matter
  {
    name: "fm-js-function",
    text: "---\ntitle: !!js/function \"function () { require('fs').writeFileSync('MARKER', 'x') }\"\n---\n",
    outcome: "failed",
    rule: "front-matter/yaml",
  },
  {
    name: "fm-python-tag",
    text: '---\ntitle: !!python/object/apply:os.system ["touch MARKER"]\n---\n',
    outcome: "failed",
    rule: "front-matter/yaml",
  },
  {
    name: "fm-js-fence",
    text: "---js\n{ title: (function () { require('fs').writeFileSync('MARKER', 'x') })() }\n---\n\nText.\n",
    outcome: "built",
  },
  {
    name: "fm-aliases",
    text: '---\nsummary: &a "lol"\nkeywords: [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ntitle: *a\n---\n',
    outcome: "failed",
    rule: "front-matter/schema",
  },
  // Templates
  {
    name: "tpl-braces-in-text",
    text: "---\ntitle: \"{{constructor.constructor 'return process'}}\"\n---\n\n{{> cover}} {{#each this}}x{{/each}}\n",
    outcome: "built",
  },
  {
    name: "tpl-name-traversal",
    text: "---\ntemplate: ../../package\n---\n",
    outcome: "failed",
    rule: "template/unknown",
  },
  { name: "tpl-missing", text: "---\ntemplate: nosuch\n---\n", outcome: "failed", rule: "template/unknown" },
  // Nesting and size
  { name: "nest-quotes", text: `${">".repeat(5000)} deep\n`, outcome: "failed", rule: "limits/nesting" },
  {
    name: "nest-lists",
    text: Array.from({ length: 400 }, (_, i) => `${"  ".repeat(i)}- item`).join("\n"),
    outcome: "failed",
    rule: "limits/nesting",
  },
  {
    name: "nest-emphasis",
    text: `${"*".repeat(20000)}x${"*".repeat(20000)}\n`,
    outcome: "failed",
    rule: "limits/markup",
  },
  { name: "size-huge", text: `${"word ".repeat(700_000)}\n`, outcome: "failed", rule: "limits/size" },
  // Encodings
  { name: "enc-bom", text: "\uFEFF---\ntitle: With a BOM\n---\n\nText.\n", outcome: "built" },
  { name: "enc-crlf", text: "---\r\ntitle: CRLF\r\n---\r\n\r\n# Heading\r\n\r\nText.\r\n", outcome: "built" },
  {
    name: "enc-invalid-utf8",
    text: Buffer.from([0x23, 0x20, 0x41, 0x0a, 0xff, 0xfe, 0x41, 0x0a]),
    outcome: "failed",
    rule: "encoding",
  },
  { name: "enc-nul", text: "# Title\n\nText\u0000with a NUL.\n", outcome: "failed", rule: "limits/binary" },
  { name: "empty", text: "", outcome: "built" },
];

let trap: Trap;
let outside: Outside;
let dir: string;
let result: { code: number | null; stdout: string; stderr: string };
let report: {
  documents: {
    source: string;
    status: string;
    errors: { rule: string; file: string }[];
    warnings: { rule: string; file: string }[];
  }[];
};

function substitute(text: string): string {
  const relative = path.relative(path.join(dir, "content"), outside.secretSvg);
  return text
    .replaceAll("TRAP", `http://127.0.0.1:${trap.port}`)
    .replaceAll("PORT", String(trap.port))
    .replaceAll("DOTDOT", relative)
    .replaceAll("ENCODED", relative.replaceAll("/", "%2f"))
    .replaceAll("SECRET", outside.secretSvg)
    .replaceAll("MARKER", outside.marker);
}

beforeAll(async () => {
  trap = await startTrap();
  outside = makeOutside();
  dir = makeProject({});
  for (const c of CASES) {
    const file = path.join(dir, "content", `${c.name}.md`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof c.text === "string" ? substitute(c.text) : c.text);
  }
  fs.symlinkSync(outside.secretSvg, path.join(dir, "content/link-to-secret.svg"));
  fs.writeFileSync(
    path.join(dir, "content/external.svg"),
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40"><image href="http://127.0.0.1:${trap.port}/svg-image.png" width="40" height="40"/><script>fetch("http://127.0.0.1:${trap.port}/svg-script")</script></svg>`,
  );
  fs.writeFileSync(path.join(dir, "content/good.md"), "# A good document\n\nIt builds beside the bad ones.\n");
  const run = spawnSync(process.execPath, [path.join(REPO, "bin/press.js"), "build", "--reporter", "json"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CI: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  result = { code: run.status, stdout: run.stdout, stderr: run.stderr };
  report = JSON.parse(run.stdout);
}, 300_000);

afterAll(async () => {
  await trap.close();
});

const documentOf = (name: string) => report.documents.find((d) => d.source === `content/${name}.md`);

describe("hostile content, built together with a good document", () => {
  it("builds the good documents, fails the bad ones, and exits 1", () => {
    expect(result.code).toBe(1);
    expect(documentOf("good")?.status).toBe("built");
    expect(report.documents).toHaveLength(CASES.length + 1);
  });

  it("sends no request anywhere: the trap server was never reached", () => {
    expect(trap.hits).toEqual([]);
  });

  it("runs no code from content: the marker file never appears", () => {
    expect(fs.existsSync(outside.marker)).toBe(false);
  });

  it("puts no byte of a file outside the project into any output", async () => {
    const outputs = fs.readdirSync(path.join(dir, "output"), { recursive: true, encoding: "utf8" });
    expect(outputs.length).toBeGreaterThan(10);
    for (const file of outputs) {
      const bytes = fs.readFileSync(path.join(dir, "output", file));
      const text = bytes.toString("latin1");
      expect(text, file).not.toContain(outside.token);
      expect(text, file).not.toContain(outside.secretBase64.slice(0, 60));
      if (file.endsWith(".pdf")) expect((await readPdf(bytes)).pageTexts.join(" "), file).not.toContain(outside.token);
    }
  });

  it("leaves no partial file, and nothing at all for a document that failed", () => {
    const outputs = fs.readdirSync(path.join(dir, "output"), { recursive: true, encoding: "utf8" });
    expect(outputs.filter((f) => f.includes(".press-tmp"))).toEqual([]);
    for (const c of CASES.filter((x) => x.outcome === "failed")) {
      expect(
        outputs.filter((f) => f.startsWith(`${c.name}.`)),
        c.name,
      ).toEqual([]);
    }
  });

  for (const c of CASES) {
    it(`${c.name}: ${c.outcome}${c.rule ? `, reported as ${c.rule}` : ""}, naming the file`, () => {
      const document = documentOf(c.name);
      expect(document?.status, result.stderr).toBe(c.outcome);
      const messages = [...(document?.errors ?? []), ...(document?.warnings ?? [])];
      if (c.rule) {
        const message = messages.find((m) => m.rule === c.rule);
        expect(message, JSON.stringify(messages)).toBeDefined();
        expect(message?.file).toBe(`content/${c.name}.md`);
      }
    });
  }
});
