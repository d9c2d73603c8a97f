/**
 * End to end: the real CLI builds the HTML edition of the real charta; the tests read the pages
 * as a browser would see their markup.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempOut } from './helpers.js';

let out: Awaited<ReturnType<typeof tempOut>>;
let html: string;
const pages = new Map<string, Root>();

beforeAll(async () => {
  out = await tempOut();
  const result = await runCli(['build', '--format', 'html', '--out', out.out]);
  expect(result.stderr).not.toMatch(/error|warning/);
  expect(result.code).toBe(0);
  html = path.join(out.out, 'html');
  for (const name of await readdir(html)) {
    if (name.endsWith('.html')) pages.set(name, fromHtml(await readFile(path.join(html, name), 'utf8')));
  }
});
afterAll(() => out.remove());

function text(page: string): string {
  return toString(pages.get(page)!);
}

describe('the HTML edition', () => {
  it('has a start page, a page per part and chapter, the legend and the imprint', () => {
    expect([...pages.keys()]).toEqual(expect.arrayContaining(['index.html', 'legende.html', 'impressum.html', 'analyse.html', 'vision.html', 'aktivitaeten.html', 'verstetigung.html']));
    expect(pages.size).toBeGreaterThanOrEqual(4 + 4 + 3);
    const toc = selectAll('.inhaltsverzeichnis a', pages.get('index.html')!);
    expect(toc.length).toBeGreaterThan(15);
  });

  it('is German, with landmarks, a skip link and alt texts on every image', () => {
    for (const [name, tree] of pages) {
      expect(select('html', tree)?.properties.lang, name).toBe('de');
      expect(select('main#inhalt', tree), name).toBeTruthy();
      expect(select('a.sprunglink[href="#inhalt"]', tree), name).toBeTruthy();
      expect(select('header', tree) && select('footer', tree) && select('nav', tree), name).toBeTruthy();
      for (const img of selectAll('img', tree)) expect(String(img.properties.alt ?? '').length, name).toBeGreaterThan(10);
      expect(selectAll('h1', tree).length, name).toBe(1);
    }
  });

  it('marks a known passage with its source, its marker and its label', () => {
    const tree = pages.get('analyse-02-industrielle-basis.html')!;
    const block = selectAll('.beitrag--block', tree).find((node) => toString(node).includes('kleine Zulieferer oft keine Zeit'));
    expect(block?.properties.dataQuelle).toBe('zukunftsforum-2023');
    expect(toString(select('.beitrag__kopf', block!)!)).toBe('● Beitrag aus: 1. ITAS-Zukunftsforum');
  });

  it('counts in the legend exactly the marked passages of all pages', () => {
    const marked = new Map<string, number>();
    for (const [name, tree] of pages) {
      if (name === 'legende.html') continue;
      for (const node of selectAll('.inhalt .beitrag[data-quelle]', tree)) {
        const id = String(node.properties.dataQuelle);
        marked.set(id, (marked.get(id) ?? 0) + 1);
      }
    }
    const legend = new Map(
      selectAll('.legende__eintrag', pages.get('legende.html')!).map((entry) => [
        String(entry.properties.id).replace('quelle-', ''),
        Number.parseInt(toString(select('.legende__anzahl', entry)!), 10),
      ]),
    );
    expect(legend.size).toBeGreaterThanOrEqual(5);
    expect(legend).toEqual(marked);
    const total = [...marked.values()].reduce((a, b) => a + b, 0);
    expect(text('legende.html')).toContain(`Insgesamt sind ${total} Passagen markiert.`);
  });

  it('leaks no directive syntax and keeps colon words and times', () => {
    const all = [...pages.keys()].map(text).join('\n');
    expect(all).not.toMatch(/:{2,3}[a-z]/);
    expect(all).not.toMatch(/:beitrag|quelle=|::zeitleiste|::themenfelder/);
    expect(all).toMatch(/Bürger:innen/);
    expect(all).toMatch(/Mitarbeiter:innen|Teilnehmer:innen/);
  });

  it('renders the timeline and the topics from the YAML data', () => {
    const timeline = selectAll('.zeitleiste__eintrag', pages.get('aktivitaeten-01-entstehung.html')!);
    expect(timeline.length).toBeGreaterThanOrEqual(7);
    expect(toString(timeline.find((entry) => toString(entry).includes('Zukunftsforum'))!)).toContain('16. Mai 2023');
    const topics = selectAll('.themenfeld', pages.get('verstetigung-03-themenfelder.html')!);
    expect(topics.length).toBe(5);
    for (const topic of topics) expect(selectAll('.ziel', topic).length).toBeGreaterThanOrEqual(2);
  });

  it('resolves every internal link to an existing page and anchor', () => {
    let checked = 0;
    for (const [name, tree] of pages) {
      for (const link of selectAll('a[href]', tree) as Element[]) {
        const href = String(link.properties.href);
        if (/^(https?|mailto):/.test(href)) continue;
        const [file = '', fragment] = href.split('#');
        const target = file === '' ? name : file;
        expect(existsSync(path.join(html, target)), `${name} -> ${href}`).toBe(true);
        if (fragment && target.endsWith('.html')) {
          const id = decodeURIComponent(fragment);
          expect(select(`[id="${id}"]`, pages.get(target)!), `${name} -> ${href}`).toBeTruthy();
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('loads nothing from another host', () => {
    for (const [name, tree] of pages) {
      for (const node of selectAll('link[href], script[src], img[src]', tree)) {
        const url = String(node.properties.href ?? node.properties.src);
        expect(url, name).not.toMatch(/^(https?:)?\/\//);
      }
      // The one script is the edition's own search, from its own folder.
      expect(selectAll('script', tree).map((node) => node.properties.src), name).toEqual(['js/suche.js']);
    }
  });

  it('carries the bundled fonts that its stylesheets name', async () => {
    const css = await readFile(path.join(html, 'css', 'fonts.css'), 'utf8');
    const fonts = [...css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/url\(\.\.\/fonts\/([^)]+)\)/g)].map((match) => match[1]);
    expect(fonts.length).toBeGreaterThanOrEqual(5);
    for (const font of fonts) expect(existsSync(path.join(html, 'fonts', font!)), font).toBe(true);
  });

  it('builds a clean edition without marking on request', async () => {
    const clean = await tempOut();
    try {
      const result = await runCli(['build', '--format', 'html', '--no-marking', '--out', clean.out]);
      expect(result.code).toBe(0);
      const page = await readFile(path.join(clean.out, 'html', 'analyse-02-industrielle-basis.html'), 'utf8');
      expect(page).not.toContain('beitrag');
      expect(page).toContain('kleine Zulieferer oft keine Zeit');
      expect(existsSync(path.join(clean.out, 'html', 'legende.html'))).toBe(false);
    } finally {
      await clean.remove();
    }
  });
});
