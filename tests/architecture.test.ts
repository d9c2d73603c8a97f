/**
 * The layout of `src/` shows the architecture (README, Development): the ground every stage stands
 * on, the stages, the build's script above them, the entry points on top. Every import that runs
 * code points down or across a layer, never up; an import of types only may point anywhere, since
 * it leaves nothing at run time.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers.js';

/** Each top-level entry of src/ and its layer, from the bottom up. */
const layers: Record<string, number> = {
  core: 0,
  'charta.ts': 0,
  load: 1,
  transform: 1,
  render: 1,
  emit: 1,
  browser: 1,
  compare: 1,
  stats: 1,
  search: 1,
  commands: 2,
  init: 2,
  cli: 3,
  dev: 3,
  'index.ts': 3,
};

const src = path.join(projectRoot, 'src');
const layerOf = (file: string) => layers[path.relative(src, file).split(path.sep)[0]!];

describe('the layout of src/', () => {
  it('puts every file in a layer, and every import that runs code points down or across', async () => {
    const files = (await readdir(src, { recursive: true })).filter((name) => name.endsWith('.ts')).map((name) => path.join(src, name));
    const upward: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      expect(layer, `${path.relative(src, file)} belongs to no layer`).toBeDefined();
      const text = await readFile(file, 'utf8');
      // Static imports and re-exports, and dynamic imports; `import type` and `export type` leave nothing at run time.
      const specifiers = [
        ...[...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)].map((match) => match[1]!),
        ...[...text.matchAll(/import\('(\.[^']+)'\)/g)].map((match) => match[1]!),
      ];
      for (const specifier of specifiers) {
        const target = path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'));
        const targetLayer = layerOf(target);
        if (targetLayer !== undefined && targetLayer > layer!) upward.push(`${path.relative(src, file)} -> ${path.relative(src, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps core/ the ground alone: it imports no stage, not even for types', async () => {
    const core = path.join(src, 'core');
    for (const name of await readdir(core)) {
      const text = await readFile(path.join(core, name), 'utf8');
      for (const match of text.matchAll(/from\s+'(\.[^']+)'/g)) {
        const target = path.resolve(core, match[1]!.replace(/\.js$/, '.ts'));
        expect(layerOf(target), `core/${name} imports ${path.relative(src, target)}`).toBe(0);
      }
    }
  });
});
