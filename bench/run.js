// `npm run bench`: builds synthetic publications in the charta's shape at 1x, 10x and 50x the
// charta, each edition on its own and all three together, against the floor (Chromium alone
// printing the same final print HTML) and peers (Pandoc where installed; pagedjs-cli and
// Vivliostyle CLI, which it installs into bench/peers/ on first use). Every figure is a median of
// several runs; ratios are taken within this run. Also the HTML edition's search index: its size,
// raw and gzipped, and its build time (bench/search-index.js). Prints a table and writes
// bench/results.json. Run `npm run compile` first. `node bench/run.js --sizes 1,10 --runs 3`.
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'work');
const load = (file) => import(pathToFileURL(path.join(root, 'build', file)).href);
const { loadCharta } = await load('load/load-charta.js');
const { findBrowser } = await load('browser/find-browser.js');
const { startDevServer } = await load('dev/dev-server.js');
const { printDocumentPath } = await load('render/print/render-print.js');
const { buildAndKeepPrintHtml, floor, floorProcess, median } = await import('./floor.js');
const { synthetic: makeSynthetic } = await import('./synthetic.js');
const { searchIndexFigures, searchIndexLine } = await import('./search-index.js');

const argument = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const sizes = argument('sizes', '1,10,50').split(',').map(Number);
const runs = Number(argument('runs', '3'));
const say = (text) => process.stderr.write(`bench: ${text}\n`);

/** A copy of the project whose every part has its chapters `times` times. */
const synthetic = (times) => makeSynthetic(work, times);

/**
 * Memory of `pid` and all its descendants, in bytes (Linux; 0 elsewhere): the proportional set
 * size (pages shared between processes, as Chromium's are, counted once in all), or where the
 * kernel does not tell it, the resident set size (which counts shared pages in every process).
 */
function treeMemory(pid) {
  let children;
  try {
    children = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
        const parent = Number(fields[1]);
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent).push(Number(entry));
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return 0;
  }
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop();
    try {
      let kilobytes;
      try {
        kilobytes = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${current}/smaps_rollup`, 'utf8'))?.[1];
      } catch {
        kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, 'utf8'))?.[1];
      }
      total += kilobytes ? Number(kilobytes) * 1024 : 0;
    } catch {
      // Gone.
    }
    pending.push(...(children.get(current) ?? []));
  }
  return total;
}

/** Runs a command, measuring its wall time and the peak memory of its process tree. */
function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd ?? root, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const sampler = setInterval(() => (peak = Math.max(peak, treeMemory(child.pid))), 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sampler);
      const milliseconds = performance.now() - started;
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${stderr.slice(0, 2000)}`));
      else resolve({ milliseconds, peakBytes: peak });
    });
  });
}

async function medianOf(count, action) {
  const results = [];
  for (let run = 0; run < count; run++) results.push(await action(run));
  return { milliseconds: median(results.map((result) => result.milliseconds)), peakBytes: Math.max(...results.map((result) => result.peakBytes ?? 0)) };
}

function pdfPages(file) {
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/Pages:\s+(\d+)/.exec(info.stdout ?? '')?.[1] ?? 0);
}

/**
 * The PDF peers (pagedjs-cli, Vivliostyle CLI), installed on first use into bench/peers/, a folder
 * of the bench's own: no browser download, the system Chromium (as root without its sandbox, as
 * bench/peers/chromium.sh says). Undefined, with a note, when they cannot be installed.
 */
function installPeers() {
  const folder = path.join(root, 'bench', 'peers');
  const bin = path.join(folder, 'node_modules', '.bin');
  const ready = () => ['pagedjs-cli', 'vivliostyle'].every((name) => existsSync(path.join(bin, name)));
  if (!ready()) {
    say('installing the peers pagedjs-cli and Vivliostyle CLI into bench/peers/ (once)');
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder, env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (result.status !== 0 || !ready()) {
      say('the peers could not be installed; their columns stay empty');
      return undefined;
    }
  }
  return bin;
}
const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/** Pandoc from Debian's packages, installed when missing (as scripts/setup.sh installs what the build needs). */
function installPandoc() {
  if (has('pandoc') || !has('apt-get')) return;
  say('installing pandoc from Debian’s packages (once)');
  const command = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'pandoc'];
  if (process.getuid?.() !== 0) command.unshift('sudo');
  spawnSync(command[0], command.slice(1), { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] });
}
installPandoc();
const peerBin = installPeers();
const peerBrowser = path.join(root, 'bench', 'peers', 'chromium.sh');

