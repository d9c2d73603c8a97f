/**
 * What the templates of every edition see: plain view objects made from the `Charta`. The
 * editions differ only in the addresses (`Addresses`) and their templates.
 */
import type { Chapter, Charta, Part, UsedSource } from '../charta.js';
import { sourceCounts } from '../charta.js';
import { formatDate } from '../core/dates.js';
import { changesView, type ChangesView } from './changes-view.js';

/** Where an edition puts each page. */
export interface Addresses {
  start: string;
  part(part: Part): string;
  chapter(chapter: Chapter, fragment?: string): string;
  legend: string;
  imprint: string;
  /** The page "Änderungen gegenüber Version …" (shown only with `charta.changes`). */
  changes: string;
  /** A chapter's Synopse page, in editions that have one. */
  synopsis?(chapterId: string): string;
}

export interface ChapterView {
  id: string;
  title: string;
  href: string;
  sections: Array<{ title: string; href: string }>;
}

export interface PartView {
  id: string;
  number: number;
  title: string;
  intro?: string;
  href: string;
  chapters: ChapterView[];
}

export interface LegendEntry {
  id: string;
  bezeichnung: string;
  kurz: string;
  marker: string;
  when?: string;
  ort?: string;
  beschreibung?: string;
  count: number;
  countText: string;
  /** Passages of this source that are new in this version ("davon 3 neu"), with `--since`. */
  newText?: string;
}

/** One version of the history (`versionen` in charta.yaml), as the imprints list it. */
export interface VersionView {
  version: string;
  /** The date in German, e.g. "6. Juni 2024". */
  date: string;
  dateIso: string;
  note?: string;
  /** Whether this is the version of this edition (the newest). */
  current: boolean;
}

/** The publication as templates see it. */
export interface SiteView {
  lang: string;
  title: string;
  subtitle?: string;
  version: string;
  date: string;
  dateIso: string;
  author: string;
  publisher: string;
  description: string;
  keywords: string;
  identifier: string;
  rights: string;
  funding: string;
  support?: string;
  web: string;
  email?: string;
  feedback: string;
  partners: Array<{ name: string; kurz: string; rolle?: string }>;
  /** The version history, newest first; empty when charta.yaml lists none. */
  versions: VersionView[];
  parts: PartView[];
  marking: boolean;
  legend: LegendEntry[];
  contributionTotal: number;
  /** What changed since an earlier version, with `--since`. */
  changes?: ChangesView;
  href: { start: string; legend: string; imprint: string; changes: string };
}

export function passages(count: number): string {
  return count === 1 ? '1 Passage' : `${count} Passagen`;
}

/** A legend entry for a source with its count. */
export function legendEntry(source: UsedSource): LegendEntry {
  return {
    id: source.id,
    bezeichnung: source.bezeichnung,
    kurz: source.kurz,
    marker: source.marker,
    when: source.datum ? formatDate(source.datum, source.bis) : undefined,
    ort: source.ort,
    beschreibung: source.beschreibung,
    count: source.count,
    countText: passages(source.count),
  };
}

/** The view of the whole publication for an edition with these addresses. */
export function siteView(charta: Charta, addresses: Addresses): SiteView {
  const meta = charta.meta;
  const changes = changesView(charta, addresses);
  const legend = charta.marking ? sourceCounts(charta).map((source) => withNewCount(legendEntry(source), changes)) : [];
  return {
    lang: meta.sprache,
    title: meta.titel,
    subtitle: meta.untertitel,
    version: meta.version,
    date: formatDate(meta.datum),
    dateIso: meta.datum,
    author: meta.autor,
    publisher: meta.herausgeber,
    description: meta.beschreibung,
    keywords: meta.schlagwoerter.join(', '),
    identifier: meta.kennung,
    rights: meta.rechte,
    funding: meta.foerderung,
    support: meta.begleitung,
    web: meta.kontakt.web,
    email: meta.kontakt.email,
    feedback: meta.rueckmeldung,
    partners: meta.partner,
    versions: (meta.versionen ?? [])
      .map((entry, index, all) => ({
        version: entry.version,
        date: formatDate(entry.datum),
        dateIso: entry.datum,
        note: entry.notiz,
        current: index === all.length - 1 && entry.version === meta.version,
      }))
      .reverse(),
    parts: charta.parts.map((part) => ({
      id: part.id,
      number: part.number,
      title: part.title,
      intro: part.intro,
      href: addresses.part(part),
      chapters: part.chapters.map((chapter) => ({
        id: chapter.id,
        title: chapter.title,
        href: addresses.chapter(chapter),
        sections: chapter.headings
          .filter((heading) => heading.depth === 2)
          .map((heading) => ({ title: heading.text, href: addresses.chapter(chapter, heading.id) })),
      })),
    })),
    marking: charta.marking,
    legend,
    contributionTotal: legend.reduce((sum, entry) => sum + entry.count, 0),
    changes,
    href: { start: addresses.start, legend: addresses.legend, imprint: addresses.imprint, changes: addresses.changes },
  };
}

/** A legend entry that also says how many of its passages are new since the earlier version. */
function withNewCount(entry: LegendEntry, changes: ChangesView | undefined): LegendEntry {
  if (!changes) return entry;
  const count = changes.newContributions.find((source) => source.id === entry.id)?.count ?? 0;
  return { ...entry, newText: `davon ${count} neu in Version ${changes.version}` };
}

/** The sources marked in one chapter, for the box at its top. */
export function chapterSources(charta: Charta, chapter: Chapter): LegendEntry[] {
  if (!charta.marking) return [];
  return charta.sources
    .filter((source) => chapter.contributions.has(source.id))
    .map((source) => legendEntry({ ...source, count: chapter.contributions.get(source.id) ?? 0 }));
}
