/**
 * Where a template or stylesheet comes from. The toolkit's `templates/` holds the defaults; a
 * project's `templates/` holds only what it changes, looked up file by file: the project's file
 * where it has one, else the toolkit's (as Pandoc's data directory, Quarto's partials and Hugo's
 * lookup order do). A project's `css/tokens.css` is the exception: it is added after the
 * default's, so that it need set only the tokens it changes. Copies made with `charta templates
 * copy` begin with a line that names the default and its hash (`copyHeader`), so that `charta
 * check` can tell when the default has changed since.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { toolkitRoot } from '../core/toolkit.js';

/** The folders of `templates/` that hold templates (not the example project of `charta init`). */
export const templateFolders = ['css', 'epub', 'html', 'print'] as const;

/** The file whose project copy is added to the default instead of replacing it. */
export const addedFile = 'css/tokens.css';

export interface TemplateFile {
  /** Relative to `templates/`, with `/`: `print/chapter.mustache`. */
  name: string;
  /** The file that is used. */
  path: string;
  /** `project` where the project has its own, `toolkit` for the default. */
  origin: 'project' | 'toolkit';
  /** The toolkit's file of that name, where there is one. */
  defaultPath?: string;
}

/** Whether `root` is the toolkit's own folder (this repository's charta): then every file is a default. Asked once per root. */
function isToolkit(root: string): boolean {
  let known = toolkitFolders.get(root);
  if (known === undefined) {
    try {
      known = realpathSync(root) === realpathSync(toolkitRoot);
    } catch {
      known = false;
    }
    toolkitFolders.set(root, known);
  }
  return known;
}
const toolkitFolders = new Map<string, boolean>();

/** The file `name` (relative to `templates/`) for the project at `root`; undefined where neither has it. */
export function findTemplate(root: string, name: string): TemplateFile | undefined {
  const defaultPath = path.join(toolkitRoot, 'templates', ...name.split('/'));
  const hasDefault = existsSync(defaultPath);
  const own = path.join(root, 'templates', ...name.split('/'));
  if (!isToolkit(root) && existsSync(own)) return { name, path: own, origin: 'project', defaultPath: hasDefault ? defaultPath : undefined };
  return hasDefault ? { name, path: defaultPath, origin: 'toolkit', defaultPath } : undefined;
}

/** Every template of `folder` (`print`, `css` …) for the project at `root`: the defaults and the project's own, by name. */
export async function templatesIn(root: string, folder: string): Promise<TemplateFile[]> {
  const names = new Set<string>();
  for (const base of isToolkit(root) ? [toolkitRoot] : [toolkitRoot, root]) {
    try {
      for (const entry of await readdir(path.join(base, 'templates', folder), { withFileTypes: true })) if (entry.isFile()) names.add(`${folder}/${entry.name}`);
    } catch {
      // The project changes nothing here.
    }
  }
  return [...names].sort().map((name) => findTemplate(root, name)!);
}

/**
 * The text of `name` as an edition uses it: the project's file, or the default; for
 * `css/tokens.css`, the default's followed by the project's. Undefined where neither has it.
 */
export async function readTemplate(root: string, name: string): Promise<string | undefined> {
  const found = findTemplate(root, name);
  if (!found) return undefined;
  const text = await readFile(found.path, 'utf8');
  if (name !== addedFile || found.origin !== 'project' || !found.defaultPath) return text;
  return `${await readFile(found.defaultPath, 'utf8')}\n/* The project's tokens (templates/css/tokens.css), after the defaults. */\n${text}`;
}

/** The sha256 of a default's text, as copy headers name it. */
export function templateHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The first line of a copy of the default `name`: a comment in the file's own syntax. */
export function copyHeader(name: string, text: string, version: string): string {
  const note = `charta: copied from the default ${name} of charta ${version} (sha256 ${templateHash(text)}); charta check tells when the default changes`;
  // A Mustache comment on a line of its own leaves nothing, not even the line: an XML declaration stays first.
  return name.endsWith('.css') ? `/* ${note} */\n` : `{{! ${note} }}\n`;
}

/** What a copy's first line says it was copied from, if it has such a line. */
export function copiedFrom(text: string): { name: string; version: string; hash: string } | undefined {
  const match = /charta: copied from the default (\S+) of charta (\S+) \(sha256 ([0-9a-f]{16})\)/.exec(text.split('\n', 1)[0] ?? '');
  return match ? { name: match[1]!, version: match[2]!, hash: match[3]! } : undefined;
}
