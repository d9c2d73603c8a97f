/**
 * Where the charta's content comes from, in figures: for each contribution source its marked
 * passages, their words and their share of the text, for the whole charta and for each part, and
 * the rest that is not marked. Read from the transformed chapter trees in one linear walk.
 *
 * What counts as the charta's text: every text of the chapter trees except the labels the
 * toolkit writes itself (a passage's "Beitrag aus: …" line and " [● Kurzname]", its marker, the
 * numbering of topics and goals, "Handlungsansätze:", the footnotes' heading and the numbers of
 * the footnote references). A word is counted once, for the source of its first character.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Chapter, Charta } from '../charta.js';

/** A run of letters, marks or digits, with hyphens (and soft hyphens) only inside: "E-Mobilität" is one word. */
const wordPattern = /[\p{L}\p{M}\p{N}]+(?:[-\u00ad\u2010\u2011][\p{L}\p{M}\p{N}]+)*/gu;

/** The number of words in `text`, counted as everywhere in the toolkit (see `wordPattern`). */
export function countWords(text: string): number {
  return text.match(wordPattern)?.length ?? 0;
}

/** Classes of the labels the toolkit writes: not the words of the charta. */
const generatedClasses = new Set(['beitrag__kopf', 'beitrag__quelle', 'beitrag__marker', 'themenfeld__nummer', 'ziel__nummer', 'ansaetze__kopf', 'aenderung__hinweis', 'aenderung__vermerk', 'aenderung__herkunft', 'aenderung--removed']);

/** Elements inside running text: their text joins the words around them. Every other element separates words. */
const phrasingElements = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var']);

/** The figures of one source within a scope (the whole charta or a part). */
export interface SourceFigures {
  /** The source's id from `quellen.yaml`. */
  id: string;
  /** Marked passages of the source. */
  passages: number;
  /** Words in those passages, labels excluded. */
  words: number;
  /** `words` as a fraction of the scope's words, 0 to 1, rounded to six places. */
  share: number;
  /** `share` in per cent with one decimal; with `unmarked.percent` the percentages of a scope add up to exactly 100 (0 for a scope without words). */
  percent: number;
}

/** The words no passage marks. */
export interface UnmarkedFigures {
  words: number;
  share: number;
  percent: number;
}

/** The figures of a scope: its words, its passages, each registered source (in registry order) and the unmarked rest. */
export interface ScopeFigures {
  words: number;
  passages: number;
  sources: SourceFigures[];
  unmarked: UnmarkedFigures;
}

/** The figures of one part. */
export interface PartFigures extends ScopeFigures {
  id: string;
  number: number;
  title: string;
}

/** The figures of the whole charta, and of each of its parts in reading order. */
export interface ContributionStats extends ScopeFigures {
  parts: PartFigures[];
}

/** Words and passages per source id; `''` holds the unmarked words. */
type Tally = Map<string, { words: number; passages: number }>;

const cache = new WeakMap<Charta, ContributionStats>();

/** The contribution figures of `charta` (computed once per loaded charta). */
export function contributionStats(charta: Charta): ContributionStats {
  const known = cache.get(charta);
  if (known) return known;
  const ids = charta.sources.map((source) => source.id);
  const whole: Tally = new Map();
  const parts = charta.parts.map((part) => {
    const tally: Tally = new Map();
    for (const chapter of part.chapters) add(tally, chapterTally(chapter));
    add(whole, tally);
    return { id: part.id, number: part.number, title: part.title, ...scope(tally, ids) };
  });
  const stats = { ...scope(whole, ids), parts };
  cache.set(charta, stats);
  return stats;
}

/** Each chapter tree's tally: `charta dev` keeps the trees of unchanged chapters across rebuilds. */
const tallies = new WeakMap<Root, Tally>();

/** The words and passages of one chapter, per source (computed once per tree). */
function chapterTally(chapter: Chapter): Tally {
  let tally = tallies.get(chapter.tree);
  if (!tally) {
    tally = countChapter(chapter);
    tallies.set(chapter.tree, tally);
  }
  return tally;
}

