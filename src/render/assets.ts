/**
 * The files every edition carries besides its pages: the stylesheets of `templates/css/`, the
 * generated sources stylesheet, the fonts the stylesheets name (from @fontsource packages) and the
 * chapters' images.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Charta } from '../charta.js';
import { sourcesStylesheet } from '../core/colours.js';
import { ChartaError } from '../core/errors.js';
import type { EditionFile } from './edition.js';
import { readTemplate } from './template-files.js';

const require = createRequire(import.meta.url);

/** Where the @fontsource packages are installed. */
function fontsourceFolder(): string {
  return path.dirname(path.dirname(require.resolve('@fontsource/source-serif-4/package.json')));
}

/** The stylesheets named `names` from templates/css/ plus `css/quellen.css`, and their fonts. */
export async function styleAssets(charta: Charta, names: readonly string[]): Promise<EditionFile[]> {
  const files: EditionFile[] = [];
  const fonts = new Set<string>();
  for (const name of names) {
    const css = await readTemplate(charta.root, `css/${name}`);
    if (css === undefined) throw new ChartaError(`The stylesheet templates/css/${name} is missing, in the project and in the toolkit`, 2);
    for (const match of css.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/url\(\s*['"]?\.\.\/fonts\/([^'")]+)['"]?\s*\)/g)) fonts.add(match[1]!);
    files.push({ path: `css/${name}`, contents: css });
  }
  files.push({ path: 'css/quellen.css', contents: sourcesStylesheet(charta.sources) });
  files.push(...(await fontFiles([...fonts])));
  return files;
}

/** The stylesheets in templates/css/ (their names, sorted). */
export async function templateStylesheets(root: string): Promise<string[]> {
  return (await readdir(path.join(root, 'templates', 'css'))).filter((name) => name.endsWith('.css')).sort();
}

/** Installed packages do not change while the process runs: each font file is read once. */
const fontCache = new Map<string, Promise<EditionFile>>();

async function fontFiles(names: string[]): Promise<EditionFile[]> {
  const base = fontsourceFolder();
  return Promise.all(
    names.map((name) => {
      let file = fontCache.get(name);
      if (!file) {
        file = readFont(base, name);
        fontCache.set(name, file);
        file.catch(() => fontCache.delete(name));
      }
      return file;
    }),
  );
}

async function readFont(base: string, name: string): Promise<EditionFile> {
  const packages = await readdir(base);
  const found = packages.map((pkg) => path.join(base, pkg, 'files', name)).find((candidate) => existsSync(candidate));
  if (!found) throw new ChartaError(`The font file ${name} named in templates/css/ is not in any installed @fontsource package`, 2, 'Install the package (npm install @fontsource/<family>) or fix the name.');
  return { path: `fonts/${name}`, contents: await readFile(found) };
}

/** The images the chapters use, at their paths inside the edition. */
export async function imageAssets(charta: Charta): Promise<EditionFile[]> {
  return Promise.all(
    [...charta.assets].map(async ([source, target]) => ({ path: target, contents: await readFile(source) })),
  );
}
