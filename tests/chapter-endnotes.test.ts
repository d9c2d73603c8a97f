/**
 * Chapter endnotes as the template's choice: with `--fussnoten: kapitelende` in print.css the PDF
 * keeps each chapter's notes at its end, and no page holds only notes (the text before them comes
 * along).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, runCli, tempOut } from './helpers.js';

let project: Awaited<ReturnType<typeof copyProject>>;
let out: Awaited<ReturnType<typeof tempOut>>;

beforeAll(async () => {
  project = await copyProject();
  out = await tempOut();
  const stylesheet = path.join(project.root, 'templates', 'css', 'print.css');
  const css = await readFile(stylesheet, 'utf8');
  expect(css).toContain('--fussnoten: seitenfuss;');
  await writeFile(stylesheet, css.replace('--fussnoten: seitenfuss;', '--fussnoten: kapitelende;'));
}, 60_000);

afterAll(async () => {
  await project?.remove();
  await out?.remove();
});

describe('chapter endnotes', () => {
  it('keeps the notes at the end of their chapter, never alone on a page', async () => {
    const result = await runCli(['build', '--format', 'pdf', '--root', project.root, '--out', out.out]);
    expect(result.code, result.stderr).toBe(0);
    const pdf = await getDocument({ data: new Uint8Array(await readFile(path.join(out.out, 'charta.pdf'))), verbosity: 0 }).promise;
    let notePages = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      const items = (await (await pdf.getPage(number)).getTextContent()).items.flatMap((item) => ('str' in item && item.str.trim() ? [item.str.trim()] : []));
      const label = items.indexOf('FUSSNOTEN') >= 0 ? items.indexOf('FUSSNOTEN') : items.indexOf('Fußnoten');
      if (label < 0) continue;
      notePages++;
      // Before the label: the running heads (two items) and at least one line of the chapter's text.
      expect(label, `page ${number} begins with the notes`).toBeGreaterThan(2);
    }
    expect(notePages).toBeGreaterThan(5);
  }, 120_000);
});
