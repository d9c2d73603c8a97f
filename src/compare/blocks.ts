/**
 * The blocks a reader sees in a chapter: headings, paragraphs, list items, table rows, figures,
 * quotes, code blocks, the paragraphs of marked passages, footnotes, and the events, topics,
 * goals and approaches of the data blocks. A chapter's tree is flattened into them in reading
 * order; each knows its element, its inline runs, its normalised text and its place.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Chapter } from '../charta.js';
import type { BlockType, Place } from './changes.js';
import { classesOf, comparableText, isPhrasing, plainText, tokenize, wordCount, wordSet, type Run, type Token } from './tokens.js';

export interface Block {
  type: BlockType;
  chapter: Chapter;
  /** Its position in the chapter's list of blocks. */
  index: number;
  element: Element;
  /** Its parent in the chapter tree. */
  parent: Element | Root;
  /** The elements from the tree's top down to its parent. */
  ancestors: Element[];
  runs: Run[];
  /** The normalised text that equality is judged by. */
  text: string;
  words: number;
  /** The identity of an event or topic (its `data-schluessel`): such blocks pair by it. */
  key?: string;
  place: Place;
  /** The source of the marked block passage it stands in. */
  source?: string;
  /** The sources of inline marked passages inside it. */
  inlineSources: string[];
  /** The inline marked passages inside it, and the marked block passage it stands in. */
  passages: Element[];
  /** Its tokens, made when needed (`tokensOf`). */
  tokens?: Token[];
  /** Its lower-case words, made when needed (`wordsOf`). */
  wordSet?: Set<string>;
}

interface Context {
  chapter: Chapter;
  blocks: Block[];
  ancestors: Element[];
  source?: string;
  inTopic: boolean;
}

const headings = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** The blocks of a chapter in reading order. */
export function flattenChapter(chapter: Chapter): Block[] {
  const context: Context = { chapter, blocks: [], ancestors: [], inTopic: false };
  walkChildren(chapter.tree, context);
  return context.blocks;
}

/** The tokens of `block`, made once. */
export function tokensOf(block: Block): Token[] {
  return (block.tokens ??= tokenize(block.runs));
}

/** The readable text of `block`, for messages. */
export function plainOf(block: Block): string {
  return plainText(tokensOf(block));
}

/** The lower-case words of `block`, made once. */
export function wordsOf(block: Block): Set<string> {
  return (block.wordSet ??= wordSet(tokensOf(block)));
}

function walkChildren(parent: Element | Root, context: Context): void {
  for (const child of parent.children) {
    if (child.type === 'element') visit(child, parent, context);
  }
}

function inside(element: Element, context: Context, change: Partial<Context> = {}): Context {
  return { ...context, ...change, ancestors: [...context.ancestors, element] };
}

function visit(element: Element, parent: Element | Root, context: Context): void {
  const classes = classesOf(element);
  const tag = element.tagName;
  if (element.properties.dataFootnotes !== undefined) {
    // The footnotes: each note is a block; the generated "Fußnoten" heading is not.
    const inner = inside(element, context);
    for (const list of element.children) {
      if (list.type !== 'element' || (list.tagName !== 'ol' && list.tagName !== 'ul')) continue;
      const listContext = inside(list, inner);
      for (const item of list.children) {
        if (item.type === 'element' && item.tagName === 'li') addBlock('footnote', item, list, listContext, collectRuns(item));
      }
    }
    return;
  }
  if (classes.includes('beitrag__kopf') || classes.includes('ansaetze__kopf') || tag === 'hr') return;
  if (classes.includes('beitrag--block')) {
    walkChildren(element, inside(element, context, { source: String(element.properties.dataQuelle ?? '') }));
    return;
  }
  if (headings.has(tag)) {
    addBlock(context.inTopic ? 'topic' : 'heading', element, parent, context, collectRuns(element));
    return;
  }
  if (tag === 'p') {
    const type = classes.includes('themenfeld__beschreibung')
      ? 'topic'
      : classes.includes('ziel__titel')
        ? 'goal'
        : context.source && parent.type === 'element' && classesOf(parent).includes('beitrag--block')
          ? 'contribution'
          : 'paragraph';
    addBlock(type, element, parent, context, collectRuns(element));
    return;
  }
  if (tag === 'ul' || tag === 'ol') {
    const type: BlockType = classes.includes('zeitleiste') ? 'event' : classes.includes('ansaetze') ? 'approach' : 'list-item';
    const listContext = inside(element, context);
    for (const item of element.children) {
      if (item.type !== 'element' || item.tagName !== 'li') continue;
      // The innermost items: a nested list's items are blocks of their own.
      addBlock(type, item, element, listContext, collectRuns(item, true));
      walkNestedLists(item, inside(item, listContext));
    }
    return;
  }
  if (tag === 'table') {
    walkRows(element, context);
    return;
  }
  if (tag === 'figure') return addBlock('figure', element, parent, context, collectRuns(element));
  if (tag === 'blockquote') return addBlock('quote', element, parent, context, collectRuns(element));
  if (tag === 'pre') return addBlock('code', element, parent, context, collectRuns(element));
  if (classes.includes('themenfeld')) {
    walkChildren(element, inside(element, context, { inTopic: true }));
    return;
  }
  if (element.children.some((child) => child.type === 'element' && !isPhrasing(child))) {
    walkChildren(element, inside(element, context));
    return;
  }
  // Any other element of inline content only (raw HTML such as `<summary>`): one block.
  addBlock('paragraph', element, parent, context, collectRuns(element));
}

