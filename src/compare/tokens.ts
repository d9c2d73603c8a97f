/**
 * The words of a block: its inline content cut into tokens (words, spaces, punctuation), with
 * footnote references, links, inline code and images as single tokens, and the generated labels
 * (an inline passage's " [● Kurzname]", "Themenfeld N:", a footnote's back link) as labels that
 * are kept but never compared as text. Each token remembers the formatting elements around it,
 * so that a marked block can be rebuilt with its formatting.
 */
import type { Element, ElementContent, Text } from 'hast';
import { toString } from 'hast-util-to-string';

/**
 * - `word`, `space`, `punct`: text; `atom`: an element that is one token (link, code, image,
 *   footnote reference, line break); `label`: generated text, kept in place, never a change;
 *   `break`: the boundary between two runs of a block (two paragraphs of a list item, two cells).
 */
export type TokenKind = 'word' | 'space' | 'punct' | 'atom' | 'label' | 'break';

export interface Token {
  kind: TokenKind;
  /** What is compared: soft hyphens dropped, all whitespace one space, atoms by what they show. */
  key: string;
  /** The source text (words, spaces, punctuation); the readable text of an atom. */
  text: string;
  /** The element an atom or label is, copied whole when the block is rebuilt. */
  node?: Element;
  /** The formatting elements around the token inside its run, outermost first. */
  path: Element[];
  /** The run of the block the token stands in. */
  run: number;
  /** How many words the token counts. */
  words: number;
}

/** A stretch of inline content: consecutive children of one element. */
export interface Run {
  container: Element;
  nodes: ElementContent[];
}

/** HTML's phrasing elements: what may stand inside a paragraph. */
export const phrasingElements = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'img', 'input', 'ins',
  'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
]);

/** Classes of generated labels inside inline content: kept, never compared. */
const labelClasses = ['beitrag__quelle', 'themenfeld__nummer', 'ziel__nummer', 'data-footnote-backref', 'aenderung__hinweis'];

/** Words (letters, digits, marks, joined by inner hyphens or apostrophes), spaces, single other characters. */
const tokenPattern = /\s+|[\p{L}\p{N}\p{M}\u00AD]+(?:['’\-\u2011][\p{L}\p{N}\p{M}\u00AD]+)*|[^\s]/gu;
const wordPattern = /^[\p{L}\p{N}\p{M}]/u;

/** The class names of an element. */
export function classesOf(element: Element): string[] {
  const value: unknown = element.properties.className;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

/** Whether `node` is inline content. */
export function isPhrasing(node: ElementContent): boolean {
  return node.type === 'text' || (node.type === 'element' && phrasingElements.has(node.tagName));
}

/** The label class of a generated label, or undefined. */
function labelClass(element: Element): string | undefined {
  const classes = classesOf(element);
  return labelClasses.find((name) => classes.includes(name)) ?? (element.properties.dataFootnoteBackref !== undefined ? 'data-footnote-backref' : undefined);
}

/** Whether `element` is a footnote reference (`<sup><a data-footnote-ref>`). */
function isFootnoteReference(element: Element): boolean {
  if (element.tagName !== 'sup') return false;
  const inner = element.children.filter((child) => child.type === 'element');
  return inner.length === 1 && (inner[0] as Element).tagName === 'a' && (inner[0] as Element).properties.dataFootnoteRef !== undefined;
}

/** Collapsed whitespace, no soft hyphens. */
export function normalize(text: string): string {
  return text.replaceAll('\u00AD', '').replace(/\s+/g, ' ').trim();
}

function countWords(text: string): number {
  let n = 0;
  for (const match of normalize(text).matchAll(tokenPattern)) if (wordPattern.test(match[0])) n++;
  return n;
}

/** The tokens of a block's runs, a `break` between runs. */
export function tokenize(runs: readonly Run[]): Token[] {
  const tokens: Token[] = [];
  runs.forEach((run, index) => {
    if (index > 0) tokens.push({ kind: 'break', key: '\n', text: ' ', path: [], run: index, words: 0 });
    for (const node of run.nodes) walk(node, [], index, tokens);
  });
  return tokens;
}

function walk(node: ElementContent, path: Element[], run: number, tokens: Token[]): void {
  if (node.type === 'text') {
    pushText(node, path, run, tokens);
    return;
  }
  if (node.type !== 'element') return;
  const label = labelClass(node);
  if (label) {
    tokens.push({ kind: 'label', key: `label:${label}`, text: '', node, path, run, words: 0 });
    return;
  }
  if (isFootnoteReference(node)) {
    // Stands for its note, which is compared as a block of its own: renumbering is no change.
    tokens.push({ kind: 'atom', key: 'fnref', text: '', node, path, run, words: 0 });
    return;
  }
  switch (node.tagName) {
    case 'a': {
      const text = toString(node);
      tokens.push({ kind: 'atom', key: `a:${String(node.properties.href ?? '')}:${normalize(text)}`, text: normalize(text), node, path, run, words: countWords(text) });
      return;
    }
    case 'code': {
      const text = toString(node);
      tokens.push({ kind: 'atom', key: `code:${text}`, text, node, path, run, words: 1 });
      return;
    }
    case 'img':
      tokens.push({ kind: 'atom', key: `img:${String(node.properties.src ?? '')}:${String(node.properties.alt ?? '')}`, text: '', node, path, run, words: 0 });
      return;
    case 'br':
    case 'wbr':
    case 'input':
      tokens.push({ kind: 'atom', key: `${node.tagName}:${String(node.properties.checked ?? '')}`, text: node.tagName === 'br' ? ' ' : '', node, path, run, words: 0 });
      return;
    default:
      for (const child of node.children) walk(child, [...path, node], run, tokens);
  }
}

function pushText(node: Text, path: Element[], run: number, tokens: Token[]): void {
  for (const match of node.value.matchAll(tokenPattern)) {
    const text = match[0];
    if (/^\s/.test(text)) {
      tokens.push({ kind: 'space', key: ' ', text, path, run, words: 0 });
    } else {
      const key = text.replaceAll('\u00AD', '');
      if (key === '') continue;
      const word = wordPattern.test(key);
      tokens.push({ kind: word ? 'word' : 'punct', key, text, path, run, words: word ? 1 : 0 });
    }
  }
}

/** What a block's tokens say, for comparing: labels left out, whitespace collapsed. */
export function comparableText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) if (token.kind !== 'label') text += token.kind === 'atom' ? `\u0001${token.key}\u0001` : token.key;
  return text.replace(/ +/g, ' ').replace(/ ?\n ?/g, '\n').trim();
}

/** What a block's tokens read as, for messages: labels left out, whitespace collapsed. */
export function plainText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) if (token.kind !== 'label') text += token.kind === 'break' ? ' ' : token.text;
  return normalize(text);
}

/** The words of `tokens`. */
export function wordCount(tokens: readonly Token[]): number {
  let n = 0;
  for (const token of tokens) n += token.words;
  return n;
}

/** The lower-case words and atoms of `tokens`, for similarity. */
export function wordSet(tokens: readonly Token[]): Set<string> {
  const words = new Set<string>();
  for (const token of tokens) {
    if (token.kind === 'word') words.add(token.key.toLowerCase());
    else if (token.kind === 'atom' && token.key !== 'fnref' && token.node?.tagName !== 'br') words.add(token.key);
  }
  return words;
}
