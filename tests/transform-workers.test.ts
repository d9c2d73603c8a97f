import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharta } from '../src/load/load-charta.js';
import { minChaptersForWorkers } from '../src/load/transform-workers.js';
import { renderHtml } from '../src/render/html/render-html.js';
import { synthetic } from '../bench/synthetic.js';
import { runCli, tempOut } from './helpers.js';

// A charta with enough chapters is transformed in worker threads beside the main thread (the
// compiled CLI has the worker's module; these tests' own imports of src/ run on the main thread
// alone). Both must give the same edition and the same messages.

let project: { root: string; remove: () => Promise<void> };
let chapterCount = 0;

/** Every part's chapters three times over: the benchmark's synthetic copy. */
beforeAll(async () => {
  const work = await mkdtemp(path.join(tmpdir(), 'charta-workers-'));
  project = { root: await synthetic(work, 3), remove: () => rm(work, { recursive: true, force: true }) };
  chapterCount = (await readdir(path.join(project.root, 'charta'), { recursive: true })).filter((name) => name.endsWith('.md')).length;
});
afterAll(() => project.remove());

describe('chapters transformed in worker threads', () => {
  it('give the same HTML edition as the main thread alone', async () => {
    expect(chapterCount).toBeGreaterThanOrEqual(minChaptersForWorkers);
    const out = await tempOut();
    try {
      const result = await runCli(['build', '--format', 'html', '--no-cache', '--root', project.root, '--out', out.out, '--quiet']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const { charta } = await loadCharta({ root: project.root });
      const pages = (await renderHtml(charta!)).filter((file) => file.path.endsWith('.html'));
      expect(pages.length).toBeGreaterThan(chapterCount);
      for (const page of pages) expect(await readFile(path.join(out.out, 'html', page.path), 'utf8'), page.path).toBe(page.contents);
    } finally {
      await out.remove();
    }
  });

  it('report a problem of a chapter a worker transformed at its file, line and column', async () => {
    const last = path.join(project.root, 'charta', '04-verstetigung', '04-policy-labs-03.md');
    const text = await readFile(last, 'utf8');
    await writeFile(last, `${text}\n:::beitrag{quelle="gibt-es-nicht"}\nEin Absatz.\n:::\n`);
    try {
      const line = text.split('\n').length + 1;
      const result = await runCli(['check', '--no-cache', '--root', project.root]);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toMatch(new RegExp(`charta/04-verstetigung/04-policy-labs-03\\.md:${line}:1 +error +Unknown contribution source "gibt-es-nicht"`));
    } finally {
      await writeFile(last, text);
    }
  });
});
