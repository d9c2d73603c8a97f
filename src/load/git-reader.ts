/**
 * An earlier version's `charta/`, read out of git into memory and served as a `SourceReader` at
 * the paths the working tree has: nothing is checked out, nothing written anywhere. One
 * `git ls-tree` lists the tree, one `git cat-file --batch` reads its blobs.
 */
import path from 'node:path';
import { maxSourceBytes } from './read-source.js';
import { runGit } from './git.js';
import type { SourceReader, SourceStats } from './source-reader.js';

export interface GitReaderOptions {
  /** A folder inside the repository's work tree, where git runs (the project root). */
  cwd: string;
  /** The full hash of the commit to read. */
  commit: string;
  /** The path of `charta/` inside the repository, e.g. `charta` or `site/charta`. */
  chartaPath: string;
  /** The absolute path at which the tree's `charta/` is served, e.g. `<project root>/charta`. */
  chartaDir: string;
}

/** A git reader, and how many files the tree holds (0 when the commit has no such folder). */
export interface GitReader extends SourceReader {
  fileCount: number;
}

type Entry =
  | { kind: 'file'; size: number; object: string; data?: Buffer }
  | { kind: 'link'; target: string }
  | { kind: 'directory'; names: Set<string> };

/** What a path leads to, after following links: an entry, nothing, or a place outside the tree. */
type Resolved = { path: string; entry: Entry } | { path: string; missing: true } | { path: string; outside: true };

/** Git's modes for a symbolic link and for a submodule (a commit inside the tree). */
const linkMode = '120000';
const submoduleMode = '160000';
/** The most links followed in one path, as Linux allows (ELOOP beyond). */
const maxLinks = 40;

/** Lists the tree and reads its blobs (those a loader may read) into memory. */
export async function createGitReader(options: GitReaderOptions): Promise<GitReader> {
  const { cwd, commit, chartaPath, chartaDir } = options;
  const listing = await runGit(['--literal-pathspecs', 'ls-tree', '-r', '-l', '-z', '--full-tree', commit, '--', chartaPath], { cwd, maxBuffer: 256 * 1024 * 1024 });
  const entries = new Map<string, Entry>();
  const wanted: Array<{ at: string; object: string; link: boolean }> = [];
  for (const record of listing.toString('utf8').split('\0')) {
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode = '', type = '', object = '', size = ''] = record.slice(0, tab).split(/ +/);
    const inTree = record.slice(tab + 1);
    if (!inTree.startsWith(`${chartaPath}/`) || type !== 'blob' || mode === submoduleMode) continue;
    const at = path.join(chartaDir, ...inTree.slice(chartaPath.length + 1).split('/'));
    const bytes = Number(size);
    if (mode === linkMode) {
      entries.set(at, { kind: 'link', target: '' });
      wanted.push({ at, object, link: true });
    } else {
      entries.set(at, { kind: 'file', size: bytes, object });
      // Larger files are refused by their size before they are read; their bytes stay in git.
      if (bytes <= maxSourceBytes) wanted.push({ at, object, link: false });
    }
    addParents(entries, chartaDir, at);
  }
  const fileCount = [...entries.values()].filter((entry) => entry.kind !== 'directory').length;
  if (fileCount > 0) {
    const blobs = await readBlobs(cwd, [...new Set(wanted.map((item) => item.object))]);
    for (const { at, object, link } of wanted) {
      const data = blobs.get(object);
      const entry = entries.get(at)!;
      if (link && entry.kind === 'link') entry.target = data?.toString('utf8') ?? '';
      else if (entry.kind === 'file') entry.data = data;
    }
  }

  const resolve = (target: string): Resolved => resolvePath(entries, chartaDir, target);
  const existing = (target: string, operation: string): { path: string; entry: Entry } => {
    const found = resolve(target);
    if ('entry' in found) return found;
    throw fsError('ENOENT', operation, target);
  };
  const stats = (entry: Entry | undefined): SourceStats => ({
    isFile: () => entry?.kind === 'file',
    size: entry?.kind === 'file' ? entry.size : 0,
  });
  return {
    fileCount,
    async stat(target) {
      const found = resolve(target);
      if ('missing' in found) throw fsError('ENOENT', 'stat', target);
      // A link out of the tree "exists" (as on disk); `realpath` then shows where it leads.
      return stats('entry' in found ? found.entry : undefined);
    },
    async realpath(target) {
      const found = resolve(target);
      if ('missing' in found) throw fsError('ENOENT', 'realpath', target);
      return found.path;
    },
    async readFile(target) {
      const { entry } = existing(target, 'open');
      if (entry.kind !== 'file') throw fsError('EISDIR', 'read', target);
      if (entry.data) return entry.data;
      const blobs = await readBlobs(cwd, [entry.object]);
      const data = blobs.get(entry.object);
      if (!data) throw fsError('EIO', 'read', target);
      return data;
    },
    async readdir(target) {
      const { entry } = existing(target, 'scandir');
      if (entry.kind !== 'directory') throw fsError('ENOTDIR', 'scandir', target);
      return [...entry.names].sort();
    },
    existsSync(target) {
      return !('missing' in resolve(target));
    },
    realpathSync(target) {
      const found = resolve(target);
      if ('missing' in found) throw fsError('ENOENT', 'realpath', target);
      return found.path;
    },
  };
}

