/**
 * Compares two versions of a charta as a reader does: chapters (by file, then by title), blocks
 * (pair-blocks.ts), then words inside a changed block (word-diff.ts). Returns the changes and the
 * later chapters' trees with the changes marked (mark-tree.ts); the input trees stay untouched.
 *
 * - A new chapter none of whose blocks came from elsewhere is one `added` change (at its title,
 *   which is announced once); every block of it is marked inserted. A new chapter that holds
 *   moved blocks (a split) lists each block.
 * - A removed chapter is one `removed` change: a struck notice "Kapitel „…“ entfällt" at the end
 *   of the later chapter that follows the chapter before it (after the title of the first
 *   chapter, when none stood before it); the Synopse shows its whole text. Its blocks that moved
 *   elsewhere (a merge) are moved there.
 * - A removed block is put, struck, where it stood; a moved block is marked at its new place only.
 */
import type { Element, ElementContent, Root } from 'hast';
import { chapters as chaptersOf, type Chapter, type Charta } from '../charta.js';
import { flattenChapter, plainOf, tokensOf, type Block } from './blocks.js';
import type { Baseline, BlockChange, ChangeKind, ChangeSummary, ChapterChange, ChapterSynopsis, Changes, Place, SynopsisRow } from './changes.js';
import { RemovedPlacer } from './insert-removed.js';
import { addChangeClass, addNote, changeElement, copyTree, rebuildRuns, runsIn, setChangeId, standalone, wrapRuns } from './mark-tree.js';
import { pairChapter, pairMoves, pairReplaced, Pairing, type Gap } from './pair-blocks.js';
import { classesOf, type Token } from './tokens.js';
import { diffWords, replacedShare, type WordDiff } from './word-diff.js';

/** What the comparison gives: the changes, and the marked trees of the later chapters that changed. */
export interface Comparison {
  changes: Changes;
  /**
   * Marked copies of the later chapters' trees, by chapter id; only chapters with a change (a
   * removed chapter's notice counts for the chapter that holds it). Others: use `chapter.tree`.
   */
  trees: Map<string, Root>;
}

/** One step of a later chapter in reading order. */
type Entry =
  | { kind: 'same'; later: Block; earlier: Block }
  | { kind: 'changed' | 'moved'; later: Block; earlier: Block; diff?: WordDiff }
  | { kind: 'replaced'; later: Block; earlier: Block }
  | { kind: 'added'; later: Block }
  | { kind: 'removed'; earlier: Block; next?: Block; previous?: Block };

/** A removed chapter, announced in a later chapter. */
interface RemovedChapter {
  chapter: Chapter;
  blocks: Block[];
  host?: Chapter;
  /** Whether the notice goes after the host's title (when no earlier chapter before it remains). */
  atStart: boolean;
}

