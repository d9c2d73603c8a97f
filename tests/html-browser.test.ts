/**
 * The HTML edition in a real browser (the system Chromium, as the PDF uses it): every page loads
 * with its bundled fonts and nothing from elsewhere, reads well on a phone, and axe-core finds no
 * WCAG 2.x A/AA violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserSession } from '../src/browser/browser.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildOrigin, serveFiles } from '../src/browser/serve-files.js';
import { loadCharta } from '../src/load/load-charta.js';
import type { EditionFile } from '../src/render/edition.js';
import { renderHtml } from '../src/render/html/render-html.js';
import { axeViolations, projectRoot } from './helpers.js';


let files: EditionFile[];
let session: BrowserSession;

beforeAll(async () => {
  const { charta } = await loadCharta({ root: projectRoot });
  files = await renderHtml(charta!);
  session = await launchBrowser({ executablePath: (await findBrowser()).executablePath });
});
afterAll(() => session?.close());

const pagesToCheck = ['index.html', 'legende.html', 'analyse.html', 'analyse-02-industrielle-basis.html', 'aktivitaeten-01-entstehung.html', 'verstetigung-03-themenfelder.html', 'impressum.html'];

describe('the HTML edition in Chromium', () => {
  for (const name of pagesToCheck) {
    it(`${name} loads its own files only, with the bundled fonts, and passes axe-core`, async () => {
      await session.withPage(async (page) => {
        const log = await serveFiles(page, files);
        await page.setViewport({ width: 1280, height: 900 });
        await page.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        expect(log.blocked).toEqual([]);
        expect(log.missing).toEqual([]);
        const fonts = await page.evaluate(() => [...document.fonts].filter((face) => face.status === 'loaded').map((face) => `${face.family} ${face.weight}`));
        expect(fonts).toEqual(expect.arrayContaining(['Source Serif 4 400', 'Source Sans 3 700']));
        const violations = await axeViolations(page);
        expect(violations).toEqual([]);
      });
    });
  }

  it('fits a phone screen without sideways scrolling', async () => {
    await session.withPage(async (page) => {
      await serveFiles(page, files);
      await page.setViewport({ width: 375, height: 800, isMobile: true, hasTouch: true });
      for (const name of pagesToCheck) {
        await page.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, name).toBeLessThanOrEqual(0);
      }
    });
  });
});