const cli = (dir, formats, out) => measure(process.execPath, [path.join(root, 'bin', 'charta.js'), 'build', '--format', formats, '--quiet', '--out', out], { cwd: dir });
/** The cache of transformed chapters of the synthetic projects (bench/work/ is in this repository). */
const chapterCache = path.join(root, 'node_modules', '.cache', 'charta');
/**
 * A first build, as on a clean checkout: into an empty output folder, with no page numbers of an
 * earlier build to try and no transformed chapters in the cache.
 */
const fresh = async (dir, formats, out) => {
  await rm(out, { recursive: true, force: true });
  await rm(chapterCache, { recursive: true, force: true });
  return cli(dir, formats, out);
};

/**
 * An earlier version of the project in `dir`, for `--since`: a copy in which every chapter has one
 * word changed in each paragraph that has "die", and its last paragraph added (so the later text
 * shows a change and a deletion per chapter).
 */
async function earlierVersion(dir) {
  const earlier = `${dir}-frueher`;
  await rm(earlier, { recursive: true, force: true });
  await cp(dir, earlier, { recursive: true, filter: (source) => !source.includes(`${path.sep}out`) });
  for (const part of await readdir(path.join(earlier, 'charta'), { withFileTypes: true })) {
    if (!part.isDirectory() || part.name === 'bilder') continue;
    const folder = path.join(earlier, 'charta', part.name);
    for (const chapter of (await readdir(folder)).filter((name) => name.endsWith('.md'))) {
      const text = await readFile(path.join(folder, chapter), 'utf8');
      await writeFile(path.join(folder, chapter), `${text.replace(/^(\p{Lu}[^\n]*?) die /gmu, '$1 diese ').trimEnd()}\n\nEin Absatz, den nur die frühere Fassung dieses Kapitels hatte.\n`);
    }
  }
  return earlier;
}

const since = (dir, earlier, out) => measure(process.execPath, [path.join(root, 'bin', 'charta.js'), 'build', '--format', 'html,epub', '--since', earlier, '--quiet', '--out', out], { cwd: dir });
const diffCommand = (dir, earlier) => measure(process.execPath, [path.join(root, 'bin', 'charta.js'), 'diff', earlier, '--format', 'json'], { cwd: dir });

/** Pandoc on the same Markdown (directives stay text for it), standalone HTML and EPUB. */
async function pandoc(dir, format, out) {
  const chapters = [];
  for (const part of (await readdir(path.join(dir, 'charta'))).sort()) {
    const folder = path.join(dir, 'charta', part);
    if (!(await stat(folder)).isDirectory() || part === 'bilder') continue;
    for (const name of (await readdir(folder)).sort()) if (name.endsWith('.md')) chapters.push(path.join(folder, name));
  }
  const target = path.join(out, format === 'html' ? 'pandoc.html' : 'pandoc.epub');
  return measure('pandoc', ['--standalone', '--toc', '--metadata', 'title=Charta', '--resource-path', path.join(dir, 'charta', 'bilder'), '-f', 'markdown', '-o', target, ...chapters]);
}

