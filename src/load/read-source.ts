/**
 * Reads one source file into a VFile: UTF-8 checked, a BOM dropped, CRLF line ends accepted.
 */
import { readFile } from 'node:fs/promises';
import { VFile } from 'vfile';
import { error } from '../core/messages.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Files larger than this are refused before they are parsed. */
export const maxSourceBytes = 32 * 1024 * 1024;

/**
 * Reads `absolutePath`. On a problem the VFile has an error message and an empty value, so
 * the caller can go on and report everything at once.
 */
export async function readSource(absolutePath: string): Promise<VFile> {
  const file = new VFile({ path: absolutePath, value: '' });
  let bytes: Buffer;
  try {
    bytes = await readFile(absolutePath);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    error(file, code === 'ENOENT' ? 'File not found' : `Cannot read the file (${code ?? String(cause)})`, undefined, 'unreadable-file');
    return file;
  }
  if (bytes.length > maxSourceBytes) {
    error(file, `File is larger than ${maxSourceBytes / 1024 / 1024} MiB`, { line: 1, column: 1 }, 'file-too-large');
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
