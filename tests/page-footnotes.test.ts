/**
 * Footnotes at the foot of their pages where placing them is hard: a chapter with a note on
 * every paragraph, notes of a line and of half a page, and one note longer than a page. The
 * blocks are predicted and checked pass by pass (`page-footnotes.ts`); whatever the prediction
 * got wrong, every note must end up on the page of its reference, and the page numbers the
 * passes tell must be those of the print.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { selectAll } from 'hast-util-select';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Charta } from '../src/charta.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildPdf, type PdfResult } from '../src/emit/pdf-edition.js';
import { readPageMap, type PageMap } from '../src/emit/pdf-destinations.js';
import { loadCharta } from '../src/load/load-charta.js';
import { copyProject } from './helpers.js';

const sentence = 'Die Angabe stützt sich auf die Unterlagen der Initiative und auf die Gespräche mit den Beteiligten in der Region. ';

let project: Awaited<ReturnType<typeof copyProject>>;
let charta: Charta;
let result: PdfResult;
let map: PageMap;

beforeAll(async () => {
  project = await copyProject();
  const file = path.join(project.root, 'charta/02-vision/03-region-2035.md');
  const lines = (await readFile(file, 'utf8')).split('\n');
  const notes: string[] = [];
  // A note on every paragraph: short, medium, half a page; the fifth longer than a page.
  const text = lines.map((line) => {
    if (!/^[A-ZÄÖÜ]/.test(line)) return line;
    const number = notes.length + 1;
    const sentences = number === 5 ? 70 : [1, 4, 14][number % 3]!;
    notes.push(`[^n${number}]: ${sentence.repeat(sentences).trim()}`);
    return `${line}[^n${number}]`;
  });
  expect(notes.length).toBeGreaterThan(8);
  await writeFile(file, [...text, '', ...notes, ''].join('\n'));
  const loaded = await loadCharta({ root: project.root });
  charta = loaded.charta!;
  result = await buildPdf(charta, { executablePath: (await findBrowser()).executablePath });
  map = await readPageMap(result.bytes);
}, 240_000);

afterAll(async () => {
  await project?.remove();
});

describe('footnotes that are hard to place', () => {
  it('puts every note on the page of its reference, a note longer than a page starting there', () => {
    const chapter = charta.parts.flatMap((part) => part.chapters).find((candidate) => candidate.file.path.endsWith('03-region-2035.md'))!;
    const items = selectAll('section[data-footnotes] li', chapter.tree);
    // The print document puts the chapter's id before each of its ids.
    const pageOf = (id: string) => [...map.destinations].find(([name]) => name.endsWith(`--${id}`))?.[1];
    expect(items.length).toBeGreaterThan(8);
    for (const item of items) {
      const id = String(item.properties.id);
      const reference = selectAll('a[data-footnote-ref]', chapter.tree).find((link) => link.properties.href === `#${id}`)!;
      const notePage = pageOf(id);
      expect(notePage, `the note ${id} is printed`).toBeDefined();
      expect(notePage, `the note ${id} on the page of its reference`).toBe(pageOf(String(reference.properties.id)));
    }
    expect(result.footnotes.atChapterEnd).toBe(0);
  });

  it('tells the page numbers right from the passes: the document is printed once', () => {
    expect(result.footnotes.passes).toBeGreaterThanOrEqual(2);
    expect(result.prints).toBe(result.footnotes.passes + 1);
    expect(result.pages).toBe(map.pages);
  });
});
