// Bundles the compiled CLI (build/cli/main.js) into build/bundle/, which bin/charta.js runs. Node
// loads the unified ecosystem as some 600 small modules; as a few bundled files the command
// starts about 0.2 s sooner (see the README's performance section). Packages that read their own
// files at run time (puppeteer, pdf.js, the hyphenation patterns, the fonts) stay outside.
// Also bundles the HTML edition's search (build/search/browser-script.js, with MiniSearch and the
// German stemmer) into build/bundle/suche.js: one classic script (an IIFE), since module scripts
// do not load from file://. The build copies it into each HTML edition as js/suche.js.
// Part of `npm run compile`, after tsc.
//
// It also writes build/toolkit-id.txt, a hash of the toolkit's sources and locked dependencies:
// the persistent cache of transformed chapters (src/load/chapter-store.ts) keys its entries with
// it, so that a changed toolkit never serves a chapter transformed by the one before.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const hash = createHash('sha256');
const sources = (await readdir(path.join(root, 'src'), { recursive: true })).filter((name) => name.endsWith('.ts')).sort();
for (const name of [...sources.map((source) => path.join('src', source)), 'package.json', 'package-lock.json']) {
  const contents = await readFile(path.join(root, name)).catch(() => '');
  hash.update(`${name.split(path.sep).join('/')}\0`).update(contents).update('\0');
}
await writeFile(path.join(root, 'build', 'toolkit-id.txt'), `${hash.digest('hex')}\n`);

// Chunks are named by their hash: the folder starts empty, so that no stale chunk stays beside them.
await rm(path.join(root, 'build', 'bundle'), { recursive: true, force: true });

await build({
  // The load stage's worker thread is an entry of its own (src/load/transform-workers.ts starts it beside the chunk that loads the charta).
  input: { main: path.join(root, 'build', 'cli', 'main.js'), 'transform-worker': path.join(root, 'build', 'load', 'transform-worker.js') },
  platform: 'node',
  external: [/^puppeteer(-core)?($|\/)/, /^hyphen($|\/)/, /^@fontsource\//],
  output: { dir: path.join(root, 'build', 'bundle'), format: 'esm', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
});

await build({
  input: path.join(root, 'build', 'search', 'browser-script.js'),
  platform: 'browser',
  output: { file: path.join(root, 'build', 'bundle', 'suche.js'), format: 'iife', minify: true, sourcemap: false },
  logLevel: 'warn',
});
