/**
 * `charta dev` renders the HTML edition at every save, and renders again only the pages whose
 * view changed (`renderedPages`): what it serves must be what a fresh render writes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharta } from '../src/load/load-charta.js';
import { renderedPages, renderHtml } from '../src/render/html/render-html.js';
import { copyProject } from './helpers.js';

let project: Awaited<ReturnType<typeof copyProject>>;
beforeAll(async () => {
  project = await copyProject();
});
afterAll(async () => {
  await project?.remove();
});

const pagesOf = (files: Awaited<ReturnType<typeof renderHtml>>) => new Map(files.filter((file) => file.path.endsWith('.html')).map((file) => [file.path, String(file.contents)]));

describe('rendering the HTML edition again', () => {
  it('gives what a fresh render gives, after a change of the text and after a change of a title', async () => {
    const previous = renderedPages();
    const chapter = path.join(project.root, 'charta', '02-vision', '01-leitbild.md');
    const original = await readFile(chapter, 'utf8');
    const edits = [original, `${original}\nEin neuer Absatz am Ende.\n`, `${original.replace(/^# (.*)$/m, '# $1 (neu)')}\nEin neuer Absatz am Ende.\n`];
    for (const text of edits) {
      await writeFile(chapter, text);
      const { charta } = await loadCharta({ root: project.root });
      const again = pagesOf(await renderHtml(charta!, { search: false, previous }));
      const fresh = pagesOf(await renderHtml(charta!, { search: false }));
      expect([...again.keys()]).toEqual([...fresh.keys()]);
      for (const [name, contents] of fresh) expect(again.get(name), name).toBe(contents);
    }
    // The title's change reached every page's navigation.
    const { charta } = await loadCharta({ root: project.root });
    const start = pagesOf(await renderHtml(charta!, { search: false, previous })).get('index.html')!;
    expect(start).toContain('(neu)');
  });
});
