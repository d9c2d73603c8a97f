/**
 * A large document is printed in parts and joined (`print-parts.ts`, `pdf-join.ts`). The real
 * charta is printed at once and, with small parts, in parts; the joined PDF reads as the whole:
 * the same pages with the same text and page numbers, outline, named destinations, links on each
 * page, structure elements in order, a key of its own into the parent tree for each page, and it is sound (qpdf) and passes the
 * PDF/UA rules. The plan of the parts and the join's refusals are checked without a browser.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../src/browser/find-browser.js';
import { ChartaError } from '../src/core/errors.js';
import { buildPdf, type PdfResult } from '../src/emit/pdf-edition.js';
import { joinPdfs } from '../src/emit/pdf-join.js';
import { nameOf, PdfFile, PdfRef, type PdfValue } from '../src/emit/pdf-objects.js';
import { planParts } from '../src/emit/print-parts.js';
import { loadCharta } from '../src/load/load-charta.js';
import { checkPdfUa } from './pdfua-check.js';
import { projectRoot, tempOut } from './helpers.js';

function run(command: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
  });
}

/** What a reader sees of a PDF, page by page, without the byte layout or the object numbers. */
function reading(bytes: Uint8Array) {
  const file = new PdfFile(bytes);
  const pages = file.pages();
  const pageOf = (value: PdfValue | undefined) => {
    const target = file.array(value)[0];
    return target instanceof PdfRef ? pages.findIndex((page) => page.number === target.number) + 1 : 0;
  };
  const outline: string[] = [];
  const visit = (ref: PdfValue | undefined, depth: number) => {
    for (let at = ref; at instanceof PdfRef; ) {
      const item = file.dict(at)!;
      const title = item.get('Title');
      outline.push(`${depth} ${title && typeof title === 'object' && 'text' in title ? title.text() : ''} p${pageOf(item.get('Dest'))} ${nameOf(file.dict(item.get('SE'))?.get('S'))}`);
      visit(item.get('First'), depth + 1);
      at = item.get('Next');
    }
  };
  visit(file.dict(file.catalog().get('Outlines'))?.get('First'), 0);
  const destinations = [...(file.dict(file.catalog().get('Dests')) ?? new Map())].map(([key, value]) => `${key} p${pageOf(value)}`).sort();
  // The targets each page links to (Chromium may give one link one rectangle or two).
  const links = pages.map((page) => {
    const targets = new Set<string>();
    for (const annotation of file.array(file.dict(page)!.get('Annots'))) {
      const link = file.dict(annotation)!;
      const destination = link.get('Dest');
      const uri = file.dict(link.get('A'))?.get('URI');
      targets.add(nameOf(destination) ?? (uri && typeof uri === 'object' && 'text' in uri ? uri.text() : '?'));
    }
    return [...targets].sort().join(' ');
  });
  const structure: string[] = [];
  const seen = new Set<number>();
  const walk = (value: PdfValue | undefined, depth: number): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, depth));
    if (!(value instanceof PdfRef) || seen.has(value.number)) return;
    const element = file.dict(value);
    const type = nameOf(element?.get('Type'));
    if (!element || type === 'OBJR' || type === 'MCR') return;
    seen.add(value.number);
    if (element.has('S')) structure.push(`${depth}${nameOf(element.get('S'))}`);
    walk(element.get('K'), depth + 1);
  };
  const root = file.dict(file.catalog().get('StructTreeRoot'))!;
  walk(root.get('K'), 0);
  const keys = pages.map((page) => file.dict(page)!.get('StructParents'));
  return { pages: pages.length, outline, destinations, links, structure, keys, nextKey: root.get('ParentTreeNextKey') };
}

/** Each page's text, its whitespace squeezed (pdftotext's blank lines depend on the fonts' subsets). */
async function pageTexts(file: string): Promise<string[]> {
  const { stdout } = await run('pdftotext', [file, '-']);
  return stdout.split('\f').map((page) => page.replace(/\s+/g, ' ').trim());
}

