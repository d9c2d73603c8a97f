/**
 * Marks changes in hast: rebuilds a changed block's inline content from its word diff with
 * `<ins>`/`<del>` around the changed stretches (formatting elements split where a change
 * begins or ends), wraps added content in `<ins>`, and makes struck copies of removed blocks.
 * Every `<ins>` and `<del>` starts with a visually hidden announcement, once per stretch.
 * Struck copies carry no ids and no links (they would collide with, or point at, what is gone).
 */
import type { Element, ElementContent, Nodes, RootContent, Text } from 'hast';
import type { Block } from './blocks.js';
import type { Run, Token } from './tokens.js';
import type { Op } from './word-diff.js';

/** The announcements screen readers hear at the start of an insertion and a deletion. */
export const announcements = { ins: 'Eingefügt: ', del: 'Gestrichen: ' } as const;

/** A copy of a tree and, for every node of the original, its copy. */
export interface TreeCopy<T extends Nodes> {
  tree: T;
  map: Map<Nodes, Nodes>;
}

/** Copies `node` deeply; `clean` drops ids and turns links into spans (for struck copies). */
export function copyTree<T extends Nodes>(node: T, clean = false): TreeCopy<T> {
  const map = new Map<Nodes, Nodes>();
  const tree = copyNode(node, clean, map) as T;
  return { tree, map };
}

function copyNode(node: Nodes, clean: boolean, map: Map<Nodes, Nodes>): Nodes {
  let copy: Nodes;
  if (node.type === 'element') {
    const element = clean ? emptyCopy(node) : { ...node, properties: { ...node.properties }, children: [] };
    element.children = node.children.map((child) => copyNode(child, clean, map) as ElementContent);
    copy = element;
  } else if (node.type === 'root') {
    copy = { ...node, children: node.children.map((child) => copyNode(child, clean, map) as RootContent) };
  } else {
    copy = { ...node } as Nodes;
  }
  map.set(node, copy);
  return copy;
}

/** An empty copy of `element` without ids and links. */
export function emptyCopy(element: Element): Element {
  const properties = { ...element.properties };
  for (const name of ['id', 'href', 'dataFootnoteRef', 'ariaDescribedBy']) delete properties[name];
  if (element.tagName === 'a') return { type: 'element', tagName: 'span', properties: element.properties.className ? { className: element.properties.className } : {}, children: [], position: element.position };
  return { type: 'element', tagName: element.tagName, properties, children: [], position: element.position };
}

/** `<ins>` or `<del>` with its date and announcement around `children`. */
export function changeElement(tagName: 'ins' | 'del', datetime: string, children: ElementContent[], announce = true): Element {
  const hint: Element = { type: 'element', tagName: 'span', properties: { className: ['aenderung__hinweis'] }, children: [{ type: 'text', value: announcements[tagName] }] };
  return { type: 'element', tagName, properties: { dateTime: datetime }, children: announce ? [hint, ...children] : children };
}

/** Adds the change classes to `element`. */
export function addChangeClass(element: Element, kind: string): void {
  const classes = Array.isArray(element.properties.className) ? element.properties.className : [];
  element.properties.className = [...classes, 'aenderung', `aenderung--${kind}`];
}

/**
 * Gives `element` the change's id; an element that has its own keeps it, and an empty span
 * with the change's id goes first into its first run (or into it).
 */
export function setChangeId(element: Element, id: string, firstContainer: Element | undefined): void {
  if (element.properties.id === undefined) {
    element.properties.id = id;
    return;
  }
  const anchor: Element = { type: 'element', tagName: 'span', properties: { id }, children: [] };
  (firstContainer ?? element).children.unshift(anchor);
}

/** A visible note at the start of `container`: "verschoben aus „…“", "neu gefasst". */
export function addNote(container: Element, className: 'aenderung__herkunft' | 'aenderung__vermerk', text: string): void {
  container.children.unshift({ type: 'element', tagName: 'span', properties: { className: [className] }, children: [{ type: 'text', value: text }] }, { type: 'text', value: ' ' });
}

/** The copies of a block's runs in a copied tree. */
export function runsIn(runs: readonly Run[], map: Map<Nodes, Nodes>): Run[] {
  return runs.map((run) => ({ container: map.get(run.container) as Element, nodes: run.nodes.map((node) => map.get(node) as ElementContent) }));
}

/** Replaces the nodes of `run` inside its container by `children`. */
function replaceRun(run: Run, children: ElementContent[]): void {
  const at = run.container.children.indexOf(run.nodes[0]!);
  if (at < 0) return;
  run.container.children.splice(at, run.nodes.length, ...children);
}

