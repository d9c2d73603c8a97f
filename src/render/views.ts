/**
 * What the templates of every edition see: plain view objects made from the `Charta`. The
 * editions differ only in the addresses (`Addresses`) and their templates.
 */
import type { Chapter, Charta, Part, UsedSource } from '../charta.js';
import { sourceCounts } from '../charta.js';
import { formatDate } from '../core/dates.js';
import { changesView, type ChangesView } from './changes-view.js';
import { contributionStats, type ScopeFigures } from '../stats/contribution-stats.js';
import { contributionChart, formatPercent } from './contribution-chart.js';

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

/** One row of the table of contributions: a source, or the unmarked rest (`id` empty). */
export interface StatsRow {
  /** The source's id; empty for the unmarked rest. */
  id: string;
  marker: string;
  name: string;
  /** Marked passages; empty for the unmarked rest. */
  passages: string;
  words: string;
  /** The share of the group's words: "12,3 %". */
  percent: string;
}

/** A group of rows: the whole charta or one part, its header row carrying its totals. */
export interface StatsGroup {
  title: string;
  passages: string;
  words: string;
  percent: string;
  /** The sources with passages in this group (registry order), then the unmarked rest. */
  rows: StatsRow[];
}

/** The figures of "Woher kommen die Inhalte dieser Charta?", formatted for the legend templates. */
export interface StatsView {
  /** All words of the charta, "12.345". */
  words: string;
  /** Words in marked passages. */
  markedWords: string;
  markedPercent: string;
  passages: string;
  /** The chart: inline SVG markup, well-formed XML (write it with `{{{chart}}}`). */
  chart: string;
  /** The same chart laid out for a narrow column (a phone), its ids prefixed `herkunft-schmal`. */
  chartNarrow: string;
  /** The id of the table; the chart's description points to it. */
  tableId: string;
  /** The whole charta first, then each part. */
  groups: StatsGroup[];
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
  /** Whether the edition shows marked passages and their legend: marking on, and a passage marked. */
  marking: boolean;
  /** How deep the contents go (`inhalt.tiefe`): chapters listed from 2, their sections from 3. */
  contents: { depth: number; chapters: boolean };
  legend: LegendEntry[];
  contributionTotal: number;
  /** What changed since an earlier version, with `--since`. */
  changes?: ChangesView;
  /** "Woher kommen die Inhalte dieser Charta?": the figures as chart and table; only with marking. */
  stats?: StatsView;
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

/**
 * Whether the editions mark contributions and print their legend: with marking on and at least one
 * passage marked. A charta without marked passages gets no empty legend and no entry for it.
 */
export function showsMarking(charta: Charta): boolean {
  return charta.marking && sourceCounts(charta).length > 0;
}

/** The view of the whole publication for an edition with these addresses. */
export function siteView(charta: Charta, addresses: Addresses): SiteView {
  const meta = charta.meta;
  const changes = changesView(charta, addresses);
  const legend = charta.marking ? sourceCounts(charta).map((source) => withNewCount(legendEntry(source), changes)) : [];
  const contributionTotal = legend.reduce((sum, entry) => sum + entry.count, 0);
  const depth = meta.inhalt.tiefe;
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
          .filter((heading) => depth >= 3 && heading.depth === 2)
          .map((heading) => ({ title: heading.text, href: addresses.chapter(chapter, heading.id) })),
      })),
    })),
    marking: showsMarking(charta),
    contents: { depth, chapters: depth >= 2 },
    legend,
    contributionTotal,
    changes,
    stats: showsMarking(charta) ? statsView(charta) : undefined,
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

const numbers = new Intl.NumberFormat('de-DE');

/** The contribution figures of `charta` for the legend: the chart with ids prefixed `herkunft`, and the table's rows. */
export function statsView(charta: Charta): StatsView {
  const stats = contributionStats(charta);
  const used = new Set(stats.sources.filter((source) => source.passages > 0).map((source) => source.id));
  const byId = new Map(charta.sources.map((source) => [source.id, source]));
  const tableId = 'herkunft-tabelle';
  const group = (title: string, figures: ScopeFigures): StatsGroup => ({
    title,
    passages: numbers.format(figures.passages),
    words: numbers.format(figures.words),
    percent: formatPercent(figures.words === 0 ? 0 : 100),
    rows: [
      ...figures.sources
        .filter((source) => used.has(source.id) && source.passages > 0)
        .map((figures) => {
          const source = byId.get(figures.id)!;
          return {
            id: source.id,
            marker: source.marker,
            name: source.bezeichnung,
            passages: numbers.format(figures.passages),
            words: numbers.format(figures.words),
            percent: formatPercent(figures.percent),
          };
        }),
      { id: '', marker: '', name: 'ohne Markierung', passages: '', words: numbers.format(figures.unmarked.words), percent: formatPercent(figures.unmarked.percent) },
    ],
  });
  const marked = stats.words - stats.unmarked.words;
  return {
    words: numbers.format(stats.words),
    markedWords: numbers.format(marked),
    markedPercent: formatPercent(stats.words === 0 ? 0 : Math.round((100 - stats.unmarked.percent) * 10) / 10),
    passages: numbers.format(stats.passages),
    chart: contributionChart(stats, { id: 'herkunft', sources: charta.sources, tableId }),
    chartNarrow: contributionChart(stats, { id: 'herkunft-schmal', sources: charta.sources, tableId, width: 360 }),
    tableId,
    groups: [group('Gesamte Charta', stats), ...stats.parts.map((part) => group(`Teil ${part.number}: ${part.title}`, part))],
  };
}
