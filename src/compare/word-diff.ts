/**
 * The words inside a changed block: the tokens of the earlier and the later block diffed with the
 * `diff` package (Myers), then, as latexdiff does, unchanged stretches of fewer than
 * `foldWords` words between two changes folded into one change, so that a rewritten sentence
 * reads as one struck and one inserted phrase rather than confetti.
 */
import { diffArrays } from 'diff';
import type { Token } from './tokens.js';

/** Unchanged stretches with fewer words than this, between two changes, are folded into them. */
export const foldWords = 3;

/** A block whose struck share of its earlier words exceeds this is `replaced` ("neu gefasst"). */
export const replacedShare = 0.6;

/** Word diffs stop (and the block counts as replaced) beyond this many token edits. */
const maxTokenEdits = 4000;

/** One token of the marked result: kept (`same`, with its earlier twin), inserted or struck. */
export type Op = { status: 'same'; token: Token; old: Token } | { status: 'ins'; token: Token } | { status: 'del'; token: Token };

export interface WordDiff {
  ops: Op[];
  wordsAdded: number;
  wordsRemoved: number;
  /** Struck words as a share of the earlier block's words. */
  share: number;
  /** Whether anything but labels changed. */
  changed: boolean;
}

type Segment = { same: true; old: Token[]; new: Token[] } | { same: false; del: Token[]; ins: Token[] };

/** Diffs the tokens of two blocks. */
export function diffWords(earlier: readonly Token[], later: readonly Token[]): WordDiff {
  const parts = diffArrays(
    earlier.map((token) => token.key),
    later.map((token) => token.key),
    { maxEditLength: maxTokenEdits },
  );
  const segments: Segment[] = [];
  if (!parts) {
    segments.push({ same: false, del: [...earlier], ins: [...later] });
  } else {
    let o = 0;
    let n = 0;
    for (const part of parts) {
      const count = part.count ?? part.value.length;
      if (part.added || part.removed) {
        let last = segments.at(-1);
        if (!last || last.same) segments.push((last = { same: false, del: [], ins: [] }));
        if (part.removed) last.del.push(...earlier.slice(o, (o += count)));
        else last.ins.push(...later.slice(n, (n += count)));
      } else {
        segments.push({ same: true, old: earlier.slice(o, (o += count)), new: later.slice(n, (n += count)) });
      }
    }
  }
  const folded = fold(segments);
  const ops: Op[] = [];
  let wordsAdded = 0;
  let wordsRemoved = 0;
  for (const segment of folded) {
    if (segment.same) {
      segment.new.forEach((token, i) => ops.push({ status: 'same', token, old: segment.old[i]! }));
      continue;
    }
    // A space that both sides start or end with is no part of the change: it stays unmarked.
    const lead = segment.del[0]?.kind === 'space' && segment.ins[0]?.kind === 'space' ? { token: segment.ins.shift()!, old: segment.del.shift()! } : undefined;
    const trail = segment.del.at(-1)?.kind === 'space' && segment.ins.at(-1)?.kind === 'space' ? { token: segment.ins.pop()!, old: segment.del.pop()! } : undefined;
    if (lead) ops.push({ status: 'same', ...lead });
    for (const token of segment.del) {
      // Labels are generated: an earlier one is simply gone, a later one simply there.
      if (token.kind === 'label') continue;
      ops.push({ status: 'del', token });
      wordsRemoved += token.words;
    }
    for (const token of segment.ins) {
      if (token.kind === 'label') {
        ops.push({ status: 'same', token, old: token });
        continue;
      }
      ops.push({ status: 'ins', token });
      wordsAdded += token.words;
    }
    if (trail) ops.push({ status: 'same', ...trail });
  }
  const earlierWords = earlier.reduce((sum, token) => sum + token.words, 0);
  const changed = ops.some((op) => op.status !== 'same' && op.token.kind !== 'space' && op.token.kind !== 'break');
  return { ops, wordsAdded, wordsRemoved, share: earlierWords === 0 ? (wordsAdded > 0 ? 1 : 0) : wordsRemoved / earlierWords, changed };
}

/** Folds short unchanged stretches that lie between two changes into one change. */
function fold(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const previous = out.at(-1);
    const next = segments[i + 1];
    if (
      segment.same &&
      previous &&
      !previous.same &&
      next &&
      !next.same &&
      segment.new.reduce((sum, token) => sum + token.words, 0) < foldWords &&
      !segment.new.some((token) => token.kind === 'label')
    ) {
      previous.del.push(...segment.old, ...next.del);
      previous.ins.push(...segment.new, ...next.ins);
      i++;
      continue;
    }
    if (!segment.same && previous && !previous.same) {
      previous.del.push(...segment.del);
      previous.ins.push(...segment.ins);
      continue;
    }
    out.push(segment.same ? segment : { same: false, del: [...segment.del], ins: [...segment.ins] });
  }
  return out;
}
