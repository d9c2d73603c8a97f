/**
 * The load stage: reads `charta/` (metadata, registry, data, chapters), transforms every chapter
 * and checks what spans files. Problems are messages on the files; the caller decides what to do.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import type { z } from 'zod';
import type { Chapter, Charta, Part } from '../charta.js';
import { contrast, tint } from '../core/colours.js';
import { error, hasErrors, warn } from '../core/messages.js';
import type { ChapterProcessor } from '../transform/pipeline.js';
import { openChapterStore } from './chapter-store.js';
import { adoptTransformed, createProcessor, transformChapter, type TransformContext } from './transform-chapter.js';
import { transformInWorker, workersFor, type WorkerInput } from './transform-workers.js';
import { checkVersions } from './check-versions.js';
import { readSource } from './read-source.js';
import { keptYamlSources, yamlParser } from './kept-yaml.js';
import type { YamlSource } from './read-yaml.js';
import { exampleIdentifier } from './identifiers.js';
import type { yamlFiles } from './schema.js';
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
export async function loadCharta(options: LoadOptions): Promise<LoadResult> {
  const keptSources = keptYamlSources();
  const result = await loadSources(options, keptSources);
  await keptSources.placeMessages();
  return result;
}

async function loadSources(
  { root, marking = true, cache, diskCache = false, reader = diskReader, lenient = false }: LoadOptions,
  keptSources: ReturnType<typeof keptYamlSources>,
): Promise<LoadResult> {
  const chartaDir = path.join(root, 'charta');
  const at = (name: string) => path.join(chartaDir, name);
  const [metaFile, sourcesFile, eventsFile, topicsFile] = await Promise.all(
    ['charta.yaml', 'quellen.yaml', 'veranstaltungen.yaml', 'themen.yaml'].map((name) => readSource(at(name), { within: chartaDir, reader })),
  );
  const files: VFile[] = [metaFile!, sourcesFile!, eventsFile!, topicsFile!];
  const store = diskCache && reader === diskReader ? openChapterStore(root) : undefined;
  /**
   * The file's data, from the store where it is kept for the same text, else parsed and validated
   * (the parser and the schemas, and zod with them, are loaded only then).
   */
  const readData = async <N extends keyof typeof yamlFiles>(file: VFile, name: N): Promise<YamlSource<z.output<(typeof yamlFiles)[N]>> | undefined> => {
    const key = `${name}\0${String(file.value)}`;
    const kept = file.messages.length === 0 ? await store?.restoreData(key) : undefined;
    if (kept !== undefined) return keptSources.source(file, kept as z.output<(typeof yamlFiles)[N]>);
    const [{ readYaml }, { yamlFiles }] = await Promise.all([yamlParser(), import('./schema.js')]);
    const read = readYaml(file, yamlFiles[name]);
    if (read) store?.keepData(key, read.data);
    return read as YamlSource<z.output<(typeof yamlFiles)[N]>> | undefined;
  };
  const [meta, sources, events, topics] = await Promise.all([
    readData(metaFile!, 'charta.yaml'),
    readData(sourcesFile!, 'quellen.yaml'),
    readData(eventsFile!, 'veranstaltungen.yaml'),
    readData(topicsFile!, 'themen.yaml'),
  ]);
  if (!meta || !sources || !events || !topics) return { files };

  checkVersions(meta);
  if (meta.data.kennung === exampleIdentifier) {
    warn(metaFile!, `The identifier is the example's (${exampleIdentifier}): every charta needs its own, or reading systems take two EPUBs for one book`, meta.placeOf(['kennung']), 'example-identifier');
  }
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
  const transformContext: TransformContext = { sources, events, topics, marking, chartaDir, reader, chapterIds };
  // The unified pipeline is loaded only when a chapter is not in a cache.
  let processor: Promise<ChapterProcessor> | undefined;
  // The data blocks record places in the YAML files: the parser is there before they run.
  const processorOf = () => (processor ??= yamlParser().then(() => createProcessor(transformContext)));

  // What a chapter's transform reads besides the chapter itself (the YAML text too: the data
  // blocks record where their entries stand in it).
  // Hashed once: it grows with the charta, and each chapter's key holds it.
  const context = createHash('sha256')
    .update(JSON.stringify([marking, sources.data, String(eventsFile!.value), String(topicsFile!.value), [...chapterIds]]))
    .digest('hex');
  // Each chapter's tree: from a cache where it is there, else transformed (below).
  const trees = new Map<VFile, Root | undefined>();
  const pending: Array<{ file: VFile; key: string; storeKey: string; readMessages: number }> = [];
  /** The files read this time that a cached one stands for. */
  const replaced = new Map<VFile, VFile>();
  for (const { files: chapterFiles } of partFiles) {
    for (const [position, loaded] of chapterFiles.entries()) {
      if (loaded.messages.some((message) => message.fatal)) continue;
      const key = `${context}\0${String(loaded.value)}`;
      const cached = cache?.get(loaded.path);
      if (cached && cached.key === key) {
        // The same chapter in the same context: its tree and messages, less the cross-file checks.
        const file = cached.file;
        file.messages.length = cached.messages;
        chapterFiles[position] = file;
        replaced.set(loaded, file);
        trees.set(file, cached.tree);
        continue;
      }
      const storeKey = `${loaded.path}\0${key}`;
      const readMessages = loaded.messages.length;
      const restored = await store?.restore(storeKey, loaded, reader);
      if (restored) trees.set(loaded, restored);
      else pending.push({ file: loaded, key, storeKey, readMessages });
    }
  }
  if (replaced.size > 0) files.forEach((file, at) => (files[at] = replaced.get(file) ?? file));
  await transformPending(pending.map((entry) => entry.file));
  for (const { file, key, storeKey, readMessages } of pending) {
    const tree = trees.get(file);
    if (!tree) continue;
    store?.keep(storeKey, file, tree, readMessages, reader);
    cache?.set(file.path, { key, file, tree, messages: file.messages.length });
  }

  /** Transforms `pending` into `trees`: in worker threads beside this one when there are many. */
  async function transformPending(pendingFiles: VFile[]): Promise<void> {
    const workers = reader === diskReader ? workersFor(pendingFiles.length) : 0;
    const share = Math.ceil(pendingFiles.length / (workers + 1));
    const input = (chapters: VFile[]): WorkerInput => ({
      sources: { path: sourcesFile!.path, text: String(sourcesFile!.value) },
      events: { path: eventsFile!.path, text: String(eventsFile!.value) },
      topics: { path: topicsFile!.path, text: String(topicsFile!.value) },
      marking,
      chartaDir,
      chapterIds: [...chapterIds],
      chapters: chapters.map((file) => ({ path: file.path, text: String(file.value) })),
    });
    // The workers take the later chapters; this thread the first share, meanwhile.
    const shares = Array.from({ length: workers }, (_, at) => pendingFiles.slice(share * (at + 1), share * (at + 2)));
    const started = shares.map((chapters) =>
      transformInWorker(input(chapters)).then(
        (results) => ({ chapters, results }),
        () => ({ chapters, results: undefined }),
      ),
    );
    const mine = workers > 0 ? pendingFiles.slice(0, share) : pendingFiles;
    for (const file of mine) trees.set(file, await transformChapter(await processorOf(), file));
    for (const { chapters, results } of await Promise.all(started)) {
      if (results) {
        results.forEach((result, at) => {
          const tree = adoptTransformed(chapters[at]!, result);
          trees.set(chapters[at]!, result.refused ? undefined : tree);
        });
      } else {
        // A worker that failed (out of memory, say) leaves its chapters to this thread.
        for (const file of chapters) trees.set(file, await transformChapter(await processorOf(), file));
      }
    }
  }

  const parts: Part[] = [];
  const assets = new Map<string, string>();
  for (const { index, files: chapterFiles } of partFiles) {
    const config = meta.data.teile[index]!;
    const chapters: Chapter[] = [];
    for (const file of chapterFiles) {
      const tree = trees.get(file);
      if (!tree) continue;
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

function checkRegistry(list: ReadonlyArray<{ id: string; marker: string; farbe: string }>, sources: { file: VFile; placeOf(path: Array<string | number>): unknown }): void {
  const seen = new Map<string, number>();
  const markers = new Map<string, number>();
  list.forEach((source, index) => {
    if (seen.has(source.id)) error(sources.file, `Source id "${source.id}" is registered twice`, sources.placeOf(['quellen', index, 'id']) as Parameters<typeof error>[2], 'duplicate-source');
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
