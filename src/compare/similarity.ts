/**
 * How alike two blocks are: the Dice coefficient of their sets of lower-case words (and atoms),
 * and an index that finds, for a block, the few blocks that share its rarest words, so that no
 * comparison runs over all pairs of a large charta.
 */
import { wordsOf, type Block } from './blocks.js';

/** Blocks at least this alike pair as the same block with changed words. */
export const changedSimilarity = 0.5;

/** An added and a removed block at least this alike (and not equal) are one moved block. */
export const movedSimilarity = 0.8;

/** Blocks of fewer words than this move only when their text is equal. */
export const minMovedWords = 5;

/** How many of a block's rarest words pick its candidates. */
const rareWords = 6;

/** At most this many candidates are compared with a block. */
const maxCandidates = 40;

/** Gaps up to this many pairs are compared pair by pair, without an index. */
export const allPairsLimit = 4096;

/** The Dice coefficient of the words of `a` and `b`: 1 for the same words, 0 for none shared. */
export function similarity(a: Block, b: Block): number {
  const x = wordsOf(a);
  const y = wordsOf(b);
  if (x.size === 0 && y.size === 0) return a.text === b.text ? 1 : 0;
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let shared = 0;
  for (const word of small) if (large.has(word)) shared++;
  return (2 * shared) / (x.size + y.size);
}

/** Finds, for a block, the indexed blocks that share its rarest words. */
export class CandidateIndex {
  private readonly byWord = new Map<string, Block[]>();

  constructor(blocks: Iterable<Block>) {
    for (const block of blocks) {
      for (const word of wordsOf(block)) {
        let list = this.byWord.get(word);
        if (!list) this.byWord.set(word, (list = []));
        list.push(block);
      }
    }
  }

  /** The indexed blocks that share one of the rarest words of `block`, at most `maxCandidates`. */
  candidates(block: Block): Block[] {
    const lists = [...wordsOf(block)]
      .map((word) => this.byWord.get(word))
      .filter((list): list is Block[] => list !== undefined)
      .sort((a, b) => a.length - b.length)
      .slice(0, rareWords);
    const found = new Set<Block>();
    for (const list of lists) {
      for (const candidate of list) {
        found.add(candidate);
        if (found.size >= maxCandidates) return [...found];
      }
    }
    return [...found];
  }
}
