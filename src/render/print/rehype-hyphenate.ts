/**
 * German hyphenation for the print edition: soft hyphens (U+00AD) at the break points of the
 * `hyphen` package's German patterns (1996 orthography). Chromium on Linux has no hyphenation
 * dictionaries, so `hyphens: auto` does nothing there; soft hyphens in the text do. Headings,
 * code, addresses and the contribution labels are left alone: a heading's text is also its
 * bookmark in the PDF outline, and Chromium copies a soft hyphen into it.
 */
import { createRequire } from 'node:module';
import type { Element, Root } from 'hast';
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

/** `text` with soft hyphens at its German break points. */
export function hyphenateText(text: string, minWordLength = 6): string {
  return hyphenateSync(text, { minWordLength });
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
      if (node.type === 'text') node.value = hyphenateSync(node.value, { minWordLength });
      return undefined;
    });
  };
}

/** A link whose text is its address (an autolink) is broken at slashes instead, see rehype-break-urls. */
function looksLikeAddress(link: Element): boolean {
  return isAddressText(link.children.map((child) => (child.type === 'text' ? child.value : '')).join(''));
}
