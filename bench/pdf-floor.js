// The PDF build against its floor: Chromium alone printing the same final print HTML (same browser,
// same flags, same print options, the file read from disk), measured in the same run, interleaved,
// as medians. Run `npm run compile` first, then `node bench/pdf-floor.js [runs]`.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadCharta } = await import(pathToFileURL(path.join(root, 'build/load/load-charta.js')).href);
const { buildPdf, printOptions } = await import(pathToFileURL(path.join(root, 'build/emit/pdf-edition.js')).href);
const { findBrowser } = await import(pathToFileURL(path.join(root, 'build/browser/find-browser.js')).href);
const { chromiumFlags } = await import(pathToFileURL(path.join(root, 'build/browser/browser.js')).href);
const { printDocumentPath } = await import(pathToFileURL(path.join(root, 'build/render/print/render-print.js')).href);
const { default: puppeteer } = await import('puppeteer');

const runs = Number(process.argv[2] ?? 5);
const { executablePath } = await findBrowser();
const { charta } = await loadCharta({ root });
const work = await mkdtemp(path.join(tmpdir(), 'charta-floor-'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Chromium alone: start, load the final print HTML from disk, print it tagged with outline, close. */
async function floor(folder) {
  const started = performance.now();
  const isRoot = process.getuid?.() === 0;
  const browser = await puppeteer.launch({ executablePath, headless: true, pipe: true, args: [...chromiumFlags, ...(isRoot ? ['--no-sandbox'] : [])] });
  const page = await browser.newPage();
  await page.goto(pathToFileURL(path.join(folder, printDocumentPath)).href, { waitUntil: 'load' });
  await page.evaluate(() => globalThis.document.fonts.ready.then(() => undefined));
  const pdf = await page.pdf({ ...printOptions, tagged: true, outline: true });
  await page.close();
  await browser.close();
  return { milliseconds: performance.now() - started, bytes: pdf.length };
}

/** The CLI, as a user runs it: Node's start, loading the charta and the PDF build. */
function cli(out) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [path.join(root, 'bin/charta.js'), 'build', '--format', 'pdf', '--quiet', '--out', out], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return performance.now() - started;
}

const ours = [];
const floors = [];
const commands = [];
let pages = 0;
try {
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = await buildPdf(charta, { executablePath, keepHtml: true });
    ours.push(performance.now() - started);
    pages = result.pages;
    const folder = path.join(work, `run-${run}`);
    for (const file of [...result.document.assets, { path: printDocumentPath, contents: result.printedHtml }]) {
      await mkdir(path.dirname(path.join(folder, file.path)), { recursive: true });
      await writeFile(path.join(folder, file.path), file.contents);
    }
    floors.push((await floor(folder)).milliseconds);
    commands.push(cli(path.join(work, `out-${run}`)));
    console.error(`run ${run + 1}: build ${ours.at(-1).toFixed(0)} ms, Chromium alone ${floors.at(-1).toFixed(0)} ms, CLI ${commands.at(-1).toFixed(0)} ms`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
const [build, alone, command] = [median(ours), median(floors), median(commands)];
console.log(JSON.stringify({ pages, runs, buildMs: Math.round(build), floorMs: Math.round(alone), ratio: Number((build / alone).toFixed(2)), cliMs: Math.round(command), cliRatio: Number((command / alone).toFixed(2)) }, null, 2));
