import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openChapterStore } from '../src/load/chapter-store.js';
import { loadCharta } from '../src/load/load-charta.js';
import { copyProject, runCli } from './helpers.js';

// The persistent cache of transformed chapters (src/load/chapter-store.ts): every part of its key
// is tested by changing it and seeing the chapter transformed again; a tampered entry shows
// whether a load took a chapter from the cache.

let project: { root: string; remove: () => Promise<void> };
let cacheDir: string;
let dataDir: string;

beforeEach(async () => {
  project = await copyProject();
  // The project's own node_modules holds the cache, as an installed project's does.
  await mkdir(path.join(project.root, 'node_modules'));
  cacheDir = path.join(project.root, 'node_modules', '.cache', 'charta', 'chapters');
  dataDir = path.join(project.root, 'node_modules', '.cache', 'charta', 'data');
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
    await expect(readdir(dataDir)).rejects.toThrow();
    expect((await runCli(['check', '--root', project.root])).code).toBe(0);
    expect((await readdir(cacheDir)).length).toBeGreaterThan(0);
    expect((await readdir(dataDir)).length).toBe(4);
  });
});

// The validated data of the four YAML files, kept beside the chapters: a tampered entry shows
// whether a load took the data from the cache instead of parsing the file.
describe('the cache of the YAML files’ data', () => {
  const metaFile = () => path.join(project.root, 'charta', 'charta.yaml');

  /** Writes a mark into the kept title of charta.yaml. */
  async function tamperData(): Promise<void> {
    for (const name of await readdir(dataDir)) {
      const file = path.join(dataDir, name);
      const entry = JSON.parse(await readFile(file, 'utf8')) as { titel?: string };
      if (entry.titel === undefined) continue;
      entry.titel = `AUS DEM CACHE ${entry.titel}`;
      await writeFile(file, JSON.stringify(entry));
    }
  }

  it('gives a second load the same data, and messages at the same places, without parsing the files again', async () => {
    // A registered source that no chapter uses: a warning that points into quellen.yaml.
    const sources = path.join(project.root, 'charta', 'quellen.yaml');
    await writeFile(sources, `${await readFile(sources, 'utf8')}  - id: nie-genutzt\n    bezeichnung: Nie genutzt\n    kurz: Nie\n    farbe: "#1a4f8b"\n    marker: "◇"\n`);
    const first = await load();
    expect((await readdir(dataDir)).length).toBe(4);
    const second = await load();
    const data = (result: typeof first) => ({ meta: result.charta!.meta, sources: result.charta!.sources, events: result.charta!.events, topics: result.charta!.topics });
    expect(data(second)).toEqual(data(first));
    const messages = (result: typeof first) => result.files.map((file) => file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`));
    expect(messages(second)).toEqual(messages(first));
    expect(messages(second).flat()).toContainEqual(expect.stringMatching(/^\d+:9 Source "nie-genutzt" is registered but never used$/));
    await tamperData();
    expect((await load()).charta!.meta.titel).toMatch(/^AUS DEM CACHE /);
  });

  it('places the messages and the data blocks of kept files as a parse does, in a process that has not loaded the parser', async () => {
    // A source no chapter uses (a warning in quellen.yaml) and a marker used twice (an error there).
    const sources = path.join(project.root, 'charta', 'quellen.yaml');
    await writeFile(sources, `${await readFile(sources, 'utf8')}  - id: nie-genutzt\n    bezeichnung: Nie genutzt\n    kurz: Nie\n    farbe: "#1a4f8b"\n    marker: "◇"\n  - id: doppelt\n    bezeichnung: Doppelt\n    kurz: Doppelt\n    farbe: "#1a4f8b"\n    marker: "◇"\n`);
    const messages = (result: Awaited<ReturnType<typeof load>>) => result.files.map((file) => file.messages.map((message) => `${message.line}:${message.column}-${message.place && 'end' in message.place ? `${message.place.end.line}:${message.place.end.column}` : ''} ${message.fatal ? 'error' : 'warning'} ${message.reason}`));
    const parsed = messages(await loadCharta({ root: project.root }));
    expect(parsed[1]).toHaveLength(3);
    await load();
    // A fresh module registry: the parser (read-yaml.js) is not loaded, as in a new `charta check`.
    vi.resetModules();
    const fresh = await import('../src/load/load-charta.js');
    expect(messages(await fresh.loadCharta({ root: project.root, diskCache: true }))).toEqual(parsed);

    // A chapter with a data block transformed again while the data comes from the cache: the block records where its entries stand in themen.yaml.
    await writeFile(sources, (await readFile(sources, 'utf8')).replace(/ {2}- id: doppelt\n(?: {4}.*\n)+/, ''));
    const withBlocks = path.join(project.root, 'charta', '04-verstetigung', '03-themenfelder.md');
    const placesOf = (result: Awaited<ReturnType<typeof load>>) => result.charta!.parts.flatMap((part) => part.chapters).find((item) => item.file.path === withBlocks)!.file.data.dataPlaces;
    await load();
    await writeFile(withBlocks, `${await readFile(withBlocks, 'utf8')}\nEin Satz mehr.\n`);
    vi.resetModules();
    const kept = await (await import('../src/load/load-charta.js')).loadCharta({ root: project.root, diskCache: true });
    const expected = placesOf(await loadCharta({ root: project.root }));
    expect(expected!.size).toBeGreaterThan(10);
    expect(placesOf(kept)).toEqual(expected);
  });

  it('parses and validates a file again whose text changed, if only by a comment', async () => {
    await load();
    await tamperData();
    await writeFile(metaFile(), `${await readFile(metaFile(), 'utf8')}\n# Ein Kommentar.\n`);
    expect((await load()).charta!.meta.titel).toBe('Charta der Automobilregion Südwestsachsen');
  });

  it('reports the errors of a changed file, and keeps nothing of a file that fails', async () => {
    await load();
    await writeFile(metaFile(), (await readFile(metaFile(), 'utf8')).replace('sprache: de', 'sprache: en'));
    for (let run = 0; run < 2; run++) {
      const { charta, files } = await load();
      expect(charta).toBeUndefined();
      expect(files[0]!.messages.map((message) => message.reason)).toEqual([expect.stringMatching(/^`sprache`: /)]);
    }
    expect((await readdir(dataDir)).length).toBe(4);
  });

  it('is keyed by the toolkit’s code, and treats an entry it cannot read as a miss', async () => {
    await load();
    for (const name of await readdir(dataDir)) await writeFile(path.join(dataDir, name), '{ kaputt');
    expect((await load()).charta!.meta.titel).toBe('Charta der Automobilregion Südwestsachsen');
    await tamperData();
    expect((await load()).charta!.meta.titel).toMatch(/^AUS DEM CACHE /);
    const store = openChapterStore(project.root, 'toolkit-a')!;
    store.keepData('key', { titel: 'Kept' });
    await store.settle(100);
    expect(await openChapterStore(project.root, 'toolkit-a')!.restoreData('key')).toEqual({ titel: 'Kept' });
    expect(await openChapterStore(project.root, 'toolkit-b')!.restoreData('key')).toBeUndefined();
  });

  it('keeps the entries of the last few texts of each file, and never drops those a load uses', async () => {
    for (let edit = 0; edit < 20; edit++) {
      await writeFile(metaFile(), `${await readFile(metaFile(), 'utf8')}\n# Änderung ${edit}\n`);
      await load();
    }
    expect((await readdir(dataDir)).length).toBe(4 * 4);
    // The other three files' entries, written by the first load and older than every other, are still there.
    await tamperData();
    const kept = await Promise.all((await readdir(dataDir)).map(async (name) => JSON.parse(await readFile(path.join(dataDir, name), 'utf8')) as object));
    for (const key of ['quellen', 'veranstaltungen', 'themenfelder']) expect(kept.filter((entry) => key in entry)).toHaveLength(1);
    expect((await load()).charta!.meta.titel).toMatch(/^AUS DEM CACHE /);
  });
});
