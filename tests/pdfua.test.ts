/**
 * PDF/UA-1: the real CLI builds the PDF of the real charta; the checker of the machine-checkable
 * rules (`pdfua-check.ts`, by veraPDF rule id) finds nothing. The same print document printed with
 * the post-processing off (Chromium's own output) fails the rules the post-processing is for. The
 * post-processing changes nothing else: qpdf finds the file sound, the text, outline, links and
 * pages read the same, every object it does not mean to change is as Chromium wrote it, and the
 * pages look the same to the pixel.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBrowser } from '../src/browser/browser.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildPdf, type PdfResult } from '../src/emit/pdf-edition.js';
import { readContent } from '../src/emit/pdf-content.js';
import { withPdfUa } from '../src/emit/pdf-ua.js';
import { loadCharta } from '../src/load/load-charta.js';
import { checkPdfUa, type RuleOutcome } from './pdfua-check.js';
import { projectRoot, runCli, tempOut } from './helpers.js';

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 512 * 1024 * 1024, encoding: 'latin1' }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The rules that fail, with their first failures. */
function failing(outcomes: RuleOutcome[]): Record<string, string[]> {
  return Object.fromEntries(outcomes.filter((outcome) => outcome.failures.length > 0).map((outcome) => [outcome.id, outcome.failures.slice(0, 3)]));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Dict = { [key: string]: Json };
const isPage = (value: Json | undefined) => typeof value === 'object' && value !== null && !Array.isArray(value) && value['/Type'] === '/Page';
type Objects = Map<string, { value?: Json; stream?: { dict: Dict; data?: string } }>;

async function qpdfObjects(file: string): Promise<{ objects: Objects; trailer: Dict }> {
  const { stdout } = await run('qpdf', ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', file]);
  const [, all] = (JSON.parse(stdout) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Dict; data?: string } }>] }).qpdf;
  const objects: Objects = new Map();
  for (const [key, value] of Object.entries(all)) if (key.startsWith('obj:')) objects.set(key.slice(4), value);
  return { objects, trailer: all.trailer!.value as Dict };
}

/** What a reader sees of a PDF: its outline, the links of each page, its page count. */
async function readerView(document: PDFDocumentProxy) {
  const outline = async (items: Awaited<ReturnType<PDFDocumentProxy['getOutline']>>): Promise<unknown[]> =>
    Promise.all((items ?? []).map(async (item) => ({ title: item.title, dest: item.dest, children: await outline(item.items) })));
  const links: unknown[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const annotations = await (await document.getPage(number)).getAnnotations();
    links.push(annotations.map((annotation) => ({ subtype: annotation.subtype, rect: annotation.rect, dest: annotation.dest, url: annotation.url })));
  }
  return { pages: document.numPages, outline: await outline(await document.getOutline()), links };
}

let out: Awaited<ReturnType<typeof tempOut>>;
let built: string;
let raw: PdfResult;
let rawFile: string;
let processed: Uint8Array;
let processedFile: string;

beforeAll(async () => {
  out = await tempOut();
  const result = await runCli(['build', '--format', 'pdf', '--out', out.out]);
  expect(result.code, result.stderr).toBe(0);
  built = path.join(out.out, 'charta.pdf');
  const charta = (await loadCharta({ root: projectRoot })).charta!;
  const browser = await findBrowser();
  raw = await buildPdf(charta, { executablePath: browser.executablePath, postProcess: false });
  rawFile = path.join(out.out, 'chromium.pdf');
  await writeFile(rawFile, raw.bytes);
  const meta = charta.meta;
  ({ bytes: processed } = await withPdfUa(raw.bytes, { title: meta.titel, author: meta.autor, subject: meta.beschreibung, keywords: meta.schlagwoerter, language: meta.sprache, creator: 'charta test' }, { margins: raw.margins }));
  processedFile = path.join(out.out, 'processed.pdf');
  await writeFile(processedFile, processed);
});

afterAll(async () => {
  await out?.remove();
});

