/**
 * Reproducible builds: with SOURCE_DATE_EPOCH set, two builds give byte-identical HTML and EPUB,
 * and PDFs with the same pages, text and dates. On a quiet machine the PDFs differ only in the
 * structure ids of table header cells, which Chromium numbers from its DOM node counter; under
 * heavy parallel load (the full test suite) their bytes have been seen to differ more.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempOut } from './helpers.js';

const outs: Array<Awaited<ReturnType<typeof tempOut>>> = [];
beforeAll(async () => {
  for (let run = 0; run < 2; run++) {
    const out = await tempOut();
    outs.push(out);
    const result = await runCli(['build', '--quiet', '--out', out.out], { env: { SOURCE_DATE_EPOCH: '1763596800' } });
    expect(result.code).toBe(0);
  }
});
afterAll(() => Promise.all(outs.map((out) => out.remove())));

describe('two builds with SOURCE_DATE_EPOCH', () => {
  it('give byte-identical HTML editions', async () => {
    const names = (await readdir(path.join(outs[0]!.out, 'html'), { recursive: true })).sort();
    expect(names.length).toBeGreaterThan(30);
    for (const name of names) {
      if (!name.includes('.')) continue;
      const [a, b] = await Promise.all(outs.map((out) => readFile(path.join(out.out, 'html', name))));
      expect(Buffer.compare(a!, b!), name).toBe(0);
    }
  });

  it('give byte-identical EPUBs', async () => {
    const [a, b] = await Promise.all(outs.map((out) => readFile(path.join(out.out, 'charta.epub'))));
    expect(Buffer.compare(a!, b!)).toBe(0);
  });

  it('give PDFs with the same pages, the same text and the edition date', async () => {
    const [a, b] = await Promise.all(outs.map((out) => readFile(path.join(out.out, 'charta.pdf'))));
    // The words in order; line breaks and hyphenation points aside.
    const text = (out: string) =>
      execFileSync('pdftotext', [path.join(out, 'charta.pdf'), '-'], { encoding: 'utf8' })
        .replace(/\u00ad|-\n/g, '')
        .replace(/\s+/g, '');
    const pages = (out: string) => /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path.join(out, 'charta.pdf')], { encoding: 'utf8' }))?.[1];
    expect(pages(outs[0]!.out)).toBe(pages(outs[1]!.out));
    expect(text(outs[0]!.out) === text(outs[1]!.out)).toBe(true);
    for (const pdf of [a!, b!]) expect(pdf.toString('latin1')).toContain("/CreationDate (D:20251120000000+00'00')");
  });
});
