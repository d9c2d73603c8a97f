// The floor of the PDF build: Chromium alone printing a finished print HTML file (same browser,
// same flags, same print options as the build), with nothing of charta's but those settings.
// `node bench/floor-print.js <file> <browser>` prints the file as a program of its own.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromiumFlags, printOptions } = await import(pathToFileURL(path.join(root, 'build/browser/browser.js')).href);
const { default: puppeteer } = await import('puppeteer');

/** Starts Chromium, loads `file` from disk, prints it tagged with outline, closes. */
export async function floor(file, executablePath) {
  const started = performance.now();
  const isRoot = process.getuid?.() === 0;
  const browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, args: [...chromiumFlags, ...(isRoot ? ['--no-sandbox'] : [])] });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load', timeout: 0 });
    await page.evaluate(() => globalThis.document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ ...printOptions, tagged: true, outline: true });
    await page.close();
    return { milliseconds: performance.now() - started, bytes: pdf.length };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await floor(process.argv[2], process.argv[3]);
