/**
 * German hyphenation for the print edition: soft hyphens (U+00AD) at the break points of the
 * `hyphen` package's German patterns (1996 orthography), at least two letters before a break and
 * three after it, none in the last word of a paragraph. Chromium on Linux has no hyphenation
 * dictionaries, so `hyphens: auto` does nothing there; soft hyphens in the text do. Headings,
 * code, addresses and the contribution labels are left alone: a heading's text is also its
 * bookmark in the PDF outline, and Chromium copies a soft hyphen into it.
 */
import { createRequire } from 'node:module';
import type { Element, Root, Text } from 'hast';
import { SKIP, visit } from 'unist-util-visit';
import { isAddressText } from './rehype-break-urls.js';

const require = createRequire(import.meta.url);
// `hyphen` is CommonJS without an exports map, so Node's ESM loader cannot resolve `hyphen/de`.
const { hyphenateSync } = require('hyphen/de') as typeof import('hyphen/de.js');

export interface Options {
  /** Elements whose text is never hyphenated. */
  skipTags?: readonly string[];
  /** Classes whose elements' text is never hyphenated. */
  skipClasses?: readonly string[];
  /** Words shorter than this stay whole (at least 5). */
  minWordLength?: number;
}

const defaultSkipTags = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'code', 'pre', 'kbd', 'samp', 'var', 'script', 'style', 'time'];
const defaultSkipClasses = ['beitrag__quelle', 'beitrag__marker', 'beitrag__kopf'];

const shy = '\u00AD';

/** `text` with soft hyphens at its German break points (see `withMinimums`), none in its last word. */
export function hyphenateText(text: string, minWordLength = 6): string {
  return keepLastWordWhole(hyphenateWords(text, minWordLength));
}

/** What `hyphen` takes for a word: everything between white space, digits and ASCII punctuation but the apostrophe, and dashes. */
const wordPattern = /[^\s!-&(-@[-`{-~\u2013-\u203C]+/gu;

/** Each distinct word's hyphenation (`withMinimums` applied), by minimum length and word. */
const hyphenated = new Map<string, string>();

/** Enough words for the largest charta; a long `charta dev` session starts over beyond that. */
const maxCachedWords = 500_000;

/**
 * `text` with soft hyphens at the break points of its words (`withMinimums` applied), each distinct
 * word hyphenated once per process: the same as `hyphen` on the whole text, without reading it
 * character by character again for every repeated word.
 */
function hyphenateWords(text: string, minWordLength: number): string {
  // Text with what looks like markup: `hyphen` leaves tags alone, which a word list cannot tell.
  if (text.includes('<')) return withMinimums(hyphenateSync(text, { minWordLength }));
  return text.replace(wordPattern, (word) => {
    const key = `${minWordLength}\0${word}`;
    let result = hyphenated.get(key);
    if (result === undefined) {
      if (hyphenated.size >= maxCachedWords) hyphenated.clear();
      result = withMinimums(hyphenateSync(word, { minWordLength }));
      hyphenated.set(key, result);
    }
    return result;
  });
}

/**
 * Drops the break points that would leave fewer than two letters before the break or three after
 * it ("Re-gion", not "Regi-on"): a syllable of two letters at the start of a line reads badly.
 */
export function withMinimums(text: string): string {
  if (!text.includes(shy)) return text;
  return text.replace(/[\p{L}\u00AD]+/gu, (word) => {
    if (!word.includes(shy)) return word;
    const parts = word.split(shy);
    let out = parts[0]!;
    let before = parts[0]!.length;
    let after = word.length - parts[0]!.length - (parts.length - 1);
    for (const part of parts.slice(1)) {
      out += before >= 2 && after >= 3 ? shy + part : part;
      before += part.length;
      after -= part.length;
    }
    return out;
  });
}

/** `text` without break points in its last word: a paragraph does not end with a word's last syllable alone. */
function keepLastWordWhole(text: string): string {
  const end = text.trimEnd().length;
  let start = end;
  while (start > 0 && !/\s/u.test(text[start - 1]!)) start--;
  return text.slice(0, start) + text.slice(start, end).replaceAll(shy, '') + text.slice(end);
}

/** Inserts soft hyphens into the text of the tree. */
export default function rehypeHyphenate(options: Options = {}) {
  const skipTags = new Set(options.skipTags ?? defaultSkipTags);
  const skipClasses = options.skipClasses ?? defaultSkipClasses;
  const minWordLength = Math.max(5, options.minWordLength ?? 6);
  const skipped = (node: Element) =>
    skipTags.has(node.tagName) ||
    (Array.isArray(node.properties.className) && node.properties.className.some((name) => skipClasses.includes(String(name)))) ||
    (node.tagName === 'a' && looksLikeAddress(node));
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'element' && skipped(node)) return SKIP;
      if (node.type === 'text') node.value = hyphenateWords(node.value, minWordLength);
      return undefined;
    });
    // The last word of each block stays whole.
    visit(tree, 'element', (node) => {
      if (!blocks.has(node.tagName)) return;
      const last = lastText(node);
      if (last) last.value = keepLastWordWhole(last.value);
    });
  };
}

/** Elements whose text ends a paragraph-like block. */
const blocks = new Set(['p', 'li', 'dd', 'dt', 'td', 'th', 'figcaption', 'blockquote', 'div', 'section', 'aside']);

/** The last text node of `node` with something else than white space in it. */
function lastText(node: Element): Text | undefined {
  for (let index = node.children.length - 1; index >= 0; index--) {
    const child = node.children[index]!;
    if (child.type === 'text' && child.value.trim()) return child;
    if (child.type === 'element') {
      const found = lastText(child);
      if (found) return found;
    }
  }
  return undefined;
}

/** A link whose text is its address (an autolink) is broken at slashes instead, see rehype-break-urls. */
function looksLikeAddress(link: Element): boolean {
  return isAddressText(link.children.map((child) => (child.type === 'text' ? child.value : '')).join(''));
}
