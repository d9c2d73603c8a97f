/**
 * `charta init <dir>`: a new publication project with a small example (metadata, a sources
 * registry, one part with a marked passage), the templates and the editors' schemas, that builds
 * at once. Another region's network can start its own charta from it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChartaError, ExitCode } from '../core/errors.js';
import { exampleIdentifier } from '../load/schema.js';

/** The toolkit's own folder, which holds `templates/` and `schemas/`. */
const toolkit = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Creates the project in `dir`; returns the files it made, relative to `dir`. */
export async function initProject(dir: string): Promise<string[]> {
  const target = path.resolve(dir);
  if (existsSync(path.join(target, 'charta')) || existsSync(path.join(target, 'templates'))) {
    throw new ChartaError(`${target} already holds a charta project`, ExitCode.environment, 'Choose an empty or new folder.');
  }
  try {
    await mkdir(target, { recursive: true });
    await cp(path.join(toolkit, 'templates', 'init', 'charta'), path.join(target, 'charta'), { recursive: true });
    await cp(path.join(toolkit, 'templates'), path.join(target, 'templates'), {
      recursive: true,
      filter: (source) => source !== path.join(toolkit, 'templates', 'init'),
    });
    await cp(path.join(toolkit, 'schemas'), path.join(target, 'schemas'), { recursive: true });
    // Every project its own identifier: reading systems and libraries tell EPUBs apart by it.
    const metadata = path.join(target, 'charta', 'charta.yaml');
    await writeFile(metadata, (await readFile(metadata, 'utf8')).replace(exampleIdentifier, `urn:uuid:${randomUUID()}`));
  } catch (cause) {
    throw new ChartaError(`Cannot create the project in ${target}: ${(cause as Error).message}`, ExitCode.environment);
  }
  const made = await readdir(target, { recursive: true, withFileTypes: true });
  return made
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(target, path.join(entry.parentPath, entry.name)))
    .sort();
}
