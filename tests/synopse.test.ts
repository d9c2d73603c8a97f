/**
 * The Synopse, from hand-made changes (tests/fixtures/synopse/changes.ts) against the real charta
 * as version 2.0: the HTML edition's pages (rows and cells, "unverändert", "entfällt", "(neu)",
 * notes, cleaned blocks), the pages in Chromium (axe-core, a phone's width), and the PDF
 * (landscape A4, running heads and page numbers, each changed block's two versions on one page).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeStarted, startBrowser, type BrowserSession } from '../src/browser/browser.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildOrigin, serveFiles } from '../src/browser/serve-files.js';
import type { Charta } from '../src/charta.js';
import type { SynopsisRow } from '../src/compare/changes.js';
import { defaultFormats, formats, startEdition } from '../src/commands/formats.js';
import { printSynopsePdf } from '../src/emit/synopse-pdf.js';
import { loadCharta } from '../src/load/load-charta.js';
import type { EditionFile } from '../src/render/edition.js';
import { renderHtml } from '../src/render/html/render-html.js';
import { synopseAddress } from '../src/render/synopse/synopse-pages.js';
import { unchangedText } from '../src/render/synopse/synopse-view.js';
import { changes, hugeChangeId } from './fixtures/synopse/changes.js';
import { axeViolations, projectRoot } from './helpers.js';


function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** Text without the marks of line breaking: whitespace, soft hyphens, hyphens. */
function squeeze(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00ad\u200b\-‐]/g, '');
}

let plain: Charta;
let charta: Charta;
let files: EditionFile[];
let starting: Promise<BrowserSession>;
let session: BrowserSession;
let folder: string;

beforeAll(async () => {
  const loaded = await loadCharta({ root: projectRoot });
  plain = loaded.charta!;
  charta = { ...plain, meta: { ...plain.meta, version: '2.0', datum: '2024-06-06' }, changes };
  files = await renderHtml(charta);
  starting = startBrowser({ executablePath: (await findBrowser()).executablePath });
  session = await starting;
  folder = await mkdtemp(path.join(tmpdir(), 'charta-synopse-'));
});
afterAll(async () => {
  await closeStarted(starting);
  if (folder) await rm(folder, { recursive: true, force: true });
});

function page(name: string): Root {
  const file = files.find((entry) => entry.path === name);
  expect(file, name).toBeDefined();
  return fromHtml(String(file!.contents));
}

/** The rows of a Synopse page's table body. */
function bodyRows(tree: Root): Element[] {
  return selectAll('.synopse__tabelle > tbody > tr', tree);
}

const synopsisOf = (chapterId: string) => changes.synopsis.find((chapter) => chapter.chapterId === chapterId)!;

