/**
 * `inhalt: {tiefe: N}` in charta.yaml sets how deep the contents go in all three editions (the
 * PDF's contents, the EPUB's nav, the HTML start page), and a charta with no marked passage gets
 * no legend and no entry for it.
 */
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Charta } from '../src/charta.js';
import { loadCharta } from '../src/load/load-charta.js';
import { renderEpub } from '../src/render/epub/render-epub.js';
import { renderHtml } from '../src/render/html/render-html.js';
import { renderPrint } from '../src/render/print/render-print.js';
import { projectRoot } from './helpers.js';

let charta: Charta;

beforeAll(async () => {
  charta = (await loadCharta({ root: projectRoot })).charta!;
});

/** The charta with the contents `depth` deep. */
const withDepth = (depth: number): Charta => ({ ...charta, meta: { ...charta.meta, inhalt: { tiefe: depth } } });

/** The number of entries in the editions' contents: PDF, EPUB nav, HTML start page. */
async function contentsEntries(subject: Charta) {
  const print = fromHtml((await renderPrint(subject)).html());
  const epub = await renderEpub(subject, { modified: new Date('2026-01-01T00:00:00Z') });
  const nav = fromHtml(String(epub.find((file) => file.path.endsWith('inhalt.xhtml'))?.contents ?? ''));
  const html = await renderHtml(subject);
  const start = fromHtml(String(html.find((file) => file.path === 'index.html')!.contents));
  return {
    print: selectAll('.verzeichnis li', print).length,
    printSections: selectAll('.verzeichnis__abschnitt', print).length,
    nav: selectAll('nav[epub\\:type="toc"] li, nav[role="doc-toc"] li', nav).length,
    html: selectAll('.inhaltsverzeichnis li', start).length,
  };
}

describe('the depth of the contents', () => {
  it('lists sections by default, chapters at depth 2 and parts alone at depth 1, in every edition', async () => {
    const full = await contentsEntries(charta);
    const chapters = await contentsEntries(withDepth(2));
    const parts = await contentsEntries(withDepth(1));
    const chapterCount = charta.parts.reduce((sum, part) => sum + part.chapters.length, 0);
    expect(charta.meta.inhalt.tiefe).toBe(3);
    expect(full.printSections).toBeGreaterThan(20);
    expect(chapters.printSections).toBe(0);
    expect(full.print - chapters.print).toBe(full.printSections);
    expect(full.nav).toBeGreaterThan(chapters.nav);
    expect(chapters.print - parts.print).toBe(chapterCount);
    expect(chapters.nav - parts.nav).toBe(chapterCount);
    expect(chapters.html - parts.html).toBe(chapterCount);
  });
});

describe('a charta with no marked passage', () => {
  it('has no legend and no entry for it in any edition', async () => {
    const unmarked: Charta = { ...charta, parts: charta.parts.map((part) => ({ ...part, chapters: part.chapters.map((chapter) => ({ ...chapter, contributions: new Map() })) })) };
    const print = (await renderPrint(unmarked)).html();
    expect(print).not.toContain('Legende der Beiträge');
    expect((await renderPrint(charta)).html()).toContain('Legende der Beiträge');
    const epub = await renderEpub(unmarked, { modified: new Date('2026-01-01T00:00:00Z') });
    expect(epub.some((file) => /legende/.test(file.path))).toBe(false);
    expect(epub.map((file) => String(file.contents)).join('')).not.toContain('Legende der Beiträge');
    const html = await renderHtml(unmarked);
    expect(html.some((file) => /legende/.test(file.path))).toBe(false);
    expect(html.map((file) => String(file.contents)).join('')).not.toContain('Legende');
  });
});
