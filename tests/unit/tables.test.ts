import { describe, expect, it } from "vitest";
import { estimateTables } from "../../src/kinds/table-estimate.js";
import { parseText } from "../support/parse.js";

const TABLE = `# T

Text

| Mission | Troops | Share | Note |
|:--|:-:|---|--:|
| UNIFIL | 1,200 | 12 % | a |
| MINUSMA | 3.5 | — | b |

Table: Missions

Source: DPO figures, 2024.
`;

describe("tables", () => {
  it("turns alignment into classes, right-aligns numbers, styles the source line, keeps the line", async () => {
    const doc = await parseText(TABLE);
    const html = doc.bodyHtml;
    expect(html).not.toContain(' align="');
    expect(html).toContain('data-line="5"');
    expect(html).toMatch(/<th class="align-start">Mission<\/th>/);
    expect(html).toMatch(/<th class="align-center numeric">Troops<\/th>/);
    expect(html).toMatch(/<td class="align-end numeric">12\u00A0%<\/td>/);
    expect(html).toMatch(/<td class="align-end">a<\/td>/);
    expect(html).toMatch(/<p class="table-source">Source: DPO figures, 2024.<\/p>\s*<\/div>/);
    expect(html).toMatch(/<div class="table-scroll" role="region" tabindex="0" aria-labelledby="table-caption-1">/);
    expect(html).toMatch(/<caption id="table-caption-1">/);
  });

  it("says each row with cells past its header's, not the first alone, and keeps them all", async () => {
    const doc = await parseText(
      "| Country | 2022 |\n|---|---|\n| Jordan | 650 | 440 |\n| Mali | 1 |\n| Senegal | 2,350 | 2,020 | 9 |\n",
      { file: "csv.md" },
    );
    const said = doc.diagnostics.filter((d) => d.rule === "tables/extra-cells").map((d) => `${d.line}:${d.column}`);
    expect(said).toEqual(["3:16", "5:19"]);
    expect(doc.bodyHtml).toContain("440");
    expect(doc.bodyHtml).toContain(">9<");
  });

  it("says nothing of an empty cell past the header's last (a stray pipe), and adds no column for it", async () => {
    const doc = await parseText(
      "| API | Auth |\n|---|---|\n| Cat Facts | No | |\n| Dogs | No |   |  |\n| Birds | No |\n",
    );
    expect(doc.diagnostics.filter((d) => d.rule === "tables/extra-cells")).toEqual([]);
    expect(doc.bodyHtml.match(/<th\b/g)?.length).toBe(2);
  });

  it("aligns figures by the column a cell is in, spans from above and before counted", async () => {
    const doc = await parseText(
      [
        "<table>",
        "<thead><tr><th>Region</th><th>Mission</th><th>2020</th></tr></thead>",
        '<tbody><tr><th rowspan="2">North</th><td>m1</td><td>1,055</td></tr>',
        "<tr><td>m2</td><td>1,056</td></tr>",
        '<tr><td colspan="2">Total</td><td>2,111</td></tr></tbody>',
        "</table>",
        "",
      ].join("\n"),
    );
    // The second row's figure is its second cell, in the third column: right-aligned like the first's.
    expect(doc.bodyHtml).toContain('<td class="align-end numeric">1,055</td>');
    expect(doc.bodyHtml).toContain('<tr><td>m2</td><td class="align-end numeric">1,056</td></tr>');
    expect(doc.bodyHtml).toContain('<td colspan="2">Total</td><td class="align-end numeric">2,111</td>');
  });

  it("takes out a row every place of which a cell from above spans into, shortening those spans", async () => {
    const doc = await parseText(
      [
        "<table>",
        '<tr><td colspan="4">Top</td></tr>',
        '<tr><td rowspan="2" colspan="2">A</td><td rowspan="3" colspan="2">B</td></tr>',
        "<tr></tr>",
        '<tr><td colspan="2">C</td></tr>',
        "</table>",
        "",
      ].join("\n"),
    );
    expect(doc.bodyHtml.match(/<tr>/g)).toHaveLength(3);
    expect(doc.bodyHtml).toContain('<tr><td rowspan="1" colspan="2">A</td><td rowspan="2" colspan="2">B</td></tr>');
    expect(doc.bodyHtml).toContain('<tr><td colspan="2">C</td></tr>');
  });

  it("labels a table without a caption by its number, and reads the source word of the language", async () => {
    const doc = await parseText("---\nlang: fr\n---\n\n| a | b |\n|---|---|\n| x | 1 |\n\nSource : INSEE\n");
    expect(doc.bodyHtml).toContain('aria-label="Tableau 1"');
    expect(doc.bodyHtml).toContain('<p class="table-source">Source : INSEE</p>');
  });

  it("puts no scrolling region in a deck", async () => {
    const doc = await parseText("---\nkind: slides\n---\n\n# S\n\n| a | b |\n|---|---|\n| x | 1 |\n");
    expect(doc.slides.map((s) => s.html).join("")).not.toContain("table-scroll");
  });
});

