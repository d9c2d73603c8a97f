/**
 * `charta diff <from> [<to>]`: what changed between two versions of the charta, without building
 * an edition. `<to>` is the working tree by default; both may be a version of `versionen`, a git
 * revision or a folder with a project.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import type { Changes } from '../compare/changes.js';
import { compareChartas } from '../compare/compare-chartas.js';
import { loadEarlier } from '../load/earlier-sources.js';
import { loadCharta } from '../load/load-charta.js';
import { assertProject } from './build.js';
import { ChartaError, ContentError, ExitCode } from '../core/errors.js';
import { countMessages } from '../core/messages.js';

export interface DiffResult {
  changes: Changes;
  /** The working tree's files with their messages (when `to` is the working tree). */
  files: VFile[];
  /** The problems of versions read from git or another folder, naming the version. */
  warnings: string[];
}

/** Compares version `from` with version `to` (the working tree when absent). */
export async function diff(root: string, from: string, to?: string): Promise<DiffResult> {
  const resolved = path.resolve(root);
  assertProject(resolved);
  const current = await loadCharta({ root: resolved });
  const versions = current.charta?.meta.versionen;
  let later = current.charta;
  const warnings: string[] = [];
  if (to !== undefined) {
    const loaded = await loadEarlier(resolved, to, versions);
    warnings.push(...loaded.warnings);
    if (!loaded.charta) throw new ChartaError(`Could not compare: the sources of ${loaded.baseline.label} do not load`, ExitCode.environment, loaded.warnings.slice(0, 5).join('\n  '));
    later = loaded.charta;
  } else if (!later) {
    throw Object.assign(new ContentError(countMessages(current.files).errors), { files: current.files });
  }
  const earlier = await loadEarlier(resolved, from, versions);
  warnings.push(...earlier.warnings);
  if (!earlier.charta) throw new ChartaError(`Could not compare: the sources of ${earlier.baseline.label} do not load`, ExitCode.environment, earlier.warnings.slice(0, 5).join('\n  '));
  const { changes } = compareChartas(earlier.charta, later, earlier.baseline);
  return { changes, files: to === undefined ? current.files : [], warnings };
}
