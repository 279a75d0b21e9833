/**
 * The incremental cache. Each built document leaves a record: a key (a hash of its source, of every
 * file it was built from, and of the options) and the checksums of its outputs. On the next build,
 * a document whose key still matches and whose outputs are intact is not parsed, rendered or
 * written again. The records live in `.press-cache/` at the project root (git-ignored).
 *
 * A record is kept as soon as its document is built: appended to a journal beside the records, one
 * line each, which the next build reads over the records. A build killed part-way so keeps what it
 * finished; a line cut short by the kill is not JSON and is skipped. A build that ends writes the
 * records whole (atomically), leaving out those whose outputs are gone, and removes the journal.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../report/diagnostic.js";
import { writeFileAtomic } from "./atomic.js";

export interface CachedOutput {
  path: string;
  sha256: string;
  kind: string;
  format: string;
  bytes: number;
  pages: number | null;
}

export interface CacheRecord {
  key: string;
  /** Files the document was built from, besides its source. */
  dependencies: string[];
  outputs: CachedOutput[];
  /** What the document was, for reports and the release manifest. */
  summary: DocumentSummary;
  /**
   * The warnings and notes its build gave (a placeholder for a missing image, a table set
   * landscape): said again whenever the document is up to date, so that a build from the cache
   * is never quieter than the build it stands for. Absent in records of earlier versions.
   */
  diagnostics?: Diagnostic[];
  /** Whether the build was strict (warnings made errors). */
  strict?: boolean;
}

export interface DocumentSummary {
  title: string;
  kind: string;
  classification: string | null;
  lang: string;
  date: string | null;
}

interface CacheFile {
  format: 1;
  records: Record<string, CacheRecord>;
}

/** A line of the journal: a record kept, or (record null) one removed. */
interface JournalEntry {
  id: string;
  record: CacheRecord | null;
}

export class BuildCache {
  private readonly hashes = new Map<string, string>();
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly journal: string,
    private readonly data: CacheFile,
  ) {}

  static open(root: string): BuildCache {
    const file = path.join(root, ".press-cache", "records.json");
    const journal = path.join(root, ".press-cache", "journal.jsonl");
    let data: CacheFile = { format: 1, records: {} };
    try {
      const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
      if (parsed.format === 1 && parsed.records) data = parsed;
    } catch {
      // No cache yet, or an unreadable one: start afresh.
    }
    const cache = new BuildCache(file, journal, data);
    cache.replayJournal();
    return cache;
  }

  /** What a build that did not end (killed, say) kept in the journal, over the records. */
  private replayJournal(): void {
    let text: string;
    try {
      text = fs.readFileSync(this.journal, "utf8");
    } catch {
      return;
    }
    for (const line of text.split("\n")) {
      if (!line) continue;
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue; // cut short by a kill
      }
      if (typeof entry.id !== "string") continue;
      if (entry.record) this.data.records[entry.id] = entry.record;
      else delete this.data.records[entry.id];
      this.dirty = true;
    }
  }

  /** Whether it holds no record at all (a first build, or one after the cache was removed). */
  get empty(): boolean {
    return Object.keys(this.data.records).length === 0;
  }

  /** The record of a source built into an output folder, if its key still holds and its outputs are intact. */
  fresh(id: string, source: string, options: string): CacheRecord | undefined {
    const record = this.data.records[id];
    if (!record) return undefined;
    if (this.key(source, record.dependencies, options) !== record.key) return undefined;
    const intact = record.outputs.every((o) => this.hashFile(o.path, false) === o.sha256);
    return intact ? record : undefined;
  }

  key(source: string, dependencies: string[], options: string): string {
    const hash = createHash("sha256").update(options).update("\0").update(source);
    for (const file of [...dependencies].sort()) hash.update(`\0${file}\0${this.hashFile(file, true)}`);
    return hash.digest("hex");
  }

  /** The records of one output folder (ids start with its path and `::`), by id. */
  recordsOf(prefix: string): [string, CacheRecord][] {
    return Object.entries(this.data.records).filter(([id]) => id.startsWith(prefix));
  }

  /** Keep a document's record, at once (in the journal). */
  set(id: string, record: CacheRecord): void {
    this.data.records[id] = record;
    this.dirty = true;
    this.append({ id, record });
  }

  delete(id: string): void {
    if (this.data.records[id]) {
      delete this.data.records[id];
      this.dirty = true;
      this.append({ id, record: null });
    }
  }

  /** Write the records whole, without those whose outputs are gone, and clear the journal. */
  save(): void {
    this.dirty = this.prune() || this.dirty;
    if (this.dirty) writeFileAtomic(this.file, `${JSON.stringify(this.data, null, 1)}\n`);
    fs.rmSync(this.journal, { force: true });
    this.dirty = false;
  }

  /**
   * Drop the records of outputs that no longer exist (an output folder removed, a temporary project
   * of a test): they can never be fresh again, and would otherwise be kept for ever.
   */
  private prune(): boolean {
    let pruned = false;
    for (const [id, record] of Object.entries(this.data.records)) {
      if (record.outputs.every((output) => fs.existsSync(output.path))) continue;
      delete this.data.records[id];
      pruned = true;
    }
    return pruned;
  }

  /**
   * One line, begun with a line break: a line a killed build cut short then stands alone, and the
   * next line is still whole. A small synchronous append: the record is kept before the document
   * is reported.
   */
  private append(entry: JournalEntry): void {
    try {
      fs.appendFileSync(this.journal, `\n${JSON.stringify(entry)}`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      fs.mkdirSync(path.dirname(this.journal), { recursive: true });
      fs.appendFileSync(this.journal, `\n${JSON.stringify(entry)}`);
    }
  }

  /** SHA-256 of a file ("missing" if there is none); inputs are hashed once a build, outputs every time. */
  hashFile(file: string, remember: boolean): string {
    const known = remember ? this.hashes.get(file) : undefined;
    if (known) return known;
    let hash: string;
    try {
      hash = sha256(fs.readFileSync(file));
    } catch {
      hash = "missing";
    }
    if (remember) this.hashes.set(file, hash);
    return hash;
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
