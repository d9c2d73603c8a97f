/**
 * Pairs the blocks of two versions the way Wikipedia's differ does: first the longest common
 * subsequence of exactly equal blocks in each pair of chapters (Myers, the `diff` package), then
 * within each gap between equal blocks the most alike blocks of the same type (in order), then
 * across the whole charta the blocks left over that are equal or nearly so (moved), and last, in
 * what is still left of a gap, a block of the same type at the same position (replaced).
 */
import { diffArrays } from 'diff';
import type { Block } from './blocks.js';
import { allPairsLimit, CandidateIndex, changedSimilarity, minMovedWords, movedSimilarity, similarity } from './similarity.js';

/**
 * - `same`: equal text; `similar`: alike, words changed; `replaced`: the same type at the same
 *   place, but not alike; `moved`: equal or nearly so, elsewhere.
 */
export type Match = 'same' | 'similar' | 'replaced' | 'moved';

/** Which earlier block each later block is, and the other way round. */
export class Pairing {
  readonly ofLater = new Map<Block, { earlier: Block; match: Match }>();
  readonly ofEarlier = new Map<Block, Block>();

  set(later: Block, earlier: Block, match: Match): void {
    this.ofLater.set(later, { earlier, match });
    this.ofEarlier.set(earlier, later);
  }

  has(block: Block): boolean {
    return this.ofLater.has(block) || this.ofEarlier.has(block);
  }
}

/** A stretch between two equal blocks: the earlier and the later blocks in it. */
export interface Gap {
  earlier: Block[];
  later: Block[];
}

/** Myers gives up on a stretch between anchors (its blocks stay unpaired) beyond this many block edits. */
const maxBlockEdits = 2000;

/** What makes two blocks equal: their identity key and their normalised text. */
function hashOf(block: Block): string {
  return `${block.key ?? ''}\u0000${block.text}`;
}

/** Pairs the equal and the alike blocks of one pair of chapters; returns the gaps. */
export function pairChapter(earlier: readonly Block[], later: readonly Block[], pairing: Pairing): Gap[] {
  const matches = equalPairs(earlier.map(hashOf), later.map(hashOf));
  const gaps: Gap[] = [];
  let i = 0;
  let j = 0;
  for (const [a, b] of [...matches, [earlier.length, later.length] as const]) {
    if (a > i || b > j) gaps.push({ earlier: earlier.slice(i, a), later: later.slice(j, b) });
    if (a < earlier.length && b < later.length) pairing.set(later[b]!, earlier[a]!, 'same');
    i = a + 1;
    j = b + 1;
  }
  for (const gap of gaps) pairAlike(gap, pairing);
  return gaps;
}

/** The index pairs of a longest common subsequence of `a` and `b`. */
function equalPairs(a: readonly string[], b: readonly string[]): Array<readonly [number, number]> {
  const pairs: Array<readonly [number, number]> = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) pairs.push([start, start++]);
  let endA = a.length;
  let endB = b.length;
  const suffix: Array<readonly [number, number]> = [];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) suffix.push([--endA, --endB]);
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  // Blocks that occur once on each side anchor the alignment (patience diff); Myers aligns the
  // stretches between anchors, so that a long chapter with many changes stays fast.
  let i = 0;
  let j = 0;
  for (const [anchorA, anchorB] of [...uniqueAnchors(middleA, middleB), [middleA.length, middleB.length] as const]) {
    if (anchorA > i && anchorB > j) {
      const parts = diffArrays(middleA.slice(i, anchorA), middleB.slice(j, anchorB), { maxEditLength: maxBlockEdits });
      let x = i;
      let y = j;
      for (const part of parts ?? []) {
        const count = part.count ?? part.value.length;
        if (part.removed) x += count;
        else if (part.added) y += count;
        else for (let k = 0; k < count; k++) pairs.push([start + x++, start + y++]);
      }
    }
    if (anchorA < middleA.length) pairs.push([start + anchorA, start + anchorB]);
    i = anchorA + 1;
    j = anchorB + 1;
  }
  return [...pairs, ...suffix.reverse()];
}

/** Patience alignment: the longest increasing run of blocks that occur exactly once on each side. */
function uniqueAnchors(a: readonly string[], b: readonly string[]): Array<[number, number]> {
  const count = (list: readonly string[]) => {
    const seen = new Map<string, number>();
    list.forEach((hash, index) => seen.set(hash, seen.has(hash) ? -1 : index));
    return seen;
  };
  const inA = count(a);
  const inB = count(b);
  const candidates: Array<[number, number]> = [];
  for (const [hash, i] of inA) {
    const j = inB.get(hash);
    if (i >= 0 && j !== undefined && j >= 0) candidates.push([i, j]);
  }
  candidates.sort((x, y) => x[0] - y[0]);
  // Longest increasing subsequence of the later indices, O(n log n).
  const tails: number[] = [];
  const previous: number[] = new Array<number>(candidates.length).fill(-1);
  candidates.forEach(([, j], index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (candidates[tails[mid]!]![1] < j) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[index] = tails[low - 1]!;
    tails[low] = index;
  });
  const result: Array<[number, number]> = [];
  for (let k = tails.at(-1) ?? -1; k >= 0; k = previous[k]!) result.push(candidates[k]!);
  return result.reverse();
}

