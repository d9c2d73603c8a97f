/**
 * The page "Änderungen gegenüber Version 1.0" as templates see it: the summary, a row per changed
 * chapter with a link to each change, and the new contributions per source. Made from
 * `charta.changes` (see `compare/changes.ts`) for each edition's addresses.
 */
import type { Chapter, Charta } from '../charta.js';
import { chapters } from '../charta.js';
import type { BlockChange, BlockType, ChangeKind, ChapterStatus } from '../compare/changes.js';
import { formatDate } from '../core/dates.js';

/** Where an edition puts the chapters and a chapter's Synopse page. */
export interface ChangeAddresses {
  chapter(chapter: Chapter, fragment?: string): string;
  /** The Synopse page of a chapter, in editions that have one. */
  synopsis?(chapterId: string): string;
}

export interface ChangeEntryView {
  id: string;
  kind: ChangeKind;
  /** "eingefügt", "geändert", "verschoben", "gestrichen", "neu gefasst" */
  kindText: string;
  /** "Absatz", "Überschrift", … */
  blockText: string;
  /** The link to the change; absent for changes in a removed chapter. */
  href?: string;
  /** The id whose page number the print edition shows beside the entry. */
  target?: string;
  excerpt: string;
  /** "+12 / −3 Wörter", or empty. */
  wordsText: string;
  /** The marked source's short name and marker, for a change inside a marked passage. */
  source?: { id: string; kurz: string; marker: string };
}

export interface ChangedChapterView {
  chapterId: string;
  title: string;
  earlierTitle?: string;
  status: ChapterStatus;
  statusText: string;
  href?: string;
  synopsisHref?: string;
  countText: string;
  changes: ChangeEntryView[];
}

export interface ChangesView {
  /** "Änderungen gegenüber Version 1.0" */
  title: string;
  /** "1.0" */
  sinceLabel: string;
  sinceVersion: string;
  sinceDate: string;
  /** The later version and date, "2.0", "6. Juni 2024". */
  version: string;
  date: string;
  /** One sentence per figure, in the order the page shows them. */
  summary: Array<{ label: string; value: string }>;
  chapters: ChangedChapterView[];
  newContributions: Array<{ id: string; kurz: string; bezeichnung: string; marker: string; count: number; countText: string }>;
  newContributionTotal: number;
}

const kindTexts: Record<ChangeKind, string> = {
  added: 'eingefügt',
  changed: 'geändert',
  moved: 'verschoben',
  removed: 'gestrichen',
  replaced: 'neu gefasst',
};

const blockTexts: Record<BlockType, string> = {
  heading: 'Überschrift',
  paragraph: 'Absatz',
  'list-item': 'Listenpunkt',
  'table-row': 'Tabellenzeile',
  figure: 'Abbildung',
  quote: 'Zitat',
  code: 'Codeblock',
  contribution: 'Beitrag',
  footnote: 'Fußnote',
  event: 'Termin',
  topic: 'Themenfeld',
  goal: 'Ziel',
  approach: 'Handlungsansatz',
};

const statusTexts: Record<ChapterStatus, string> = {
  added: 'neues Kapitel',
  removed: 'Kapitel entfällt',
  changed: 'geändert',
  renamed: 'umbenannt oder verschoben',
};

/** The page's title: "Änderungen gegenüber Version 1.0". */
export function changesTitle(charta: Charta): string | undefined {
  const since = charta.changes?.since;
  if (!since) return undefined;
  return /^\d/.test(since.label) ? `Änderungen gegenüber Version ${since.label}` : `Änderungen gegenüber ${since.label}`;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('de-DE')} ${n === 1 ? one : many}`;
}

function excerpt(text: string | undefined, length = 90): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length - 1).trimEnd()}…` : flat;
}

/** The view of the changes page, or undefined without changes. */
export function changesView(charta: Charta, addresses: ChangeAddresses): ChangesView | undefined {
  const changes = charta.changes;
  const title = changesTitle(charta);
  if (!changes || !title || !charta.marking) return undefined;
  const byId = new Map(chapters(charta).map((chapter) => [chapter.id, chapter]));
  const sources = new Map(charta.sources.map((source) => [source.id, source]));
  const { summary } = changes;
  const entry = (change: BlockChange, chapter: Chapter | undefined): ChangeEntryView => {
    const source = change.source ? sources.get(change.source) : undefined;
    const words = [change.wordsAdded ? `+${change.wordsAdded}` : '', change.wordsRemoved ? `−${change.wordsRemoved}` : ''].filter(Boolean).join(' / ');
    const href = chapter ? addresses.chapter(chapter, change.id) : undefined;
    return {
      id: change.id,
      kind: change.kind,
      kindText: kindTexts[change.kind],
      blockText: blockTexts[change.block],
      href,
      target: href?.startsWith('#') ? href.slice(1) : undefined,
      excerpt: excerpt(change.kind === 'removed' ? change.oldText : change.newText),
      wordsText: words ? `${words} ${change.wordsAdded + change.wordsRemoved === 1 ? 'Wort' : 'Wörter'}` : '',
      source: source && { id: source.id, kurz: source.kurz, marker: source.marker },
    };
  };
  const newContributions = charta.sources
    .filter((source) => (changes.newContributions.get(source.id) ?? 0) > 0)
    .map((source) => {
      const n = changes.newContributions.get(source.id) ?? 0;
      return { id: source.id, kurz: source.kurz, bezeichnung: source.bezeichnung, marker: source.marker, count: n, countText: count(n, 'neue Passage', 'neue Passagen') };
    });
  return {
    title,
    sinceLabel: changes.since.label,
    sinceVersion: changes.since.version,
    sinceDate: changes.since.date ? formatDate(changes.since.date) : '',
    version: charta.meta.version,
    date: formatDate(charta.meta.datum),
    summary: [
      { label: 'Kapitel geändert', value: `${summary.chaptersChanged}${summary.chaptersAdded ? `, davon ${summary.chaptersAdded} neu` : ''}${summary.chaptersRemoved ? `; ${summary.chaptersRemoved} entfallen` : ''}` },
      { label: 'Passagen eingefügt', value: String(summary.added) },
      { label: 'Passagen geändert', value: String(summary.changed) },
      { label: 'Passagen neu gefasst', value: String(summary.replaced) },
      { label: 'Passagen verschoben', value: String(summary.moved) },
      { label: 'Passagen gestrichen', value: String(summary.removed) },
      { label: 'Wörter hinzugefügt', value: summary.wordsAdded.toLocaleString('de-DE') },
      { label: 'Wörter gestrichen', value: summary.wordsRemoved.toLocaleString('de-DE') },
    ],
    chapters: changes.chapters.map((changed) => {
      const chapter = changed.status === 'removed' ? undefined : byId.get(changed.chapterId);
      return {
        chapterId: changed.chapterId,
        title: changed.title,
        earlierTitle: changed.earlierTitle && changed.earlierTitle !== changed.title ? changed.earlierTitle : undefined,
        status: changed.status,
        statusText: statusTexts[changed.status],
        href: chapter && addresses.chapter(chapter),
        synopsisHref: addresses.synopsis && changes.synopsis.some((entry) => entry.chapterId === changed.chapterId) ? addresses.synopsis(changed.chapterId) : undefined,
        countText: count(changed.changes.length, 'Änderung', 'Änderungen'),
        changes: changed.changes.map((change) => entry(change, chapter)),
      };
    }),
    newContributions,
    newContributionTotal: newContributions.reduce((sum, item) => sum + item.count, 0),
  };
}