/** From saving a chapter in `charta dev` to the reload event the page receives. */
async function devRoundTrip(dir) {
  const reports = [];
  const server = await startDevServer({ root: dir, port: 0, onRebuild: (report) => reports.push(report) });
  const controller = new AbortController();
  const response = await fetch(`${server.url}__charta/events`, { signal: controller.signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const chapter = path.join(dir, 'charta', '02-vision', '01-leitbild.md');
  const original = await readFile(chapter, 'utf8');
  const served = [];
  const rebuilt = [];
  try {
    for (let run = 0; run < 7; run++) {
      const started = performance.now();
      await writeFile(chapter, `${original}\nÄnderung ${run}.\n`);
      let buffer = '';
      while (!buffer.includes('event: reload')) buffer += (await reader.read()).value;
      served.push(performance.now() - started);
      rebuilt.push(reports.at(-1).milliseconds);
      // An editor saves seconds apart; the search index is rebuilt in the pause after each reload.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await writeFile(chapter, original);
    controller.abort();
    await server.close();
  }
  // The first two runs warm the JIT up; an editor saves many times.
  return { savedToServedMs: median(served.slice(2)), rebuildMs: median(rebuilt.slice(2)) };
}

/**
 * A chapter of 10,000 headings against one of the same size without headings (each heading a
 * paragraph instead): all three editions of each, built from scratch, medians of the runs.
 */
async function headingsCost() {
  const result = {};
  for (const kind of ['headings', 'paragraphs']) {
    const dir = path.join(work, kind);
    await rm(dir, { recursive: true, force: true });
    spawnSync(process.execPath, [path.join(root, 'bin', 'charta.js'), 'init', dir], { stdio: 'ignore' });
    let text = '# Zehntausend Abschnitte\n\n';
    for (let number = 1; number <= 10_000; number++) text += `${kind === 'headings' ? '## ' : ''}Abschnitt ${number}\n\nText des Abschnitts ${number}.\n\n`;
    await writeFile(path.join(dir, 'charta', '01-einfuehrung', '01-worum-es-geht.md'), text);
    say(`1x: a chapter of 10,000 ${kind === 'headings' ? 'headings' : 'paragraphs instead of headings'}`);
    result[kind] = (await medianOf(runs, () => fresh(dir, 'html,epub,pdf', path.join(dir, 'out')))).milliseconds;
  }
  return { ...result, ratio: result.headings / result.paragraphs };
}

const { executablePath } = await findBrowser();
const results = {
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
  runs,
  sizes: [],
};
await mkdir(work, { recursive: true });
try {
  for (const times of sizes) {
    const dir = await synthetic(times);
    const out = path.join(dir, 'out');
    const repeat = times >= 50 ? Math.max(1, Math.min(runs, 2)) : runs;
    say(`${times}x: html`);
    const html = await medianOf(repeat, () => fresh(dir, 'html', out));
    say(`${times}x: the search index of the html edition`);
    const search = searchIndexFigures(dir, repeat);
    say(`${times}x: epub`);
    const epub = await medianOf(repeat, () => fresh(dir, 'epub', out));
    say(`${times}x: html+epub`);
    const htmlEpub = await medianOf(repeat, () => fresh(dir, 'html,epub', out));
    say(`${times}x: html+epub again (the chapters from the cache)`);
    const htmlEpubCached = await medianOf(repeat, () => cli(dir, 'html,epub', out));
    say(`${times}x: html+epub --since an earlier version`);
    const earlier = await earlierVersion(dir);
    const htmlEpubSince = await medianOf(repeat, async () => {
      await rm(out, { recursive: true, force: true });
      return since(dir, earlier, out);
    });
    say(`${times}x: charta diff`);
    const diffRun = await medianOf(repeat, () => diffCommand(dir, earlier));
    await rm(earlier, { recursive: true, force: true });
    say(`${times}x: pdf, first build`);
    const pdf = await medianOf(repeat, () => fresh(dir, 'pdf', out));
    say(`${times}x: pdf, rebuild (the page numbers of the build before are tried first)`);
    const pdfRebuild = await medianOf(repeat, () => cli(dir, 'pdf', out));
    say(`${times}x: all three`);
    const all = await medianOf(repeat, () => fresh(dir, 'html,epub,pdf', out));
    const pages = pdfPages(path.join(out, 'charta.pdf'));
    say(`${times}x: the floor`);
    const { charta } = await loadCharta({ root: dir });
    const floors = [];
    const floorPrograms = [];
    const inProcess = [];
    for (let run = 0; run < repeat; run++) {
      const folder = path.join(dir, `print-${run}`);
      inProcess.push((await buildAndKeepPrintHtml(charta, executablePath, folder)).milliseconds);
      floors.push((await floor(folder, executablePath)).milliseconds);
      floorPrograms.push(floorProcess(folder, executablePath).milliseconds);
    }
    const floorMs = median(floors);
    const floorProgramMs = median(floorPrograms);
    const peers = {};
    if (has('pandoc')) {
      say(`${times}x: pandoc`);
      peers.pandocHtml = (await medianOf(repeat, () => pandoc(dir, 'html', out))).milliseconds;
      peers.pandocEpub = (await medianOf(repeat, () => pandoc(dir, 'epub', out))).milliseconds;
    }
    const failedPeers = [];
    if (peerBin) {
      const input = path.join(dir, 'print-0', printDocumentPath);
      const env = { ...process.env, PUPPETEER_EXECUTABLE_PATH: peerBrowser };
      // The peers take minutes at 50x: one run there.
      const peerRuns = times >= 50 ? 1 : repeat;
      // A peer that fails (pagedjs-cli gives up on a large book after its protocol timeout) is noted, not fatal.
      const peer = async (label, command, args) => {
        say(`${times}x: ${label}`);
        try {
          return (await medianOf(peerRuns, () => measure(command, args, { env }))).milliseconds;
        } catch (cause) {
          say(`${label} failed at ${times}x: ${String(cause.message).split('\n').find((line) => /error/i.test(line)) ?? 'see its output'}`);
          failedPeers.push(label);
          return undefined;
        }
      };
      peers.pagedjs = await peer('pagedjs-cli', path.join(peerBin, 'pagedjs-cli'), [input, '-o', path.join(out, 'pagedjs.pdf')]);
      peers.vivliostyle = await peer('vivliostyle', path.join(peerBin, 'vivliostyle'), ['build', input, '-o', path.join(out, 'vivliostyle.pdf'), '--executable-browser', peerBrowser, '--log-level', 'silent']);
    }
    const dev = await devRoundTrip(dir);
    say(`${times}x: charta check, and Node's own start`);
    const bin = path.join(root, 'bin', 'charta.js');
    const checkCached = await medianOf(repeat, () => measure(process.execPath, [bin, 'check'], { cwd: dir }));
    const checkCold = await medianOf(repeat, () => measure(process.execPath, [bin, 'check', '--no-cache'], { cwd: dir }));
    const nodeStart = await medianOf(repeat, () => measure(process.execPath, ['-e', '0']));
    const headings = times === 1 ? await headingsCost() : undefined;
    results.sizes.push({
      times,
      pages,
      html: html.milliseconds,
      epub: epub.milliseconds,
      htmlEpub: htmlEpub.milliseconds,
      htmlEpubCached: htmlEpubCached.milliseconds,
      htmlEpubSince: htmlEpubSince.milliseconds,
      htmlEpubSinceOverHtmlEpub: htmlEpubSince.milliseconds / htmlEpub.milliseconds,
      sincePeakMemoryMiB: Math.round(htmlEpubSince.peakBytes / 2 ** 20),
      diff: diffRun.milliseconds,
      pdf: pdf.milliseconds,
      pdfRebuild: pdfRebuild.milliseconds,
      all: all.milliseconds,
      peakMemoryMiB: Math.round(all.peakBytes / 2 ** 20),
      pdfPeakMemoryMiB: Math.round(pdf.peakBytes / 2 ** 20),
      floor: floorMs,
      floorProgram: floorProgramMs,
      pdfInProcess: median(inProcess),
      pdfOverFloor: pdf.milliseconds / floorProgramMs,
      pdfRebuildOverFloor: pdfRebuild.milliseconds / floorProgramMs,
      pdfInProcessOverFloor: median(inProcess) / floorMs,
      msPerPage: all.milliseconds / Math.max(1, pages),
      peers: Object.fromEntries(
        Object.entries(peers).filter(([, ms]) => ms !== undefined).map(([name, ms]) => [name, { milliseconds: ms, oursOverPeer: (name === 'pagedjs' || name === 'vivliostyle' ? pdf.milliseconds : name === 'pandocHtml' ? html.milliseconds : epub.milliseconds) / ms }]),
      ),
      dev,
      failedPeers,
      search,
      check: { cached: checkCached.milliseconds, cold: checkCold.milliseconds, nodeStart: nodeStart.milliseconds, cachedOverNode: checkCached.milliseconds / nodeStart.milliseconds },
      headings,
    });
    // Written after every size: a run that stops later keeps what it measured.
    await writeFile(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const first = results.sizes[0];
const last = results.sizes.at(-1);
results.linearity = first && last ? last.msPerPage / first.msPerPage : undefined;
await writeFile(path.join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const ms = (value) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const ratio = (value) => (value === undefined ? '–' : `${value.toFixed(2)}x`);
const rows = [['size', 'pages', 'html', 'epub', 'html+epub', 'again', 'pdf', 'pdf again', 'all', 'peak', 'floor', 'pdf/floor', 'again/floor', 'in-process/floor', 'pandoc html', 'pandoc epub', 'pagedjs', 'vivliostyle']];
for (const size of results.sizes) {
  rows.push([
    `${size.times}x`, String(size.pages), ms(size.html), ms(size.epub), ms(size.htmlEpub), ms(size.htmlEpubCached), ms(size.pdf), ms(size.pdfRebuild), ms(size.all), `${size.peakMemoryMiB} MiB`,
    `${ms(size.floorProgram)} (${ms(size.floor)})`, ratio(size.pdfOverFloor), ratio(size.pdfRebuildOverFloor), ratio(size.pdfInProcessOverFloor),
    size.peers.pandocHtml ? `${ms(size.peers.pandocHtml.milliseconds)} (ours ${ratio(size.peers.pandocHtml.oursOverPeer)})` : 'not installed',
    size.peers.pandocEpub ? `${ms(size.peers.pandocEpub.milliseconds)} (ours ${ratio(size.peers.pandocEpub.oursOverPeer)})` : 'not installed',
    size.peers.pagedjs ? `${ms(size.peers.pagedjs.milliseconds)} (ours ${ratio(size.peers.pagedjs.oursOverPeer)})` : size.failedPeers?.includes('pagedjs-cli') ? 'failed' : 'not installed',
    size.peers.vivliostyle ? `${ms(size.peers.vivliostyle.milliseconds)} (ours ${ratio(size.peers.vivliostyle.oursOverPeer)})` : size.failedPeers?.includes('vivliostyle') ? 'failed' : 'not installed',
  ]);
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  '));
console.log('\npdf: a first build with the CLI (Node started, nothing known); pdf again: the same, rebuilt (the page numbers of the build before are tried first).');
console.log('floor: Chromium alone printing the final print HTML, as a program of its own (in brackets: inside this process); pdf/floor and again/floor compare the CLI with the program, in-process/floor the two inside this process.');
console.log(`machine: ${results.machine.cpus} cores, ${results.machine.memoryGiB} GiB, ${results.machine.cpu}, Node ${results.machine.node}`);
for (const size of results.sizes) console.log(`${size.times}x --since: html+epub ${ms(size.htmlEpubSince)} (${ratio(size.htmlEpubSinceOverHtmlEpub)} of html+epub alone, peak ${size.sincePeakMemoryMiB} MiB); charta diff ${ms(size.diff)}`);
for (const size of results.sizes) console.log(searchIndexLine(size.times, size.search));
for (const size of results.sizes) console.log(`${size.times}x charta check: ${ms(size.check.cached)} with the cache, ${ms(size.check.cold)} without; node -e 0: ${ms(size.check.nodeStart)} (check/node ${ratio(size.check.cachedOverNode)})`);
if (first?.headings) console.log(`a chapter of 10,000 headings: ${ms(first.headings.headings)}, of as many paragraphs instead: ${ms(first.headings.paragraphs)} (${ratio(first.headings.ratio)})`);
for (const size of results.sizes) if (size.dev) console.log(`${size.times}x charta dev, one chapter saved: rebuilt in ${ms(size.dev.rebuildMs)}, page told to reload after ${ms(size.dev.savedToServedMs)}`);
if (results.linearity) console.log(`time per page at ${last.times}x over time per page at ${first.times}x: ${ratio(results.linearity)}`);
