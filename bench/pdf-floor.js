// The PDF build against its floor: Chromium alone printing the same final print HTML (same browser,
// same flags, same print options, the file read from disk), measured in the same run, interleaved,
// as medians. Run `npm run compile` first, then `node bench/pdf-floor.js [runs]`.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { loadCharta } = await import(pathToFileURL(path.join(root, 'build/load/load-charta.js')).href);
const { findBrowser } = await import(pathToFileURL(path.join(root, 'build/browser/find-browser.js')).href);
const { buildAndKeepPrintHtml, floor, median } = await import('./floor.js');

const runs = Number(process.argv[2] ?? 5);
const { executablePath } = await findBrowser();
const { charta } = await loadCharta({ root });
const work = await mkdtemp(path.join(tmpdir(), 'charta-floor-'));

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
    const folder = path.join(work, `run-${run}`);
    const built = await buildAndKeepPrintHtml(charta, executablePath, folder);
    ours.push(built.milliseconds);
    pages = built.pages;
    floors.push((await floor(folder, executablePath)).milliseconds);
    commands.push(cli(path.join(work, `out-${run}`)));
    console.error(`run ${run + 1}: build ${ours.at(-1).toFixed(0)} ms, Chromium alone ${floors.at(-1).toFixed(0)} ms, CLI ${commands.at(-1).toFixed(0)} ms`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
const [build, alone, command] = [median(ours), median(floors), median(commands)];
console.log(JSON.stringify({ pages, runs, buildMs: Math.round(build), floorMs: Math.round(alone), ratio: Number((build / alone).toFixed(2)), cliMs: Math.round(command), cliRatio: Number((command / alone).toFixed(2)) }, null, 2));
