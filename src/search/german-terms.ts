/**
 * German terms for the search, the same at build time and in the browser: a word is lower-cased,
 * its umlauts and ß folded, then reduced by the Snowball German stemmer.
 *
 * Umlauts: "ae", "oe" and "ue" are read as "ä", "ö" and "ü" (except "ue" after "q", as in
 * "Quelle"), which is the German2 variant of the Snowball stemmer; the stemmer itself then writes
 * "ä", "ö", "ü" as "a", "o", "u". So "Südwestsachsen", "Suedwestsachsen" and "Sudwestsachsen" all
 * become `sudwestsachs`: a reader without a German keyboard finds the word whichever way they
 * type it. The price is that a real "ue" ("aktuell", "neue") is folded too, on both sides alike,
 * so it still finds itself.
 *
 * Compounds: German writes "Zulieferindustrie" as one word. At build time a noun of the text also
 * stands for each of its tails that the same text uses as a noun of its own ("Industrie"), so a
 * search for "Industrie" finds it. The dictionary is the text's own nouns, not a guess at
 * syllables: no tail is indexed that the charta does not write as a noun somewhere. Modifiers at
 * the front ("Zuliefer…") are found by prefix search.
 */
import { stemmer } from '@orama/stemmers/german';

/** Tails and the word before them have at least this many letters ("leit|bild", not "ver|band"). */
const minimumPart = 4;

/**
 * Words too common to tell sections apart, folded; left out of the index and of queries. Short on
 * purpose: articles, conjunctions, prepositions, pronouns and forms of "sein" and "werden".
 */
const stopwords = new Set(
  'der die das den dem des ein eine einer eines einem einen und oder aber als auch im in ins am an auf aus bei mit nach von vom zu zum zur für um über ist sind war wird werden sich es sie er wir ihr nicht so wie dass'.split(' '),
);

/** The words of `text`: runs of letters and digits (hyphens, colons, apostrophes split them). */
export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** `word` lower-cased, with ß as "ss" and "ae", "oe", "ue" as umlauts (not "ue" after "q"). */
export function foldWord(word: string): string {
  return word
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ae/g, 'ä')
    .replace(/oe/g, 'ö')
    .replace(/(?<!q)ue/g, 'ü');
}

const stems = new Map<string, string>();

/** The stem of a folded word: Snowball German, then without any remaining accents. */
export function stemWord(folded: string): string {
  let stem = stems.get(folded);
  if (stem === undefined) {
    stem = stemmer(folded)
      .normalize('NFD')
      .replace(/\p{M}/gu, '');
    stems.set(folded, stem);
  }
  return stem;
}

/**
 * A word as the index and the queries hold it, or null for a word not searched for (a stopword, a
 * single letter).
 */
export function searchTerm(word: string): string | null {
  let term = terms.get(word);
  if (term === undefined) {
    const folded = foldWord(word);
    term = folded.length < 2 || stopwords.has(folded) ? null : stemWord(folded);
    terms.set(word, term);
  }
  return term;
}

const terms = new Map<string, string | null>();

/**
 * The stems of the tails of `folded` (a folded word) whose stem is in `known`: "zulieferindustrie"
 * with `industri` known gives `industri`. Tails and the part before them have at least four
 * letters, as do the stems.
 */
export function compoundTails(folded: string, known: ReadonlySet<string>): string[] {
  const tails: string[] = [];
  // A stem is its word with umlauts as plain vowels and without an ending of at most this many
  // letters ("-lichkeiten"): only a tail with a known stem among its starts is worth stemming.
  const plain = folded.replace(/[äöü]/g, (letter) => plainVowels[letter]!);
  for (let start = minimumPart; start <= folded.length - minimumPart; start++) {
    if (!startsWithKnown(plain, start, known)) continue;
    const stem = stemWord(folded.slice(start));
    if (stem.length >= minimumPart && known.has(stem) && !tails.includes(stem)) tails.push(stem);
  }
  return tails;
}

const plainVowels: Record<string, string> = { ä: 'a', ö: 'o', ü: 'u' };
/** The longest ending the Snowball German stemmer removes, in letters, with room to spare. */
const longestEnding = 12;

/** Whether `word` from `start` on begins with one of the stems `known` (of four letters or more). */
function startsWithKnown(word: string, start: number, known: ReadonlySet<string>): boolean {
  for (let end = Math.max(start + minimumPart, word.length - longestEnding); end <= word.length; end++) {
    if (known.has(word.slice(start, end))) return true;
  }
  return false;
}

/**
 * The term processing of the index: each word as its stem and, if it is a noun (capitalized), as
 * the stems of its tails that are in `vocabulary` (the text's nouns, as stems: `vocabularyOf`).
 */
export function indexTerms(vocabulary: ReadonlySet<string>): (word: string) => string[] | null {
  const cache = new Map<string, string[] | null>();
  return (word) => {
    let terms = cache.get(word);
    if (terms === undefined) {
      const term = searchTerm(word);
      terms = term === null ? null : [term, ...nounTails(word, vocabulary).filter((tail) => tail !== term)];
      cache.set(word, terms);
    }
    return terms;
  };
}

/**
 * The dictionary of the compounds: the stems of the nouns of `texts`, that is of the words written
 * with a capital letter other than at the start of a sentence (German capitalizes nouns). So a
 * tail that is only some other word ("vier" in "intensivieren", "dort" in "Standort") is none.
 */
export function vocabularyOf(texts: Iterable<string>): Set<string> {
  const vocabulary = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
      const word = match[0];
      if (!/^\p{Lu}/u.test(word) || sentenceStart(text, match.index)) continue;
      const term = searchTerm(word);
      if (term !== null) vocabulary.add(term);
    }
  }
  return vocabulary;
}

/** Whether the word at `index` of `text` starts a sentence (or the text, or a quotation after a colon). */
function sentenceStart(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 4), index).replace(/[\s"„“”‚‘’'(«»–-]+$/u, '');
  return before === '' || /[.!?:;]$/.test(before);
}

/**
 * Whether `word` (as it stands in the text) is a hit for the index terms `terms` a search matched:
 * its stem, or the stem of one of its tails, is one of them. Used to mark hits in snippets and on
 * the page, so what is marked is what was found.
 */
export function isHit(word: string, terms: ReadonlySet<string>): boolean {
  const term = searchTerm(word);
  if (term === null) return false;
  return terms.has(term) || nounTails(word, terms).length > 0;
}

/**
 * The tails of `word` (as it stands in the text) if it is written with a capital, as German
 * nouns are: "Zulieferindustrie" has the tail "Industrie"; "politische" has no "Tisch", nor
 * "ermöglicht" a "Licht".
 */
function nounTails(word: string, known: ReadonlySet<string>): string[] {
  return /^\p{Lu}/u.test(word) ? compoundTails(foldWord(word), known) : [];
}