/** Wraps each run's content in `<ins>` or `<del>`; only the first announced. */
export function wrapRuns(runs: readonly Run[], tagName: 'ins' | 'del', datetime: string): void {
  runs.forEach((run, index) => replaceRun(run, [changeElement(tagName, datetime, run.nodes, index === 0)]));
}

/**
 * Rebuilds the runs of a block from its word diff.
 * - `both`: the later block with insertions and deletions (the marked chapter);
 * - `earlier`: the earlier block with its deletions (the Synopse's left side);
 * - `later`: the later block with its insertions (the Synopse's right side).
 * `runs` are the runs of the block the side shows (the earlier one for `earlier`).
 */
export function rebuildRuns(runs: readonly Run[], ops: readonly Op[], side: 'both' | 'earlier' | 'later', datetime: string, clean: boolean): void {
  const items: Array<Array<{ status: 'same' | 'ins' | 'del'; token: Token }>> = runs.map(() => []);
  let current = 0;
  for (const op of ops) {
    if (side === 'earlier') {
      if (op.status === 'ins') continue;
      const token = op.status === 'same' ? op.old : op.token;
      items[Math.min(token.run, runs.length - 1)]?.push({ status: op.status, token });
      continue;
    }
    if (op.status === 'del') {
      if (side === 'both') items[current]?.push(op);
      continue;
    }
    current = Math.min(op.token.run, runs.length - 1);
    items[current]?.push(op);
  }
  const ids = new Set<string>();
  runs.forEach((run, index) => {
    const children: ElementContent[] = [];
    let group: Token[] = [];
    let status: 'same' | 'ins' | 'del' = 'same';
    const flush = () => {
      if (group.length === 0) return;
      // Whitespace alone is no change to show: an inserted space is just there, a struck one
      // gone from the later text and kept, unstruck, in the earlier.
      const blank = group.every((token) => token.kind === 'space');
      if (blank && status === 'del' && side === 'both') {
        group = [];
        return;
      }
      const nodes = buildNodes(group, clean || status === 'del', ids);
      if (status === 'same' || blank) children.push(...nodes);
      else children.push(changeElement(status, datetime, nodes));
      group = [];
    };
    for (const item of items[index] ?? []) {
      if (item.token.kind === 'break') continue;
      if (item.status !== status) {
        flush();
        status = item.status;
      }
      group.push(item.token);
    }
    flush();
    replaceRun(run, children);
  });
}

/** Inline content for `tokens`, their formatting rebuilt around them. */
function buildNodes(tokens: readonly Token[], clean: boolean, ids: Set<string>): ElementContent[] {
  const out: ElementContent[] = [];
  const stack: Array<{ original: Element; copy: Element }> = [];
  for (const token of tokens) {
    let depth = 0;
    while (depth < stack.length && depth < token.path.length && stack[depth]!.original === token.path[depth]) depth++;
    stack.length = depth;
    for (let j = depth; j < token.path.length; j++) {
      const original = token.path[j]!;
      const copy = clean ? emptyCopy(original) : { ...original, properties: { ...original.properties }, children: [] };
      keepIdOnce(copy, ids);
      (j === 0 ? out : stack[j - 1]!.copy.children).push(copy);
      stack.push({ original, copy });
    }
    const target = stack.length > 0 ? stack.at(-1)!.copy.children : out;
    if (token.node) {
      const copy = copyTree(token.node, clean).tree;
      if (!clean) visitIds(copy, ids);
      target.push(copy);
      continue;
    }
    const last = target.at(-1);
    if (last?.type === 'text') (last as Text).value += token.text;
    else target.push({ type: 'text', value: token.text });
  }
  return out;
}

function keepIdOnce(element: Element, ids: Set<string>): void {
  const id = element.properties.id;
  if (typeof id !== 'string') return;
  if (ids.has(id)) delete element.properties.id;
  else ids.add(id);
}

function visitIds(element: Element, ids: Set<string>): void {
  keepIdOnce(element, ids);
  for (const child of element.children) if (child.type === 'element') visitIds(child, ids);
}

/** Elements that cannot stand in flow content without their parent. */
const needsParent = new Set(['li', 'tr', 'thead', 'tbody', 'tfoot', 'td', 'th', 'dt', 'dd', 'figcaption', 'summary', 'caption']);

/**
 * `element` (a copy of `block`'s element) made able to stand on its own in flow content: a list
 * item goes into a copy of its list, a table row into a copy of its table, as far up as needed.
 */
export function standalone(block: Block, element: Element): Element {
  let result = element;
  for (let i = block.ancestors.length - 1; i >= 0 && needsParent.has(result.tagName); i--) result = { ...emptyCopy(block.ancestors[i]!), children: [result] };
  return result;
}
