/**
 * A font's ToUnicode CMap read into a table (ISO 32000-1 9.10.3): which text each character code
 * stands for, and how many bytes a code takes. The finishing reads the text Chromium shows with
 * it: where a line ends, what a structure element says.
 */

export interface UnicodeMap {
  /** Character code → the text it stands for. */
  chars: Map<number, string>;
  /** Bytes per character code (2 for Chromium's Identity-H fonts). */
  bytes: number;
}

/** Codes a bfrange may cover, at most (a malformed range must not make millions of entries). */
const MAX_RANGE = 0x10000;

export function readUnicodeMap(cmap: Uint8Array): UnicodeMap {
  const text = Buffer.from(cmap).toString("latin1");
  const chars = new Map<number, string>();
  const space = /begincodespacerange\s*<([0-9A-Fa-f]+)>/.exec(text);
  const bytes = space?.[1] ? Math.max(1, Math.ceil(space[1].length / 2)) : 2;
  for (const [, body = ""] of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code = "", target = ""] of body.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
      chars.set(Number.parseInt(code, 16), utf16(target));
  for (const [, body = ""] of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo = "", hi = "", target = "", list] of body.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]*)>|\[([^\]]*)\])/g,
    )) {
      const first = Number.parseInt(lo, 16);
      const last = Math.min(Number.parseInt(hi, 16), first + MAX_RANGE);
      if (list !== undefined) {
        const targets = [...list.matchAll(/<([0-9A-Fa-f]*)>/g)].map((m) => utf16(m[1] ?? ""));
        targets.forEach((t, i) => {
          if (first + i <= last) chars.set(first + i, t);
        });
        continue;
      }
      // The range's codes map to the target with its last byte counting up.
      const base = utf16(target);
      const head = base.slice(0, -1);
      const tail = base.charCodeAt(base.length - 1);
      for (let code = first; code <= last; code++) chars.set(code, head + String.fromCharCode(tail + code - first));
    }
  return { chars, bytes };
}

/** UTF-16BE in hexadecimal, decoded. */
function utf16(hex: string): string {
  let out = "";
  for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
  return out;
}

/** The character codes of a string's bytes (Latin-1 characters), `bytes` at a time. */
export function codesOf(value: string, bytes: number): number[] {
  const codes: number[] = [];
  for (let i = 0; i + bytes <= value.length; i += bytes) {
    let code = 0;
    for (let j = 0; j < bytes; j++) code = code * 256 + value.charCodeAt(i + j);
    codes.push(code);
  }
  return codes;
}

/** The bytes (as a Latin-1 string) of a PDF string operand as written, `(…)` or `<…>`. */
export function stringBytes(source: string): string {
  if (source.startsWith("<")) {
    const hex = source.slice(1, -1).replace(/[^0-9A-Fa-f]/g, "");
    let out = "";
    for (let i = 0; i < hex.length; i += 2)
      out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2).padEnd(2, "0"), 16));
    return out;
  }
  let out = "";
  const body = source.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const next = body[++i] ?? "";
    const octal = /^[0-7]{1,3}/.exec(body.slice(i, i + 3));
    if (octal) {
      out += String.fromCharCode(Number.parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (next === "\n") continue;
    else if (next === "\r") {
      if (body[i + 1] === "\n") i++;
    } else out += { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" }[next] ?? next;
  }
  return out;
}