function walkNestedLists(element: Element, context: Context): void {
  for (const child of element.children) {
    if (child.type !== 'element' || isPhrasing(child)) continue;
    if (child.tagName === 'ul' || child.tagName === 'ol') visit(child, element, context);
    else walkNestedLists(child, inside(child, context));
  }
}

function walkRows(element: Element, context: Context): void {
  const inner = inside(element, context);
  for (const child of element.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'tr') addBlock('table-row', child, element, inner, child.children.flatMap((cell) => (cell.type === 'element' ? collectRuns(cell) : [])));
    else if (child.tagName === 'thead' || child.tagName === 'tbody' || child.tagName === 'tfoot') walkRows(child, inner);
  }
}

/** The inline runs inside `element`, in order; nested lists left out when `skipLists`. */
export function collectRuns(element: Element, skipLists = false): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  for (const child of element.children) {
    if (child.type === 'comment') continue;
    if (isPhrasing(child)) {
      if (!current) runs.push((current = { container: element, nodes: [] }));
      current.nodes.push(child);
      continue;
    }
    current = undefined;
    if (child.type !== 'element') continue;
    if (skipLists && (child.tagName === 'ul' || child.tagName === 'ol')) continue;
    if (classesOf(child).includes('beitrag__kopf')) continue;
    runs.push(...collectRuns(child, skipLists));
  }
  return runs.filter((run) => run.nodes.some((node) => node.type !== 'text' || node.value.trim() !== ''));
}

function addBlock(type: BlockType, element: Element, parent: Element | Root, context: Context, runs: Run[]): void {
  const { chapter } = context;
  const tokens = tokenize(runs);
  const schluessel = typeof element.properties.dataSchluessel === 'string' ? element.properties.dataSchluessel : undefined;
  const dataPlace = schluessel ? chapter.file.data.dataPlaces?.get(schluessel) : undefined;
  const point = element.position?.start ?? [...context.ancestors].reverse().find((ancestor) => ancestor.position)?.position?.start;
  const passages = new Set<Element>();
  for (const token of tokens) {
    for (const formatting of token.path) if (classesOf(formatting).includes('beitrag--inline')) passages.add(formatting);
  }
  const inlineSources = new Set([...passages].map((passage) => String(passage.properties.dataQuelle ?? '')));
  const blockPassage = context.source ? [...context.ancestors].reverse().find((ancestor) => classesOf(ancestor).includes('beitrag--block')) : undefined;
  if (blockPassage) passages.add(blockPassage);
  const text = comparableText(tokens);
  // A block without text (an image without caption) still differs from another by its atoms.
  context.blocks.push({
    type,
    chapter,
    index: context.blocks.length,
    element,
    parent,
    ancestors: context.ancestors,
    runs,
    text,
    words: wordCount(tokens),
    key: schluessel && (type === 'event' || type === 'topic') ? schluessel : undefined,
    place: dataPlace ?? { file: chapter.path, line: point?.line ?? 1, column: point?.column ?? 1 },
    source: context.source,
    inlineSources: [...inlineSources],
    passages: [...passages],
  });
}

/** An element's parent chain as text, to tell whether two blocks stand in the same kind of container. */
export function descriptor(element: Element): string {
  const quelle = element.properties.dataQuelle;
  return `${element.tagName}.${classesOf(element).filter((name) => !name.startsWith('aenderung')).join('.')}${quelle ? `[${String(quelle)}]` : ''}`;
}

/** Whether `element` may hold flow content (a removed block can be put into it directly). */
export function acceptsFlow(element: Element | Root): boolean {
  return element.type === 'root' || !['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'dl', 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(element.tagName);
}

/** Whether `node` is an element (not text or a comment). */
export function isElement(node: ElementContent | undefined): node is Element {
  return node?.type === 'element';
}
