/**
 * The JSON Schemas for editors, generated from the zod schemas the loader validates with, so the
 * two cannot drift. `npm run schemas` writes them into `schemas/`; a test fails when they are stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { yamlFiles } from './schema.js';

/** The JSON Schema documents by file name, e.g. `charta.schema.json`. */
export function jsonSchemas(): Map<string, string> {
  return new Map(
    Object.entries(yamlFiles).map(([yamlName, schema]) => {
      const name = yamlName.replace(/\.yaml$/, '.schema.json');
      const json = { ...z.toJSONSchema(schema, { io: 'input' }), title: `charta/${yamlName}` };
      return [name, `${JSON.stringify(json, null, 2)}\n`];
    }),
  );
}

/** Writes the schemas into `<root>/schemas/`. */
export async function writeJsonSchemas(root: string): Promise<void> {
  const folder = path.join(root, 'schemas');
  await mkdir(folder, { recursive: true });
  for (const [name, text] of jsonSchemas()) await writeFile(path.join(folder, name), text);
}
