/**
 * Comparing the charta with an earlier version of itself: what `charta build --since <ref>` and
 * `charta diff <from> [<to>]` share. The earlier sources are read by `loadEarlier` (from git or
 * a folder, with the same loader), compared by `compareChartas`, and the later charta comes back
 * with its changes and its chapters' trees marked.
 */
import type { Charta } from '../charta.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { loadEarlier } from '../load/earlier-sources.js';
import type { Changes } from './changes.js';
import { compareChartas } from './compare-chartas.js';

export interface Compared {
  /** The later charta with `changes` set and the changes marked in its chapters' trees. */
  charta: Charta;
  changes: Changes;
  /** The earlier version's own problems, as warnings that name the version. */
  warnings: string[];
}

/** Compares `charta` with the earlier version `ref` (a version of `versionen`, a git revision or a folder). */
export async function compareWith(charta: Charta, ref: string): Promise<Compared> {
  const earlier = await loadEarlier(charta.root, ref, charta.meta.versionen);
  if (!earlier.charta) {
    const shown = earlier.warnings.slice(0, 5);
    const more = earlier.warnings.length - shown.length;
    throw new ChartaError(
      `Could not compare with ${earlier.baseline.label}: its sources do not load`,
      ExitCode.environment,
      [...shown, ...(more > 0 ? [`… and ${more} more`] : []), 'Compare with another version: the earlier version is read as it was committed.'].join('\n  '),
    );
  }
  const { changes, trees } = compareChartas(earlier.charta, charta, earlier.baseline);
  return { charta: withMarkedTrees(charta, changes, trees), changes, warnings: earlier.warnings };
}

/** The charta with its changes and the marked tree of each changed chapter. */
function withMarkedTrees(charta: Charta, changes: Changes, trees: ReadonlyMap<string, Charta['parts'][number]['chapters'][number]['tree']>): Charta {
  return {
    ...charta,
    changes,
    parts: charta.parts.map((part) => ({
      ...part,
      chapters: part.chapters.map((chapter) => {
        const tree = trees.get(chapter.id);
        return tree ? { ...chapter, tree } : chapter;
      }),
    })),
  };
}
