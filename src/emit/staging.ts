/**
 * The emit stage writes every artefact into a staging folder beside the output and moves it into
 * place only when the whole build has succeeded: a failed or interrupted build leaves the previous
 * `dist/` as it was, and two builds at once never mix their files.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * Creates a staging folder inside `outDir`, after removing those that builds killed before they
 * could clean up left behind.
 */
export async function createStaging(outDir: string): Promise<Staging> {
  const dir = path.join(outDir, `${stagingPrefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await makeFolder(outDir);
    await mkdir(dir);
  } catch (cause) {
    throw writeError(outDir, cause);
  }
  await removeAbandoned(outDir);
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
        try {
          await moveIntoPlace(path.join(dir, name), target, (attempt) => path.join(dir, `${name}.old-${attempt}`));
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

/**
 * Creates `folder` and its missing parents. Node's `mkdir(…, {recursive: true})` never returns
 * where a folder cannot be created although its parent exists (`/proc/x`); this gives up there.
 */
async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(folder)).isDirectory()) return;
      throw Object.assign(new Error(`${folder} is a file`), { code: 'ENOTDIR' });
    }
    const parent = path.dirname(folder);
    if (code !== 'ENOENT' || parent === folder) throw cause;
    await makeFolder(parent);
    await mkdir(folder).catch(async (again: NodeJS.ErrnoException) => {
      // Another build may have created it meanwhile.
      if (again.code !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw again;
    });
  }
}

/**
 * Moves the staged artefact to `target`. A file replaces the previous one in one step. A folder
 * cannot replace a folder, so the previous one is moved aside first; another build may put its
 * own folder there between the two steps, and then that one is moved aside too. Each step is
 * atomic, so `target` always holds one build's complete edition (or, for that moment, none) and
 * the build that commits last wins.
 */
async function moveIntoPlace(staged: string, target: string, aside: (attempt: number) => string): Promise<void> {
  if (!(await stat(staged)).isDirectory()) {
    await rename(staged, target);
    return;
  }
  for (let attempt = 0; ; attempt++) {
    await rename(target, aside(attempt)).catch((cause: NodeJS.ErrnoException) => {
      if (cause.code !== 'ENOENT') throw cause;
    });
    try {
      await rename(staged, target);
      return;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 100) throw cause;
    }
  }
}

/** Removes the staging folders of builds that no longer run (killed, or the machine stopped). */
async function removeAbandoned(outDir: string): Promise<void> {
  const names = await readdir(outDir).catch(() => []);
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(/^\.charta-tmp-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !isRunning(pid)) await rm(path.join(outDir, name), { recursive: true, force: true });
    }),
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeError(outDir: string, cause: unknown): ChartaError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EACCES: 'it is not writable',
    EPERM: 'it is not writable',
    EROFS: 'it is not writable',
    ENOTDIR: 'it, or a folder on its path, is a file',
    EEXIST: 'it, or a folder on its path, is a file',
    ENOENT: 'the folder cannot be created there',
  };
  const reason = (code && reasons[code]) ?? code ?? String(cause);
  return new ChartaError(`Cannot write the editions into ${outDir}: ${reason}`, 2, 'Choose another folder with --out, or free space.', { cause });
}
