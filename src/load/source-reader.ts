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
