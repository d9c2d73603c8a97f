/**
 * The templates of an edition: Mustache files in `templates/<edition>/`. Every file there is also
 * a partial, so `{{> navigation}}` includes `navigation.mustache`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Mustache from 'mustache';
import { ChartaError } from '../core/errors.js';

export interface Templates {
  /** Renders template `name` (without `.mustache`) with `view`. */
  render(name: string, view: object): string;
}

/** Loads `templates/<edition>/*.mustache`. */
export async function loadTemplates(root: string, edition: string): Promise<Templates> {
  const folder = path.join(root, 'templates', edition);
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.mustache'));
  } catch {
    throw new ChartaError(`The templates folder templates/${edition}/ is missing`, 2, 'Restore it from the repository (git checkout templates).');
  }
  const partials: Record<string, string> = {};
  await Promise.all(
    names.map(async (name) => {
      partials[name.slice(0, -'.mustache'.length)] = await readFile(path.join(folder, name), 'utf8');
    }),
  );
  return {
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
