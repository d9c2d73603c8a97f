/**
 * The changes between two versions of a charta, as every edition, `charta diff` and the Synopse
 * read them. `compareChartas` (compare-chartas.ts) makes them from an earlier and a later
 * `Charta`; the later charta's chapter trees are then marked with `<ins>` and `<del>`.
 */
import type { ElementContent } from 'hast';

/** Where a block stands in a source file, relative to the project root. */
export interface Place {
  /** e.g. `charta/02-vision/01-leitbild.md` or `charta/themen.yaml` */
  file: string;
  line: number;
  column: number;
}

/** What a block is, as a reader names it. */
export type BlockType =
  | 'heading'
  | 'paragraph'
  | 'list-item'
  | 'table-row'
  | 'figure'
  | 'quote'
  | 'code'
  | 'contribution'
  | 'footnote'
  | 'event'
  | 'topic'
  | 'goal'
  | 'approach';

/**
 * - `added`, `removed`: a block only in the later or only in the earlier version;
 * - `changed`: the same block with words changed (word-level `<ins>`/`<del>` inside it);
 * - `replaced`: the block rewritten beyond recognition ("neu gefasst"): old text struck, new inserted, whole;
 * - `moved`: the block stands elsewhere (in this or another chapter); it may also have changed words.
 */
export type ChangeKind = 'added' | 'removed' | 'changed' | 'replaced' | 'moved';

export interface BlockChange {
  /** The anchor of the change in the later chapter's marked tree (`aenderung-<n>`), unique in the charta. */
  id: string;
  kind: ChangeKind;
  block: BlockType;
  /** The chapter (id in the later version) whose marked tree holds the anchor. */
  chapterId: string;
  /** Its place in the later version's sources; for a removed block, the place of the block that follows it (or the chapter's end). */
  place: Place;
  /** Its place in the earlier version's sources, for removed, changed, replaced and moved blocks. */
  earlierPlace?: Place;
  /** The block's plain text in the earlier version (not for `added`). */
  oldText?: string;
  /** The block's plain text in the later version (not for `removed`). */
  newText?: string;
  /** Words inserted and deleted by this change (a moved block without edits counts 0 and 0). */
  wordsAdded: number;
  wordsRemoved: number;
  /** The contribution source of the block in the later version, if it is (inside) a marked passage. */
  source?: string;
  /** For `moved`: the chapter (title in the earlier version) it came from, when that was another one. */
  movedFrom?: { chapterTitle: string; place: Place };
}

export type ChapterStatus = 'added' | 'removed' | 'changed' | 'renamed';

export interface ChapterChange {
  /** The chapter's id in the later version (in the earlier one for a removed chapter). */
  chapterId: string;
  title: string;
  path: string;
  /** Title and path in the earlier version, when the chapter was there. */
  earlierTitle?: string;
  earlierPath?: string;
  /** `renamed`: the file was renamed or moved (paired by title), and may have changed too. */
  status: ChapterStatus;
  changes: BlockChange[];
}

/** One row of the Synopse: the earlier block on the left, the later on the right. */
export interface SynopsisRow {
  /** `unchanged` rows stand for `count` unchanged blocks in a row, condensed ("unverändert"). */
  kind: 'unchanged' | ChangeKind;
  /** How many blocks an `unchanged` row stands for. */
  count?: number;
  /** The earlier block, deletions marked with `<del>` (absent for `added`: "neu"). */
  earlier?: ElementContent[];
  /** The later block, insertions marked with `<ins>` (absent for `removed`: "entfällt"). */
  later?: ElementContent[];
  /** The change this row shows (`BlockChange.id`). */
  changeId?: string;
}

export interface ChapterSynopsis {
  chapterId: string;
  title: string;
  earlierTitle?: string;
  rows: SynopsisRow[];
}

/** What was compared with what. */
export interface Baseline {
  /** How the reader names the earlier version: "1.0", or a short revision, or a folder's name. */
  label: string;
  /** The `version` of the earlier charta.yaml. */
  version: string;
  /** The earlier version's date (`datum` of its charta.yaml, or of `versionen`), YYYY-MM(-DD); unknown for some folders. */
  date?: string;
  /** The git commit compared with, when the earlier sources came from git. */
  revision?: string;
}

export interface ChangeSummary {
  chaptersChanged: number;
  chaptersAdded: number;
  chaptersRemoved: number;
  added: number;
  changed: number;
  moved: number;
  removed: number;
  replaced: number;
  wordsAdded: number;
  wordsRemoved: number;
}

/** All changes since `since`, chapter by chapter in the later reading order (removed chapters where they stood). */
export interface Changes {
  since: Baseline;
  summary: ChangeSummary;
  chapters: ChapterChange[];
  synopsis: ChapterSynopsis[];
  /** New marked passages (added, or newly marked) per source id. */
  newContributions: Map<string, number>;
}
