/**
 * Pathological Markdown: the classes of cmark's pathological test suite (test/pathological_tests.py
 * in commonmark/cmark), and the ones Press was seen to hang on, each generated at 100–200 KB. Used by
 * the pathological test suite (tests/hostile/pathological.test.ts) and by `make bench`.
 */

/** `unit` repeated until the text reaches about `bytes`. */
function fill(unit, bytes = 150_000) {
  return unit.repeat(Math.max(1, Math.ceil(bytes / Buffer.byteLength(unit))));
}

/** `make(n)` with n chosen so that the text is about `bytes` long. */
function sized(make, bytes = 150_000) {
  const one = Buffer.byteLength(make(1000)) / 1000;
  return make(Math.max(1, Math.round(bytes / one)));
}

/** Link reference definitions whose labels differ only late (many of one length, as cmark's collisions). */
function references(count) {
  let text = "";
  for (let i = 0; i < count; i++) text += `[x${i}]: /url\n\n[x0]\n\n`;
  return text;
}

/** @type {{ name: string; text: string }[]} */
export const PATHOLOGICAL = [
  { name: "nested strong emphasis", text: sized((n) => `${"*a **a ".repeat(n)}b${" a** a*".repeat(n)}`) },
  { name: "emphasis closers without openers", text: fill("a_ ") },
  { name: "emphasis openers without closers", text: fill("_a ") },
  { name: "mismatched openers and closers", text: fill("*a_ ") },
  { name: "emphasis markers around a word", text: sized((n) => `${"*".repeat(n)}a${"*".repeat(n)}`) },
  { name: "underscores around a word", text: sized((n) => `${"_".repeat(n)}a${"_".repeat(n)}`) },
  { name: "openers then closers (cmark issue 389)", text: sized((n) => "*a ".repeat(n) + "_a*_ ".repeat(n)) },
  { name: "openers and closers multiple of 3", text: `a**b${fill("c* ")}` },
  { name: "link closers without openers", text: fill("a]") },
  { name: "link openers without closers", text: fill("[a") },
  { name: "link openers and emphasis closers", text: fill("[ a_") },
  { name: "pattern [ (]( repeated", text: fill("[ (](") },
  { name: "pattern ![[]() repeated", text: fill("![[]()") },
  { name: "nested brackets", text: sized((n) => `${"[".repeat(n)}a${"]".repeat(n)}`) },
  { name: "nested block quotes", text: sized((n) => `${"> ".repeat(n)}a`) },
  { name: "deeply nested lists", text: Array.from({ length: 400 }, (_, i) => `${"  ".repeat(i)}* a\n`).join("") },
  { name: "empty lines in deeply nested lists", text: sized((n) => `${"- ".repeat(n)}x${"\n".repeat(n)}`) },
  { name: "emphasis in a deep block quote", text: sized((n) => `${">".repeat(n)}${"a*".repeat(n)}`) },
  { name: "backtick ladder", text: Array.from({ length: 550 }, (_, i) => `e${"`".repeat(i + 1)}`).join("") },
  { name: "unclosed links with angle brackets", text: fill("[a](<b") },
  { name: "unclosed links", text: fill("[a](b") },
  { name: "unclosed comments", text: `</${fill("<!--")}` },
  { name: "many link reference definitions", text: references(6000) },
  {
    name: "many footnotes",
    text: sized((n) => Array.from({ length: n }, (_, i) => `Text[^n${i}].\n\n[^n${i}]: Note ${i}.\n\n`).join("")),
  },
  { name: "NUL bytes", text: fill("abc\u0000de\u0000") },
  { name: "a word of 120,000 letters", text: `A word: ${"x".repeat(120_000)}\n` },
  { name: "long words in a paragraph", text: fill(`${"antidisestablishmentarianism".repeat(40)} `) },
  {
    name: "a table of 2,000 rows",
    text: `| key | value | note |\n|---|---:|---|\n${sized((n) => Array.from({ length: n }, (_, i) => `| row ${i} | ${i * 7} | some words of a note |\n`).join(""))}`,
  },
  { name: "many table delimiters in a row", text: `${fill("|", 50_000)}\n${fill("|-", 100_000)}\n` },
  {
    name: "container lines of spaces and colons",
    text: `::: tip a${" ".repeat(60_000)}x\n\n:::${fill(" :", 60_000)}\n\n::: {${" ".repeat(30_000)}\n`,
  },
];