/** Pairs alike blocks of the same type inside a gap, keeping their order. */
function pairAlike(gap: Gap, pairing: Pairing): void {
  const { earlier, later } = gap;
  if (earlier.length === 0 || later.length === 0) return;
  const position = new Map(earlier.map((block, index) => [block, index]));
  const found: Array<{ a: number; b: number; score: number }> = [];
  const byKey = new Map(earlier.filter((block) => block.key).map((block) => [block.key!, block]));
  const index = earlier.length * later.length > allPairsLimit ? new CandidateIndex(earlier.filter((block) => !block.key)) : undefined;
  later.forEach((block, b) => {
    if (block.key) {
      const twin = byKey.get(block.key);
      // Events and topics are the same entry by their key, however much their text changed.
      if (twin) found.push({ a: position.get(twin)!, b, score: 2 });
      return;
    }
    const candidates = index ? index.candidates(block) : earlier;
    for (const candidate of candidates) {
      if (candidate.key || candidate.type !== block.type) continue;
      const score = similarity(candidate, block);
      if (score >= changedSimilarity) found.push({ a: position.get(candidate)!, b, score });
    }
  });
  const diagonal = (pair: { a: number; b: number }) => Math.abs(pair.a / earlier.length - pair.b / later.length);
  found.sort((x, y) => y.score - x.score || diagonal(x) - diagonal(y));
  for (const pair of acceptInOrder(found)) pairing.set(later[pair.b]!, earlier[pair.a]!, 'similar');
}

/** The pairs, best first, that can be kept without crossing one kept before or reusing a block. */
function acceptInOrder<P extends { a: number; b: number }>(pairs: readonly P[]): P[] {
  const kept: P[] = [];
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  for (const pair of pairs) {
    if (usedA.has(pair.a) || usedB.has(pair.b)) continue;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (kept[mid]!.a < pair.a) low = mid + 1;
      else high = mid;
    }
    const before = kept[low - 1];
    const after = kept[low];
    if ((before && before.b > pair.b) || (after && after.b < pair.b)) continue;
    kept.splice(low, 0, pair);
    usedA.add(pair.a);
    usedB.add(pair.b);
  }
  return kept;
}

/** Pairs the blocks left over anywhere in the charta that are the same entry, equal or nearly equal. */
export function pairMoves(earlier: readonly Block[], later: readonly Block[], pairing: Pairing): void {
  const byKey = new Map<string, Block[]>();
  const byText = new Map<string, Block[]>();
  for (const block of earlier) {
    if (block.key) push(byKey, block.key, block);
    else if (block.text !== '') push(byText, block.text, block);
  }
  const rest: Block[] = [];
  for (const block of later) {
    const twin = block.key ? byKey.get(block.key)?.shift() : block.text !== '' ? take(byText.get(block.text), pairing) : undefined;
    if (twin) pairing.set(block, twin, 'moved');
    else if (!block.key && block.words >= minMovedWords) rest.push(block);
  }
  const left = earlier.filter((block) => !block.key && !pairing.has(block) && block.words >= minMovedWords);
  if (left.length === 0 || rest.length === 0) return;
  const index = new CandidateIndex(left);
  for (const block of rest) {
    let best: Block | undefined;
    let bestScore = movedSimilarity;
    for (const candidate of index.candidates(block)) {
      if (pairing.has(candidate)) continue;
      const score = similarity(candidate, block);
      if (score >= bestScore) [best, bestScore] = [candidate, score];
    }
    if (best) pairing.set(block, best, 'moved');
  }
}

function push(map: Map<string, Block[]>, key: string, block: Block): void {
  const list = map.get(key);
  if (list) list.push(block);
  else map.set(key, [block]);
}

function take(list: Block[] | undefined, pairing: Pairing): Block | undefined {
  while (list && list.length > 0) {
    const block = list.shift()!;
    if (!pairing.has(block)) return block;
  }
  return undefined;
}

/** In what is left of each gap, pairs blocks of the same type at the same position as replaced. */
export function pairReplaced(gaps: readonly Gap[], pairing: Pairing): void {
  for (const gap of gaps) {
    // The stretches between the gap's paired blocks, each taken on its own.
    let earlierLeft: Block[] = [];
    let laterLeft: Block[] = [];
    const flush = () => {
      const n = Math.min(earlierLeft.length, laterLeft.length);
      for (let k = 0; k < n; k++) {
        const [a, b] = [earlierLeft[k]!, laterLeft[k]!];
        if (a.type === b.type && a.key === b.key) pairing.set(b, a, 'replaced');
      }
      earlierLeft = [];
      laterLeft = [];
    };
    let i = 0;
    for (const block of gap.later) {
      const partner = pairing.ofLater.get(block);
      if (partner?.match === 'similar') {
        while (i < gap.earlier.length && gap.earlier[i] !== partner.earlier) {
          if (!pairing.has(gap.earlier[i]!)) earlierLeft.push(gap.earlier[i]!);
          i++;
        }
        i++;
        flush();
      } else if (!partner) {
        laterLeft.push(block);
      }
    }
    for (; i < gap.earlier.length; i++) if (!pairing.has(gap.earlier[i]!)) earlierLeft.push(gap.earlier[i]!);
    flush();
  }
}
