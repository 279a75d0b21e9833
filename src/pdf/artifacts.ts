/**
 * Content Chromium paints without a tag (the page margins' running header, footer, page number
 * and marking; rules, leaders and backgrounds of boxes) wrapped as artifacts, so that every
 * painting operation is either real content or an artifact (Matterhorn 01-005). Text becomes a
 * pagination artifact, everything else a layout artifact; content already marked is left alone.
 *
 * A page of a briefing holds some 30 000 operators: this reads the bytes once, making no strings,
 * and keeps only each operator's kind and byte range.
 */
import {
  grow,
  isKeywordOperand,
  isWordStart,
  NUMERIC,
  operatorKey,
  operatorKeyOf,
  skipInlineImage,
  tokenEnd,
  tokenStart,
  WHITE,
} from "./content-stream.js";

enum Kind {
  Other,
  /** Graphics state and colour: may sit inside one artifact between two painted objects. */
  State,
  TextShow,
  PathStart,
  PathEnd,
  /** `n`: a path ended without painting (a clip). */
  PathNoPaint,
  Paint,
  BeginText,
  EndText,
  /** BDC with an MCID, or an artifact's BMC or BDC: what says whether content is tagged. */
  BeginMarked,
  /** Other marked content (Chromium's /ReversedChars around right-to-left text, a span's ActualText). */
  BeginOtherMarked,
  EndMarked,
}

const KINDS = new Map<string, Kind>();
for (const op of "cm w J j M d ri i gs CS cs SC SCN sc scn G g RG rg K k".split(" ")) KINDS.set(op, Kind.State);
for (const op of ["Tj", "TJ", "'", '"']) KINDS.set(op, Kind.TextShow);
for (const op of ["m", "re"]) KINDS.set(op, Kind.PathStart);
for (const op of "S s f F f* B B* b b*".split(" ")) KINDS.set(op, Kind.PathEnd);
KINDS.set("n", Kind.PathNoPaint);
for (const op of ["Do", "sh", "BI"]) KINDS.set(op, Kind.Paint);
KINDS.set("BT", Kind.BeginText);
KINDS.set("ET", Kind.EndText);
KINDS.set("BDC", Kind.BeginMarked);
KINDS.set("BMC", Kind.BeginMarked);
KINDS.set("EMC", Kind.EndMarked);
/** Kinds of operators of up to three bytes, by their bytes. */
const SHORT = new Map<number, Kind>();
for (const [op, kind] of KINDS) SHORT.set(operatorKeyOf(op), kind);

const PAGINATION = encode("/Artifact <</Type /Pagination>> BDC\n");
const LAYOUT = encode("/Artifact <</Type /Layout>> BDC\n");
const END = encode("\nEMC");
const LAYOUT_BEGIN = encode("/Artifact <</Type /Layout>> BDC");

interface Operators {
  count: number;
  kind: Uint8Array;
  /** Byte range from the first operand to the end of the operator. */
  start: Int32Array;
  end: Int32Array;
  /** A BDC's MCID, -1 for an artifact's BMC or BDC, else -2. */
  mcid: Int32Array;
}

interface Wrap {
  /** Index of the first and last operator wrapped. */
  first: number;
  last: number;
  text: boolean;
}

/**
 * The content stream with its untagged painting wrapped as artifacts, and the marked content of
 * `untag` (MCIDs) made layout artifacts; undefined when there is nothing to change.
 */
export function markArtifacts(
  content: Uint8Array,
  untag?: Set<number>,
  taggedForms?: ReadonlySet<string>,
): Uint8Array | undefined {
  const ops = scan(content);
  // A form XObject whose content is tagged inside it is no artifact where it is painted.
  const wraps = untaggedObjects(ops).filter(
    (wrap) => !taggedForms?.size || wrap.first !== wrap.last || !taggedForms.has(paintedForm(content, ops, wrap.first)),
  );
  const retagged: number[] = [];
  if (untag) for (let i = 0; i < ops.count; i++) if (untag.has(ops.mcid[i] as number)) retagged.push(i);
  if (wraps.length === 0 && retagged.length === 0) return undefined;
  const merged: Wrap[] = [];
  for (const wrap of wraps) {
    const previous = merged[merged.length - 1];
    if (previous && previous.text === wrap.text && onlyState(ops, previous.last + 1, wrap.first))
      previous.last = wrap.last;
    else merged.push({ ...wrap });
  }
  const edits = [
    ...merged.map(({ first, last, text }) => ({ at: first, last, retag: false, text })),
    ...retagged.map((at) => ({ at, last: at, retag: true, text: false })),
  ].sort((a, b) => a.at - b.at);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const { at, last, retag, text } of edits) {
    const start = ops.start[at] as number;
    const end = ops.end[last] as number;
    if (retag) parts.push(content.subarray(from, start), LAYOUT_BEGIN);
    else parts.push(content.subarray(from, start), text ? PAGINATION : LAYOUT, content.subarray(start, end), END);
    from = end;
  }
  parts.push(content.subarray(from));
  return Buffer.concat(parts);
}

