/**
 * The HTML edition's search, driven in the system Chromium on the real built edition opened from
 * disk (`file://`), as a reader would: keyboard only, German queries (umlauts typed as "ue",
 * compounds, inflected forms), no hits, hostile queries, the hits marked on the opened page and
 * cleared again; and no request ever leaves the disk. Once also hosted, from a server.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from '../src/browser/browser.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildOrigin, serveFiles } from '../src/browser/serve-files.js';
import { axeViolations, runCli, tempOut } from './helpers.js';

let out: Awaited<ReturnType<typeof tempOut>>;
let html: string;
let session: BrowserSession;

beforeAll(async () => {
  out = await tempOut();
  const result = await runCli(['build', '--format', 'html', '--out', out.out, '--quiet']);
  expect(result.code, result.stderr).toBe(0);
  html = path.join(out.out, 'html');
  session = await launchBrowser({ executablePath: (await findBrowser()).executablePath });
});
afterAll(async () => {
  await session?.close();
  await out?.remove();
});

const fileUrl = (name: string) => pathToFileURL(path.join(html, name)).href;

interface Requests {
  /** Every address the page asked for. */
  all: string[];
  /** Those not on the disk: aborted. */
  outside: string[];
  /** Dialogs the page opened (alert, confirm): a query that ran as script. */
  dialogs: string[];
}

