// Bundles the compiled CLI (build/cli/main.js) into build/bundle/, which bin/charta.js runs. Node
// loads the unified ecosystem as some 600 small modules; as a few bundled files the command
// starts about 0.2 s sooner (see the README's performance section). Packages that read their own
// files at run time (puppeteer, pdf.js, the hyphenation patterns, the fonts) stay outside.
// Also bundles the HTML edition's search (build/search/browser-script.js, with MiniSearch and the
// German stemmer) into build/bundle/suche.js: one classic script (an IIFE), since module scripts
// do not load from file://. The build copies it into each HTML edition as js/suche.js.
// Part of `npm run compile`, after tsc.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  input: { main: path.join(root, 'build', 'cli', 'main.js') },
  platform: 'node',
  external: [/^puppeteer(-core)?($|\/)/, /^pdfjs-dist($|\/)/, /^hyphen($|\/)/, /^@fontsource\//],
  output: { dir: path.join(root, 'build', 'bundle'), format: 'esm', chunkFileNames: '[name]-[hash].js' },
  logLevel: 'warn',
});

await build({
  input: path.join(root, 'build', 'search', 'browser-script.js'),
  platform: 'browser',
  output: { file: path.join(root, 'build', 'bundle', 'suche.js'), format: 'iife', minify: true, sourcemap: false },
  logLevel: 'warn',
});
