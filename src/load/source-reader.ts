/**
 * How the loader reaches the sources: every file-system access of the load stage (the YAML files,
 * the chapters, the part folders, the images a chapter names) goes through a `SourceReader`. The
 * disk reader is the file system itself; `createGitReader` (git-reader.ts) serves an earlier
 * version's `charta/` from memory, read out of git.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';

/** What `stat` tells of a path, after following symbolic links (node's `Stats` is one). */
export interface SourceStats {
  isFile(): boolean;
  size: number;
}

/**
 * The file-system operations the loader needs, with node's semantics: paths are absolute, links
 * are followed, a missing path rejects (or throws) with an error whose `code` is `ENOENT`.
 */
export interface SourceReader {
  stat(absolutePath: string): Promise<SourceStats>;
  /** The path with every symbolic link resolved. */
  realpath(absolutePath: string): Promise<string>;
  readFile(absolutePath: string): Promise<Buffer>;
  /** The names in a folder, in no particular order. */
  readdir(absoluteDir: string): Promise<string[]>;
  /** Synchronous, for transform plugins: whether anything is at the path (links followed). */
  existsSync(absolutePath: string): boolean;
  /** Synchronous, for transform plugins: the path with every symbolic link resolved. */
  realpathSync(absolutePath: string): string;
}

/** The sources as they are on disk: the working tree, or a folder holding an earlier project. */
export const diskReader: SourceReader = {
  stat: (absolutePath) => stat(absolutePath),
  realpath: (absolutePath) => realpath(absolutePath),
  readFile: (absolutePath) => readFile(absolutePath),
  readdir: (absoluteDir) => readdir(absoluteDir),
  existsSync: (absolutePath) => existsSync(absolutePath),
  realpathSync: (absolutePath) => realpathSync(absolutePath),
};

/** A reader that remembers what it read until told that a path changed (`forget`). */
export interface RememberingReader {
  reader: SourceReader;
  /** Forgets what was read of `absolutePath` and of the folder that holds it. */
  forget(absolutePath: string): void;
}

/**
 * `base`, remembering each answer until `forget` is told of a change: `charta dev` reads only what
 * its watcher saw change. A path that is a symbolic link is not remembered, since a change of its
 * target is told under the target's name.
 */
export function rememberingReader(base: SourceReader): RememberingReader {
  const answers = new Map<string, Promise<unknown> | unknown>();
  const links = new Set<string>();
  const remembered = <T>(kind: string, absolutePath: string, read: () => T): T => {
    if (links.has(absolutePath)) return read();
    const key = `${kind}\0${absolutePath}`;
    if (answers.has(key)) return answers.get(key) as T;
    const answer = read();
    answers.set(key, answer);
    // A failed read is not remembered: the next asks again.
    if (answer instanceof Promise) answer.catch(() => answers.delete(key));
    return answer;
  };
  const reader: SourceReader = {
    stat: (absolutePath) => remembered('stat', absolutePath, () => base.stat(absolutePath)),
    realpath: (absolutePath) =>
      remembered('realpath', absolutePath, () =>
        base.realpath(absolutePath).then((real) => {
          if (real !== absolutePath) links.add(absolutePath);
          return real;
        }),
      ),
    readFile: (absolutePath) => remembered('readFile', absolutePath, () => base.readFile(absolutePath)),
    readdir: (absoluteDir) => remembered('readdir', absoluteDir, () => base.readdir(absoluteDir)),
    existsSync: (absolutePath) => remembered('existsSync', absolutePath, () => base.existsSync(absolutePath)),
    realpathSync: (absolutePath) => {
      try {
        return remembered('realpathSync', absolutePath, () => base.realpathSync(absolutePath));
      } catch (cause) {
        answers.delete(`realpathSync\0${absolutePath}`);
        throw cause;
      }
    },
  };
  return {
    reader,
    forget(absolutePath) {
      const folder = absolutePath.replace(/[/\\][^/\\]*$/, '');
      for (const key of [...answers.keys()]) {
        const at = key.slice(key.indexOf('\0') + 1);
        if (at === absolutePath || at === folder || at.startsWith(`${absolutePath}/`) || at.startsWith(`${absolutePath}\\`)) answers.delete(key);
      }
      links.delete(absolutePath);
    },
  };
}
