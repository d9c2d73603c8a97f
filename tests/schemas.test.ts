/**
 * The committed JSON Schemas for editors are what the zod schemas generate (run `npm run schemas`
 * after changing src/load/schema.ts), and every YAML file points at its schema.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../src/load/json-schemas.js';
import { projectRoot } from './helpers.js';

describe('JSON Schemas', () => {
  for (const [name, text] of jsonSchemas()) {
    it(`schemas/${name} is up to date`, async () => {
      expect(await readFile(path.join(projectRoot, 'schemas', name), 'utf8'), 'run npm run schemas').toBe(text);
    });
    it(`charta/${name.replace('.schema.json', '.yaml')} points at it`, async () => {
      const yaml = await readFile(path.join(projectRoot, 'charta', name.replace('.schema.json', '.yaml')), 'utf8');
      expect(yaml.split('\n')[0]).toBe(`# yaml-language-server: $schema=../schemas/${name}`);
    });
  }
});
