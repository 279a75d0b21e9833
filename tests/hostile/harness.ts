/**
 * The hostile harness: a trap HTTP server on 127.0.0.1 that counts every request, a secret file
 * outside the project, and a marker file that only code run by content could create.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";

export interface Trap {
  port: number;
  hits: string[];
  close: () => Promise<void>;
}

export async function startTrap(): Promise<Trap> {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "image/png" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Outside {
  dir: string;
  /** An SVG outside the project whose text is the token. */
  secretSvg: string;
  token: string;
  /** Base64 of the secret file: what an inlined copy would look like. */
  secretBase64: string;
  marker: string;
}

export function makeOutside(): Outside {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "press-outside-"));
  const token = `SECRET${Math.random().toString(36).slice(2, 10).toUpperCase()}TOKEN`;
  const secretSvg = path.join(dir, "secret.svg");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="0" y="30">${token}</text></svg>`;
  fs.writeFileSync(secretSvg, svg);
  fs.writeFileSync(path.join(dir, "secret.txt"), token);
  return {
    dir,
    secretSvg,
    token,
    secretBase64: Buffer.from(svg).toString("base64"),
    marker: path.join(dir, "code-ran"),
  };
}
