/**
 * The Synopse as templates see it, the same for the HTML pages and the print document: per changed
 * chapter a two-column table, the earlier version on the left and the later one on the right,
 * aligned block by block (Handbuch der Rechtsförmlichkeit). A run of unchanged blocks is one row
 * across both columns ("… 4 Absätze unverändert …"); a removed block's right cell says "entfällt",
 * an added block's left cell "(neu)"; a rewritten block is noted "neu gefasst", a moved one
 * "verschoben".
 */
import { toHtml } from 'hast-util-to-html';
import type { Charta } from '../../charta.js';
import type { BlockChange, Changes, ChapterSynopsis, SynopsisRow } from '../../compare/changes.js';
import { formatDate } from '../../core/dates.js';
import { synopseCell } from './synopse-cell.js';

/** One version, as a column header names it. */
export interface VersionView {
  version: string;
  /** German, e.g. "16. Mai 2023". */
  date: string;
  dateIso: string;
  /** "Fassung 1.0 (16. Mai 2023)" */
  heading: string;
}

/** A row of a chapter's table. */
export interface SynopseRowView {
  kind: SynopsisRow['kind'];
  /** The row's id: the change's (`aenderung-<n>`), so a link can point at the row. */
  id?: string;
  /** `unchanged` rows: the text across both columns, "… 4 Absätze unverändert …". */
  unchanged?: string;
  /** The cells' HTML; absent for an added block (left) and a removed one (right). */
  earlierHtml?: string;
  laterHtml?: string;
  /** In place of a missing cell: "(neu)" on the left, "entfällt" on the right. */
  earlierEmpty?: string;
  laterEmpty?: string;
  /** A note above the later cell: "neu gefasst", "verschoben", "verschoben aus „…“". */
  note?: string;
  /** The change's place in the later chapter, when the edition links it. */
  href?: string;
}

/** A changed chapter's table. */
export interface SynopseChapterView {
  id: string;
  title: string;
  /** The earlier title, when the chapter was renamed. */
  earlierTitle?: string;
  rows: SynopseRowView[];
  /** How many changes the chapter has (rows other than `unchanged`), e.g. "3 Änderungen". */
  countText: string;
}

/** The whole Synopse. */
export interface SynopseView {
  /** "Synopse: Fassung 1.0 und 2.0" */
  title: string;
  earlier: VersionView;
  later: VersionView;
  chapters: SynopseChapterView[];
}

export interface SynopseViewOptions {
  /** A page-unique prefix for the ids in a chapter's cells. */
  prefix(chapterId: string): string;
  /** The edition's address of a chapter link inside a block, or undefined to unwrap it. */
  chapterHref(chapterId: string, fragment?: string): string | undefined;
  /** The address of a change in its later chapter, if the edition links it. */
  changeHref?(chapterId: string, changeId: string): string | undefined;
  /** Announce each deletion and insertion to screen readers (see `CellOptions.announce`). */
  announce?: boolean;
}

const notes: Partial<Record<SynopsisRow['kind'], string>> = { replaced: 'neu gefasst', moved: 'verschoben' };

/** "1 Absatz", "4 Absätze". */
export function blocksText(count: number): string {
  return count === 1 ? '1 Absatz' : `${count} Absätze`;
}

/** "… 4 Absätze unverändert …" */
export function unchangedText(count: number): string {
  return `… ${blocksText(count)} unverändert …`;
}

/** The title of the Synopse: "Synopse: Fassung 1.0 und 2.0". */
export function synopseTitle(charta: Charta, changes: Changes): string {
  return `Synopse: Fassung ${changes.since.version} und ${charta.meta.version}`;
}

/** The view of the Synopse of `changes`, the later version being `charta`. */
export function synopseView(charta: Charta, changes: Changes, options: SynopseViewOptions): SynopseView {
  const byId = new Map<string, BlockChange>(changes.chapters.flatMap((chapter) => chapter.changes.map((change) => [change.id, change])));
  const images = new Set(charta.assets.values());
  return {
    title: synopseTitle(charta, changes),
    earlier: versionView(changes.since.version, changes.since.date),
    later: versionView(charta.meta.version, charta.meta.datum),
    chapters: changes.synopsis.filter((chapter) => chapter.rows.some((row) => row.kind !== 'unchanged')).map((chapter) => chapterView(chapter, byId, options, images)),
  };
}

function versionView(version: string, dateIso: string | undefined): VersionView {
  const date = dateIso ? formatDate(dateIso) : '';
  return { version, date, dateIso: dateIso ?? '', heading: date ? `Fassung ${version} (${date})` : `Fassung ${version}` };
}

function chapterView(chapter: ChapterSynopsis, changes: Map<string, BlockChange>, options: SynopseViewOptions, images: ReadonlySet<string>): SynopseChapterView {
  const prefix = options.prefix(chapter.chapterId);
  const cell = (block: SynopsisRow['earlier'], side: string, index: number) =>
    block && toHtml(synopseCell(block, { prefix: `${prefix}-${index + 1}-${side}`, chapterHref: options.chapterHref, announce: options.announce, images }));
  const rows = chapter.rows.map((row, index): SynopseRowView => {
    if (row.kind === 'unchanged') return { kind: 'unchanged', unchanged: unchangedText(row.count ?? 1) };
    const change = row.changeId === undefined ? undefined : changes.get(row.changeId);
    const from = change?.movedFrom?.chapterTitle;
    return {
      kind: row.kind,
      id: row.changeId,
      earlierHtml: cell(row.earlier, 'alt', index),
      laterHtml: cell(row.later, 'neu', index),
      earlierEmpty: row.earlier ? undefined : row.kind === 'moved' ? '(verschoben)' : '(neu)',
      laterEmpty: row.later ? undefined : row.kind === 'moved' ? 'verschoben' : 'entfällt',
      // A moved block's right cell without the block says "verschoben" itself.
      note: !row.later ? undefined : row.kind === 'moved' && from ? `verschoben aus „${from}“` : notes[row.kind],
      href: row.changeId === undefined ? undefined : options.changeHref?.(change?.chapterId ?? chapter.chapterId, row.changeId),
    };
  });
  const count = rows.filter((row) => row.kind !== 'unchanged').length;
  return {
    id: chapter.chapterId,
    title: chapter.title,
    earlierTitle: chapter.earlierTitle !== undefined && chapter.earlierTitle !== chapter.title ? chapter.earlierTitle : undefined,
    rows,
    countText: count === 1 ? '1 Änderung' : `${count} Änderungen`,
  };
}
