/**
 * The layout pass of a document without notes to place (`layOutPages` in page-footnotes.ts): a
 * charta without footnotes, and the charta with chapter endnotes (the template's choice). A large
 * document is laid out in parts, each alone with the rest hidden, as the first pass of the notes
 * is; the page numbers must be those of a pass of the whole, and nothing the passes add may stay
 * in the print.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildPdf } from '../src/emit/pdf-edition.js';
import { initProject } from '../src/init/init-project.js';
import { loadCharta } from '../src/load/load-charta.js';
import { copyProject } from './helpers.js';

let executablePath: string;
beforeAll(async () => {
  executablePath = (await findBrowser()).executablePath;
});

/** The words of the PDF's last page. */
async function lastPageWords(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
  const content = await (await pdf.getPage(pdf.numPages)).getTextContent();
  return content.items.flatMap((item) => ('str' in item ? item.str.split(/\s+/).filter(Boolean) : []));
}

describe('a charta without footnotes', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'charta-ohne-fussnoten-'));
    await initProject(folder);
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('gets no page of its own at the end, and nothing of the layout pass stays in the print', async () => {
    const { charta } = await loadCharta({ root: folder });
    const result = await buildPdf(charta!, { executablePath, keepHtml: true });
    expect(result.footnotes.placed).toBe(0);
    expect(result.layoutParts).toBe(1);
    // More on the last page than its number.
    expect((await lastPageWords(result.bytes)).filter((word) => !/^\d+$/.test(word)).length).toBeGreaterThan(3);
    expect(result.printedHtml).not.toMatch(/charta-fussnoten|data-fussnoten/);
  }, 60_000);
});

describe('the charta with chapter endnotes, laid out in parts', () => {
  let project: Awaited<ReturnType<typeof copyProject>>;
  beforeAll(async () => {
    project = await copyProject();
    const stylesheet = path.join(project.root, 'templates', 'css', 'print.css');
    await writeFile(stylesheet, (await readFile(stylesheet, 'utf8')).replace('--fussnoten: seitenfuss;', '--fussnoten: kapitelende;'));
  });
  afterAll(() => project?.remove());

  it('gets the page numbers of a pass of the whole, and the same print', async () => {
    const { charta } = await loadCharta({ root: project.root });
    const whole = await buildPdf(charta!, { executablePath, keepHtml: true });
    // About 20,000 characters a part: the charta in five or more.
    const parts = await buildPdf(charta!, { executablePath, keepHtml: true, layoutText: 20_000 });
    expect(whole.footnotes.mode).toBe('kapitelende');
    expect(whole.layoutParts).toBe(1);
    expect(parts.layoutParts).toBeGreaterThanOrEqual(5);
    expect(parts.pageNumbers.size).toBeGreaterThan(20);
    expect(parts.pageNumbers).toEqual(whole.pageNumbers);
    expect(parts.pages).toBe(whole.pages);
    // One pass and one print each: the numbers the parts told held in the print.
    expect(parts.prints).toBe(2);
    expect(whole.prints).toBe(2);
    expect(parts.printedHtml).toBe(whole.printedHtml);
    expect(parts.printedHtml).not.toMatch(/charta-fussnoten|data-fussnoten/);
  }, 120_000);
});
