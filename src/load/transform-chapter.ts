/**
 * One chapter through the transform stage, and what that leaves (the tree, the file's data and
 * messages) in a form that can be kept on disk (`chapter-store.ts`) or sent from a worker thread
 * (`transform-workers.ts`) and adopted by the chapter's file on the other side.
 */
import type { Root } from 'hast';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { error, warn } from '../core/messages.js';
import type { ChapterProcessor } from '../transform/pipeline.js';
import { checkBlockNesting, checkTreeNesting } from './markdown-nesting.js';
import type { YamlSource } from './read-yaml.js';
import type { CharterEvent, Source, Topic } from './schema.js';
import type { SourceReader } from './source-reader.js';

/** What every chapter's transform reads besides the chapter. */
export interface TransformContext {
  sources: YamlSource<{ quellen: Source[] }>;
  events: YamlSource<{ veranstaltungen: CharterEvent[] }>;
  topics: YamlSource<{ themenfelder: Topic[] }>;
  marking: boolean;
  chartaDir: string;
  reader: SourceReader;
  /** Each chapter's id, by its absolute path. */
  chapterIds: ReadonlyMap<string, string>;
}

/** The unified processor for the chapters of `context`; the pipeline's modules load on the first call. */
export async function createProcessor(context: TransformContext): Promise<ChapterProcessor> {
  const { createChapterProcessor } = await import('../transform/pipeline.js');
  const { sources, events, topics, chapterIds } = context;
  return createChapterProcessor({
    sources: sources.data.quellen,
    events: events.data.veranstaltungen,
    topics: topics.data.themenfelder,
    marking: context.marking,
    dataPlaces: { events: events.placeOf, topics: topics.placeOf },
    chartaDir: context.chartaDir,
    reader: context.reader,
    chapterIdOf: (absolutePath) => chapterIds.get(absolutePath),
    self: (file) => chapterIds.get(file.path) ?? '',
  });
}

/** A chapter's transform, apart from its file. */
export interface Transformed {
  tree: Root;
  /** The file's data (`file.data`): title, headings, ids, links, images, contributions … */
  data: VFile['data'];
  messages: Array<{ reason: string; place?: Point | Position; ruleId?: string; fatal: boolean }>;
}

/**
 * Parses and transforms one chapter; undefined (with an error on the file) when it nests too
 * deeply to be processed safely.
 */
export async function transformChapter(processor: ChapterProcessor, file: VFile): Promise<Root | undefined> {
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

/** What the transform of `file` left: its tree, data, and the messages from `messagesFrom` on. */
export function transformedOf(file: VFile, tree: Root, messagesFrom: number): Transformed {
  return {
    tree,
    data: file.data,
    messages: file.messages.slice(messagesFrom).map((message) => ({ reason: message.reason, place: message.place, ruleId: message.ruleId, fatal: message.fatal === true })),
  };
}

/** Gives `file` the data and messages of its transform; returns the tree. */
export function adoptTransformed(file: VFile, transformed: Transformed): Root {
  Object.assign(file.data, transformed.data);
  for (const message of transformed.messages) (message.fatal ? error : warn)(file, message.reason, message.place, message.ruleId ?? 'charta');
  return transformed.tree;
}
