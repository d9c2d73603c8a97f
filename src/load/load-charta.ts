/**
 * The load stage: reads `charta/` (metadata, registry, data, chapters), transforms every chapter
 * and checks what spans files. Problems are messages on the files; the caller decides what to do.
 */
import path from 'node:path';
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import type { Chapter, Charta, Part } from '../charta.js';
import { contrast, tint } from '../core/colours.js';
import { error, hasErrors, warn } from '../core/messages.js';
import type { ChapterProcessor } from '../transform/pipeline.js';
import { openChapterStore } from './chapter-store.js';
import { checkVersions } from './check-versions.js';
import { checkBlockNesting, checkTreeNesting } from './markdown-nesting.js';
import { readSource } from './read-source.js';
import { readYaml } from './read-yaml.js';
import { eventsFileSchema, metadataSchema, sourcesFileSchema, topicsFileSchema } from './schema.js';
import { diskReader, type SourceReader } from './source-reader.js';

export interface LoadOptions {
  /** The project folder that holds `charta/`. */
  root: string;
  /** Mark contributions (default) or build the clean edition. */
  marking?: boolean;
  /**
   * Chapters transformed by an earlier load, reused when neither the chapter nor anything its
   * transform reads has changed (`charta dev` keeps one across rebuilds).
   */
  cache?: TransformCache;
  /**
   * Keep transformed chapters on disk for the next load, and reuse those kept
   * (`chapter-store.ts`); only for sources read from the disk. Off by default; the CLI turns it
   * on unless `--no-cache` is given.
   */
  diskCache?: boolean;
  /** Where the sources are read from: the disk (default), or an earlier version in git. */
  reader?: SourceReader;
  /**
   * Return the charta even when its sources have errors, as long as its YAML files loaded
   * (chapters that could not be read or transformed are left out): for an earlier version,
   * whose problems are only warnings.
   */
  lenient?: boolean;
}

/** Transformed chapters by path. */
export type TransformCache = Map<string, { key: string; file: VFile; tree: Root; messages: number }>;

export interface LoadResult {
  /** Undefined when the sources have errors that stop the build. */
  charta?: Charta;
  files: VFile[];
}

