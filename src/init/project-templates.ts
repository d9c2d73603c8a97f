/**
 * A project's own templates (`charta templates list|copy`, and what `charta check` says of them):
 * which defaults a project overrides, a copy of one default to change, and the overrides that no
 * longer fit their defaults.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Mustache from 'mustache';
import { VFile } from 'vfile';
import { ChartaError, ExitCode } from '../core/errors.js';
import { warn } from '../core/messages.js';
import { toolkitVersion } from '../core/toolkit.js';
import { addedFile, copiedFrom, copyHeader, findTemplate, templateFolders, templateHash, templatesIn, type TemplateFile } from '../render/template-files.js';

/** Every template and stylesheet, default or the project's. */
export async function listTemplates(root: string): Promise<TemplateFile[]> {
  return (await Promise.all(templateFolders.map((folder) => templatesIn(root, folder)))).flat();
}

/**
 * Copies the default `name` (`print/chapter`, `css/print.css` …) into the project's `templates/`,
 * with a first line naming the default; returns the copy's path. `css/tokens.css` is copied as
 * an empty list of tokens to set, since the project's tokens are added to the default's.
 */
export async function copyTemplate(root: string, name: string): Promise<string> {
  const found = [name, `${name}.mustache`, `${name}.css`, `${name}.svg`].map((candidate) => findTemplate(root, candidate)).find((file) => file?.defaultPath);
  if (!found?.defaultPath) {
    const names = (await listTemplates(root)).filter((file) => file.defaultPath).map((file) => file.name.replace(/\.mustache$/, ''));
    throw new ChartaError(`There is no default template ${name}`, ExitCode.environment, `The defaults: ${names.join(', ')}.`);
  }
  const target = path.join(root, 'templates', ...found.name.split('/'));
  if (existsSync(target)) throw new ChartaError(`The project already has templates/${found.name}`, ExitCode.environment, 'Change it there, or delete it to use the default again.');
  const text = await readFile(found.defaultPath, 'utf8');
  const copy =
    found.name === addedFile
      ? `${copyHeader(found.name, text, toolkitVersion)}/* Set here only the tokens the project changes; the defaults (charta templates list) stay for the rest. */\n:root {\n}\n`
      : copyHeader(found.name, text, toolkitVersion) + text;
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, copy);
  return target;
}

/**
 * Warnings on the project's overrides that no longer fit the toolkit's defaults: a partial they
 * include that is gone, a default changed since the copy was made, a token the defaults no
 * longer have. One file per override with messages.
 */
export async function checkOverrides(root: string): Promise<VFile[]> {
  const files: VFile[] = [];
  const all = await listTemplates(root);
  for (const template of all.filter((file) => file.origin === 'project')) {
    const text = await readFile(template.path, 'utf8');
    const file = new VFile({ path: template.path, value: text });
    const folder = template.name.split('/')[0]!;
    const copied = copiedFrom(text);
    // The project's tokens are added to the defaults: a change of the defaults does not unsettle them.
    if (copied && template.defaultPath && template.name !== addedFile) {
      const current = await readFile(template.defaultPath, 'utf8');
      if (templateHash(current) !== copied.hash) {
        const versions = copied.version === toolkitVersion ? `charta ${copied.version}` : `charta ${copied.version}, now ${toolkitVersion}`;
        warn(file, `The default ${template.name} has changed since this copy was made (${versions}): compare the two and take over what the default gained`, { line: 1, column: 1 }, 'template-default-changed');
      }
    }
    if (template.name.endsWith('.mustache')) {
      const partials = new Set(all.filter((other) => other.name.startsWith(`${folder}/`) && other.name.endsWith('.mustache')).map((other) => other.name.slice(folder.length + 1, -'.mustache'.length)));
      for (const { name, offset } of partialsOf(text)) {
        if (!partials.has(name)) warn(file, `Includes the partial "${name}", which ${folder}/ no longer has (neither the project nor the defaults)`, pointAt(text, offset), 'template-partial-gone');
      }
    }
    if (template.name === addedFile && template.defaultPath) {
      const known = new Set(tokensOf(await readFile(template.defaultPath, 'utf8')).map((token) => token.name));
      for (const token of tokensOf(text)) {
        if (!known.has(token.name)) warn(file, `Sets the token ${token.name}, which the default tokens do not have (any more): nothing reads it`, pointAt(text, token.offset), 'template-unknown-token');
      }
    }
    if (file.messages.length > 0) files.push(file);
  }
  return files;
}

/** The partials a template includes (`{{> name}}`), with their offsets. */
function partialsOf(text: string): Array<{ name: string; offset: number }> {
  const found: Array<{ name: string; offset: number }> = [];
  const walk = (tokens: unknown[]) => {
    for (const token of tokens as Array<[string, string, number, number, unknown[]?]>) {
      if (token[0] === '>') found.push({ name: token[1], offset: token[2] });
      if (Array.isArray(token[4])) walk(token[4]);
    }
  };
  try {
    walk(Mustache.parse(text));
  } catch {
    // A broken template is reported by the build that renders it.
  }
  return found;
}

/** The custom properties a stylesheet sets (`--name:`), outside comments, with their offsets. */
function tokensOf(css: string): Array<{ name: string; offset: number }> {
  const blanked = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => ' '.repeat(comment.length));
  return [...blanked.matchAll(/(--[\w-]+)\s*:/g)].map((match) => ({ name: match[1]!, offset: match.index }));
}

function pointAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
