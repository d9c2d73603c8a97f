/**
 * The templates of an edition: Mustache files in `templates/<edition>/`, the project's where it
 * has them and the toolkit's defaults for the rest (`template-files.ts`). Every template is also a
 * partial, so `{{> navigation}}` includes `navigation.mustache`.
 */
import { readFile } from 'node:fs/promises';
import Mustache from 'mustache';
import { ChartaError } from '../core/errors.js';
import { templatesIn } from './template-files.js';

export interface Templates {
  /** Renders template `name` (without `.mustache`) with `view`. */
  render(name: string, view: object): string;
  /** The templates' names and texts, as one string: the same for the same templates. */
  key: string;
}

/** Loads the templates of `<edition>/*.mustache` for the project at `root`. */
export async function loadTemplates(root: string, edition: string): Promise<Templates> {
  const found = (await templatesIn(root, edition)).filter((file) => file.name.endsWith('.mustache'));
  if (found.length === 0) {
    throw new ChartaError(`The default templates of templates/${edition}/ are missing from the toolkit`, 2, 'Reinstall charta (npm install), or restore them from its repository.');
  }
  const partials: Record<string, string> = {};
  await Promise.all(
    found.map(async (file) => {
      partials[file.name.slice(edition.length + 1, -'.mustache'.length)] = await readFile(file.path, 'utf8');
    }),
  );
  return {
    key: JSON.stringify(Object.entries(partials).sort(([a], [b]) => (a < b ? -1 : 1))),
    render(name, view) {
      const template = partials[name];
      if (template === undefined) throw new ChartaError(`The template templates/${edition}/${name}.mustache is missing`, 2);
      try {
        return Mustache.render(template, view, partials);
      } catch (cause) {
        throw new ChartaError(`The template templates/${edition}/${name}.mustache is broken: ${(cause as Error).message}`, 2);
      }
    },
  };
}
