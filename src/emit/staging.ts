/**
 * The emit stage writes every artefact into a staging folder beside the output and moves it into
 * place only when the whole build has succeeded: a failed or interrupted build leaves the previous
 * `dist/` as it was, and two builds at once never mix their files.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ChartaError } from '../core/errors.js';
import type { EditionFile } from '../render/edition.js';

/** A folder an artefact is written into before it is moved into `dist/`. */
export interface Staging {
  /** The absolute path of artefact `name` (a file or a folder) inside the staging folder. */
  pathOf(name: string): string;
  /** Writes `files` into the folder artefact `name`. */
  writeFolder(name: string, files: readonly EditionFile[]): Promise<void>;
  /** Writes the file artefact `name`. */
  writeFile(name: string, contents: string | Uint8Array): Promise<void>;
  /** Moves every artefact into the output folder, replacing the previous one. */
  commit(): Promise<string[]>;
  /** Removes the staging folder. */
  discard(): Promise<void>;
}

const stagingPrefix = '.charta-tmp-';

/** Creates a staging folder inside `outDir`. */
export async function createStaging(outDir: string): Promise<Staging> {
  const dir = path.join(outDir, `${stagingPrefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw writeError(outDir, cause);
  }
  const artefacts: string[] = [];
  const write = async (target: string, contents: string | Uint8Array) => {
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, contents);
    } catch (cause) {
      throw writeError(outDir, cause);
    }
  };
  return {
    pathOf: (name) => path.join(dir, name),
    async writeFolder(name, files) {
      artefacts.push(name);
      const base = path.join(dir, name);
      await mkdir(base, { recursive: true });
      for (const file of files) await write(path.join(base, ...file.path.split('/')), file.contents);
    },
    async writeFile(name, contents) {
      artefacts.push(name);
      await write(path.join(dir, name), contents);
    },
    async commit() {
      const written: string[] = [];
      for (const name of artefacts) {
        const target = path.join(outDir, name);
        const old = path.join(dir, `${name}.old`);
        try {
          await rename(target, old).catch((cause: NodeJS.ErrnoException) => {
            if (cause.code !== 'ENOENT') throw cause;
          });
          await rename(path.join(dir, name), target);
        } catch (cause) {
          throw writeError(outDir, cause);
        }
        written.push(target);
      }
      await rm(dir, { recursive: true, force: true });
      return written;
    },
    discard: () => rm(dir, { recursive: true, force: true }),
  };
}

function writeError(outDir: string, cause: unknown): ChartaError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'it is not writable' : (code ?? String(cause));
  return new ChartaError(`Cannot write the editions into ${outDir}: ${reason}`, 2, 'Choose another folder with --out, or free space.', { cause });
}