describe('the Synopse in the HTML edition', () => {
  it('has a page per changed chapter, and none for a chapter without changes', () => {
    const names = files.map((file) => file.path).filter((name) => name.startsWith('synopse-'));
    expect(names).toEqual(['aktivitaeten-04-zukunftstour', 'vision-01-leitbild', 'verstetigung-04-policy-labs'].map((id) => synopseAddress(id)));
    expect(synopseAddress('vision-01-leitbild', 'aenderung-3')).toBe('synopse-vision-01-leitbild.html#aenderung-3');
  });

  it('adds no page without changes', async () => {
    const without = await renderHtml(plain);
    expect(without.filter((file) => file.path.startsWith('synopse-'))).toEqual([]);
  });

  it('heads the columns with both versions and their dates, and aligns one row per block', () => {
    const tree = page('synopse-vision-01-leitbild.html');
    expect(selectAll('.synopse__tabelle thead th', tree).map((cell) => toString(cell))).toEqual(['Fassung 1.0 (8. Juni 2023)', 'Fassung 2.0 (6. Juni 2024)']);
    expect(toString(select('h1', tree)!)).toBe('Leitbild Südwestsachsen 2035');
    const rows = bodyRows(tree);
    const expected = synopsisOf('vision-01-leitbild').rows;
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, index) => {
      const kind = expected[index]!.kind;
      expect(row.properties.className, `row ${index}`).toContain(`synopse__zeile--${kind}`);
      const cells = selectAll(':scope > td', row);
      if (kind === 'unchanged') {
        expect(cells).toHaveLength(1);
        expect(cells[0]!.properties.colSpan).toBe(2);
      } else {
        expect(cells).toHaveLength(2);
        expect(row.properties.id).toBe(expected[index]!.changeId);
      }
    });
  });

  it('condenses unchanged blocks, in the singular and the plural', () => {
    const texts = selectAll('.synopse__unveraendert', page('synopse-vision-01-leitbild.html')).map((cell) => toString(cell));
    expect(texts).toEqual(['… 2 Absätze unverändert …', '… 1 Absatz unverändert …', '… 3 Absätze unverändert …', '… 4 Absätze unverändert …']);
    expect(unchangedText(1)).toBe('… 1 Absatz unverändert …');
  });

  it('says "entfällt" for a removed block, "(neu)" for an added one, and notes rewritten and moved blocks', () => {
    const tree = page('synopse-vision-01-leitbild.html');
    const row = (kind: SynopsisRow['kind']) => bodyRows(tree).find((element) => (element.properties.className as string[]).includes(`synopse__zeile--${kind}`))!;
    const cells = (kind: SynopsisRow['kind']) => selectAll(':scope > td', row(kind));
    expect(toString(select('.synopse__leer', cells('removed')[1]!)!)).toBe('entfällt');
    expect(toString(cells('removed')[0]!)).toContain('Die Charta ist Ausdruck dieser Überzeugung');
    expect(select('del', cells('removed')[0]!)).toBeTruthy();
    expect(toString(select('.synopse__leer', cells('added')[0]!)!)).toBe('(neu)');
    expect(select('ins .beitrag--zukunftstour-2024', cells('added')[1]!)).toBeTruthy();
    expect(toString(select('.synopse__vermerk', cells('replaced')[1]!)!)).toBe('neu gefasst');
    expect(toString(select('.synopse__vermerk', cells('moved')[1]!)!)).toBe('verschoben aus „Prinzipien der Netzwerkarbeit“');
  });

  it('marks deletions on the left and insertions on the right', () => {
    const tree = page('synopse-vision-01-leitbild.html');
    const changed = bodyRows(tree).filter((row) => (row.properties.className as string[]).includes('synopse__zeile--changed'));
    const [left, right] = selectAll(':scope > td', changed[1]!);
    expect(selectAll('del', left!).map((node) => toString(node))).toEqual(['Bildungsmöglichkeiten bietet']);
    expect(selectAll('ins', left!)).toEqual([]);
    expect(selectAll('ins', right!).map((node) => toString(node))).toEqual(['in jeder Lebensphase Bildung ermöglicht', ' und die in allen Teilen der Region sichtbar ist']);
    expect(selectAll('del', right!)).toEqual([]);
    // Screen readers hear each change once: "Gestrichen:" before a deletion, "Eingefügt:" before an insertion.
    expect(selectAll('.sr-only', left!).map((node) => toString(node))).toEqual(['Gestrichen: ']);
    expect(selectAll('.sr-only', right!).map((node) => toString(node))).toEqual(['Eingefügt: ', 'Eingefügt: ']);
    const added = bodyRows(tree).find((row) => (row.properties.className as string[]).includes('synopse__zeile--added'))!;
    expect(selectAll('.sr-only', added).map((node) => toString(node))).toEqual(['Eingefügt: ']);
  });

  it('makes blocks fit in cells: no headings, lists and tables wrapped, unique ids, links resolved or unwrapped', () => {
    for (const name of files.map((file) => file.path).filter((entry) => entry.startsWith('synopse-'))) {
      const tree = page(name);
      const table = select('.synopse__tabelle', tree)!;
      expect(selectAll('h1, h2, h3, h4, h5, h6', table), name).toEqual([]);
      expect(selectAll('a[data-footnote-ref]', table), name).toEqual([]);
      for (const item of selectAll('li', table)) expect(item, name).toBeTruthy();
      const ids = selectAll('[id]', tree).map((element) => String(element.properties.id));
      expect(new Set(ids).size, name).toBe(ids.length);
      const described = selectAll('[aria-describedby]', tree).flatMap((element) => String(element.properties.ariaDescribedBy).split(' '));
      for (const id of described) expect(ids, name).toContain(id);
    }
    const leitbild = page('synopse-vision-01-leitbild.html');
    expect(selectAll('td > ul.synopse__liste > li', leitbild)).toHaveLength(3);
    expect(select('.synopse__ueberschrift--2', leitbild)).toBeTruthy();
    expect(selectAll('td a', leitbild).map((link) => link.properties.href)).toEqual(expect.arrayContaining(['vision-02-prinzipien.html', 'vision-01-leitbild.html#aenderung-3']));
    const tour = page('synopse-aktivitaeten-04-zukunftstour.html');
    expect(selectAll('td > table > tbody > tr > td', tour).map((cell) => toString(cell))).toEqual(['Plauen', 'Gestrichen: 24. April', 'Plauen', 'Eingefügt: 24. April 2024, Festhalle']);
  });

  it('names a renamed chapter by its earlier and its later title', () => {
    const heading = select('h1', page('synopse-aktivitaeten-04-zukunftstour.html'))!;
    expect(toString(heading)).toBe('Die ITAS-Zukunfts-Tour 2024 (bisher: „Die ITAS-Zukunfts-Tour“)');
  });

  it('pages from one changed chapter to the next, not through the charta', () => {
    const tree = page('synopse-vision-01-leitbild.html');
    expect(select('a[rel=prev]', tree)!.properties.href).toBe('synopse-aktivitaeten-04-zukunftstour.html');
    expect(select('a[rel=next]', tree)!.properties.href).toBe('synopse-verstetigung-04-policy-labs.html');
    expect(select('a[rel=next]', page('impressum.html'))).toBeUndefined();
  });

  it('passes axe-core and fits a phone without sideways scrolling', async () => {
    for (const name of ['synopse-vision-01-leitbild.html', 'synopse-aktivitaeten-04-zukunftstour.html']) {
      await session.withPage(async (browserPage) => {
        const log = await serveFiles(browserPage, files);
        await browserPage.setViewport({ width: 1280, height: 900 });
        await browserPage.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
        await browserPage.evaluate(() => document.fonts.ready);
        expect(log.blocked).toEqual([]);
        expect(log.missing).toEqual([]);
        const violations = await axeViolations(browserPage);
        expect(violations, name).toEqual([]);
        await browserPage.setViewport({ width: 375, height: 800, isMobile: true, hasTouch: true });
        await browserPage.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
        const overflow = await browserPage.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, name).toBeLessThanOrEqual(0);
        if (process.env.CHARTA_SCREENSHOTS) {
          await browserPage.screenshot({ path: path.join(process.env.CHARTA_SCREENSHOTS, `${name}-375.png`) as `${string}.png`, fullPage: true });
          await browserPage.setViewport({ width: 1280, height: 900 });
          await browserPage.screenshot({ path: path.join(process.env.CHARTA_SCREENSHOTS, `${name}-1280.png`) as `${string}.png`, fullPage: true });
        }
      });
    }
  });
});