/** Reads and transforms the whole charta. */
export async function loadCharta({ root, marking = true, cache, diskCache = false, reader = diskReader, lenient = false }: LoadOptions): Promise<LoadResult> {
  const chartaDir = path.join(root, 'charta');
  const at = (name: string) => path.join(chartaDir, name);
  const [metaFile, sourcesFile, eventsFile, topicsFile] = await Promise.all(
    ['charta.yaml', 'quellen.yaml', 'veranstaltungen.yaml', 'themen.yaml'].map((name) => readSource(at(name), { within: chartaDir, reader })),
  );
  const files: VFile[] = [metaFile!, sourcesFile!, eventsFile!, topicsFile!];
  const meta = readYaml(metaFile!, metadataSchema);
  const sources = readYaml(sourcesFile!, sourcesFileSchema);
  const events = readYaml(eventsFile!, eventsFileSchema);
  const topics = readYaml(topicsFile!, topicsFileSchema);
  if (!meta || !sources || !events || !topics) return { files };

  checkVersions(meta);
  checkRegistry(sources.data.quellen, sources);
  const sourceIds = new Set(sources.data.quellen.map((source) => source.id));
  events.data.veranstaltungen.forEach((event, index) => {
    if (event.quelle && !sourceIds.has(event.quelle)) {
      error(events.file, `Unknown contribution source "${event.quelle}"`, events.placeOf(['veranstaltungen', index, 'quelle']), 'unknown-source');
    }
  });
  topics.data.themenfelder.forEach((topic, t) =>
    topic.ziele.forEach((goal, g) =>
      goal.ansaetze.forEach((approach, a) => {
        if (typeof approach !== 'string' && !sourceIds.has(approach.quelle)) {
          error(topics.file, `Unknown contribution source "${approach.quelle}"`, topics.placeOf(['themenfelder', t, 'ziele', g, 'ansaetze', a, 'quelle']), 'unknown-source');
        }
      }),
    ),
  );

  // The chapters of each part, in file name order.
  const partFiles: Array<{ index: number; files: VFile[] }> = [];
  const seenFolders = new Map<string, number>();
  const seenIds = new Map<string, number>();
  for (const [index, part] of meta.data.teile.entries()) {
    if (seenIds.has(part.id)) error(metaFile!, `Part id "${part.id}" is used twice`, meta.placeOf(['teile', index, 'id']), 'duplicate-part');
    if (seenFolders.has(part.ordner)) error(metaFile!, `Folder "${part.ordner}" is used by two parts`, meta.placeOf(['teile', index, 'ordner']), 'duplicate-part');
    seenIds.set(part.id, index);
    seenFolders.set(part.ordner, index);
    let names: string[];
    try {
      names = (await reader.readdir(at(part.ordner))).filter((name) => name.endsWith('.md')).sort();
    } catch {
      error(metaFile!, `Folder charta/${part.ordner}/ not found`, meta.placeOf(['teile', index, 'ordner']), 'missing-folder');
      continue;
    }
    if (names.length === 0) {
      error(metaFile!, `Folder charta/${part.ordner}/ has no chapters (.md files)`, meta.placeOf(['teile', index, 'ordner']), 'empty-part');
    }
    const chapterFiles = await Promise.all(names.map((name) => readSource(path.join(at(part.ordner), name), { within: chartaDir, reader })));
    files.push(...chapterFiles);
    partFiles.push({ index, files: chapterFiles });
  }

  const chapterIds = new Map<string, string>();
  for (const { index, files: chapterFiles } of partFiles) {
    const part = meta.data.teile[index]!;
    for (const file of chapterFiles) chapterIds.set(file.path, `${part.id}-${path.basename(file.path, '.md')}`);
  }
  // The unified pipeline is loaded only when a chapter is not in a cache.
  let processor: Promise<ChapterProcessor> | undefined;
  const processorOf = () =>
    (processor ??= import('../transform/pipeline.js').then(({ createChapterProcessor }) =>
      createChapterProcessor({
        sources: sources.data.quellen,
        events: events.data.veranstaltungen,
        topics: topics.data.themenfelder,
        marking,
        dataPlaces: { events: events.placeOf, topics: topics.placeOf },
        chartaDir,
        reader,
        chapterIdOf: (absolutePath) => chapterIds.get(absolutePath),
        self: (file) => chapterIds.get(file.path) ?? '',
      }),
    ));
  const store = diskCache && reader === diskReader ? openChapterStore(root) : undefined;

  // What a chapter's transform reads besides the chapter itself (the YAML text too: the data
  // blocks record where their entries stand in it).
  const context = JSON.stringify([marking, sources.data, String(eventsFile!.value), String(topicsFile!.value), [...chapterIds]]);
  const parts: Part[] = [];
  const assets = new Map<string, string>();
  for (const { index, files: chapterFiles } of partFiles) {
    const config = meta.data.teile[index]!;
    const chapters: Chapter[] = [];
    for (const [position, loaded] of chapterFiles.entries()) {
      if (loaded.messages.some((message) => message.fatal)) continue;
      const key = `${context}\0${String(loaded.value)}`;
      const cached = cache?.get(loaded.path);
      let file = loaded;
      let tree: Root;
      if (cached && cached.key === key) {
        // The same chapter in the same context: its tree and messages, less the cross-file checks.
        file = cached.file;
        file.messages.length = cached.messages;
        tree = cached.tree;
        chapterFiles[position] = file;
        files[files.indexOf(loaded)] = file;
      } else {
        const storeKey = `${file.path}\0${key}`;
        const readMessages = file.messages.length;
        const restored = await store?.restore(storeKey, file, reader);
        if (restored) {
          tree = restored;
        } else {
          const transformed = await transformChapter(await processorOf(), file);
          if (!transformed) continue;
          tree = transformed;
          store?.keep(storeKey, file, tree, readMessages, reader);
        }
        cache?.set(file.path, { key, file, tree, messages: file.messages.length });
      }
      for (const [source, target] of file.data.images ?? []) assets.set(source, target);
      chapters.push({
        id: chapterIds.get(file.path)!,
        title: file.data.title ?? '',
        path: path.relative(root, file.path),
        file,
        tree,
        headings: file.data.headings ?? [],
        contributions: file.data.contributions ?? new Map(),
      });
    }
    parts.push({ id: config.id, number: parts.length + 1, title: config.titel, intro: config.einleitung, chapters });
  }

  await store?.settle(parts.reduce((sum, part) => sum + part.chapters.length, 0));
  checkLinkTargets(parts);
  const used = new Set(parts.flatMap((part) => part.chapters.flatMap((chapter) => [...chapter.contributions.keys()])));
  if (marking) {
    sources.data.quellen.forEach((source, index) => {
      if (!used.has(source.id)) warn(sources.file, `Source "${source.id}" is registered but never used`, sources.placeOf(['quellen', index, 'id']), 'unused-source');
    });
  }

  if (!lenient && hasErrors(files)) return { files };
  return {
    files,
    charta: {
      root,
      meta: meta.data,
      sources: sources.data.quellen,
      events: events.data.veranstaltungen,
      topics: topics.data.themenfelder,
      parts,
      files,
      assets,
      marking,
    },
  };
}

