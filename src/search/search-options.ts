/**
 * The one MiniSearch configuration of the HTML edition's search: the build indexes with it and the
 * browser loads the index and queries with it, so both split and process words alike.
 */
import type { Options } from 'minisearch';
import { searchTerm, tokenize } from './german-terms.js';

/** One section of a chapter, as the index holds it. */
export interface SearchDocument {
  /** The section's number in the index. */
  id: number;
  /** The section's address inside the HTML edition, e.g. `vision-01-leitbild.html#werte`. */
  url: string;
  /** The chapter's title: results are grouped by it. */
  chapter: string;
  /** The section's heading (the chapter title for the text before its first section). */
  heading: string;
  /** The section's text, without the marking's labels and what is only there for the eye. */
  text: string;
}

/** The global that `js/suche-index.js` assigns the serialized index to. */
export const indexGlobal = '__chartaSuchindex';

/** The index file and the search script, inside the HTML edition. */
export const searchFiles = { index: 'js/suche-index.js', script: 'js/suche.js' } as const;

/** The URL parameter that carries the query to the page a result opens. */
export const queryParameter = 'suche';

/**
 * Elements whose text is not searched nor marked: the marking's symbols and labels, visually
 * hidden announcements, footnote numbers and back links, struck text of a change view.
 */
export const skipped = {
  tags: ['del', 'script', 'style', 'template'],
  classes: ['beitrag__marker', 'beitrag__quelle', 'beitrag__kopf', 'aenderung__hinweis', 'sr-only', 'visually-hidden', 'data-footnote-backref'],
  attributes: ['aria-hidden', 'data-footnote-ref', 'data-footnote-backref'],
} as const;

/** `skipped` as a CSS selector, for the browser. */
export const skippedSelector = [
  ...skipped.tags,
  ...skipped.classes.map((name) => `.${name}`),
  ...skipped.attributes.map((name) => (name === 'aria-hidden' ? '[aria-hidden="true"]' : `[${name}]`)),
].join(',');

/**
 * The options of the index. Queries: every word must be found (AND); a word of three letters or
 * more also as the start of a longer one, so results come while typing; a word of five or more
 * also with one typo in five letters; a hit in the heading counts twice.
 */
export const searchOptions: Options<SearchDocument> = {
  fields: ['heading', 'text'],
  storeFields: ['url', 'chapter', 'heading', 'text'],
  tokenize,
  processTerm: searchTerm,
  searchOptions: {
    tokenize,
    processTerm: searchTerm,
    boost: { heading: 2 },
    prefix: (term) => term.length >= 3,
    fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
    maxFuzzy: 2,
    combineWith: 'AND',
  },
};
