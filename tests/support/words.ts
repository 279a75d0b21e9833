/** The words a reader should find in a PDF's text layer, and the text layer made comparable to them. */

/** Words of a text: split at white space (and the Arabic comma), punctuation trimmed from their ends. */
export function wordsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s،]+/)
        .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
        .filter(Boolean),
    ),
  ];
}

/** Without white space, case, Arabic vowel marks and tatweel, or the NUL of an unmapped glyph. */
export function squash(text: string): string {
  return (
    text
      .replace(/[\s\u064B-\u0652\u0670\u0640]/g, "")
      .replaceAll(String.fromCharCode(0), "")
      // One apostrophe glyph serves ’ and ʼ: readers map it to either.
      .replace(/[’ʼ‘]/g, "'")
      .toLowerCase()
  );
}

/** The words of `words` not found in the (squashed) text layer `layer`. */
export function missingWords(words: string[], layer: string): string[] {
  return words.filter((word) => !layer.includes(squash(word)));
}
