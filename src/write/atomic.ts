/**
 * Outputs are written to a temporary file in the same folder, then renamed: a build stopped at any
 * moment leaves only complete files. The next build removes the temporary files a killed one left.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const TEMP_SUFFIX = ".press-tmp";

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const temp = tempPathFor(file);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    throw writeFailure(file, temp, error);
  }
}

/** The same, without blocking the event loop (the build's outputs: the browser's pages wait on it). */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(file);
  try {
    // The folder is made only when it is missing: most writes go to one that exists.
    await fs.promises.writeFile(temp, data).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(temp, data);
    });
    await fs.promises.rename(temp, file);
  } catch (error) {
    throw writeFailure(file, temp, error);
  }
}

function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
}

/** Removes what was written of the temporary file and says, in words, why the file could not be written. */
function writeFailure(file: string, temp: string, error: unknown): Error {
  try {
    fs.rmSync(temp, { force: true });
  } catch {
    // Nothing was written there, or the folder itself is the problem.
  }
  return new Error(`cannot write ${path.relative(process.cwd(), file) || file}: ${describeFsError(error)}`);
}

/** A file-system error in words a user can act on. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "the file system is read-only",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    ENOTDIR: "a file stands where a folder is needed",
    EISDIR: "it is a folder",
    ENOENT: "no such file or folder",
    EEXIST: "a file stands where a folder is needed",
  };
  return (code && reasons[code]) ?? (error as Error).message;
}

/** Remove temporary files left below `dir` by a build that was killed. */
export function removeLeftovers(dir: string): number {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return 0;
  let removed = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(TEMP_SUFFIX)) {
      fs.rmSync(path.join(entry.parentPath, entry.name), { force: true });
      removed++;
    }
  }
  return removed;
}
