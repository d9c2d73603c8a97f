/**
 * templates/README.md documents every class the pipeline and the templates emit: a designer can
 * restyle the editions from it. A class an edition carries that the README does not name fails.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, tempOut } from './helpers.js';

const readme = await readFile(path.join(projectRoot, 'templates', 'README.md'), 'utf8');
/** Names in backticks, e.g. `beitrag`, `beitrag--<id>`. */
const documented = new Set([...readme.matchAll(/`([\w-]+(?:<[\w-]+>)?)`/g)].map((match) => match[1]!));
const patterns = [...documented].filter((name) => name.includes('<')).map((name) => name.slice(0, name.indexOf('<')));

function isDocumented(name: string): boolean {
  return documented.has(name) || patterns.some((prefix) => name.startsWith(prefix) && name.length > prefix.length);
}

function classesIn(markup: string): string[] {
  return [...markup.matchAll(/\sclass="([^"]*)"/g)].flatMap((match) =>
    match[1]!
      .replace(/\{\{[^}]*\}\}/g, 'X')
      .split(/\s+/)
      .filter((name) => name && !/\{\{|\}\}/.test(name)),
  );
}

async function filesUnder(folder: string, ending: RegExp): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && ending.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name));
}

let out: Awaited<ReturnType<typeof tempOut>>;
beforeAll(async () => {
  out = await tempOut();
  const result = await runCli(['build', '--format', 'html', '--out', out.out]);
  expect(result.code).toBe(0);
});
afterAll(() => out.remove());

describe('templates/README.md', () => {
  it('documents every class of the HTML edition', async () => {
    const missing = new Set<string>();
    for (const file of await filesUnder(path.join(out.out, 'html'), /\.html$/)) {
      for (const name of classesIn(await readFile(file, 'utf8'))) if (!isDocumented(name)) missing.add(name);
    }
    expect([...missing]).toEqual([]);
  });

  it('documents every class in the templates of every edition', async () => {
    const missing = new Set<string>();
    for (const file of await filesUnder(path.join(projectRoot, 'templates'), /\.mustache$/)) {
      for (const name of classesIn(await readFile(file, 'utf8'))) {
        if (!isDocumented(name.replace(/X$/, '<x>')) && !isDocumented(name)) missing.add(`${path.relative(projectRoot, file)}: ${name}`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('documents every template file', async () => {
    for (const file of await filesUnder(path.join(projectRoot, 'templates'), /\.(mustache|css)$/)) {
      if (file.includes(`${path.sep}init${path.sep}`)) continue;
      expect(readme, path.relative(projectRoot, file)).toContain(path.basename(file));
    }
  });
});
