// The HTML edition's search index in `npm run bench`: its size (the js/suche-index.js a reader's
// browser loads, raw and gzipped, as a server would send it), the time the build takes to make it
// from the loaded charta, and in the page the time to load it and to answer a query. Each run is a
// fresh Node process, as the CLI is (a warm stem cache would flatter the figures).
// bench/run.js calls `searchIndexFigures` for each size; on its own:
// `node bench/search-index.js --sizes 1,50 --runs 3` (run `npm run compile` first).
import { spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const load = (file) => import(pathToFileURL(path.join(root, 'build', file)).href);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Queries a reader might type: umlauts as "ue", a compound's tail, an inflected form, a prefix, two words. */
const queries = ['Suedwestsachsen', 'Industrie', 'Regionen', 'Zuliefer', 'Mobilität Region'];

/** One run, in this process: the figures of the index of the project in `dir`. */
async function measureOnce(dir) {
  const { loadCharta } = await load('load/load-charta.js');
  const { htmlAddresses } = await load('render/html/render-html.js');
  const { searchDocuments } = await load('search/search-documents.js');
  const { buildSearchIndex, searchIndexScript } = await load('search/search-index.js');
  const { indexGlobal, searchOptions } = await load('search/search-options.js');
  const { default: MiniSearch } = await import('minisearch');
  const { charta } = await loadCharta({ root: dir });
  const started = performance.now();
  const documents = searchDocuments(charta, htmlAddresses);
  const index = buildSearchIndex(documents);
  const script = searchIndexScript(index);
  const buildMs = performance.now() - started;

  // What the page does: run the classic script, load the index, answer queries.
  const loadStarted = performance.now();
  const context = vm.createContext({});
  vm.runInContext(script, context);
  const loaded = MiniSearch.loadJS(context[indexGlobal], searchOptions);
  const loadMs = performance.now() - loadStarted;
  const queryMs = queries.map((query) => {
    const queryStarted = performance.now();
    loaded.search(query);
    return performance.now() - queryStarted;
  });
  return {
    sections: documents.length,
    terms: index.termCount,
    bytes: Buffer.byteLength(script),
    gzipBytes: gzipSync(script, { level: 9 }).length,
    buildMs,
    loadMs,
    queryMs: median(queryMs),
  };
}

/** The figures of the search index of the project in `dir`: medians of `runs` fresh processes. */
export function searchIndexFigures(dir, runs = 3) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, [self, '--child', dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`bench/search-index.js failed for ${dir}: ${child.stderr.slice(0, 2000)}`);
    results.push(JSON.parse(child.stdout));
  }
  const first = results[0];
  return {
    sections: first.sections,
    terms: first.terms,
    bytes: first.bytes,
    gzipBytes: first.gzipBytes,
    buildMs: median(results.map((result) => result.buildMs)),
    loadMs: median(results.map((result) => result.loadMs)),
    queryMs: median(results.map((result) => result.queryMs)),
  };
}

const kib = (bytes) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KiB`;

/** A line of the bench's report for the figures of one size. */
export function searchIndexLine(times, figures) {
  return `${times}x search index: ${figures.sections} sections, ${figures.terms} terms, ${kib(figures.bytes)} (${kib(figures.gzipBytes)} gzipped), built in ${Math.round(figures.buildMs)} ms; in the page loaded in ${Math.round(figures.loadMs)} ms, a query answered in ${figures.queryMs.toFixed(1)} ms`;
}

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};

if (process.argv[1] === self) {
  const child = argument('child');
  if (child) process.stdout.write(JSON.stringify(await measureOnce(child)));
  else {
    const { synthetic } = await import('./synthetic.js');
    const work = path.join(root, 'bench', 'work', 'search');
    await mkdir(work, { recursive: true });
    try {
      for (const times of argument('sizes', '1,50').split(',').map(Number)) {
        const dir = await synthetic(work, times);
        console.log(searchIndexLine(times, searchIndexFigures(dir, Number(argument('runs', '3')))));
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