/** Compares `earlier` with `later`; `baseline` says what `earlier` is. */
export function compareChartas(earlier: Charta, later: Charta, baseline: Baseline): Comparison {
  const datetime = later.meta.datum;
  const earlierChapters = chaptersOf(earlier);
  const laterChapters = chaptersOf(later);
  const blocks = new Map<Chapter, Block[]>([...earlierChapters, ...laterChapters].map((chapter) => [chapter, flattenChapter(chapter)]));
  const blocksOf = (chapter: Chapter) => blocks.get(chapter)!;

  // Chapters: by file, then by title.
  const twinOf = new Map<Chapter, { chapter: Chapter; renamed: boolean }>();
  const earlierTwin = new Map<Chapter, Chapter>();
  const byPath = new Map(earlierChapters.map((chapter) => [chapter.path, chapter]));
  for (const chapter of laterChapters) {
    const twin = byPath.get(chapter.path);
    if (twin) {
      twinOf.set(chapter, { chapter: twin, renamed: false });
      earlierTwin.set(twin, chapter);
    }
  }
  for (const chapter of laterChapters) {
    if (twinOf.has(chapter)) continue;
    const twin = earlierChapters.find((candidate) => !earlierTwin.has(candidate) && candidate.title === chapter.title);
    if (twin) {
      twinOf.set(chapter, { chapter: twin, renamed: true });
      earlierTwin.set(twin, chapter);
    }
  }

  // Blocks: equal and alike per pair of chapters, then moves across the charta, then replaced.
  const pairing = new Pairing();
  const gaps: Gap[] = [];
  for (const chapter of laterChapters) {
    const twin = twinOf.get(chapter);
    if (twin) gaps.push(...pairChapter(blocksOf(twin.chapter), blocksOf(chapter), pairing));
  }
  const unpaired = (list: Chapter[]) => list.flatMap((chapter) => blocksOf(chapter).filter((block) => !pairing.has(block)));
  pairMoves(unpaired(earlierChapters), unpaired(laterChapters), pairing);
  pairReplaced(gaps, pairing);

  // Words inside alike and moved blocks.
  const diffs = new Map<Block, WordDiff>();
  for (const [block, { earlier: twin, match }] of pairing.ofLater) {
    if (match === 'same' || match === 'replaced' || twin.text === block.text) continue;
    const diff = diffWords(tokensOf(twin), tokensOf(block));
    diffs.set(block, diff);
    if (match === 'similar' && !diff.changed) pairing.set(block, twin, 'same');
    else if (match === 'similar' && diff.share > replacedShare) pairing.set(block, twin, 'replaced');
  }

  // Removed chapters: announced at the end of the later chapter of the earlier one before them.
  const removedChapters: RemovedChapter[] = [];
  earlierChapters.forEach((chapter, index) => {
    if (earlierTwin.has(chapter)) return;
    let host: Chapter | undefined;
    for (let i = index - 1; i >= 0 && !host; i--) host = earlierTwin.get(earlierChapters[i]!);
    const atStart = !host;
    for (let i = index + 1; i < earlierChapters.length && !host; i++) host = earlierTwin.get(earlierChapters[i]!);
    host ??= laterChapters[0];
    removedChapters.push({ chapter, blocks: blocksOf(chapter).filter((block) => !pairing.has(block)), host, atStart });
  });

  const context: MarkContext = { datetime, twins: new Map([...twinOf].map(([chapter, twin]) => [chapter, twin.chapter])), pairing, diffs, counter: 0, trees: new Map(), synopsis: [], newContributions: new Map() };
  const chapterChanges: ChapterChange[] = [];
  for (const chapter of laterChapters) {
    const twin = twinOf.get(chapter);
    const hosted = removedChapters.filter((removed) => removed.host === chapter);
    const entries = twin ? entriesOf(blocksOf(twin.chapter), blocksOf(chapter), pairing, diffs) : blocksOf(chapter).map((block) => entryOf(block, pairing, diffs));
    const wholeChapter = !twin && entries.every((entry) => entry.kind === 'added');
    const { changes: inEntryOrder, notices } = markChapter(chapter, entries, hosted, wholeChapter, context);
    const changes = [...inEntryOrder].sort((a, b) => idNumber(a.id) - idNumber(b.id));
    if (twin && (changes.length > 0 || twin.renamed)) {
      chapterChanges.push({
        chapterId: chapter.id,
        title: chapter.title,
        path: chapter.path,
        earlierTitle: twin.chapter.title,
        earlierPath: twin.chapter.path,
        status: twin.renamed ? 'renamed' : 'changed',
        changes,
      });
      context.synopsis.push({ chapterId: chapter.id, title: chapter.title, earlierTitle: twin.chapter.title, rows: synopsisRows(entries, inEntryOrder, context) });
    } else if (!twin) {
      chapterChanges.push({ chapterId: chapter.id, title: chapter.title, path: chapter.path, status: 'added', changes });
      context.synopsis.push({ chapterId: chapter.id, title: chapter.title, rows: synopsisRows(entries, inEntryOrder, context, wholeChapter) });
    }
    for (const { removed, change } of notices) {
      chapterChanges.push({ chapterId: removed.chapter.id, title: removed.chapter.title, path: removed.chapter.path, earlierTitle: removed.chapter.title, earlierPath: removed.chapter.path, status: 'removed', changes: [change] });
      context.synopsis.push({
        chapterId: removed.chapter.id,
        title: removed.chapter.title,
        earlierTitle: removed.chapter.title,
        rows: removed.blocks.map((block, index) => ({ kind: 'removed', earlier: wholeSide(block, 'del', datetime), changeId: index === 0 ? change.id : undefined })),
      });
    }
  }
  for (const removed of removedChapters.filter((entry) => !entry.host)) {
    // No later chapter at all: nothing can hold the notice.
    const change = removedChapterChange(removed, `aenderung-${++context.counter}`, removed.chapter.id);
    chapterChanges.push({ chapterId: removed.chapter.id, title: removed.chapter.title, path: removed.chapter.path, status: 'removed', changes: [change] });
  }

  countNewContributions(laterChapters.flatMap(blocksOf), pairing, context.newContributions);
  return {
    changes: { since: baseline, summary: summarize(chapterChanges), chapters: chapterChanges, synopsis: context.synopsis, newContributions: context.newContributions },
    trees: context.trees,
  };
}

function idNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf('-') + 1));
}

function entryOf(block: Block, pairing: Pairing, diffs: Map<Block, WordDiff>): Entry {
  const twin = pairing.ofLater.get(block);
  if (!twin) return { kind: 'added', later: block };
  switch (twin.match) {
    case 'same':
      return { kind: 'same', later: block, earlier: twin.earlier };
    case 'replaced':
      return { kind: 'replaced', later: block, earlier: twin.earlier };
    case 'similar':
      return { kind: 'changed', later: block, earlier: twin.earlier, diff: diffs.get(block) };
    case 'moved':
      return { kind: 'moved', later: block, earlier: twin.earlier, diff: diffs.get(block) };
  }
}

/** The later chapter's blocks in order, with the removed blocks of its earlier twin where they stood. */
function entriesOf(earlier: readonly Block[], later: readonly Block[], pairing: Pairing, diffs: Map<Block, WordDiff>): Entry[] {
  // The pairs that keep their order (all but moves): a removed block goes after the previous one.
  const laterOfEarlier: Array<number | undefined> = earlier.map((block) => {
    const twin = pairing.ofEarlier.get(block);
    return twin && twin.chapter === later[0]?.chapter && pairing.ofLater.get(twin)?.match !== 'moved' ? twin.index : undefined;
  });
  const removedAt = new Map<number, Block[]>();
  let previousLater = -1;
  earlier.forEach((block, index) => {
    const at = laterOfEarlier[index];
    if (at !== undefined) previousLater = at;
    else if (!pairing.ofEarlier.has(block)) {
      const list = removedAt.get(previousLater + 1) ?? [];
      list.push(block);
      removedAt.set(previousLater + 1, list);
    }
  });
  const entries: Entry[] = [];
  for (let j = 0; j <= later.length; j++) {
    for (const block of removedAt.get(j) ?? []) entries.push({ kind: 'removed', earlier: block, next: later[j], previous: later[j - 1] });
    if (j < later.length) entries.push(entryOf(later[j]!, pairing, diffs));
  }
  return entries;
}

interface MarkContext {
  datetime: string;
  /** The earlier twin of each later chapter that has one. */
  twins: Map<Chapter, Chapter>;
  pairing: Pairing;
  diffs: Map<Block, WordDiff>;
  counter: number;
  trees: Map<string, Root>;
  synopsis: ChapterSynopsis[];
  newContributions: Map<string, number>;
}

