/**
 * The reader `charta dev` loads with: it answers from memory until its watcher says a path
 * changed, so that a rebuild reads only the changed files.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskReader, rememberingReader } from '../src/load/source-reader.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'charta-reader-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('rememberingReader', () => {
  it('answers from memory until told of a change, then reads again', async () => {
    const file = path.join(folder, 'kapitel.md');
    await writeFile(file, 'eins');
    const { reader, forget } = rememberingReader(diskReader);
    expect(String(await reader.readFile(file))).toBe('eins');
    await writeFile(file, 'zwei');
    expect(String(await reader.readFile(file))).toBe('eins');
    forget(file);
    expect(String(await reader.readFile(file))).toBe('zwei');
    expect((await reader.stat(file)).size).toBe(4);
  });

  it('reads a folder again when a file in it comes or goes, and does not remember a failed read', async () => {
    const { reader, forget } = rememberingReader(diskReader);
    expect(await reader.readdir(folder)).toEqual([]);
    const file = path.join(folder, 'neu.md');
    await expect(reader.readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(reader.existsSync(file)).toBe(false);
    await writeFile(file, 'da');
    forget(file);
    expect(await reader.readdir(folder)).toEqual(['neu.md']);
    expect(reader.existsSync(file)).toBe(true);
    expect(String(await reader.readFile(file))).toBe('da');
  });
});
