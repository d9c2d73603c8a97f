/**
 * `charta init <dir>`: a new publication project with a small example (metadata, a sources
 * registry, one part with a marked passage) and the editors' schemas, that builds at once. Its
 * `templates/` starts empty but for a short README: the toolkit's templates are the defaults, and
 * the project overrides single files (`template-files.ts`). Another region's network can start its
 * own charta from it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChartaError, ExitCode } from '../core/errors.js';
import { toolkitRoot } from '../core/toolkit.js';
import { exampleIdentifier } from '../load/identifiers.js';


/** Creates the project in `dir`; returns the files it made, relative to `dir`. */
export async function initProject(dir: string): Promise<string[]> {
  const target = path.resolve(dir);
  if (existsSync(path.join(target, 'charta')) || existsSync(path.join(target, 'templates'))) {
    throw new ChartaError(`${target} already holds a charta project`, ExitCode.environment, 'Choose an empty or new folder.');
  }
  try {
    await mkdir(target, { recursive: true });
    await cp(path.join(toolkitRoot, 'templates', 'init', 'charta'), path.join(target, 'charta'), { recursive: true });
    await mkdir(path.join(target, 'templates'));
    await cp(path.join(toolkitRoot, 'templates', 'init', 'templates-README.md'), path.join(target, 'templates', 'README.md'));
    await cp(path.join(toolkitRoot, 'schemas'), path.join(target, 'schemas'), { recursive: true });
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
