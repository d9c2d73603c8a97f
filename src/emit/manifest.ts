/**
 * `dist/manifest.json`: every artefact of the output folder with its path, size and sha256, the
 * charta's version and the sources' git revision. Written by every build; artefacts that a build
 * did not rebuild keep their earlier entries.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PrintLayout } from './pdf-edition.js';

export interface ManifestEntry {
  format: string;
  /** Relative to the output folder, with `/`. */
  path: string;
  bytes: number;
  /** Of the file; of a folder, over its files' paths and contents in sorted order. */
  sha256: string;
  files?: number;
  /** Of the PDF: its pages. */
  pages?: number;
  /** Of the PDF: the page of each entry of its table of contents, by the entry's target id. */
  pageNumbers?: Record<string, number>;
  /** Of the PDF: where its footnotes were placed, for a rebuild of the same document (`PrintLayout`). */
  layout?: PrintLayout;
}

export interface Manifest {
  title: string;
  version: string;
  date: string;
  /** The git revision of the sources, or null outside a git checkout. */
  revision: string | null;
  artefacts: ManifestEntry[];
}

/** The entry of one artefact at `absolutePath`, a file or a folder. */
export async function manifestEntry(format: string, absolutePath: string, relativePath: string): Promise<ManifestEntry> {
  const info = await stat(absolutePath);
  if (!info.isDirectory()) {
    const bytes = await readFile(absolutePath);
    return { format, path: relativePath, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const entries = (await readdir(absolutePath, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of entries) {
    const contents = await readFile(file);
    bytes += contents.length;
    hash.update(`${path.relative(absolutePath, file).split(path.sep).join('/')}\0${createHash('sha256').update(contents).digest('hex')}\n`);
  }
  return { format, path: relativePath, bytes, sha256: hash.digest('hex'), files: entries.length };
}

/** The manifest of the output folder's earlier build; undefined when there is none or it cannot be read. */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
    return Array.isArray(manifest.artefacts) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest after a build: the new entries, and the earlier ones of artefacts not rebuilt. */
export async function mergeManifest(outDir: string, base: Omit<Manifest, 'artefacts' | 'revision'>, root: string, entries: ManifestEntry[]): Promise<string> {
  // No earlier manifest, or an unreadable one: start afresh.
  const earlier = (await readManifest(outDir))?.artefacts ?? [];
  const rebuilt = new Set(entries.map((entry) => entry.path));
  const artefacts = [...earlier.filter((entry) => !rebuilt.has(entry.path)), ...entries].sort((a, b) => a.path.localeCompare(b.path));
  const manifest: Manifest = { ...base, revision: await gitRevision(root), artefacts };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

async function gitRevision(root: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: root, timeout: 5000 });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}
