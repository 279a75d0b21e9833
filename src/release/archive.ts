/**
 * A reproducible .tar.gz: entries sorted, fixed owner and mode, one fixed time, POSIX ustar
 * headers written here; gzip without a name or time. The same files give the same bytes.
 */
import { gzipSync } from "node:zlib";

export interface ArchiveEntry {
  /** Path inside the archive, with forward slashes. */
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;

export function tarGz(entries: ArchiveEntry[], mtime: Date): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seconds = Math.floor(mtime.getTime() / 1000);
  const chunks: Uint8Array[] = [];
  for (const entry of sorted) {
    chunks.push(header(entry.name, entry.data.length, seconds));
    chunks.push(entry.data);
    const padding = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (padding) chunks.push(new Uint8Array(padding));
  }
  chunks.push(new Uint8Array(BLOCK * 2));
  // Node's gzip header has no file name and a zero time: only the data decides the bytes.
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

function header(name: string, size: number, mtime: number): Uint8Array {
  const block = Buffer.alloc(BLOCK);
  const { prefix, base } = splitName(name);
  block.write(base, 0, 100, "utf8");
  octal(block, 100, 8, 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, mtime);
  block.fill(0x20, 148, 156); // checksum counts as spaces while summing
  block.write("0", 156, 1, "ascii"); // a regular file
  block.write("ustar\u0000", 257, 6, "ascii");
  block.write("00", 263, 2, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "ascii");
  return block;
}

function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", base: name };
  const cut = name.lastIndexOf("/", name.length - 1);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) {
    throw new Error(`path too long for a tar archive: ${name}`);
  }
  return { prefix, base };
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, length, "ascii");
}