/** Lets `page` load only from `file://`, recording every request and dialog. */
async function diskOnly(page: Page): Promise<Requests> {
  const requests: Requests = { all: [], outside: [], dialogs: [] };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    requests.all.push(url);
    if (url.startsWith('file://')) void request.continue().catch(() => {});
    else {
      requests.outside.push(url);
      void request.abort('blockedbyclient').catch(() => {});
    }
  });
  page.on('dialog', (dialog) => {
    requests.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return requests;
}

/** The search's state as a reader and a screen reader meet it. */
function searchState(page: Page) {
  return page.evaluate(() => {
    const input = document.querySelector<HTMLInputElement>('#suche-eingabe')!;
    const listbox = document.querySelector<HTMLElement>('#suche-treffer')!;
    const options = [...listbox.querySelectorAll<HTMLAnchorElement>('[role="option"]')];
    return {
      focused: document.activeElement === input,
      value: input.value,
      expanded: input.getAttribute('aria-expanded'),
      controls: input.getAttribute('aria-controls'),
      activeDescendant: input.getAttribute('aria-activedescendant'),
      status: document.querySelector('#suche-status')!.textContent,
      listboxHidden: listbox.hidden,
      groups: [...listbox.querySelectorAll('[role="group"]')].map((group) => document.getElementById(group.getAttribute('aria-labelledby')!)!.textContent),
      options: options.map((option) => ({
        id: option.id,
        href: option.href,
        selected: option.getAttribute('aria-selected'),
        heading: option.querySelector('.suche__titel')!.textContent,
        marks: [...option.querySelectorAll('mark')].map((mark) => mark.textContent),
      })),
    };
  });
}

/** Types `query` into the focused field and waits until the status answers it. */
async function typeQuery(page: Page, query: string) {
  await page.keyboard.type(query);
  await page.waitForFunction((value) => {
    const input = document.querySelector<HTMLInputElement>('#suche-eingabe')!;
    const status = document.querySelector('#suche-status')!.textContent ?? '';
    return input.value === value && /Treffer/.test(status);
  }, {}, query);
  return searchState(page);
}

async function openSearch(page: Page, name = 'index.html') {
  await page.goto(fileUrl(name), { waitUntil: 'load' });
  await page.keyboard.press('/');
  expect((await searchState(page)).focused).toBe(true);
}

describe('the search, opened from disk', () => {
  it('loads its index only on first use, from disk, and finds "Suedwestsachsen" as Südwestsachsen', async () => {
    await session.withPage(async (page) => {
      const requests = await diskOnly(page);
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(fileUrl('index.html'), { waitUntil: 'load' });
      expect(requests.all.some((url) => url.endsWith('/js/suche.js'))).toBe(true);
      expect(requests.all.some((url) => url.endsWith('/js/suche-index.js'))).toBe(false);
      const closed = await searchState(page);
      expect(closed).toMatchObject({ expanded: 'false', controls: 'suche-treffer', listboxHidden: true, status: '' });

      await page.keyboard.press('/');
      const state = await typeQuery(page, 'Suedwestsachsen');
      expect(requests.all.filter((url) => url.endsWith('/js/suche-index.js'))).toHaveLength(1);
      expect(state.status).toMatch(/^\d+ Treffer$/);
      expect(Number.parseInt(state.status!, 10)).toBe(state.options.length);
      expect(state.options.length).toBeGreaterThan(5);
      expect(state).toMatchObject({ expanded: 'true', listboxHidden: false });
      expect(state.options.flatMap((option) => option.marks)).toContain('Südwestsachsen');
      // Grouped by chapter: each chapter once, in the order of its best result.
      expect(new Set(state.groups).size).toBe(state.groups.length);
      expect(state.groups.length).toBeGreaterThan(2);
      expect(requests.outside).toEqual([]);
    });
  });

  it('finds a compound by its last part: "Industrie" finds the Zulieferindustrie', async () => {
    await session.withPage(async (page) => {
      const requests = await diskOnly(page);
      await openSearch(page);
      const state = await typeQuery(page, 'Industrie');
      const angebote = state.options.find((option) => option.href.startsWith(fileUrl('aktivitaeten-04-angebote.html')));
      expect(angebote?.marks).toContain('Zulieferindustrie');
      // That section has the word only inside the compound.
      expect(angebote?.marks).not.toContain('Industrie');
      const marks = state.options.flatMap((option) => option.marks);
      expect(marks).toEqual(expect.arrayContaining(['Industrie', 'Zulieferindustrie', 'Industrieregion']));
      expect(requests.outside).toEqual([]);
    });
  });

  it('finds inflected forms by their stem and shows "Keine Treffer" for a word not in the charta', async () => {
    await session.withPage(async (page) => {
      await diskOnly(page);
      await openSearch(page);
      const state = await typeQuery(page, 'Regionen');
      expect(state.options.flatMap((option) => option.marks)).toEqual(expect.arrayContaining(['Region']));

      await page.keyboard.down('Control');
      await page.keyboard.press('a');
      await page.keyboard.up('Control');
      await page.keyboard.press('Backspace');
      const none = await typeQuery(page, 'Quantencomputer');
      expect(none).toMatchObject({ status: 'Keine Treffer', expanded: 'false', listboxHidden: true, options: [] });
    });
  });

  it('works by keyboard alone: / , type, arrows, Enter opens the section with the hits marked, and clearing them', async () => {
    await session.withPage(async (page) => {
      const requests = await diskOnly(page);
      await page.setViewport({ width: 1280, height: 900 });
      await openSearch(page);
      const state = await typeQuery(page, 'Zulieferindustrie');
      expect(state.activeDescendant).toBeNull();
      await page.keyboard.press('ArrowDown');
      let moved = await searchState(page);
      expect(moved.activeDescendant).toBe(moved.options[0]!.id);
      expect(moved.options[0]!.selected).toBe('true');
      if (moved.options.length > 1) {
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        moved = await searchState(page);
        expect(moved.activeDescendant).toBe(moved.options[0]!.id);
        expect(moved.options.filter((option) => option.selected === 'true')).toHaveLength(1);
      }
      // Escape closes the list and keeps the query; ArrowDown opens it again.
      await page.keyboard.press('Escape');
      expect(await searchState(page)).toMatchObject({ expanded: 'false', value: 'Zulieferindustrie', activeDescendant: null });
      await page.keyboard.press('ArrowDown');
      const target = (await searchState(page)).options[0]!;
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);

      const opened = new URL(page.url());
      expect(opened.protocol).toBe('file:');
      expect(opened.searchParams.get('suche')).toBe('Zulieferindustrie');
      expect(page.url()).toBe(target.href);
      await page.waitForSelector('.suchmarkierung');
      const marked = await page.evaluate(() => ({
        marks: [...document.querySelectorAll('mark.suchtreffer')].map((mark) => mark.textContent),
        bar: document.querySelector('.suchmarkierung__text')!.textContent,
        button: document.querySelector('.suchmarkierung__aufheben')!.textContent,
        input: document.querySelector<HTMLInputElement>('#suche-eingabe')!.value,
      }));
      expect(marked.marks.length).toBeGreaterThan(0);
      // The word itself, or a compound it ends ("Fahrzeugzulieferindustrie").
      for (const mark of marked.marks) expect(mark).toMatch(/zulieferindustrie$/i);
      expect(marked.bar).toBe(`${marked.marks.length === 1 ? 'Ein Treffer' : `${marked.marks.length} Treffer`} für „Zulieferindustrie“ markiert.`);
      expect(marked.button).toBe('Markierung aufheben');
      expect(marked.input).toBe('Zulieferindustrie');

      // Clearing, by keyboard: the page is as it was without the query.
      const plain = await session.withPage(async (other) => {
        await other.goto(fileUrl(opened.pathname.split('/').pop()!), { waitUntil: 'load' });
        return other.$eval('main .kapitel', (article) => article.innerHTML);
      });
      await page.focus('.suchmarkierung__aufheben');
      await page.keyboard.press('Enter');
      const cleared = await page.evaluate(() => ({
        marks: document.querySelectorAll('mark').length,
        bar: document.querySelector('.suchmarkierung') !== null,
        focus: document.activeElement?.id,
        article: document.querySelector('main .kapitel')!.innerHTML,
        query: new URL(location.href).searchParams.get('suche'),
      }));
      expect(cleared).toMatchObject({ marks: 0, bar: false, focus: 'inhalt', query: null });
      expect(cleared.article).toBe(plain);
      expect(requests.outside).toEqual([]);
    });
  });

  it('shows a query with markup and quotes as text, and runs none of it', async () => {
    await session.withPage(async (page) => {
      const requests = await diskOnly(page);
      await openSearch(page);
      const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>';
      const none = await typeQuery(page, attack);
      expect(none.status).toBe('Keine Treffer');
      expect(none.value).toBe(attack);

      const query = `<i>Industrie</i> "Region" 'x' <img src=x onerror=alert(3)>`;
      await page.goto(`${fileUrl('analyse-01-vorwort.html')}?suche=${encodeURIComponent('<i>Industrie</i> "Region"')}`, { waitUntil: 'load' });
      await page.waitForSelector('.suchmarkierung');
      const shown = await page.evaluate(() => ({
        text: document.querySelector('.suchmarkierung__text strong')!.textContent,
        elements: document.querySelectorAll('.suchmarkierung__text strong *').length,
        italics: document.querySelectorAll('main .kapitel i').length,
      }));
      expect(shown).toEqual({ text: '<i>Industrie</i> "Region"', elements: 0, italics: 0 });

      // In the combobox the result links carry the whole query, encoded.
      await page.goto(fileUrl('index.html'), { waitUntil: 'load' });
      await page.keyboard.press('/');
      await page.keyboard.type(query);
      await page.waitForFunction(() => /Treffer/.test(document.querySelector('#suche-status')!.textContent ?? ''));
      const scripts = await page.evaluate(() => [...document.scripts].map((script) => script.getAttribute('src')));
      expect(scripts.every((src) => src === 'js/suche.js' || /\/js\/suche-index\.js$/.test(src ?? ''))).toBe(true);
      expect(await page.$$('img[src="x"]')).toHaveLength(0);
      expect(requests.dialogs).toEqual([]);
      expect(requests.outside).toEqual([]);
    });
  });

  it('passes axe-core with the results open, and fits a phone screen', async () => {
    await session.withPage(async (page) => {
      await diskOnly(page);
      await page.setViewport({ width: 1280, height: 900 });
      await openSearch(page, 'vision-01-leitbild.html');
      await typeQuery(page, 'Mobilität');
      await page.keyboard.press('ArrowDown');
      expect(await axeViolations(page)).toEqual([]);

      await page.setViewport({ width: 375, height: 800, isMobile: true, hasTouch: true });
      await openSearch(page, 'vision-01-leitbild.html');
      await typeQuery(page, 'Mobilität');
      const box = await page.$eval('.suche__klappe', (panel) => {
        const rect = panel.getBoundingClientRect();
        return { left: rect.left, right: rect.right, width: rect.width, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(375);
      expect(box.width).toBeGreaterThan(300);
      expect(box.overflow).toBeLessThanOrEqual(0);
    });
  });
});

describe('the search, hosted', () => {
  it('works the same from a server', async () => {
    const entries = await readdir(html, { recursive: true, withFileTypes: true });
    const files = await Promise.all(
      entries.filter((entry) => entry.isFile()).map(async (entry) => {
        const full = path.join(entry.parentPath, entry.name);
        return { path: path.relative(html, full).split(path.sep).join('/'), contents: await readFile(full) };
      }),
    );
    await session.withPage(async (page) => {
      const log = await serveFiles(page, files);
      await page.goto(`${buildOrigin}index.html`, { waitUntil: 'load' });
      await page.keyboard.press('/');
      const state = await typeQuery(page, 'Suedwestsachsen');
      expect(state.options.length).toBeGreaterThan(5);
      expect(state.options[0]!.href.startsWith(buildOrigin)).toBe(true);
      await page.keyboard.press('ArrowDown');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      await page.waitForSelector('mark.suchtreffer');
      expect(log.served).toContain('js/suche-index.js');
      expect(log.blocked).toEqual([]);
      expect(log.missing).toEqual([]);
    });
  });
});
