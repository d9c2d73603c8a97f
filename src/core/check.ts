/**
 * `charta check`: every validation of a build, writing nothing.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import { loadCharta } from '../load/load-charta.js';
import { assertProject } from './build.js';

/** Loads and checks the charta in `root`; the messages are on the returned files. */
export async function check(root: string): Promise<VFile[]> {
  const resolved = path.resolve(root);
  assertProject(resolved);
  const { files } = await loadCharta({ root: resolved });
  return files;
}
