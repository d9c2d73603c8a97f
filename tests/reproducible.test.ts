/**
 * Reproducible builds: with SOURCE_DATE_EPOCH set, two builds give byte-identical HTML and EPUB,
 * and PDFs that differ only where Chromium numbers table header cells from its own DOM node ids.
 */
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

  it('give PDFs that differ only in the structure ids Chromium takes from its DOM node numbers', async () => {
    const [a, b] = await Promise.all(outs.map((out) => readFile(path.join(out.out, 'charta.pdf'))));
    expect(a!.length).toBe(b!.length);
    const masked = (pdf: Buffer) => pdf.toString('latin1').replace(/node\d{8}/g, 'nodeXXXXXXXX');
    expect(masked(a!) === masked(b!)).toBe(true);
    expect(a!.toString('latin1')).toContain("/CreationDate (D:20251120000000+00'00')");
  });
});