/** Each operator's kind and byte range, read without making strings. */
function scan(b: Uint8Array): Operators {
  const n = b.length;
  let capacity = 4096;
  let kind = new Uint8Array(capacity);
  let start = new Int32Array(capacity);
  let end = new Int32Array(capacity);
  let mcid = new Int32Array(capacity);
  let count = 0;
  let operandStart = -1;
  for (let pos = tokenStart(b, 0); pos < n; pos = tokenStart(b, pos)) {
    const from = pos;
    const c = b[pos] as number;
    pos = tokenEnd(b, pos);
    if (isWordStart(c) && !NUMERIC[c]) {
      const found = SHORT.get(operatorKey(b, from, pos));
      // true, false and null are operands, not operators.
      if (found === undefined && isKeywordOperand(b, from, pos)) {
        if (operandStart < 0) operandStart = from;
        continue;
      }
      if (found === Kind.Paint && pos - from === 2 && b[from] === 66 && b[from + 1] === 73)
        pos = skipInlineImage(b, pos);
      if (count === capacity) {
        capacity *= 2;
        kind = grow(kind, new Uint8Array(capacity));
        start = grow(start, new Int32Array(capacity));
        end = grow(end, new Int32Array(capacity));
        mcid = grow(mcid, new Int32Array(capacity));
      }
      const id = found === Kind.BeginMarked ? markedContentId(b, operandStart, from) : -2;
      kind[count] = found === Kind.BeginMarked && id === -2 ? Kind.BeginOtherMarked : (found ?? Kind.Other);
      mcid[count] = id;
      start[count] = operandStart < 0 ? from : operandStart;
      end[count] = pos;
      count++;
      operandStart = -1;
      continue;
    }
    if (operandStart < 0) operandStart = from;
  }
  return { count, kind, start, end, mcid };
}

const MCID = encode("/MCID");
const ARTIFACT = encode("/Artifact");

/** A BMC's or BDC's MCID; -1 for an artifact, -2 for marked content that neither tags nor is an artifact. */
function markedContentId(b: Uint8Array, from: number, to: number): number {
  if (from < 0) return -2;
  if (startsWith(b, from, ARTIFACT)) return -1;
  for (let i = b.indexOf(47, from); i >= 0 && i < to; i = b.indexOf(47, i + 1))
    if (startsWith(b, i, MCID)) {
      let pos = i + MCID.length;
      while (WHITE[b[pos] as number]) pos++;
      let value = 0;
      for (let c = b[pos] as number; c >= 48 && c <= 57; c = b[++pos] as number) value = value * 10 + c - 48;
      return value;
    }
  return -2;
}

function startsWith(b: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.length; i++) if (b[at + i] !== prefix[i]) return false;
  return true;
}

/** Each graphics object painted outside any marked-content sequence. */
function untaggedObjects(ops: Operators): Wrap[] {
  const wraps: Wrap[] = [];
  /** Open marked-content sequences, each whether it tags (or is an artifact); and how many of them do. */
  const open: boolean[] = [];
  let depth = 0;
  let textStart = -1;
  let textMarked = false;
  let textShows: Wrap[] = [];
  let pathStart = -1;
  for (let index = 0; index < ops.count; index++) {
    const kind = ops.kind[index] as Kind;
    switch (kind) {
      case Kind.BeginMarked:
        open.push(true);
        depth++;
        if (textStart >= 0) textMarked = true;
        break;
      case Kind.BeginOtherMarked:
        open.push(false);
        break;
      case Kind.EndMarked:
        if (open.pop()) depth--;
        break;
      case Kind.BeginText:
        textStart = depth === 0 ? index : -1;
        textMarked = false;
        textShows = [];
        break;
      case Kind.EndText:
        // A whole text object when nothing in it is marked; else each run of shown text within it.
        if (textStart >= 0 && textShows.length > 0) {
          if (!textMarked) wraps.push({ first: textStart, last: index, text: true });
          else wraps.push(...textShows);
        }
        textStart = -1;
        break;
      case Kind.TextShow:
        if (depth === 0 && textStart >= 0) textShows.push({ first: index, last: index, text: true });
        break;
      case Kind.PathStart:
        if (depth === 0 && pathStart < 0) pathStart = index;
        break;
      case Kind.PathEnd:
        if (depth === 0 && pathStart >= 0) wraps.push({ first: pathStart, last: index, text: false });
        pathStart = -1;
        break;
      case Kind.PathNoPaint:
        pathStart = -1;
        break;
      case Kind.Paint:
        if (depth === 0 && textStart < 0 && pathStart < 0) wraps.push({ first: index, last: index, text: false });
        break;
    }
  }
  return wraps;
}

/** The resource name a `Do` paints (`/X9 Do` → "X9"); "" for any other operator. */
function paintedForm(content: Uint8Array, ops: Operators, index: number): string {
  const text = Buffer.from(content.subarray(ops.start[index] as number, ops.end[index] as number)).toString("latin1");
  return /^\/(\S+)\s+Do$/.exec(text)?.[1] ?? "";
}

function onlyState(ops: Operators, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (ops.kind[i] !== Kind.State) return false;
  return true;
}

function encode(text: string): Uint8Array {
  return Buffer.from(text, "latin1");
}