/** Marks the changes of one later chapter in a copy of its tree; returns its changes in reading order. */
function markChapter(
  chapter: Chapter,
  entries: Entry[],
  hosted: RemovedChapter[],
  wholeChapter: boolean,
  context: MarkContext,
): { changes: BlockChange[]; notices: Array<{ removed: RemovedChapter; change: BlockChange }> } {
  const changes: BlockChange[] = [];
  const notices: Array<{ removed: RemovedChapter; change: BlockChange }> = [];
  if (hosted.length === 0 && entries.every((entry) => entry.kind === 'same')) return { changes, notices };
  const { tree, map } = copyTree(chapter.tree);
  context.trees.set(chapter.id, tree);
  const { datetime } = context;
  // Ids are numbered in reading order once everything is in the tree.
  let pending = 0;
  const nextId = () => `${pendingPrefix}${++pending}`;
  const elementOf = (block: Block) => map.get(block.element) as Element;
  const placer = new RemovedPlacer(tree, map);

  const notice = (removed: RemovedChapter) => {
    const id = nextId();
    const paragraph: Element = {
      type: 'element',
      tagName: 'p',
      properties: { id, className: ['aenderung', 'aenderung--removed'] },
      children: [changeElement('del', datetime, [{ type: 'text', value: `Kapitel „${removed.chapter.title}“` }]), { type: 'text', value: ' ' }, { type: 'element', tagName: 'span', properties: { className: ['aenderung__vermerk'] }, children: [{ type: 'text', value: 'entfällt' }] }],
    };
    if (removed.atStart) {
      const title = tree.children.findIndex((child) => child.type === 'element' && child.tagName === 'h1');
      tree.children.splice(title + 1, 0, paragraph);
    } else {
      const footnotes = tree.children.findIndex((child) => child.type === 'element' && child.properties.dataFootnotes !== undefined);
      tree.children.splice(footnotes >= 0 ? footnotes : tree.children.length, 0, paragraph);
    }
    notices.push({ removed, change: removedChapterChange(removed, id, chapter.id) });
  };
  for (const removed of hosted.filter((entry) => entry.atStart)) notice(removed);

  if (wholeChapter) {
    // A new chapter: one change for it, every block inserted, announced once at its title.
    const id = nextId();
    entries.forEach((entry, index) => {
      const block = (entry as { later: Block }).later;
      const element = elementOf(block);
      const runs = runsIn(block.runs, map);
      runs.forEach((run, r) => replaceWith(run, changeElement('ins', datetime, run.nodes, index === 0 && r === 0)));
      addChangeClass(element, 'added');
      if (index === 0) setChangeId(element, id, runs[0]?.container);
    });
    const blocks = entries.map((entry) => (entry as { later: Block }).later);
    changes.push({
      id,
      kind: 'added',
      block: blocks[0]?.type ?? 'heading',
      chapterId: chapter.id,
      place: blocks[0]?.place ?? { file: chapter.path, line: 1, column: 1 },
      newText: chapter.title,
      wordsAdded: blocks.reduce((sum, block) => sum + block.words, 0),
      wordsRemoved: 0,
    });
  } else {
    const end = endPlace(chapter);
    for (const entry of entries) {
      if (entry.kind !== 'removed') placer.interrupt();
      if (entry.kind === 'same') continue;
      const id = nextId();
      if (entry.kind === 'removed') {
        const struck = struckCopy(entry.earlier, datetime);
        addChangeClass(struck, 'removed');
        struck.properties.id = id;
        const twin = (block: Block | undefined) => (block ? context.pairing.ofLater.get(block)?.earlier : undefined);
        placer.insert(entry.earlier, struck, entry.previous, entry.next, twin(entry.previous), twin(entry.next));
        changes.push({ ...texts(entry.earlier, undefined), id, kind: 'removed', block: entry.earlier.type, chapterId: chapter.id, place: entry.next?.place ?? end, earlierPlace: entry.earlier.place, wordsAdded: 0, wordsRemoved: entry.earlier.words });
        continue;
      }
      const block = entry.later;
      const element = elementOf(block);
      const runs = runsIn(block.runs, map);
      const base = { ...texts(entry.kind === 'added' ? undefined : entry.earlier, block), id, block: block.type, chapterId: chapter.id, place: block.place };
      if (entry.kind === 'added') {
        wrapRuns(runs, 'ins', datetime);
        addChangeClass(element, 'added');
        setChangeId(element, id, runs[0]?.container);
        changes.push({ ...base, kind: 'added', wordsAdded: block.words, wordsRemoved: 0, ...sourceField(sourceOf(block, tokensOf(block))) });
        continue;
      }
      if (entry.kind === 'replaced') {
        const struck = struckCopy(entry.earlier, datetime);
        addChangeClass(struck, 'replaced');
        struck.properties.id = id;
        const parent = map.get(block.parent) as Element | Root;
        parent.children.splice(parent.children.indexOf(element), 0, struck);
        wrapRuns(runs, 'ins', datetime);
        addChangeClass(element, 'replaced');
        if (runs[0]) addNote(runs[0].container, 'aenderung__vermerk', 'neu gefasst');
        changes.push({ ...base, kind: 'replaced', earlierPlace: entry.earlier.place, wordsAdded: block.words, wordsRemoved: entry.earlier.words, ...sourceField(sourceOf(block, tokensOf(block))) });
        continue;
      }
      // Changed or moved.
      const diff = entry.diff;
      if (diff?.changed) rebuildRuns(runs, diff.ops, 'both', datetime, false);
      addChangeClass(element, entry.kind);
      const fromElsewhere = entry.kind === 'moved' && context.twins.get(chapter) !== entry.earlier.chapter;
      if (fromElsewhere && runs[0]) addNote(runs[0].container, 'aenderung__herkunft', `verschoben aus „${entry.earlier.chapter.title}“`);
      setChangeId(element, id, runs[0]?.container);
      const inserted = diff?.changed ? diff.ops.filter((op) => op.status === 'ins').map((op) => op.token) : tokensOf(block);
      changes.push({
        ...base,
        kind: entry.kind,
        earlierPlace: entry.earlier.place,
        wordsAdded: diff?.changed ? diff.wordsAdded : 0,
        wordsRemoved: diff?.changed ? diff.wordsRemoved : 0,
        ...sourceField(block.source ?? sourceOf(block, inserted)),
        ...(fromElsewhere ? { movedFrom: { chapterTitle: entry.earlier.chapter.title, place: entry.earlier.place } } : {}),
      });
    }
  }
  for (const removed of hosted.filter((entry) => !entry.atStart)) notice(removed);
  numberChanges(tree, [...changes, ...notices.map((entry) => entry.change)], context);
  return { changes, notices };
}

