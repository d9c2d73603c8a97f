/**
 * `charta stats`: where the charta's content comes from, in figures (the same as the legend's
 * chart and table), as a text table or as JSON.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import type { Charta } from '../charta.js';
import { loadCharta } from '../load/load-charta.js';
import { contributionStats, type PartFigures, type ScopeFigures, type UnmarkedFigures } from '../stats/contribution-stats.js';
import { assertProject } from './build.js';

export interface StatsResult {
  /** The files with their messages. */
  files: VFile[];
  /** Undefined when the sources have errors. */
  charta?: Charta;
}

/** Loads the charta in `root` with its contributions marked; the figures come from `statsAsJson`. */
export async function stats(root: string): Promise<StatsResult> {
  const resolved = path.resolve(root);
  assertProject(resolved);
  return loadCharta({ root: resolved, marking: true });
}

/** A source's figures in the JSON of `charta stats`. */
export interface SourceJson {
  id: string;
  /** `bezeichnung` from quellen.yaml. */
  name: string;
  /** `kurz` from quellen.yaml. */
  short: string;
  marker: string;
  passages: number;
  words: number;
  /** Fraction of the scope's words, 0 to 1. */
  share: number;
  /** Per cent, one decimal; a scope's sources and `unmarked` add up to 100 (0 without words). */
  percent: number;
}

/**
 * The JSON of `charta stats --format json`:
 *
 *     { words, passages,                       // the whole charta
 *       sources: [SourceJson],                 // every registered source, registry order
 *       unmarked: { words, share, percent },   // the words outside marked passages
 *       parts: [{ id, number, title, words, passages, sources: [SourceJson], unmarked }] }
 *
 * Words are counted without the labels of the marking; a word belongs to the source of the passage it is in.
 */
export interface StatsJson {
  words: number;
  passages: number;
  sources: SourceJson[];
  unmarked: UnmarkedFigures;
  parts: Array<Omit<PartFigures, 'sources'> & { sources: SourceJson[] }>;
}

/** The figures of `charta` as `charta stats --format json` prints them. */
export function statsAsJson(charta: Charta): StatsJson {
  const figures = contributionStats(charta);
  const byId = new Map(charta.sources.map((source) => [source.id, source]));
  const sources = (scope: ScopeFigures): SourceJson[] =>
    scope.sources.map((item) => {
      const source = byId.get(item.id)!;
      return { id: item.id, name: source.bezeichnung, short: source.kurz, marker: source.marker, passages: item.passages, words: item.words, share: item.share, percent: item.percent };
    });
  return {
    words: figures.words,
    passages: figures.passages,
    sources: sources(figures),
    unmarked: figures.unmarked,
    parts: figures.parts.map((part) => ({ ...part, sources: sources(part) })),
  };
}

/** The figures of `charta` as the lines of a text table: the whole charta, then each part. */
export function statsAsText(charta: Charta): string[] {
  const json = statsAsJson(charta);
  const marked = json.words === 0 ? 0 : 100 - json.unmarked.percent;
  const lines = [`${charta.meta.titel}: ${json.words} words, ${json.passages} marked passages, ${percent(marked)} of the words in them`];
  const scopes: Array<{ title: string; scope: Omit<StatsJson, 'parts'> }> = [
    { title: 'Whole charta', scope: json },
    ...json.parts.map((part) => ({ title: `Part ${part.number}: ${part.title}`, scope: part })),
  ];
  const label = (source: SourceJson) => `${source.marker} ${source.short}`;
  const nameWidth = Math.max('without marking'.length, 'total'.length, ...json.sources.map((source) => [...label(source)].length));
  const row = (name: string, passages: string, words: string, share: string) =>
    `  ${name.padEnd(nameWidth + name.length - [...name].length)}  ${passages.padStart(8)}  ${words.padStart(7)}  ${share.padStart(7)}`;
  for (const { title, scope } of scopes) {
    lines.push('', title, row('source', 'passages', 'words', 'share'));
    for (const source of scope.sources) lines.push(row(label(source), String(source.passages), String(source.words), percent(source.percent)));
    lines.push(row('without marking', '', String(scope.unmarked.words), percent(scope.unmarked.percent)));
    lines.push(row('total', String(scope.passages), String(scope.words), percent(scope.words === 0 ? 0 : 100)));
  }
  return lines;
}

function percent(value: number): string {
  return `${value.toFixed(1)} %`;
}