function countChapter(chapter: Chapter): Tally {
  const pieces: string[] = [];
  // Where each source's text starts in the joined text: [offset, source id or ''].
  const runs: Array<[number, string]> = [];
  let length = 0;
  let current = '';
  const tally: Tally = new Map();
  const push = (text: string) => {
    pieces.push(text);
    length += text.length;
  };
  const enter = (source: string) => {
    if (runs.length > 0 && runs.at(-1)![0] === length) runs.pop();
    runs.push([length, source]);
    current = source;
  };
  const walk = (nodes: ReadonlyArray<ElementContent | Root['children'][number]>) => {
    for (const node of nodes) {
      if (node.type === 'text') push(node.value);
      else if (node.type === 'element') element(node);
    }
  };
  const element = (node: Element) => {
    if (isGenerated(node)) {
      push(' ');
      return;
    }
    const source = typeof node.properties.dataQuelle === 'string' ? node.properties.dataQuelle : undefined;
    const separate = !phrasingElements.has(node.tagName);
    if (separate) push(' ');
    if (source === undefined) {
      walk(node.children);
    } else {
      const entry = tally.get(source) ?? { words: 0, passages: 0 };
      entry.passages++;
      tally.set(source, entry);
      const outer = current;
      enter(source);
      walk(node.children);
      enter(outer);
    }
    if (separate) push(' ');
  };
  enter('');
  walk(chapter.tree.children);

  const text = pieces.join('');
  let run = 0;
  for (const match of text.matchAll(wordPattern)) {
    while (run + 1 < runs.length && runs[run + 1]![0] <= match.index) run++;
    const source = runs[run]![1];
    const entry = tally.get(source) ?? { words: 0, passages: 0 };
    entry.words++;
    tally.set(source, entry);
  }
  return tally;
}

function isGenerated(node: Element): boolean {
  // With --since, struck text (and a removed block, struck whole) is not the text of this version.
  if (node.tagName === 'del') return true;
  const { className, id, dataFootnoteRef } = node.properties;
  if (Array.isArray(className) && className.some((name) => generatedClasses.has(String(name)))) return true;
  // The footnotes' heading ("Fußnoten") and the reference numbers come from remark-rehype.
  return id === 'footnote-label' || dataFootnoteRef !== undefined;
}

function add(into: Tally, from: Tally): void {
  for (const [id, { words, passages }] of from) {
    const entry = into.get(id) ?? { words: 0, passages: 0 };
    entry.words += words;
    entry.passages += passages;
    into.set(id, entry);
  }
}

function scope(tally: Tally, ids: readonly string[]): ScopeFigures {
  const words = [...tally.values()].reduce((sum, entry) => sum + entry.words, 0);
  const counts = [...ids.map((id) => tally.get(id)?.words ?? 0), tally.get('')?.words ?? 0];
  const percents = percentages(counts, words);
  const share = (n: number) => (words === 0 ? 0 : Math.round((n / words) * 1e6) / 1e6);
  const sources = ids.map((id, index) => {
    const entry = tally.get(id) ?? { words: 0, passages: 0 };
    return { id, passages: entry.passages, words: entry.words, share: share(entry.words), percent: percents[index]! };
  });
  const unmarked = counts.at(-1)!;
  return {
    words,
    passages: sources.reduce((sum, source) => sum + source.passages, 0),
    sources,
    unmarked: { words: unmarked, share: share(unmarked), percent: percents.at(-1)! },
  };
}

/**
 * Percentages with one decimal that add up to exactly 100: each count gets its share of 1000
 * tenths rounded down, and the tenths left go to the largest remainders (the earlier on a tie).
 */
function percentages(counts: readonly number[], total: number): number[] {
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count * 1000) / total);
  const tenths = exact.map(Math.floor);
  let left = 1000 - tenths.reduce((sum, n) => sum + n, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .filter(({ index }) => counts[index]! > 0)
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    tenths[index]!++;
    left--;
  }
  return tenths.map((n) => n / 10);
}
