// The floor of the PDF build: Chromium alone printing the same final print HTML (same browser,
// same flags, same print options, the file read from disk). Shared by bench/run.js and
// bench/pdf-floor.js.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (file) => import(pathToFileURL(path.join(root, 'build', file)).href);
const { buildPdf, printOptions } = await load('emit/pdf-edition.js');
const { chromiumFlags } = await load('browser/browser.js');
const { printDocumentPath } = await load('render/print/render-print.js');
const { default: puppeteer } = await import('puppeteer');

/** Builds the PDF of `charta` in this process and writes its final print HTML into `folder`. */
export async function buildAndKeepPrintHtml(charta, executablePath, folder) {
  const started = performance.now();
  const result = await buildPdf(charta, { executablePath, keepHtml: true });
  const milliseconds = performance.now() - started;
  for (const file of [...result.document.assets, { path: printDocumentPath, contents: result.printedHtml }]) {
    await mkdir(path.dirname(path.join(folder, file.path)), { recursive: true });
    await writeFile(path.join(folder, file.path), file.contents);
  }
  return { milliseconds, pages: result.pages };
}

/** Chromium alone: start, load the final print HTML from `folder`, print it tagged with outline, close. */
export async function floor(folder, executablePath) {
  const started = performance.now();
  const isRoot = process.getuid?.() === 0;
  const browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, args: [...chromiumFlags, ...(isRoot ? ['--no-sandbox'] : [])] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(folder, printDocumentPath)).href, { waitUntil: 'load', timeout: 600_000 });
    await page.evaluate(() => globalThis.document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ ...printOptions, tagged: true, outline: true, timeout: 600_000 });
    await page.close();
    return { milliseconds: performance.now() - started, bytes: pdf.length };
  } finally {
    await browser.close();
  }
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
