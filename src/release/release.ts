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
import { type BuildConfig, ConfigError } from "../config.js";
import { contentSecurityPolicy } from "../kinds/common.js";
import { formatDate } from "../template/context.js";
import { TemplateEngine } from "../template/engine.js";
import { fontFaces } from "../template/fonts.js";
import { writeFileAtomic } from "../write/atomic.js";
import { sha256 } from "../write/cache.js";
import { tarGz } from "./archive.js";
import {
  type Manifest,
  type ManifestArtefact,
  manifestFrom,
  manifestJson,
  mergeManifests,
  type ReleaseIdentity,
} from "./manifest.js";

export interface ReleaseResult {
  build: BuildReport | undefined;
  manifest: Manifest;
  archive: string;
  checksums: string;
}

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
    releaseIdentity(config),
    config.buildDate,
  );
  return { build: report, ...publish(config, manifest) };
}

/** Combine the output folders of shards (each with its manifest.json) into `config.outDir`, and publish. */
export function mergeRelease(config: BuildConfig, shardDirs: string[]): ReleaseResult {
  const manifests = shardDirs.map((dir) => {
    const manifest = readShardManifest(dir);
    for (const artefact of manifest.artefacts) {
      const from = path.join(dir, artefact.path);
      const to = path.join(config.outDir, artefact.path);
      if (!fs.existsSync(from) || sha256(fs.readFileSync(from)) !== artefact.sha256) {
        throw new ConfigError(`${from} is missing or does not match ${path.join(dir, "manifest.json")}`);
      }
      if (path.resolve(from) !== path.resolve(to)) writeFileAtomic(to, fs.readFileSync(from));
    }
    return manifest;
  });
  return { build: undefined, ...publish(config, mergeManifests(manifests, releaseIdentity(config))) };
}

/** A shard's manifest.json; a folder that is not a shard's output is a user's mistake, said in one line. */
function readShardManifest(dir: string): Manifest {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`release --merge: ${dir}: no such folder`);
  }
  const file = path.join(dir, "manifest.json");
  if (!fs.existsSync(file)) {
    throw new ConfigError(
      `release --merge: ${dir} holds no manifest.json (make it with press release --shard I/N --out ${dir})`,
    );
  }
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  } catch (error) {
    throw new ConfigError(`release --merge: ${file} is not a manifest: ${(error as Error).message}`);
  }
}

function publish(config: BuildConfig, manifest: Manifest): Omit<ReleaseResult, "build"> {
  const manifestText = manifestJson(manifest);
  const indexHtml = catalogue(config, manifest);
  const indexName = catalogueName(manifest);
  writeFileAtomic(path.join(config.outDir, "manifest.json"), manifestText);
  writeFileAtomic(path.join(config.outDir, indexName), indexHtml);

  const files = [
    ...manifest.artefacts.map((a) => ({ name: a.path, data: fs.readFileSync(path.join(config.outDir, a.path)) })),
    { name: "manifest.json", data: Buffer.from(manifestText) },
    { name: indexName, data: Buffer.from(indexHtml) },
  ];
  const sums = files
    .map((f) => `${sha256(f.data)}  ${f.name}`)
    .sort()
    .join("\n");
  const base = `${manifest.project}-${manifest.version}`;
  const archive = tarGz(
    [...files, { name: "SHA256SUMS", data: Buffer.from(`${sums}\n`) }].map((f) => ({
      name: `${base}/${f.name}`,
      data: f.data,
    })),
    new Date(manifest.sourceDateEpoch * 1000),
  );
  const releaseDir = config.releaseDir;
  const archivePath = path.join(releaseDir, `${base}.tar.gz`);
  writeFileAtomic(archivePath, archive);
  const checksumsPath = path.join(releaseDir, "SHA256SUMS");
  writeFileAtomic(checksumsPath, `${sha256(archive)}  ${base}.tar.gz\n`);
  return { manifest, archive: archivePath, checksums: checksumsPath };
}

function catalogue(config: BuildConfig, manifest: Manifest): string {
  const engine = new TemplateEngine(config.templateDirs);
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
        html: href(artefacts.find((a) => a.format === "html")?.path) ?? null,
        files: artefacts.map((a) => ({ path: href(a.path), label: fileLabel(a), pages: a.pages })),
      };
    })
    .sort((a, b) => a.title.localeCompare(b.title) || a.source.localeCompare(b.source));
  return engine.render("index", {
    title: manifest.project,
    version: manifest.version,
    dateText: new Date(manifest.sourceDateEpoch * 1000).toISOString().slice(0, 10),
    documents,
    css: engine.css("index"),
    fontFaces: fontFaces(config.templateDirs)
      .rules.filter((r) => r.family === "Inter")
      .map((r) => r.css)
      .join("\n"),
    contentSecurityPolicy: contentSecurityPolicy(),
  });
}

/** An output's path as a link: each segment escaped, so that `hash#1.html` and `q?x.html` open the file they name. */
function href(file: string | undefined): string | undefined {
  return file?.split("/").map(encodeURIComponent).join("/");
}

/**
 * The catalogue's file name: index.html, unless a document's own output is that (a docs tree's
 * `index.md`, its home page in MkDocs, Jekyll and Quarto), which the catalogue would write over.
 */
export function catalogueName(manifest: Manifest): string {
  const taken = new Set(manifest.artefacts.map((a) => a.path));
  for (let n = 1; ; n++) {
    const name = n === 1 ? "index.html" : n === 2 ? "catalogue.html" : `catalogue-${n - 1}.html`;
    if (!taken.has(name)) return name;
  }
}

function fileLabel(artefact: ManifestArtefact): string {
  if (artefact.kind === "handout") return "Handout PDF";
  return artefact.format === "pdf" ? "PDF" : "HTML";
}

/**
 * What the release is called: `--name`, else press.config.yaml's `name`, else the project's
 * package.json's (without its scope), else the root folder's name; the version is `git describe
 * --tags` (without a leading v), else press.config.yaml's `version`, else package.json's, else 0.0.0.
 */
export function releaseIdentity(config: BuildConfig): ReleaseIdentity {
  const pkg = projectPackage(config.root);
  const configured = (key: string) => {
    const value = config.settings[key];
    return typeof value === "string" && value.trim() ? value.trim() : undefined;
  };
  const name = config.name ?? configured("name") ?? pkg.name?.replace(/^@[^/]+\//, "") ?? path.basename(config.root);
  const result = spawnSync("git", ["describe", "--tags"], {
    cwd: config.root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const described = result.status === 0 ? result.stdout.trim() : "";
  const version = described || configured("version") || pkg.version || "0.0.0";
  return { name: fileSafe(name), version: fileSafe(version.replace(/^v(?=\d)/, "")) };
}

function projectPackage(root: string): { name?: string; version?: string } {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
    return {
      name: typeof pkg.name === "string" && pkg.name ? pkg.name : undefined,
      version: typeof pkg.version === "string" && pkg.version ? pkg.version : undefined,
    };
  } catch {
    return {};
  }
}

/** A name that is safe as a file name: letters, digits, dot, dash and underscore. */
function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+/, "") || "documents";
}
