/**
 * Limits on how deeply a chapter may nest. The Markdown parser slows down sharply on deeply
 * nested containers (a list nested 1,000 levels deep takes it 40 seconds), and the tree
 * transforms and serializers recurse, so 1,000 levels overflow the stack. No chapter needs more
 * than a handful of levels; like markdown-it's `maxNesting`, the loader refuses more than
 * `maxNesting` with a message at the place where the limit is crossed, in two steps:
 *
 * - before parsing, a line scan counts the block containers each line opens or continues: list
 *   items (markers and indentation), quotes and contribution fences;
 * - after parsing, a walk over the Markdown tree counts the levels of everything else: emphasis
 *   and links inside each other, and elements opened in raw HTML.
 */
import type { Nodes, Root } from 'mdast';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { error } from '../core/messages.js';

/** The deepest nesting a chapter may have, in levels of lists, quotes, contributions, markup. */
export const maxNesting = 100;

const ruleId = 'nesting-too-deep';
const reason = `Lists, quotes, contributions or markup are nested more than ${maxNesting} levels deep here: flatten the structure`;

/**
 * Checks the block nesting of `file` line by line, before it is parsed. Returns false, with an
 * error on the file, when a line lies deeper than `maxNesting`.
 */
export function checkBlockNesting(file: VFile): boolean {
  const lines = String(file.value).split('\n');
  let fences = 0;
  for (const [index, line] of lines.entries()) {
    let depth = 0;
    let at = 0;
    let column = 0;
    for (;;) {
      const indent = whitespace(line, at, column);
      // Indentation continues the list items above: each of them takes two columns at least.
      depth += Math.floor((indent.column - column) / 2);
      if (depth + fences > maxNesting) break;
      at = indent.at;
      column = indent.column;
      const marker = /^(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$)/.exec(line.slice(at));
      if (!marker) break;
      depth++;
      if (depth + fences > maxNesting) break;
      at += marker[0].length;
      column += marker[0].length;
      if (line[at] === ' ' || line[at] === '\t') {
        // The one space after a marker belongs to it.
        column = line[at] === '\t' ? column + 4 - (column % 4) : column + 1;
        at++;
      }
    }
    const rest = line.slice(at);
    if (/^:{3,}[A-Za-z]/.test(rest)) fences++;
    else if (/^:{3,}\s*$/.test(rest)) fences = Math.max(0, fences - 1);
    if (depth + fences > maxNesting) {
      error(file, reason, { line: index + 1, column: at + 1 }, ruleId);
      return false;
    }
  }
  return true;
}

function whitespace(line: string, at: number, column: number): { at: number; column: number } {
  while (line[at] === ' ' || line[at] === '\t') {
    column = line[at] === '\t' ? column + 4 - (column % 4) : column + 1;
    at++;
  }
  return { at, column };
}

/** Elements that have no end tag, so they open no level. */
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Checks the nesting of the parsed chapter, without recursion. Returns false, with an error on
 * the file at the first node that lies deeper than `maxNesting`.
 */
export function checkTreeNesting(tree: Root, file: VFile): boolean {
  const stack: Array<{ node: Nodes; depth: number }> = [{ node: tree, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > maxNesting) {
      error(file, reason, node.position?.start ?? { line: 1, column: 1 }, ruleId);
      return false;
    }
    if (!('children' in node)) continue;
    // A list and its items are one level; elements opened in raw HTML add theirs.
    const inner = node.type === 'listItem' ? depth : depth + 1;
    let opened = 0;
    const next: Array<{ node: Nodes; depth: number }> = [];
    for (const child of node.children) {
      if (child.type === 'html') {
        const place = htmlTooDeep(child.value, inner + opened, child.position?.start);
        if (place) {
          error(file, reason, place, ruleId);
          return false;
        }
        opened = Math.max(0, opened + htmlLevels(child.value));
      }
      next.push({ node: child, depth: inner + opened });
    }
    stack.push(...next.reverse());
  }
  return true;
}

const tagPattern = /<(\/?)([A-Za-z][\w-]*)[^>]*?(\/?)>/g;

/** The levels raw HTML opens: start tags less end tags. */
function htmlLevels(html: string): number {
  let levels = 0;
  for (const [, end, name, selfClosing] of html.matchAll(tagPattern)) {
    if (end) levels--;
    else if (!selfClosing && !voidElements.has(name!.toLowerCase())) levels++;
  }
  return levels;
}

/** The place in `html` (which starts at `start`) where its start tags pass the limit, if they do. */
function htmlTooDeep(html: string, depth: number, start: Point | undefined): Point | undefined {
  for (const match of html.matchAll(tagPattern)) {
    const [, end, name, selfClosing] = match;
    if (end) depth--;
    else if (!selfClosing && !voidElements.has(name!.toLowerCase())) depth++;
    if (depth > maxNesting) {
      const before = html.slice(0, match.index);
      const newline = before.lastIndexOf('\n');
      const line = (start?.line ?? 1) + (before.match(/\n/g)?.length ?? 0);
      const column = newline < 0 ? (start?.column ?? 1) + before.length : before.length - newline;
      return { line, column };
    }
  }
  return undefined;
}