describe('the Synopse PDF', () => {
  let file: string;
  /** Per page (index 0 is page 1): the text of the left and the right half, squeezed. */
  let halves: Array<{ left: string; right: string; all: string }>;

  beforeAll(async () => {
    const { bytes, pages } = await printSynopsePdf(charta, starting);
    file = path.join(folder, 'charta-synopse.pdf');
    await writeFile(file, bytes);
    if (process.env.CHARTA_SCREENSHOTS) await writeFile(path.join(process.env.CHARTA_SCREENSHOTS, 'charta-synopse.pdf'), bytes);
    const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
    try {
      expect(pdf.numPages).toBe(pages);
      halves = [];
      for (let number = 1; number <= pdf.numPages; number++) {
        const pdfPage = await pdf.getPage(number);
        const middle = pdfPage.view[2]! / 2;
        const items = (await pdfPage.getTextContent()).items.flatMap((item) => ('str' in item ? [{ text: item.str, x: item.transform[4] as number }] : []));
        halves.push({
          left: squeeze(items.filter((item) => item.x < middle).map((item) => item.text).join('')),
          right: squeeze(items.filter((item) => item.x >= middle).map((item) => item.text).join('')),
          all: items.map((item) => item.text).join(' '),
        });
      }
    } finally {
      await pdf.destroy();
    }
  }, 120_000);

  it('is landscape A4 with the Synopse as its title', async () => {
    const info = await run('pdfinfo', [file]);
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    expect(Math.round(Number(size![1]))).toBe(842);
    expect(Math.round(Number(size![2]))).toBe(595);
    expect(info).toMatch(/Title:\s+Synopse: Fassung 1\.0 und 2\.0/);
    expect(info).toMatch(/Tagged:\s+yes/);
    const fonts = await run('pdffonts', [file]);
    for (const line of fonts.split('\n').slice(2).filter(Boolean)) expect(line, 'every font embedded, none of Type 3').toMatch(/ yes /);
    expect(fonts).not.toMatch(/Type 3/);
    const names = fonts.split('\n').slice(2).filter(Boolean).map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    for (const name of names) expect(name, 'only the bundled fonts').toMatch(/^(SourceSans3|SourceSerif4|NotoSansSymbols2)/);
  });

  it('has running heads with the title and the chapter, and page numbers', () => {
    const second = halves[1]!.all;
    expect(second).toContain('Synopse: Fassung 1.0 und 2.0');
    expect(second).toContain('Die ITAS-Zukunfts-Tour 2024 (bisher: „Die ITAS-Zukunfts-Tour“)');
    // The title page has no running heads: the title is only its heading.
    expect(halves[0]!.all.split('Synopse: Fassung 1.0 und 2.0')).toHaveLength(2);
    expect(second).toContain(`Seite 2 von ${halves.length}`);
    // The title page lists the chapters; the running heads follow them from the second page on.
    const labs = halves.slice(1).findIndex((half) => half.all.includes('Policy Labs, Charta 2.0 und Beteiligung')) + 1;
    expect(labs).toBeGreaterThan(1);
    expect(halves.at(-1)!.all).toContain('Policy Labs, Charta 2.0 und Beteiligung');
    expect(halves.at(-1)!.all).toContain(`Seite ${halves.length} von ${halves.length}`);
  });

  it('prints each changed block with its earlier text on the left and its later text on the right of the same page', () => {
    let checked = 0;
    for (const chapter of changes.synopsis) {
      for (const row of chapter.rows) {
        if (row.kind === 'unchanged' || row.changeId === hugeChangeId) continue;
        const earlier = row.earlier && squeeze(row.earlier.map((node) => toString(node)).join(''));
        const later = row.later && squeeze(row.later.map((node) => toString(node)).join(''));
        const pages = halves.flatMap((half, index) => ((!earlier || half.left.includes(earlier)) && (!later || half.right.includes(later)) ? [index + 1] : []));
        expect(pages, `${row.changeId} (${row.kind}) on one page`).toHaveLength(1);
        checked++;
      }
    }
    expect(checked).toBe(changes.synopsis.flatMap((chapter) => chapter.rows).filter((row) => row.kind !== 'unchanged').length - 1);
  });

  it('lets only a block taller than a page run over to the next', () => {
    const row = changes.synopsis.flatMap((chapter) => chapter.rows).find((entry) => entry.changeId === hugeChangeId)!;
    const start = squeeze(toString(row.earlier![0]!)).slice(0, 60);
    const end = squeeze(toString(row.earlier![0]!)).slice(-60);
    const first = halves.findIndex((half) => half.left.includes(start));
    const last = halves.findIndex((half) => half.left.includes(end));
    expect(first).toBeGreaterThan(0);
    expect(last).toBeGreaterThan(first);
  });
});

describe('the synopse format', () => {
  it('is a format of its own, not built by default', () => {
    expect(formats).toContain('synopse');
    expect(defaultFormats).toEqual(['html', 'epub', 'pdf']);
  });

  it('is a usage error without changes to show', async () => {
    const edition = await startEdition.synopse({ signal: new AbortController().signal, out: folder });
    expect(typeof edition).not.toBe('string');
    if (typeof edition === 'string') return;
    try {
      await expect(edition.build(plain, { writeFile: async () => {} } as never)).rejects.toMatchObject({ message: '--format synopse needs --since <ref>', exitCode: 2 });
    } finally {
      await edition.close?.();
    }
  });
});
