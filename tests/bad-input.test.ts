/**
 * Bad input: each folder in `tests/fixtures/bad/<case>/` holds files that replace or add to a copy
 * of the real project, and `expected.txt` with the message lines `charta check` must print, in
 * the order it prints them: no more, no fewer. The case must end with exit code 1 and those
 * messages, without a stack trace, within a bounded time and heap.
 *
 * Where the input is legitimate (a BOM, CRLF line ends, a very long word …), the first line of
 * `expected.txt` is `ok`: the check must pass, printing exactly the warnings on the lines after
 * it, and `charta build --format html` must build an edition without any script in it but its own
 * search (`js/suche.js`).
 *
 * Inputs too large or too odd for git (20 MB chapters, symlinks) are written at run time by the
 * case's `generate.mjs`, whose default export is called with the copy's root folder.
 *
 * `UPDATE_FIXTURES=1` rewrites each `expected.txt` from what the check prints (review the diff).
 */
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { copyProject, projectRoot, runCli, scriptsIn, tempOut } from './helpers.js';

const folder = path.join(projectRoot, 'tests', 'fixtures', 'bad');
/** Files of a case folder that describe the case rather than overlay the project. */
const caseFiles = new Set(['expected.txt', 'generate.mjs']);
/** Each run must finish within this time … */
const timeLimit = 60_000;
/** … and this heap (MB); a larger one ends the process with a crash, which fails the case. */
const heapLimit = 768;
const limits = { timeout: timeLimit, env: { NODE_OPTIONS: `--max-old-space-size=${heapLimit}` } };

async function overlay(caseDir: string, root: string): Promise<void> {
  for (const entry of await readdir(caseDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || (entry.parentPath === caseDir && caseFiles.has(entry.name))) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(root, path.relative(caseDir, from));
    await mkdir(path.dirname(to), { recursive: true });
    await cp(from, to);
  }
  const generator = path.join(caseDir, 'generate.mjs');
  if (existsSync(generator)) {
    const module = (await import(pathToFileURL(generator).href)) as { default: (root: string) => Promise<void> | void };
    await module.default(root);
  }
}

/** The message lines of the output, without progress and summary lines. */
function messageLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\S.* {2}(error|warning) {2}.*\)$/.test(line));
}

/** Whether the output shows an internal failure instead of messages. */
function expectNoCrash(result: Awaited<ReturnType<typeof runCli>>, expect: ExpectStatic): void {
  const output = result.stderr.slice(0, 4000);
  expect(result.signal, `killed by ${result.signal}: a crash, too much memory or more than ${timeLimit} ms\n${output}`).toBeNull();
  expect(result.milliseconds).toBeLessThan(timeLimit);
  expect(result.stderr, output).not.toMatch(/\n\s+at /);
  expect(result.stderr, output).not.toContain('internal error');
}

/** Runs `task` when one of `count` slots is free: two cases at a time suit a 2-core machine. */
function slots(count: number) {
  const waiting: Array<() => void> = [];
  let free = count;
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
const slot = slots(2);

describe.concurrent('bad input', () => {
  for (const name of readdirSync(folder).sort()) {
    it(name, ({ expect }) => slot(async () => {
      const caseDir = path.join(folder, name);
      const expectedPath = path.join(caseDir, 'expected.txt');
      const [first, ...rest] = (await readFile(expectedPath, 'utf8')).trimEnd().split('\n');
      const ok = first === 'ok';
      const expected = ok ? rest : [first!, ...rest];
      const project = await copyProject();
      try {
        await overlay(caseDir, project.root);
        const result = await runCli(['check'], { cwd: project.root, ...limits });
        expectNoCrash(result, expect);
        if (process.env.UPDATE_FIXTURES) {
          const lines = messageLines(result.stderr);
          await writeFile(expectedPath, `${[...(result.code === 0 ? ['ok'] : []), ...lines].join('\n')}\n`);
          return;
        }
        expect(messageLines(result.stderr), result.stderr.slice(0, 4000)).toEqual(expected);
        expect(result.code, result.stderr.slice(0, 4000)).toBe(ok ? 0 : 1);
        if (!ok) return;

        const out = await tempOut();
        try {
          const built = await runCli(['build', '--format', 'html', '--out', out.out, '--quiet'], { cwd: project.root, ...limits });
          expectNoCrash(built, expect);
          expect(built.code, built.stderr).toBe(0);
          const html = path.join(out.out, 'html');
          for (const page of (await readdir(html)).filter((file) => file.endsWith('.html'))) {
            expect(scriptsIn(fromHtml(await readFile(path.join(html, page), 'utf8')), ['js/suche.js']), page).toEqual([]);
          }
        } finally {
          await out.remove();
        }
      } finally {
        await project.remove();
      }
    }));
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
