/** The CLI tests run bin/press.js, which runs the compiled dist/ (bundled): compile and bundle it from the current source first. */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  // bin/press.js runs the bundle made from dist/ (package.json's "bundle" script).
  execFileSync("npm", ["run", "--silent", "bundle"], { cwd: root, stdio: "inherit" });
}
