// The floor of the PDF build (see floor-print.js), in this process (`floor`) and as a program of
// its own (`floorProcess`: Node's start and puppeteer's loading included, as in the CLI), and the
// build whose final print HTML it prints. Used by bench/run.js.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const load = (file) => import(pathToFileURL(path.join(root, 'build', file)).href);
const { buildPdf } = await load('emit/pdf-edition.js');
const { printDocumentPath } = await load('render/print/render-print.js');
const floorPrint = fileURLToPath(new URL('./floor-print.js', import.meta.url));
const { floor: printAlone } = await import('./floor-print.js');

/** Chromium alone printing the final print HTML in `folder`, in this process. */
export const floor = (folder, executablePath) => printAlone(path.join(folder, printDocumentPath), executablePath);

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

/** Chromium alone as a program: a Node process that starts puppeteer and runs `floor`, measured from outside. */
export function floorProcess(folder, executablePath) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [floorPrint, path.join(folder, printDocumentPath), executablePath], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the floor failed: ${result.stderr}`);
  return { milliseconds: performance.now() - started };
}

/** The median; of an even count, the mean of the middle two. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

