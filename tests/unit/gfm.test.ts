/**
 * Press's guarded GFM (src/parse/gfm.ts) against remark-gfm itself: the same syntax tree, positions
 * included, for every kind of table and literal autolink, in and out of containers, and for every
 * Markdown document in the repository.
 */
import fs from "node:fs";
import path from "node:path";
import remarkDirective from "remark-directive";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { parseWithGuards, remarkGfmGuarded } from "../../src/parse/gfm.js";
import { REPO } from "../support/parse.js";

const reference = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm).use(remarkDirective);
const guarded = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfmGuarded).use(remarkDirective);

const same = (markdown: string) =>
  expect(parseWithGuards(markdown, () => guarded.parse(markdown))).toEqual(reference.parse(markdown));

const CASES: Record<string, string> = {
  "a table with outer pipes": "| a | b |\n| - | :-: |\n| 1 | 2 |\n",
  "a table without outer pipes": "a | b\n--- | ---\n1 | 2\n",
  "a one-column table": "| a |\n| - |\n| 1 |\n",
  "body rows without a pipe": "| a | b |\n| - | - |\n| 1 | 2 |\nloose row\n\nafter\n",
  "a row that is not a table": "a\n-\n\nword | word\nno delimiter row\n",
  "escaped pipes and pipes in code": "a \\| b\n--- | ---\n`x|y` | z\n",
  "a table after a paragraph": "Paragraph line\n| a | b |\n| - | - |\n| 1 | 2 |\n",
  "a table in a quotation and a list":
    "> | a | b |\n> | - | - |\n> | 1 | 2 |\n\n- | a | b |\n  | - | - |\n  | 1 | 2 |\n",
  "a lazy line after a table in a quotation": "> | a |\n> | - |\n> | 1 |\nlazy\n",
  "an empty head cell": "| |\n|-|\n",
  URLs: "See https://example.org/a_(b)?c=d. And http://x.y/z, HTTPS://CAPS.example.",
  "bare web addresses": "Visit www.example.com/path or WWW.EXAMPLE.COM, not www or wwwexample.",
  "e-mail addresses": "Write to a.b+c@example.co.uk or foo@bar, mailto:x@y.org and xmpp:u@d.net/r.",
  "autolinks next to links and emphasis": "[a www.b.com link](https://x.org) *www.c.com* _d@e.org_ ~~https://f.g~~",
  "an autolink inside an unbalanced label": "[not closed www.example.com and ![img https://x.y",
  "an address split over two lines": "www.\nexample.com and user\n@example.com and https:\n//example.com",
  "addresses made by character references and escapes":
    "user&#64;example.org, user&commat;example.org, https&#58;//example.org, https\\://example.org, www\\.example.org",
  "text with no address at all": "Plain words, a table-free paragraph (with brackets) and *emphasis*.\n",
  "CRLF line endings": "| a | b |\r\n| - | - |\r\n| 1 | x@y.org |\r\n\r\nwww.example.com\r\n",
  "CR line endings": "| a |\r| - |\r| 1 |\r\rhttps://example.org\r",
  "front matter before a table": "---\ntitle: T\n---\n\n| a | b |\n| - | - |\n| 1 | 2 |\n",
  "directives and footnotes":
    ":::note\n| a |\n| - |\n| https://x.y |\n:::\n\nText[^1] www.a.com\n\n[^1]: Note with a@b.cc.\n",
};

describe("guarded GFM", () => {
  for (const [name, markdown] of Object.entries(CASES)) {
    it(`parses ${name} as remark-gfm does`, () => same(markdown));
  }

  it("parses every Markdown document of the repository as remark-gfm does", () => {
    const files = ["content", "tests/fixtures"].flatMap((dir) =>
      fs
        .readdirSync(path.join(REPO, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".md"))
        .map((f) => path.join(REPO, dir, f)),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) same(fs.readFileSync(file, "utf8"));
  });

  it("skips the search for addresses only where the document holds none", () => {
    // The guard must look at the text as read, not as written: a reference or an escape can make an address.
    for (const markdown of ["user&#64;example.org", "https\\://example.org", "Plain text.\n"]) same(markdown);
  });

  it("skips nothing when used without the guards", () => {
    const markdown = CASES["a table with outer pipes"] ?? "";
    expect(guarded.parse(markdown)).toEqual(reference.parse(markdown));
  });
});
