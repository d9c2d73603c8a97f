/**
 * Nothing lost: a build never writes into `charta/` or `templates/`; builds running at once into
 * the same folder each leave a complete edition; a killed build leaves the previous one and its
 * staging folder is cleaned up by the next; an output folder that cannot be written is one clear
 * sentence with exit code 2.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaging } from '../src/emit/staging.js';
import { copyProject, projectRoot, runCli, tempOut } from './helpers.js';

/** Every file under `folder` with its size, mode, modification time and sha256. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    const hash = entry.isFile() ? createHash('sha256').update(await readFile(file)).digest('hex') : 'folder';
    files[path.relative(folder, file)] = `${info.size} ${info.mode} ${info.mtimeMs} ${hash}`;
  }
  return files;
}

/** The files of an edition folder and their contents. */
async function contents(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(folder, path.join(entry.parentPath, entry.name))] = createHash('sha256').update(await readFile(path.join(entry.parentPath, entry.name))).digest('hex');
  }
  return files;
}

let project: Awaited<ReturnType<typeof copyProject>>;
beforeAll(async () => {
  project = await copyProject();
});
afterAll(() => project.remove());

describe('the sources and templates', () => {
  it('are never written by a check or a build', async () => {
    const before = { charta: await snapshot(path.join(project.root, 'charta')), templates: await snapshot(path.join(project.root, 'templates')) };
    expect(Object.keys(before.charta).length).toBeGreaterThan(20);
    const checked = await runCli(['check'], { cwd: project.root });
    expect(checked.code).toBe(0);
    const built = await runCli(['build', '--format', 'html,epub', '--quiet'], { cwd: project.root });
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(existsSync(path.join(project.root, 'dist', 'charta.epub'))).toBe(true);
    const after = { charta: await snapshot(path.join(project.root, 'charta')), templates: await snapshot(path.join(project.root, 'templates')) };
    expect(after).toEqual(before);
  });

  it('refuse to hold the output', async () => {
    for (const folder of ['charta', 'templates/html']) {
      const out = path.join(folder, 'ausgabe');
      const result = await runCli(['build', '--format', 'html', '--out', out], { cwd: project.root });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `charta: The output folder ${path.join(project.root, out)} lies inside ${folder.split('/')[0]}/, which a build never writes into\n  Choose another folder with --out.\n`,
      );
      expect(existsSync(path.join(project.root, out))).toBe(false);
    }
  });
});

describe('builds at once', () => {
  it('into the same folder both succeed and leave one complete edition', async () => {
    const reference = await tempOut();
    const shared = await tempOut();
    try {
      expect((await runCli(['build', '--format', 'html', '--out', reference.out, '--quiet'], { cwd: project.root })).code).toBe(0);
      const expected = await contents(path.join(reference.out, 'html'));
      for (let round = 0; round < 2; round++) {
        const results = await Promise.all([1, 2].map(() => runCli(['build', '--format', 'html', '--out', shared.out, '--quiet'], { cwd: project.root })));
        for (const result of results) {
          expect(result.stderr).toBe('');
          expect(result.code).toBe(0);
        }
        expect((await readdir(shared.out)).sort()).toEqual(['html', 'manifest.json']);
        expect(await contents(path.join(shared.out, 'html'))).toEqual(expected);
        const manifest = JSON.parse(await readFile(path.join(shared.out, 'manifest.json'), 'utf8')) as { artefacts: Array<{ path: string; files?: number }> };
        expect(manifest.artefacts).toEqual([expect.objectContaining({ path: 'html', files: Object.keys(expected).length })]);
      }
    } finally {
      await Promise.all([reference.remove(), shared.remove()]);
    }
  });

  it('commit without a clash even when their moves interleave', async () => {
    // In one process the two commits' renames alternate, the worst case for the replacement.
    const out = await tempOut();
    try {
      for (let round = 0; round < 30; round++) {
        const stagings = await Promise.all(['a', 'b'].map(async (name) => {
          const staging = await createStaging(out.out);
          await staging.writeFolder('html', [{ path: 'index.html', contents: `${name}${round}` }, { path: 'kapitel.html', contents: `${name}${round}` }]);
          await staging.writeFile('manifest.json', `{"build":"${name}${round}"}`);
          return staging;
        }));
        await Promise.all(stagings.map((staging) => staging.commit()));
        expect((await readdir(out.out)).sort()).toEqual(['html', 'manifest.json']);
        const index = await readFile(path.join(out.out, 'html', 'index.html'), 'utf8');
        expect([`a${round}`, `b${round}`]).toContain(index);
        expect(await readFile(path.join(out.out, 'html', 'kapitel.html'), 'utf8')).toBe(index);
      }
    } finally {
      await out.remove();
    }
  });
});

describe('a killed build', () => {
  it('leaves the previous edition, and the next build removes its staging folder', async () => {
    const out = await tempOut();
    try {
      expect((await runCli(['build', '--format', 'html', '--out', out.out, '--quiet'], { cwd: project.root })).code).toBe(0);
      const before = await contents(path.join(out.out, 'html'));
      // Killed once it writes: after the load, while the staging folder exists.
      const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'charta.js'), 'build', '--format', 'html', '--out', out.out], { cwd: project.root, stdio: ['ignore', 'ignore', 'pipe'] });
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('load done')) child.kill('SIGKILL');
        });
        child.on('exit', () => resolve());
      });
      expect(await contents(path.join(out.out, 'html'))).toEqual(before);
      // A staging folder of a build that no longer runs (the pid of the killed one).
      const abandoned = path.join(out.out, `.charta-tmp-${child.pid}-0badc0de`);
      await mkdir(path.join(abandoned, 'html'), { recursive: true });
      await writeFile(path.join(abandoned, 'html', 'index.html'), 'halb');
      expect((await runCli(['build', '--format', 'html', '--out', out.out, '--quiet'], { cwd: project.root })).code).toBe(0);
      expect((await readdir(out.out)).sort()).toEqual(['html', 'manifest.json']);
      expect(await contents(path.join(out.out, 'html'))).toEqual(before);
    } finally {
      await out.remove();
    }
  });
});

describe('an output folder that cannot be written', () => {
  it('is one clear sentence, exit code 2, no stack trace', async () => {
    // Tests run as root, for whom permissions do not stop writes; a file on the path does.
    const file = path.join(project.root, 'eine-datei');
    await writeFile(file, 'keine Ordner hier\n');
    const cases = [
      [path.join(file, 'ausgabe'), 'it, or a folder on its path, is a file'],
      [file, 'it, or a folder on its path, is a file'],
      ['/proc/charta-ausgabe', 'the folder cannot be created there'],
    ];
    for (const [out, reason] of cases) {
      const result = await runCli(['build', '--format', 'html', '--out', out!, '--quiet'], { cwd: project.root, timeout: 60_000 });
      expect(result.signal).toBeNull();
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`charta: Cannot write the editions into ${out}: ${reason}\n  Choose another folder with --out, or free space.\n`);
    }
    expect(await readFile(file, 'utf8')).toBe('keine Ordner hier\n');
  });
});
