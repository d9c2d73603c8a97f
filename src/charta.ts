/**
 * The central types: one `Charta` that every renderer reads, made of the files it was loaded from.
 */
import type { Root as HastRoot } from 'hast';
import type { VFile } from 'vfile';
import type { Changes } from './compare/changes.js';
import type { CharterEvent, Metadata, Source, Topic } from './load/schema.js';

export type { CharterEvent, Metadata, Source, Topic };

/** A heading of a chapter, as the tables of contents and outlines list it. */
export interface Heading {
  /** 1 for the chapter title, 2 for its sections, … */
  depth: number;
  text: string;
  /** The id the heading carries inside its chapter. */
  id: string;
}

/** One Markdown file of a part, transformed into hast. */
export interface Chapter {
  /** Unique across the charta: `<part id>-<file name without extension>`. */
  id: string;
  title: string;
  /** The source file, relative to the project root, e.g. `charta/01-analyse/01-region.md`. */
  path: string;
  file: VFile;
  tree: HastRoot;
  headings: Heading[];
  /** Number of marked passages per source id in this chapter. */
  contributions: Map<string, number>;
}

export interface Part {
  id: string;
  number: number;
  title: string;
  intro?: string;
  chapters: Chapter[];
}

/** A marking source with the number of passages it contributed to the whole charta. */
export interface UsedSource extends Source {
  count: number;
}

/** The whole publication, as all renderers see it. */
export interface Charta {
  /** The project folder: the one that holds `charta/` and `templates/`. */
  root: string;
  meta: Metadata;
  sources: Source[];
  events: CharterEvent[];
  topics: Topic[];
  parts: Part[];
  /** Every file the charta was read from, for messages. */
  files: VFile[];
  /** Images referenced by chapters: project-relative source path -> path inside the editions. */
  assets: Map<string, string>;
  /** Whether contributions are marked (false for the clean edition). */
  marking: boolean;
  /** The changes since an earlier version, when the build compares with one (`--since`). */
  changes?: Changes;
}

/** The sources in registry order, each with its count; only those used when `usedOnly`. */
export function sourceCounts(charta: Charta, usedOnly = true): UsedSource[] {
  const counts = new Map<string, number>();
  for (const part of charta.parts) {
    for (const chapter of part.chapters) {
      for (const [id, n] of chapter.contributions) counts.set(id, (counts.get(id) ?? 0) + n);
    }
  }
  return charta.sources
    .map((source) => ({ ...source, count: counts.get(source.id) ?? 0 }))
    .filter((source) => !usedOnly || source.count > 0);
}

/** All chapters in reading order. */
export function chapters(charta: Charta): Chapter[] {
  return charta.parts.flatMap((part) => part.chapters);
}