describe('PDF/UA-1', () => {
  it('the built PDF passes every rule the checker knows', async () => {
    const outcomes = await checkPdfUa(built);
    expect(outcomes.length).toBeGreaterThan(60);
    expect(failing(outcomes)).toEqual({});
  });

  it('Chromium’s own output fails what the post-processing is for', async () => {
    const fails = failing(await checkPdfUa(rawFile));
    // No pdfuaid:part; Em, Strong and Aside unmapped; list items with other kids than Lbl and LBody;
    // links without /Contents; running heads and page numbers neither tagged nor artifacts.
    for (const id of ['5-t01', '7.1-t05', '7.2-t20', '7.18.5-t02', '7.1-t03']) expect(Object.keys(fails), id).toContain(id);
    expect(fails['7.1-t05']!.join(' ')).toMatch(/\b(Em|Strong|Aside) /);
    const unmarkedPages = (await checkPdfUa(rawFile)).find((outcome) => outcome.id === '7.1-t03')!.failures.length;
    expect(unmarkedPages).toBeGreaterThan(40);
    // What is fixed at the source: figures are groups in the print document, so Chromium tags no figure without alt.
    expect(fails['7.3-t01']).toBeUndefined();
    // And the post-processed print passes all.
    expect(failing(await checkPdfUa(processedFile))).toEqual({});
  });

  it('a figure around an image and its caption would be a Figure without alt: the reason the print document makes it a group', async () => {
    const browser = await findBrowser();
    const image = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40"/></svg>')}`;
    const print = (role: string) =>
      withBrowser({ executablePath: browser.executablePath }, (session) =>
        session.withPage(async (page) => {
          await page.setContent(`<!doctype html><html lang="de"><title>Abbildung</title><body><figure${role}><img src="${image}" alt="Ein Quadrat"><figcaption>Ein Quadrat</figcaption></figure></body></html>`);
          return page.pdf({ tagged: true });
        }),
      );
    const file = path.join(out.out, 'figure.pdf');
    await writeFile(file, await print(''));
    expect(failing(await checkPdfUa(file))['7.3-t01']).toHaveLength(1);
    await writeFile(file, await print(' role="group"'));
    expect(failing(await checkPdfUa(file))['7.3-t01']).toBeUndefined();
  });

  it('qpdf finds the file sound; pdfinfo and pdftotext read it, and the text is Chromium’s', async () => {
    for (const file of [built, processedFile]) {
      const check = await run('qpdf', ['--check', file]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('No syntax or stream encoding errors found');
      expect(check.stderr).toBe('');
      const info = await run('pdfinfo', [file]);
      expect(info.stdout).toMatch(/Tagged:\s+yes/);
      expect(info.stdout).toMatch(new RegExp(`Pages:\\s+${raw.pages}\\n`));
    }
    const [before, after] = await Promise.all([run('pdftotext', ['-layout', rawFile, '-']), run('pdftotext', ['-layout', processedFile, '-'])]);
    expect(after.stdout.length).toBeGreaterThan(10_000);
    expect(after.stdout).toBe(before.stdout);
  });

  it('keeps the outline, the links and the pages as Chromium wrote them', async () => {
    const [before, after] = await Promise.all([getDocument({ data: raw.bytes.slice(), verbosity: 0 }).promise, getDocument({ data: processed.slice(), verbosity: 0 }).promise]);
    try {
      const [a, b] = [await readerView(before), await readerView(after)];
      expect(b.outline.length).toBeGreaterThan(5);
      expect(b.links.flat().length).toBeGreaterThan(100);
      expect(b).toEqual(a);
    } finally {
      await Promise.all([before.destroy(), after.destroy()]);
    }
  });

  it('changes only what it means to: every other object is as Chromium wrote it', async () => {
    const [{ objects: old, trailer: oldTrailer }, { objects: now, trailer }] = await Promise.all([qpdfObjects(rawFile), qpdfObjects(processedFile)]);
    const value = (objects: Objects, ref: string) => objects.get(ref)?.value ?? objects.get(ref)?.stream?.dict;
    const keysChanged = (ref: string) => {
      const [a, b] = [value(old, ref) as Dict, value(now, ref) as Dict];
      return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
    };
    const catalog = oldTrailer['/Root'] as string;
    const structRoot = (value(old, catalog) as Dict)['/StructTreeRoot'] as string;
    const isNewLBody = (ref: Json | undefined) => typeof ref === 'string' && !old.has(ref) && (value(now, ref) as Dict | undefined)?.['/S'] === '/LBody';
    const pageContents = new Set([...old.values()].flatMap((object) => (isPage(object.value) ? [(object.value as Dict)['/Contents']].flat() : [])));
    const changed: Record<string, number> = {};
    for (const [ref, before] of old) {
      const after = now.get(ref);
      if (JSON.stringify(after) === JSON.stringify(before)) continue;
      const dict = value(old, ref) as Dict;
      const kind = ref === catalog ? 'catalog' : ref === oldTrailer['/Info'] ? 'info' : ref === structRoot ? 'structure tree root' : String(dict['/Type'] ?? (before.stream ? 'stream' : Array.isArray(before.value) ? 'array' : 'other'));
      changed[kind] = (changed[kind] ?? 0) + 1;
      if (kind === 'catalog') expect(keysChanged(ref).every((key) => ['/Metadata', '/PageMode'].includes(key)), keysChanged(ref).join()).toBe(true);
      else if (kind === 'structure tree root') expect(keysChanged(ref)).toEqual(['/RoleMap']);
      else if (kind === '/Page') expect(keysChanged(ref)).toEqual(['/Tabs']);
      else if (kind === '/Annot') expect(keysChanged(ref)).toEqual(['/Contents']);
      else if (kind === '/StructElem') {
        // Lists and their items get new kids; what moved into a list body names it as its parent.
        for (const key of keysChanged(ref)) {
          if (key === '/K') expect(['/L', '/LI'], ref).toContain(dict['/S']);
          else if (key === '/P') expect(isNewLBody((value(now, ref) as Dict)['/P']) || (value(now, (value(now, ref) as Dict)['/P'] as string) as Dict)['/S'] === '/LI', ref).toBe(true);
          else expect.fail(`${ref}: ${key} changed`);
        }
      } else if (kind === 'array') {
        // A page's entry in the parent tree: what moved now names its list body.
        const [a, b] = [before.value as Json[], after!.value as Json[]];
        expect(b.length).toBe(a.length);
        a.forEach((entry, i) => {
          if (entry !== b[i]) expect(isNewLBody(b[i]!), `${ref}[${i}]`).toBe(true);
        });
      } else if (kind === 'stream' && pageContents.has(ref)) {
        // A page's content: the same operators, some runs between /Artifact BDC and EMC.
        const strip = (data: string) => {
          const ops = readContent(Buffer.from(data, 'base64').toString('latin1'));
          const kept: string[] = [];
          const artifacts: boolean[] = [];
          for (const op of ops) {
            if (op.op === 'BDC' || op.op === 'BMC') {
              artifacts.push(op.operands[0] === '/Artifact');
              if (artifacts.at(-1)) continue;
            } else if (op.op === 'EMC' && artifacts.pop()) continue;
            kept.push(`${op.operands.join(' ')} ${op.op}`);
          }
          return kept;
        };
        expect(strip(after!.stream!.data!), ref).toEqual(strip(before.stream!.data!));
      } else if (kind !== 'info' && kind !== '/Metadata') expect.fail(`${kind} ${ref} changed`);
    }
    // Chromium gives the pages with links /Tabs /S already: the pages stay as they were.
    expect(changed['/Page'] ?? 0).toBe(0);
    expect(changed['stream']).toBeGreaterThan(40);
    expect(changed['/Annot']).toBeGreaterThan(100);
    expect(Object.keys(changed).sort()).toEqual(['/Annot', '/Page', '/StructElem', 'array', 'catalog', 'info', 'stream', 'structure tree root'].filter((kind) => changed[kind]).sort());
    expect(trailer['/Root']).toBe(catalog);
  });

  it('looks the same, page for page, to the pixel', async () => {
    const dir = path.join(out.out, 'pages');
    await mkdir(path.join(dir, 'a'), { recursive: true });
    await mkdir(path.join(dir, 'b'), { recursive: true });
    await Promise.all([run('pdftoppm', ['-r', '40', '-gray', rawFile, path.join(dir, 'a', 'p')]), run('pdftoppm', ['-r', '40', '-gray', processedFile, path.join(dir, 'b', 'p')])]);
    const pages = (await readdir(path.join(dir, 'a'))).sort();
    expect(pages).toHaveLength(raw.pages);
    for (const page of pages) {
      expect((await readFile(path.join(dir, 'b', page))).equals(await readFile(path.join(dir, 'a', page))), page).toBe(true);
    }
  });
});