const pendingPrefix = 'aenderung-vorlaeufig-';

/** Gives the changes of one marked tree their final ids, `aenderung-<n>`, in reading order. */
function numberChanges(tree: Root, changes: BlockChange[], context: MarkContext): void {
  const final = new Map<string, string>();
  const walk = (node: Root | Element) => {
    if (node.type === 'element' && typeof node.properties.id === 'string' && node.properties.id.startsWith(pendingPrefix)) {
      const id = `aenderung-${++context.counter}`;
      final.set(node.properties.id, id);
      node.properties.id = id;
    }
    for (const child of node.children) if (child.type === 'element') walk(child);
  };
  walk(tree);
  for (const change of changes) change.id = final.get(change.id) ?? `aenderung-${++context.counter}`;
}

function replaceWith(run: { container: Element; nodes: ElementContent[] }, node: ElementContent): void {
  const at = run.container.children.indexOf(run.nodes[0]!);
  if (at >= 0) run.container.children.splice(at, run.nodes.length, node);
}

/** A struck copy of an earlier block: no ids, no links, its content in `<del>`. */
function struckCopy(block: Block, datetime: string): Element {
  const { tree, map } = copyTree(block.element, true);
  wrapRuns(runsIn(block.runs, map), 'del', datetime);
  return tree;
}

/** The Synopse's view of a whole block: all inserted or all struck. */
function wholeSide(block: Block, tagName: 'ins' | 'del', datetime: string): ElementContent[] {
  const { tree, map } = copyTree(block.element, true);
  wrapRuns(runsIn(block.runs, map), tagName, datetime);
  return [standalone(block, tree)];
}

/** The Synopse's view of one side of a block with word changes. */
function diffSide(block: Block, diff: WordDiff, side: 'earlier' | 'later', datetime: string): ElementContent[] {
  const { tree, map } = copyTree(block.element, true);
  rebuildRuns(runsIn(block.runs, map), diff.ops, side, datetime, true);
  return [standalone(block, tree)];
}

/** The Synopse's view of an unchanged block. */
function plainSide(block: Block): ElementContent[] {
  return [standalone(block, copyTree(block.element, true).tree)];
}

function synopsisRows(entries: readonly Entry[], changes: readonly BlockChange[], context: MarkContext, wholeChapter = false): SynopsisRow[] {
  const rows: SynopsisRow[] = [];
  const { datetime } = context;
  let changeIndex = 0;
  for (const entry of entries) {
    if (entry.kind === 'same') {
      const last = rows.at(-1);
      if (last?.kind === 'unchanged') last.count = (last.count ?? 0) + 1;
      else rows.push({ kind: 'unchanged', count: 1 });
      continue;
    }
    const changeId = wholeChapter ? (rows.length === 0 ? changes[0]?.id : undefined) : changes[changeIndex++]?.id;
    switch (entry.kind) {
      case 'added':
        rows.push({ kind: 'added', later: wholeSide(entry.later, 'ins', datetime), changeId });
        break;
      case 'removed':
        rows.push({ kind: 'removed', earlier: wholeSide(entry.earlier, 'del', datetime), changeId });
        break;
      case 'replaced':
        rows.push({ kind: 'replaced', earlier: wholeSide(entry.earlier, 'del', datetime), later: wholeSide(entry.later, 'ins', datetime), changeId });
        break;
      default:
        rows.push(
          entry.diff?.changed
            ? { kind: entry.kind, earlier: diffSide(entry.earlier, entry.diff, 'earlier', datetime), later: diffSide(entry.later, entry.diff, 'later', datetime), changeId }
            : { kind: entry.kind, earlier: plainSide(entry.earlier), later: plainSide(entry.later), changeId },
        );
    }
  }
  return rows;
}

