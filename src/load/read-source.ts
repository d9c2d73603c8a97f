/**
 * Reads one source file into a VFile: UTF-8 checked, a BOM dropped, CRLF line ends accepted;
 * files that are too large, not regular files, or links to places outside `charta/` are refused
 * before they are read.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import { error } from '../core/messages.js';
import { diskReader, type SourceReader } from './source-reader.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Files larger than this are refused before they are read. The whole charta has some 100 KiB of
 * Markdown; a chapter of 1 MiB is a book of 150 pages and takes the transform a few seconds,
 * while 20 MiB would take minutes and gigabytes.
 */
export const maxSourceBytes = 1024 * 1024;

export interface ReadOptions {
  /** The folder the file must really lie in, after following symbolic links (`charta/`). */
  within?: string;
  /** Where the file is read from: the disk (default), or an earlier version in git. */
  reader?: SourceReader;
}

const start = { line: 1, column: 1 };

/**
 * Reads `absolutePath`. On a problem the VFile has an error message and an empty value, so
 * the caller can go on and report everything at once.
 */
export async function readSource(absolutePath: string, options: ReadOptions = {}): Promise<VFile> {
  const file = new VFile({ path: absolutePath, value: '' });
  const reader = options.reader ?? diskReader;
  let bytes: Buffer;
  try {
    const stats = await reader.stat(absolutePath);
    if (options.within) {
      const real = await reader.realpath(absolutePath);
      const relative = path.relative(await reader.realpath(options.within), real);
      if (relative.startsWith('..') || path.isAbsolute(relative)) {
        error(file, `File is a symbolic link to a place outside ${path.basename(options.within)}/: copy the file in instead`, start, 'source-outside');
        return file;
      }
    }
    if (!stats.isFile()) {
      error(file, 'Not a regular file: a source must be a file', start, 'unreadable-file');
      return file;
    }
    if (stats.size > maxSourceBytes) {
      error(file, `File has ${(stats.size / 1024 / 1024).toFixed(1)} MiB; a source file may have at most ${maxSourceBytes / 1024 / 1024} MiB`, start, 'file-too-large');
      return file;
    }
    bytes = await reader.readFile(absolutePath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    error(file, code === 'ENOENT' ? 'File not found' : `Cannot read the file (${code ?? String(cause)})`, start, 'unreadable-file');
    return file;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = bytes.subarray(0, offset).toString('utf8');
    const lines = before.split('\n');
    error(
      file,
      'File is not UTF-8 text: save it with UTF-8 encoding',
      { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 },
      'not-utf8',
    );
    return file;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  file.value = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return file;
}

function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, found by bisection over prefixes that decode.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}
