/**
 * `charta check`: every validation of a build, writing nothing.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import { loadCharta } from '../load/load-charta.js';
import { assertProject } from './build.js';

export interface CheckOptions {
  /** Use the persistent cache of transformed chapters (default true; `--no-cache`). */
  cache?: boolean;
}

/** Loads and checks the charta in `root`; the messages are on the returned files. */
export async function check(root: string, options: CheckOptions = {}): Promise<VFile[]> {
  const resolved = path.resolve(root);
  assertProject(resolved);
  const { files } = await loadCharta({ root: resolved, diskCache: options.cache ?? true });
  // The project's templates that no longer fit the toolkit's defaults.
  const { checkOverrides } = await import('../init/project-templates.js');
  return [...files, ...(await checkOverrides(resolved))];
}