function removedChapterChange(removed: RemovedChapter, id: string, chapterId: string): BlockChange {
  const first = removed.blocks[0] ?? flattenChapter(removed.chapter)[0];
  return {
    id,
    kind: 'removed',
    block: first?.type ?? 'heading',
    chapterId,
    place: removed.host ? endPlace(removed.host) : { file: removed.chapter.path, line: 1, column: 1 },
    earlierPlace: first?.place ?? { file: removed.chapter.path, line: 1, column: 1 },
    oldText: removed.chapter.title,
    wordsAdded: 0,
    wordsRemoved: removed.blocks.reduce((sum, block) => sum + block.words, 0),
  };
}

/** The place after a chapter's last line. */
function endPlace(chapter: Chapter): Place {
  const end = chapter.tree.position?.end;
  return { file: chapter.path, line: end?.line ?? 1, column: end?.column ?? 1 };
}

function texts(earlier: Block | undefined, later: Block | undefined): { oldText?: string; newText?: string } {
  return { ...(earlier ? { oldText: plainOf(earlier) } : {}), ...(later ? { newText: plainOf(later) } : {}) };
}

function sourceField(source: string | undefined): { source?: string } {
  return source ? { source } : {};
}

/** The source of the marked passage that holds all the words of `tokens`, if one does. */
function sourceOf(block: Block, tokens: readonly Token[]): string | undefined {
  if (block.source) return block.source;
  const sources = new Set<string>();
  for (const token of tokens) {
    if (token.words === 0) continue;
    const passage = token.path.find((element) => classesOf(element).includes('beitrag--inline'));
    if (!passage) return undefined;
    sources.add(String(passage.properties.dataQuelle ?? ''));
  }
  return sources.size === 1 ? [...sources][0] : undefined;
}

/**
 * New marked passages per source: a passage is new unless a block it covers was already there
 * (paired with an earlier block) marked with the same source.
 */
function countNewContributions(blocks: readonly Block[], pairing: Pairing, counts: Map<string, number>): void {
  const covered = new Map<Element, { source: string; blocks: Block[] }>();
  for (const block of blocks) {
    for (const passage of block.passages) cover(covered, passage, String(passage.properties.dataQuelle ?? ''), block);
  }
  for (const { source, blocks: list } of covered.values()) {
    const known = list.some((block) => {
      const twin = pairing.ofLater.get(block)?.earlier;
      return twin && (twin.source === source || twin.inlineSources.includes(source));
    });
    if (!known) counts.set(source, (counts.get(source) ?? 0) + 1);
  }
}

function cover(covered: Map<Element, { source: string; blocks: Block[] }>, passage: Element, source: string, block: Block): void {
  const entry = covered.get(passage);
  if (!entry) covered.set(passage, { source, blocks: [block] });
  else if (!entry.blocks.includes(block)) entry.blocks.push(block);
}

function summarize(chapters: readonly ChapterChange[]): ChangeSummary {
  const summary: ChangeSummary = { chaptersChanged: 0, chaptersAdded: 0, chaptersRemoved: 0, added: 0, changed: 0, moved: 0, removed: 0, replaced: 0, wordsAdded: 0, wordsRemoved: 0 };
  for (const chapter of chapters) {
    if (chapter.status === 'added') summary.chaptersAdded++;
    else if (chapter.status === 'removed') summary.chaptersRemoved++;
    else summary.chaptersChanged++;
    for (const change of chapter.changes) {
      summary[change.kind satisfies ChangeKind]++;
      summary.wordsAdded += change.wordsAdded;
      summary.wordsRemoved += change.wordsRemoved;
    }
  }
  return summary;
}