/** Records `at` in the folders above it, up to `chartaDir`. */
function addParents(entries: Map<string, Entry>, chartaDir: string, at: string): void {
  let child = at;
  while (child !== chartaDir) {
    const parent = path.dirname(child);
    let folder = entries.get(parent);
    if (!folder || folder.kind !== 'directory') {
      folder = { kind: 'directory', names: new Set() };
      entries.set(parent, folder);
    }
    folder.names.add(path.basename(child));
    if (parent === child) break;
    child = parent;
  }
}

/** Follows `target` through the tree, link by link, as the file system would. */
function resolvePath(entries: Map<string, Entry>, chartaDir: string, target: string): Resolved {
  let pending = path.resolve(target);
  for (let links = 0; links <= maxLinks; links++) {
    const relative = path.relative(chartaDir, pending);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return { path: pending, outside: true };
    const parts = relative === '' ? [] : relative.split(path.sep);
    let current = chartaDir;
    let followed = false;
    for (const [index, part] of parts.entries()) {
      const next = path.join(current, part);
      const entry = entries.get(next);
      if (!entry) return { path: pending, missing: true };
      if (entry.kind === 'link') {
        pending = path.resolve(current, entry.target, ...parts.slice(index + 1));
        followed = true;
        break;
      }
      if (entry.kind === 'file' && index < parts.length - 1) return { path: pending, missing: true };
      current = next;
    }
    if (!followed) {
      const entry = entries.get(current);
      return entry ? { path: current, entry } : { path: current, missing: true };
    }
  }
  return { path: pending, missing: true };
}

/** Reads blobs with one `git cat-file --batch`: object -> bytes (missing objects are left out). */
async function readBlobs(cwd: string, objects: string[]): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (objects.length === 0) return blobs;
  const output = await runGit(['cat-file', '--batch'], { cwd, input: `${objects.join('\n')}\n`, maxBuffer: 1024 * 1024 * 1024 });
  let offset = 0;
  while (offset < output.length) {
    const lineEnd = output.indexOf(0x0a, offset);
    if (lineEnd < 0) break;
    // <object> SP <type> SP <size> LF <contents> LF, or <object> SP missing LF
    const [object = '', type = '', size = ''] = output.subarray(offset, lineEnd).toString('utf8').split(' ');
    offset = lineEnd + 1;
    if (type === 'missing' || type === 'ambiguous' || size === '') continue;
    const length = Number(size);
    if (type === 'blob') blobs.set(object, output.subarray(offset, offset + length));
    offset += length + 1;
  }
  return blobs;
}

function fsError(code: string, operation: string, target: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${operation} '${target}'`), { code, path: target, syscall: operation });
}
