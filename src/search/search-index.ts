/**
 * The search's files in the HTML edition: `js/suche-index.js`, a classic script that assigns the
 * serialized MiniSearch index to a global (a classic script loads from `file://`, where fetch,
 * module scripts and WebAssembly do not), and `js/suche.js`, the search's own code, bundled by
 * `npm run compile` (scripts/bundle.js) from `browser-script.ts`.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import type { Charta } from '../charta.js';
import { ChartaError } from '../core/errors.js';
import type { EditionFile } from '../render/edition.js';
import type { Addresses } from '../render/views.js';
import { indexTerms, vocabularyOf } from './german-terms.js';
import { searchDocuments } from './search-documents.js';
import { indexGlobal, searchFiles, searchOptions, type SearchDocument } from './search-options.js';

/** The index of `documents`: their words, and the tails of compounds that are words of them too. */
export function buildSearchIndex(documents: readonly SearchDocument[]): MiniSearch<SearchDocument> {
  const vocabulary = vocabularyOf(documents.flatMap((document) => [document.heading, document.text]));
  const index = new MiniSearch<SearchDocument>({ ...searchOptions, processTerm: indexTerms(vocabulary) });
  index.addAll(documents);
  return index;
}

/** The classic script that hands `index` to the page. */
export function searchIndexScript(index: MiniSearch<SearchDocument>): string {
  // JSON is a JavaScript expression; U+2028 and U+2029 are escaped for older parsers.
  const json = JSON.stringify(index).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `// The search index of this edition (MiniSearch's JSON), loaded by js/suche.js on first use.\nglobalThis.${indexGlobal} = ${json};\n`;
}

/** The folder of the charta toolkit (the one with its package.json), from wherever this code runs. */
function toolkitFolder(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return folder;
}

let browserScript: Promise<string> | undefined;

/** The bundled search script, read once. */
function readBrowserScript(): Promise<string> {
  browserScript ??= readFile(path.join(toolkitFolder(), 'build', 'bundle', 'suche.js'), 'utf8').catch((error: unknown) => {
    browserScript = undefined;
    throw new ChartaError('The search script build/bundle/suche.js is missing', 2, 'Run `npm run compile` in the charta folder.', { cause: error });
  });
  return browserScript;
}

/** The search's files for the HTML edition whose chapters are at `addresses`. */
export async function searchAssets(charta: Charta, addresses: Pick<Addresses, 'chapter'>): Promise<EditionFile[]> {
  const index = buildSearchIndex(searchDocuments(charta, addresses));
  return [
    { path: searchFiles.index, contents: searchIndexScript(index) },
    { path: searchFiles.script, contents: await readBrowserScript() },
  ];
}
