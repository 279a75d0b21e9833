/**
 * A release: a full build, then `manifest.json` and the catalogue `index.html` in the output
 * folder, and `release/press-<version>.tar.gz` with `release/SHA256SUMS`. A release is strict (as
 * with --strict): a document with an image left out or a slide that overflows fails it. With `--merge`, the
 * output folders of several shards are combined instead of building. Nothing carries the time of
 * the build except through SOURCE_DATE_EPOCH, so the same tree gives the same archive.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { type BuildHooks, type BuildReport, build } from "../build.js";
import { type BuildConfig, packageVersion } from "../config.js";
import { contentSecurityPolicy } from "../kinds/common.js";
import { formatDate } from "../template/context.js";
import { TemplateEngine } from "../template/engine.js";
import { fontFaces } from "../template/fonts.js";
import { writeFileAtomic } from "../write/atomic.js";
import { sha256 } from "../write/cache.js";
import { tarGz } from "./archive.js";
import { type Manifest, type ManifestArtefact, manifestFrom, manifestJson, mergeManifests } from "./manifest.js";

export interface ReleaseResult {
  build: BuildReport | undefined;
  manifest: Manifest;
  archive: string;
  checksums: string;
}

export const RELEASE_DIR = "release";

export async function release(
  config: BuildConfig,
  hooks: BuildHooks = {},
): Promise<ReleaseResult | { build: BuildReport }> {
  // A release never ships a placeholder for an image, nor a slide that overflows.
  const report = await build({ ...config, strict: true }, hooks);
  if (!report.ok) return { build: report };
  const manifest = manifestFrom(
    report.documents,
    config.outDir,
    config.root,
    releaseVersion(config.root),
    config.buildDate,
  );
  return { build: report, ...publish(config, manifest) };
}

/** Combine the output folders of shards (each with its manifest.json) into `config.outDir`, and publish. */
export function mergeRelease(config: BuildConfig, shardDirs: string[]): ReleaseResult {
  const manifests = shardDirs.map((dir) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    for (const artefact of manifest.artefacts) {
      const from = path.join(dir, artefact.path);
      const to = path.join(config.outDir, artefact.path);
      if (sha256(fs.readFileSync(from)) !== artefact.sha256) throw new Error(`${from} does not match its manifest`);
      if (path.resolve(from) !== path.resolve(to)) writeFileAtomic(to, fs.readFileSync(from));
    }
    return manifest;
  });
  return { build: undefined, ...publish(config, mergeManifests(manifests, releaseVersion(config.root))) };
}

function publish(config: BuildConfig, manifest: Manifest): Omit<ReleaseResult, "build"> {
  const manifestText = manifestJson(manifest);
  const indexHtml = catalogue(config, manifest);
  writeFileAtomic(path.join(config.outDir, "manifest.json"), manifestText);
  writeFileAtomic(path.join(config.outDir, "index.html"), indexHtml);

  const files = [
    ...manifest.artefacts.map((a) => ({ name: a.path, data: fs.readFileSync(path.join(config.outDir, a.path)) })),
    { name: "manifest.json", data: Buffer.from(manifestText) },
    { name: "index.html", data: Buffer.from(indexHtml) },
  ];
  const sums = files
    .map((f) => `${sha256(f.data)}  ${f.name}`)
    .sort()
    .join("\n");
  const base = `press-${manifest.version}`;
  const archive = tarGz(
    [...files, { name: "SHA256SUMS", data: Buffer.from(`${sums}\n`) }].map((f) => ({
      name: `${base}/${f.name}`,
      data: f.data,
    })),
    new Date(manifest.sourceDateEpoch * 1000),
  );
  const releaseDir = path.join(config.root, RELEASE_DIR);
  const archivePath = path.join(releaseDir, `${base}.tar.gz`);
  writeFileAtomic(archivePath, archive);
  const checksumsPath = path.join(releaseDir, "SHA256SUMS");
  writeFileAtomic(checksumsPath, `${sha256(archive)}  ${base}.tar.gz\n`);
  return { manifest, archive: archivePath, checksums: checksumsPath };
}

function catalogue(config: BuildConfig, manifest: Manifest): string {
  const engine = new TemplateEngine(config.templatesDir);
  const bySource = new Map<string, ManifestArtefact[]>();
  for (const artefact of manifest.artefacts)
    bySource.set(artefact.source, [...(bySource.get(artefact.source) ?? []), artefact]);
  const documents = [...bySource.entries()]
    .map(([source, artefacts]) => {
      const first = artefacts[0] as ManifestArtefact;
      return {
        source,
        title: first.title,
        kind: first.kind === "briefing" ? "Briefing" : "Slides",
        classification: first.classification,
        date: formatDate(first.date, first.language),
        html: artefacts.find((a) => a.format === "html")?.path ?? null,
        files: artefacts.map((a) => ({ path: a.path, label: fileLabel(a), pages: a.pages })),
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title) || a.source.localeCompare(b.source));
  return engine.render("index", {
    title: "Press documents",
    version: manifest.version,
    dateText: new Date(manifest.sourceDateEpoch * 1000).toISOString().slice(0, 10),
    documents,
    css: engine.css("index"),
    fontFaces: fontFaces(config.templatesDir)
      .rules.filter((r) => r.family === "Inter")
      .map((r) => r.css)
      .join("\n"),
    contentSecurityPolicy: contentSecurityPolicy(),
  });
}

function fileLabel(artefact: ManifestArtefact): string {
  if (artefact.kind === "handout") return "Handout PDF";
  return artefact.format === "pdf" ? "PDF" : "HTML";
}

/** `git describe --tags` (without a leading v), else package.json's version. */
export function releaseVersion(root: string): string {
  const result = spawnSync("git", ["describe", "--tags"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const described = result.status === 0 ? result.stdout.trim() : "";
  return (described || packageVersion()).replace(/^v(?=\d)/, "");
}