describe("numeric columns", () => {
  it("takes figures, percentages, negative and Arabic-Indic numbers and ranges of years as figures", async () => {
    const doc = await parseText(
      "| a | b | c | d |\n|---|---|---|---|\n| x | 1,200 | 1997–1999 | 12 % |\n| y | −3.5 | 1978– | ٣٤٥ |\n| z | — | 2004 – 2017 | (40) |\n| w | 7 | 1990 | n/a |\n",
    );
    const classes = [...doc.bodyHtml.matchAll(/<th( class="([^"]*)")?>/g)].map((m) => m[2] ?? "");
    expect(classes).toEqual(["", "align-end numeric", "figures", "align-end numeric"]);
  });

  it("keeps a number with its unit or currency on one line, and leaves words alone", async () => {
    const doc = await parseText(
      "| Region | Load | Share | Cost | Note |\n|---|---|---|---|---|\n| North | 1,200 kg | 12.5 % | USD 40 | 3 km² in 12 countries |\n| South | 3 400 kg | 1 % | in 2020 300 | x |\n",
    );
    const nbsp = "\u00A0";
    for (const joined of [`1,200${nbsp}kg`, `12.5${nbsp}%`, `USD${nbsp}40`, `3${nbsp}km²`, `3${nbsp}400${nbsp}kg`])
      expect(doc.bodyHtml).toContain(joined);
    expect(doc.bodyHtml).toContain("km² in 12 countries");
    // A cell of 100,000 digits is looked at once, not again from each digit (which took seconds).
    const long = await parseText(`| a | b |\n|---|---|\n| ${"1".repeat(100_000)} kg | x |\n`);
    expect(long.bodyHtml).toContain("1\u00A0kg</td>");
    // The percentage column is still one of figures.
    expect(doc.bodyHtml).toMatch(/<th class="align-end numeric">Share<\/th>/);
  });
});

describe("tables too wide, told without a browser", () => {
  const blocks = { portrait: 166, landscape: 253 };
  const gfm = (header: string[], row: string[]) =>
    `| ${header.join(" | ")} |\n|${"---|".repeat(header.length)}\n| ${row.join(" | ")} |\n`;
  const estimate = async (markdown: string) => estimateTables((await parseText(markdown)).bodyHtml, blocks);

  it("finds none in a table whose words fit side by side in 7 pt", async () => {
    const words = Array.from({ length: 10 }, (_, i) => `word${i}`);
    expect(await estimate(gfm(words, words))).toEqual([]);
  });

  it("likely sets on a landscape page one that fits there, and splits one that does not, at its line", async () => {
    const columns = (n: number) => Array.from({ length: n }, (_, i) => `Contributions${i}`);
    const landscape = await estimate(`# T\n\n${gfm(columns(9), columns(9))}`);
    expect(landscape.map((e) => [e.line, e.columns, e.likely])).toEqual([[3, 9, "landscape"]]);
    expect(landscape[0]?.tightMm).toBeGreaterThan(166);
    const split = await estimate(gfm(columns(30), columns(30)));
    expect(split.map((e) => [e.line, e.likely])).toEqual([[1, "split"]]);
  });

  it("keeps a number on one line but breaks words at spaces and hyphens", async () => {
    const numbers = Array.from({ length: 14 }, () => "1,234,567,890,123");
    const words = Array.from({ length: 14 }, () => "1 234-567 890 123");
    expect(
      (
        await estimate(
          gfm(
            numbers.map((_, i) => `c${i}`),
            numbers,
          ),
        )
      ).length,
    ).toBe(1);
    expect(
      await estimate(
        gfm(
          words.map((_, i) => `c${i}`),
          words,
        ),
      ),
    ).toEqual([]);
  });

  it("leaves a table of two columns to the browser, which breaks its long words", async () => {
    expect(await estimate(gfm(["a", "b"], ["x".repeat(40), "y".repeat(40)]))).toEqual([]);
  });
});
