/**
 * The persistent cache of transformed chapters: a second `charta build` (or `charta check`) parses
 * only the chapters that changed. Each chapter's tree, data and messages are kept as one JSON file
 * in `node_modules/.cache/charta/chapters/` of the project (or of the nearest folder above it that
 * has `node_modules`, as Babel, ESLint and Vite keep theirs), named by a key of everything its
 * transform reads: the chapter's text and path, the context (registry, data files, chapter ids,
 * marking), and the toolkit's own code (`build/toolkit-id.txt`, written by `npm run compile`, which `npm test` runs first).
 * A chapter whose images are gone or moved since is transformed again. The validated data of the
 * four YAML files is kept beside, in `data/`, keyed by the file's name and text and the toolkit's
 * code, so that an unchanged file is neither parsed nor validated again. `--no-cache` turns it off.
 *
 * The cache never fails a build: a file that cannot be read, parsed or written is a miss.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import { toolkitId } from '../core/toolkit.js';
import type { SourceReader } from './source-reader.js';
import { adoptTransformed, transformedOf, type Transformed } from './transform-chapter.js';

/** What a chapter's transform left, as it is kept. */
interface Stored extends Transformed {
  /** The images the chapter uses, each with the real path it had. */
  images: Array<[string, string]>;
}

/** Entries kept beyond the charta's chapters (earlier texts of edited chapters) before the oldest go. */
const spareEntries = 3;

/** The YAML files of a charta, whose data is kept in `data/`. */
const dataFiles = 4;

export interface ChapterStore {
  /** The chapter's transform as kept under `key`, restored into `file`; undefined on a miss. */
  restore(key: string, file: VFile, reader: SourceReader): Promise<Root | undefined>;
  /** Keeps the chapter's transform under `key` (messages from `messagesFrom` on). */
  keep(key: string, file: VFile, tree: Root, messagesFrom: number, reader: SourceReader): void;
  /** The data of a YAML file as validated under `key` by an earlier load; undefined on a miss. */
  restoreData(key: string): Promise<unknown>;
  /** Keeps the validated data of a YAML file under `key`. */
  keepData(key: string, data: unknown): void;
  /** Waits for what is being written, and drops the oldest entries beyond what the charta needs. */
  settle(chapters: number): Promise<void>;
}

/**
 * The store of the project at `root`; undefined when there is no `node_modules` at or above it,
 * or the toolkit was not compiled with its id (`toolkit`, given only by tests).
 */
export function openChapterStore(root: string, toolkit = toolkitId): ChapterStore | undefined {
  const base = nodeModulesOf(root);
  if (!base || !toolkit) return undefined;
  const chapters = entryFolder(path.join(base, '.cache', 'charta', 'chapters'), toolkit);
  const data = entryFolder(path.join(base, '.cache', 'charta', 'data'), toolkit);

  return {
    async restore(key, file, reader) {
      const stored = (await chapters.read(key)) as Stored | undefined;
      if (!stored) return undefined;
      stored.data = untagged(stored.data) as Stored['data'];
      // An image deleted or replaced by a link elsewhere since: the chapter's checks must run again.
      if (!stored.images.every(([target, real]) => reader.existsSync(target) && reader.realpathSync(target) === real)) return undefined;
      return adoptTransformed(file, stored);
    },
    keep(key, file, tree, messagesFrom, reader) {
      let images: Array<[string, string]>;
      try {
        images = [...(file.data.images?.keys() ?? [])].map((target) => [target, reader.realpathSync(target)]);
      } catch {
        return;
      }
      // Now: later stages may change the tree (marking what changed since an earlier version).
      const transformed = transformedOf(file, tree, messagesFrom);
      chapters.write(key, { ...transformed, data: tagged(transformed.data) as Stored['data'], images } satisfies Stored);
    },
    restoreData: (key) => data.read(key),
    keepData: (key, value) => data.write(key, value),
    async settle(chapterCount) {
      await Promise.all([chapters.settle(chapterCount * (1 + spareEntries)), data.settle(dataFiles * (1 + spareEntries))]);
    },
  };
}

/** One folder of entries, each a JSON file named by a hash of the toolkit's id and its key. */
function entryFolder(folder: string, toolkit: string) {
  const fileOf = (key: string) => path.join(folder, `${createHash('sha256').update(toolkit).update('\0').update(key).digest('hex')}.json`);
  const writes: Array<Promise<unknown>> = [];
  let created: Promise<unknown> | undefined;
  /** The entries this load read or wrote: the tidying never drops them. */
  const used = new Set<string>();
  return {
    async read(key: string): Promise<unknown> {
      const file = fileOf(key);
      try {
        const value = JSON.parse(await readFile(file, 'utf8')) as unknown;
        used.add(path.basename(file));
        return value;
      } catch {
        return undefined;
      }
    },
    /** Writes `value` as it is now; the file appears whole or not at all. */
    write(key: string, value: unknown): void {
      const text = JSON.stringify(value);
      const target = fileOf(key);
      const temporary = `${target}.${process.pid}.tmp`;
      used.add(path.basename(target));
      created ??= mkdir(folder, { recursive: true });
      writes.push(
        created
          .then(() => writeFile(temporary, text))
          .then(() => rename(temporary, target))
          .catch(() => rm(temporary, { force: true }).catch(() => {})),
      );
    },
    /** Waits for what is being written, and drops the oldest entries beyond `limit` that this load did not use. */
    async settle(limit: number): Promise<void> {
      await Promise.allSettled(writes);
      writes.length = 0;
      if (!created) return;
      try {
        const names = (await readdir(folder)).filter((name) => name.endsWith('.json'));
        if (names.length <= limit) return;
        const others = names.filter((name) => !used.has(name));
        const dated = await Promise.all(others.map(async (name) => ({ name, time: (await stat(path.join(folder, name))).mtimeMs })));
        dated.sort((a, b) => b.time - a.time);
        const room = Math.max(0, limit - (names.length - others.length));
        await Promise.all(dated.slice(room).map(({ name }) => rm(path.join(folder, name), { force: true })));
      } catch {
        // Another build tidies up meanwhile.
      }
    },
  };
}

/** The nearest `node_modules` at or above `root`. */
function nodeModulesOf(root: string): string | undefined {
  for (let folder = path.resolve(root); ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'node_modules'))) return path.join(folder, 'node_modules');
    if (path.dirname(folder) === folder) return undefined;
  }
}

/**
 * `value` with its maps and sets, which JSON does not know, as tagged objects. Only a chapter's
 * data holds them: its tree, the bulk of an entry, is kept and read without a reviver (which makes
 * `JSON.parse` several times slower).
 */
function tagged(value: unknown): unknown {
  if (value instanceof Map) return { $map: [...value].map(([key, item]) => [tagged(key), tagged(item)]) };
  if (value instanceof Set) return { $set: [...value].map(tagged) };
  if (Array.isArray(value)) return value.map(tagged);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, tagged(item)]));
  return value;
}

/** The maps and sets of `value` restored from their tagged objects. */
function untagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untagged);
  if (value && typeof value === 'object') {
    if ('$map' in value && Array.isArray(value.$map)) return new Map((value.$map as Array<[unknown, unknown]>).map(([key, item]) => [untagged(key), untagged(item)]));
    if ('$set' in value && Array.isArray(value.$set)) return new Set((value.$set as unknown[]).map(untagged));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, untagged(item)]));
  }
  return value;
}
