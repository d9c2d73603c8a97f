/**
 * Bad input: each folder in `tests/fixtures/bad/<case>/` holds files that replace or add to a copy
 * of the real project, and `expected.txt` with the lines `charta check` must print. Every case
 * must end with exit code 1, the messages, and no stack trace; `charta build` must fail the same
 * way and leave the previous output as it was.
 */
import { cp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, projectRoot, runCli } from './helpers.js';

const folder = path.join(projectRoot, 'tests', 'fixtures', 'bad');

async function overlay(caseDir: string, root: string): Promise<void> {
  for (const entry of await readdir(caseDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || (entry.parentPath === caseDir && entry.name === 'expected.txt')) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(root, path.relative(caseDir, from));
    await mkdir(path.dirname(to), { recursive: true });
    await cp(from, to);
  }
}

describe('bad input', () => {
  for (const name of readdirSync(folder)) {
    it(name, async () => {
      const project = await copyProject();
      try {
        await overlay(path.join(folder, name), project.root);
        const expected = (await readFile(path.join(folder, name, 'expected.txt'), 'utf8')).trim().split('\n');
        const result = await runCli(['check'], { cwd: project.root });
        expect(result.code).toBe(1);
        for (const line of expected) expect(result.stderr).toContain(line);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      } finally {
        await project.remove();
      }
    });
  }
});

describe('a failed build', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
  });
  afterAll(() => project.remove());

  it('leaves the previous dist/ intact', async () => {
    const first = await runCli(['build', '--format', 'html'], { cwd: project.root });
    expect(first.code).toBe(0);
    const index = path.join(project.root, 'dist', 'html', 'index.html');
    const before = await readFile(index, 'utf8');
    await writeFile(path.join(project.root, 'charta', '01-analyse', '99-kaputt.md'), '# Kaputt\n\n:beitrag[x]{quelle=gibt-es-nicht}\n');
    const second = await runCli(['build', '--format', 'html'], { cwd: project.root });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('charta/01-analyse/99-kaputt.md:3:1  error  Unknown contribution source "gibt-es-nicht"  (unknown-source)');
    expect(await readFile(index, 'utf8')).toBe(before);
    expect((await readdir(path.join(project.root, 'dist'))).sort()).toEqual(['html', 'manifest.json']);
  });
});