describe('printing in parts', () => {
  let out: Awaited<ReturnType<typeof tempOut>>;
  let whole: PdfResult;
  let parts: PdfResult;
  const files = { whole: '', parts: '' };

  beforeAll(async () => {
    out = await tempOut();
    const charta = (await loadCharta({ root: projectRoot })).charta!;
    const { executablePath } = await findBrowser();
    whole = await buildPdf(charta, { executablePath });
    // About 20,000 characters a part: the charta in five or more parts.
    parts = await buildPdf(charta, { executablePath, partText: 20_000 });
    files.whole = path.join(out.out, 'whole.pdf');
    files.parts = path.join(out.out, 'parts.pdf');
    await writeFile(files.whole, whole.bytes);
    await writeFile(files.parts, parts.bytes);
  }, 180_000);
  afterAll(() => out?.remove());

  it('prints the whole at once and the split charta in parts', () => {
    expect(whole.parts).toBe(1);
    expect(parts.parts).toBeGreaterThanOrEqual(4);
    expect(parts.pages).toBe(whole.pages);
    expect(parts.pageNumbers).toEqual(whole.pageNumbers);
  });

  it('reads as the whole: pages, outline, destinations, links, structure', () => {
    const a = reading(whole.bytes);
    const b = reading(parts.bytes);
    expect(b.pages).toBe(a.pages);
    expect(b.outline).toEqual(a.outline);
    expect(b.destinations).toEqual(a.destinations);
    expect(b.links).toEqual(a.links);
    expect(b.structure).toEqual(a.structure);
    // Each page has a key of its own into the one parent tree (how many keys the links take varies from print to print).
    const keys = b.keys.map(Number);
    expect(new Set(keys).size).toBe(b.pages);
    expect(keys.every((key) => Number.isInteger(key) && key >= 0 && key < Number(b.nextKey))).toBe(true);
  });

  it('has the text and the page numbers of the whole on every page', async () => {
    const [a, b] = await Promise.all([pageTexts(files.whole), pageTexts(files.parts)]);
    expect(b).toEqual(a);
    // The running page numbers continue across the parts: each page's text ends with its number, where it has one.
    const numbered = b.filter((text, index) => text.endsWith(` ${index + 1}`));
    expect(numbered.length).toBeGreaterThan(b.length / 2);
  });

  it('is sound and passes the PDF/UA rules', async () => {
    const check = await run('qpdf', ['--check', files.parts]);
    expect(check.stdout).toContain('No syntax or stream encoding errors');
    expect(check.code).toBe(0);
    const failing = (await checkPdfUa(files.parts)).filter((outcome) => outcome.failures.length > 0).map((outcome) => `${outcome.id}: ${outcome.failures[0]}`);
    expect(failing).toEqual([]);
  });

  it('gives each part its own font subsets', async () => {
    const { stdout } = await run('pdffonts', [files.parts]);
    const names = stdout.split('\n').slice(2).map((line) => line.split(/\s+/)[0]).filter(Boolean);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('planning the parts', () => {
  const segments = { weights: [100, 100, 400, 400, 400, 400], starts: [null, 'a', 'b', 'c', null, 'd'], splittable: true };
  const numbers = new Map([['a', 2], ['b', 3], ['c', 10], ['d', 30]]);

  it('cuts where an element begins a page, after about a part of text', () => {
    expect(planParts(segments, numbers, 500, 3)).toEqual([
      { from: 0, to: 3, firstPage: 1 },
      { from: 3, to: 5, firstPage: 10 },
      { from: 5, to: 6, firstPage: 30 },
    ]);
  });

  it('prints at once what is small, cannot be split, or has no page to start a part on', () => {
    expect(planParts(segments, numbers, 1000, 3)).toBeUndefined();
    expect(planParts({ ...segments, splittable: false }, numbers, 500, 3)).toBeUndefined();
    expect(planParts(segments, new Map(), 500, 3)).toBeUndefined();
  });
});

describe('joining', () => {
  it('refuses parts of a structure it does not know, so that the document is printed at once', () => {
    const pdf = (catalog: string) =>
      new TextEncoder().encode(
        `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${catalog}>>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>\nendobj\n`,
      );
    const withXref = (bytes: Uint8Array) => {
      const text = new TextDecoder().decode(bytes);
      const offsets = [1, 2, 3].map((number) => text.indexOf(`${number} 0 obj`));
      const xref = `xref\n0 4\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n${text.length}\n%%EOF\n`;
      return new TextEncoder().encode(text + xref);
    };
    const plain = withXref(pdf(''));
    const joined = joinPdfs([plain, plain]);
    expect(new PdfFile(joined.bytes).pages()).toHaveLength(2);
    expect(joined.map.pages).toBe(2);
    expect(() => joinPdfs([plain, withXref(pdf('/Names << >> '))])).toThrow(ChartaError);
  });
});
