/**
 * The HTML edition's side navigation grows with the charta only up to a bound: beyond 60 chapters
 * a page lists every part and the current part's chapters around it, and links to the part's page
 * for the rest, so that the edition grows linearly with its chapters.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthetic } from '../bench/synthetic.js';
import { runCli, tempOut } from './helpers.js';

let project: { root: string; remove: () => Promise<void> };
let out: { out: string; remove: () => Promise<void> };
const copies = 4;

beforeAll(async () => {
  // The benchmark's synthetic copy: every part's chapters four times over, 68 in all.
  const work = await mkdtemp(path.join(tmpdir(), 'charta-navigation-'));
  project = { root: await synthetic(work, copies), remove: () => rm(work, { recursive: true, force: true }) };
  out = await tempOut();
  const result = await runCli(['build', '--format', 'html', '--no-cache', '--root', project.root, '--out', out.out, '--quiet']);
  expect(result.code).toBe(0);
});
afterAll(async () => {
  await project.remove();
  await out.remove();
});

describe('the side navigation of a large charta', () => {
  it('lists every part, and of the current part at most 21 chapters with links for the rest', async () => {
    const pages = (await readdir(path.join(out.out, 'html'))).filter((name) => /^[a-z]+-\d\d-.*\.html$/.test(name));
    expect(pages.length).toBeGreaterThan(60);
    for (const name of pages) {
      const tree = fromHtml(await readFile(path.join(out.out, 'html', name), 'utf8'));
      const parts = selectAll('nav.seitennav > ol > li.seitennav__teil', tree);
      expect(parts.length, name).toBe(4);
      const chapters = selectAll('nav.seitennav li.seitennav__teil > ol > li:not(.seitennav__mehr) > a', tree);
      expect(chapters.length, name).toBeLessThanOrEqual(21);
      expect(chapters.filter((link) => link.properties.ariaCurrent === 'page').map((link) => link.properties.href), name).toEqual([name]);
      // The part whose chapters are left out is one link away.
      for (const more of selectAll('li.seitennav__mehr > a', tree)) {
        expect(toString(more)).toMatch(/^… \d+ (weitere Kapitel|Kapitel davor)$/);
        expect(String(more.properties.href)).toMatch(/^[a-z]+\.html$/);
      }
    }
  });

  it('keeps every chapter reachable from its part’s page', async () => {
    const tree = fromHtml(await readFile(path.join(out.out, 'html', 'vision.html'), 'utf8'));
    const main = selectAll('main a[href^="vision-"]', tree).map((link) => String(link.properties.href));
    const chapters = (await readdir(path.join(out.out, 'html'))).filter((name) => name.startsWith('vision-'));
    for (const chapter of chapters) expect(main).toContain(chapter);
  });
});
