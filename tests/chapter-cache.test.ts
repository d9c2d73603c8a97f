import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChapterStore } from '../src/load/chapter-store.js';
import { loadCharta } from '../src/load/load-charta.js';
import { copyProject, runCli } from './helpers.js';

// The persistent cache of transformed chapters (src/load/chapter-store.ts): every part of its key
// is tested by changing it and seeing the chapter transformed again; a tampered entry shows
// whether a load took a chapter from the cache.

let project: { root: string; remove: () => Promise<void> };
let cacheDir: string;

beforeEach(async () => {
  project = await copyProject();
  // The project's own node_modules holds the cache, as an installed project's does.
  await mkdir(path.join(project.root, 'node_modules'));
  cacheDir = path.join(project.root, 'node_modules', '.cache', 'charta', 'chapters');
});
afterEach(() => project.remove());

const load = (options: { marking?: boolean } = {}) => loadCharta({ root: project.root, diskCache: true, ...options });
const chapter = 'charta/02-vision/01-leitbild.md';
const htmlOf = async (options: { marking?: boolean } = {}) => {
  const { charta } = await load(options);
  const found = charta!.parts.flatMap((part) => part.chapters).find((item) => item.path === chapter)!;
  return { html: toHtml(found.tree), title: found.title };
};

/** Writes a mark into every kept entry's title: a load that shows it took the chapter from the cache. */
async function tamper(): Promise<void> {
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name);
    const entry = JSON.parse(await readFile(file, 'utf8')) as { data?: { title: string } };
    if (!entry.data) continue;
    entry.data.title = `AUS DEM CACHE ${entry.data.title}`;
    await writeFile(file, JSON.stringify(entry));
  }
}

describe('the cache of transformed chapters', () => {
  it('gives a second load the same chapters, data and messages, without transforming them again', async () => {
    const first = await load();
    const entries = await readdir(cacheDir);
    expect(entries.length).toBe(first.charta!.parts.flatMap((part) => part.chapters).length);
    const second = await load();
    const shape = (result: typeof first) =>
      result.charta!.parts.flatMap((part) =>
        part.chapters.map((item) => ({ path: item.path, title: item.title, html: toHtml(item.tree), headings: item.headings, contributions: [...item.contributions], images: [...(item.file.data.images ?? [])], ids: [...(item.file.data.ids ?? [])], links: item.file.data.links })),
      );
    expect(shape(second)).toEqual(shape(first));
    expect(second.files.map((file) => file.messages.map(String))).toEqual(first.files.map((file) => file.messages.map(String)));
    await tamper();
    expect((await htmlOf()).title).toMatch(/^AUS DEM CACHE /);
  });

  it('transforms a chapter again when its text changed', async () => {
    await load();
    await tamper();
    const file = path.join(project.root, chapter);
    await writeFile(file, `${await readFile(file, 'utf8')}\nEin neuer Absatz.\n`);
    const { html, title } = await htmlOf();
    expect(title).not.toMatch(/AUS DEM CACHE/);
    expect(html).toContain('Ein neuer Absatz.');
  });

  it('transforms every chapter again when the registry or the data files changed', async () => {
    await load();
    await tamper();
    const sources = path.join(project.root, 'charta', 'quellen.yaml');
    await writeFile(sources, `${await readFile(sources, 'utf8')}\n# Ein Kommentar ändert den Text, nicht die Daten.\n`);
    expect((await htmlOf()).title).toMatch(/AUS DEM CACHE/);
    const topics = path.join(project.root, 'charta', 'themen.yaml');
    await writeFile(topics, `# Eine Zeile mehr verschiebt die Stellen der Daten.\n${await readFile(topics, 'utf8')}`);
    expect((await htmlOf()).title).not.toMatch(/AUS DEM CACHE/);
  });

  it('keeps the marked and the clean edition apart', async () => {
    const marked = await htmlOf();
    const clean = await htmlOf({ marking: false });
    expect(marked.html).toContain('beitrag--');
    expect(clean.html).not.toContain('beitrag--');
    expect((await htmlOf()).html).toBe(marked.html);
  });

  it('transforms a chapter again whose image is gone, so that the missing image is reported', async () => {
    await load();
    await rm(path.join(project.root, 'charta', 'bilder', 'region.svg'));
    const { files, charta } = await load();
    expect(charta).toBeUndefined();
    expect(files.flatMap((file) => file.messages.map((message) => message.reason)).join('\n')).toMatch(/region\.svg/);
  });

  it('is keyed by the toolkit’s code: another toolkit does not read this one’s entries', async () => {
    const { files } = await load();
    const file = files.find((item) => item.path.endsWith('01-leitbild.md'))!;
    const store = openChapterStore(project.root, 'toolkit-a')!;
    store.keep('key', file, { type: 'root', children: [] }, 0, { existsSync: () => true, realpathSync: (target: string) => target } as never);
    await store.settle(100);
    const reader = (await import('../src/load/source-reader.js')).diskReader;
    expect(await openChapterStore(project.root, 'toolkit-a')!.restore('key', file, reader)).toEqual({ type: 'root', children: [] });
    expect(await openChapterStore(project.root, 'toolkit-b')!.restore('key', file, reader)).toBeUndefined();
  });

  it('treats an entry it cannot read as a miss', async () => {
    await load();
    for (const name of await readdir(cacheDir)) await writeFile(path.join(cacheDir, name), '{ kaputt');
    const { charta } = await load();
    expect(charta).toBeDefined();
    await tamper();
    expect((await htmlOf()).title).toMatch(/AUS DEM CACHE/);
  });

  it('drops the oldest entries beyond what the charta needs, and keeps those it uses', async () => {
    const { charta } = await load();
    const count = charta!.parts.flatMap((part) => part.chapters).length;
    const old = new Date('2020-01-01');
    for (let stale = 0; stale < count * 5; stale++) {
      const file = path.join(cacheDir, `${String(stale).padStart(64, '0')}.json`);
      await writeFile(file, '{}');
      await utimes(file, old, old);
    }
    const chapterFile = path.join(project.root, chapter);
    await writeFile(chapterFile, `${await readFile(chapterFile, 'utf8')}\nEine Änderung.\n`);
    await load();
    const left = await readdir(cacheDir);
    expect(left.length).toBe(count * 4);
    await tamper();
    expect((await htmlOf()).title).toMatch(/AUS DEM CACHE/);
  });

  it('is not used with --no-cache', async () => {
    const result = await runCli(['check', '--no-cache', '--root', project.root]);
    expect(result.code).toBe(0);
    await expect(readdir(cacheDir)).rejects.toThrow();
    expect((await runCli(['check', '--root', project.root])).code).toBe(0);
    expect((await readdir(cacheDir)).length).toBeGreaterThan(0);
  });
});