/**
 * Parses and transforms one chapter; undefined (with an error on the file) when it nests too
 * deeply to be processed safely.
 */
async function transformChapter(processor: ChapterProcessor, file: VFile): Promise<Root | undefined> {
  if (!checkBlockNesting(file)) return undefined;
  try {
    const mdast = processor.parse(file);
    if (!checkTreeNesting(mdast, file)) return undefined;
    return await processor.run(mdast, file);
  } catch (cause) {
    // The limits above keep the recursive steps far from the stack's end; should one still
    // reach it, the chapter gets a message instead of the build a crash.
    if (!(cause instanceof RangeError)) throw cause;
    error(file, `The chapter is nested too deeply to be processed (${cause.message}): flatten its structure`, { line: 1, column: 1 }, 'nesting-too-deep');
    return undefined;
  }
}

function checkRegistry(list: ReadonlyArray<{ id: string; marker: string; farbe: string }>, sources: { file: VFile; placeOf(path: Array<string | number>): unknown }): void {
  const seen = new Map<string, number>();
  const markers = new Map<string, number>();
  list.forEach((source, index) => {
    const place = sources.placeOf(['quellen', index, 'id']) as Parameters<typeof error>[2];
    if (seen.has(source.id)) error(sources.file, `Source id "${source.id}" is registered twice`, place, 'duplicate-source');
    if (markers.has(source.marker)) {
      error(sources.file, `Marker "${source.marker}" is used by two sources: each needs its own`, sources.placeOf(['quellen', index, 'marker']) as Parameters<typeof error>[2], 'duplicate-marker');
    }
    if (contrast(source.farbe, tint(source.farbe)) < 4.5) {
      error(sources.file, `Colour ${source.farbe} is too light: its label needs a contrast of 4.5:1 on the passage's tint (it has ${contrast(source.farbe, tint(source.farbe)).toFixed(1)}:1)`, sources.placeOf(['quellen', index, 'farbe']) as Parameters<typeof error>[2], 'low-contrast');
    }
    seen.set(source.id, index);
    markers.set(source.marker, index);
  });
}

function checkLinkTargets(parts: Part[]): void {
  const byId = new Map(parts.flatMap((part) => part.chapters.map((chapter) => [chapter.id, chapter] as const)));
  for (const chapter of byId.values()) {
    for (const link of chapter.file.data.links ?? []) {
      const target = byId.get(link.chapter);
      if (target && link.fragment && !target.file.data.ids?.has(link.fragment)) {
        error(chapter.file, `Anchor "#${link.fragment}" not found in ${target.path}`, link.position, 'broken-anchor');
      }
    }
  }
}
