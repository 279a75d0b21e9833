/** The release manifest: every artefact with its checksum, pages and the document it came from. */
import path from "node:path";
import type { DocumentReport } from "../build.js";

export interface ManifestArtefact {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  kind: string;
  format: string;
  bytes: number;
  sha256: string;
  pages: number | null;
  source: string;
  title: string;
  classification: string | null;
  language: string;
  date: string | null;
}

/** What a release is called: the project's name and version. */
export interface ReleaseIdentity {
  name: string;
  version: string;
}

export interface Manifest {
  name: "press-release";
  /** The project released: the archive and the catalogue are called after it. */
  project: string;
  version: string;
  /** Seconds since 1970: the time written into every output. */
  sourceDateEpoch: number;
  artefacts: ManifestArtefact[];
}

export function manifestFrom(
  documents: DocumentReport[],
  outDir: string,
  root: string,
  identity: ReleaseIdentity,
  date: Date,
): Manifest {
  const artefacts: ManifestArtefact[] = [];
  for (const document of documents) {
    for (const output of document.outputs) {
      artefacts.push({
        path: path.relative(outDir, output.path).split(path.sep).join("/"),
        kind: output.kind,
        format: output.format,
        bytes: output.bytes,
        sha256: output.sha256,
        pages: output.pages,
        source: path.relative(root, path.resolve(document.source)).split(path.sep).join("/"),
        title: document.summary?.title ?? "",
        classification: document.summary?.classification ?? null,
        language: document.summary?.lang ?? "en",
        date: document.summary?.date ?? null,
      });
    }
  }
  return {
    name: "press-release",
    project: identity.name,
    version: identity.version,
    sourceDateEpoch: Math.floor(date.getTime() / 1000),
    artefacts: sortArtefacts(artefacts),
  };
}

/** Several shards' manifests as one; the same path twice must be the same file. */
export function mergeManifests(manifests: Manifest[], identity: ReleaseIdentity): Manifest {
  const byPath = new Map<string, ManifestArtefact>();
  for (const manifest of manifests) {
    for (const artefact of manifest.artefacts) {
      const known = byPath.get(artefact.path);
      if (known && known.sha256 !== artefact.sha256) {
        throw new Error(`two shards hold different files at ${artefact.path}`);
      }
      byPath.set(artefact.path, artefact);
    }
  }
  const epochs = new Set(manifests.map((m) => m.sourceDateEpoch));
  if (epochs.size > 1) throw new Error("the shards were built with different SOURCE_DATE_EPOCH values");
  return {
    name: "press-release",
    project: identity.name,
    version: identity.version,
    sourceDateEpoch: manifests[0]?.sourceDateEpoch ?? 0,
    artefacts: sortArtefacts([...byPath.values()]),
  };
}

function sortArtefacts(artefacts: ManifestArtefact[]): ManifestArtefact[] {
  return artefacts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
