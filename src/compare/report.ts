/**
 * What `charta diff` prints: one line per change like a compiler, with its place in the later
 * version, and a summary line; or the same as JSON.
 */
import path from 'node:path';
import type { BlockChange, BlockType, ChangeKind, Changes, Place } from './changes.js';

/** Texts in a line are cut to about this many characters. */
const excerptLength = 60;

/** The changes in reading order of the later version (removed chapters where they stood). */
function allChanges(changes: Changes): Array<{ change: BlockChange; chapter: string }> {
  return changes.chapters.flatMap((chapter) => chapter.changes.map((change) => ({ change, chapter: chapter.title })));
}

/** Unchanged words kept before the first difference, when an excerpt starts there. */
const contextLength = 20;

function excerpt(text: string | undefined, from = 0): string {
  if (text === undefined) return '';
  let start = 0;
  if (from > contextLength) {
    // Start a few words before the first difference, at a word's beginning.
    const space = text.lastIndexOf(' ', from - contextLength);
    start = space >= 0 ? space + 1 : 0;
  }
  const rest = text.slice(start);
  const cut = rest.length > excerptLength ? `${rest.slice(0, excerptLength - 1).trimEnd()}…` : rest;
  return `„${start > 0 ? '…' : ''}${cut}“`;
}

/** Where two texts first differ. */
function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function where(place: Place, cwd: string, root: string): string {
  const file = path.relative(cwd, path.join(root, place.file)) || place.file;
  return `${file}:${place.line}:${place.column}`;
}

/**
 * The lines of `charta diff`: `charta/02-vision/01-leitbild.md:14:1  changed  „old…“ → „new…“`,
 * one per change, then the summary line. Files are relative to `cwd`; places in `changes` are
 * relative to `root` (the later project), which defaults to `cwd`.
 */
export function formatChangeLines(changes: Changes, cwd: string, root = cwd): string[] {
  const list = allChanges(changes);
  const width = Math.max(0, ...list.map(({ change }) => where(change.place, cwd, root).length));
  const lines = list.map(({ change }) => {
    const from = change.movedFrom ? ` (from ${where(change.movedFrom.place, cwd, root)})` : '';
    return `${where(change.place, cwd, root).padEnd(width)}  ${change.kind.padEnd(8)}  ${changeTexts(change)}${from}`;
  });
  return [...lines, summaryLine(changes)];
}

/** The texts of a change's line: both, from shortly before their first difference. */
function changeTexts(change: BlockChange): string {
  if (change.kind === 'added') return excerpt(change.newText);
  if (change.kind === 'removed' || change.oldText === change.newText) return excerpt(change.oldText ?? change.newText);
  const from = firstDifference(change.oldText ?? '', change.newText ?? '');
  return `${excerpt(change.oldText, from)} → ${excerpt(change.newText, from)}`;
}

/** `12 changes in 5 chapters: 4 added, 3 changed, 1 moved, 2 removed, 2 replaced; 210 words added, 95 removed`. */
export function summaryLine(changes: Changes): string {
  const { summary } = changes;
  const total = summary.added + summary.changed + summary.moved + summary.removed + summary.replaced;
  if (total === 0) return `No changes since ${changes.since.label}.`;
  const chapters = changes.chapters.filter((chapter) => chapter.changes.length > 0).length;
  const kinds: ChangeKind[] = ['added', 'changed', 'moved', 'removed', 'replaced'];
  const counts = kinds.filter((kind) => summary[kind] > 0).map((kind) => `${summary[kind]} ${kind}`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(total, 'change')} in ${plural(chapters, 'chapter')}: ${counts.join(', ')}; ${plural(summary.wordsAdded, 'word')} added, ${summary.wordsRemoved} removed`;
}

/** One change in the JSON of `charta diff --format json`. */
export interface ChangeJson {
  kind: ChangeKind;
  block: BlockType;
  /** The file in the later version, relative to the project root (`charta/…`). */
  file: string;
  line: number;
  column: number;
  /** The chapter's title in the later version (in the earlier one for a removed chapter). */
  chapter: string;
  oldText?: string;
  newText?: string;
  wordsAdded: number;
  wordsRemoved: number;
  /** The contribution source of the passage the change is in. */
  source?: string;
  /** Where the block stood in the earlier version. */
  earlier?: Place;
  /** The anchor of the change in the editions (`aenderung-<n>`). */
  id: string;
}

/**
 * `charta diff --format json`:
 *
 * ```
 * {
 *   since:   { label, version, date, revision? },   // what was compared with
 *   summary: { chaptersChanged, chaptersAdded, chaptersRemoved,
 *              added, changed, moved, removed, replaced, wordsAdded, wordsRemoved },
 *   changes: [ { kind, block, file, line, column, chapter, oldText?, newText?,
 *                wordsAdded, wordsRemoved, source?, earlier?: { file, line, column }, id } ],
 *   newContributions: { <source id>: <new marked passages> }
 * }
 * ```
 *
 * `kind` is `added`, `removed`, `changed`, `replaced` or `moved`; `block` what the block is
 * (`heading`, `paragraph`, `list-item`, `table-row`, `figure`, `quote`, `code`, `contribution`,
 * `footnote`, `event`, `topic`, `goal`, `approach`); `file`, `line` and `column` its place in the
 * later version (for a removed block, the place of the block that now follows it); `oldText` and
 * `newText` its plain text before and after. Changes are in the later version's reading order.
 */
export function changesAsJson(changes: Changes): { since: Changes['since']; summary: Changes['summary']; changes: ChangeJson[]; newContributions: Record<string, number> } {
  return {
    since: changes.since,
    summary: changes.summary,
    changes: allChanges(changes).map(({ change, chapter }) => ({
      kind: change.kind,
      block: change.block,
      file: change.place.file,
      line: change.place.line,
      column: change.place.column,
      chapter,
      ...(change.oldText !== undefined ? { oldText: change.oldText } : {}),
      ...(change.newText !== undefined ? { newText: change.newText } : {}),
      wordsAdded: change.wordsAdded,
      wordsRemoved: change.wordsRemoved,
      ...(change.source ? { source: change.source } : {}),
      ...(change.earlierPlace ? { earlier: change.earlierPlace } : {}),
      id: change.id,
    })),
    newContributions: Object.fromEntries(changes.newContributions),
  };
}
