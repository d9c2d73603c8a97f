/**
 * Parses a YAML source with positions and validates it against its schema. Every problem, of
 * the YAML syntax or of the schema, becomes an error message that points at the value in the file.
 */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { z } from 'zod';
import { error } from '../core/messages.js';

/** A parsed YAML file whose values can still be located. */
export interface YamlSource<T> {
  file: VFile;
  data: T;
  /** The place of the value at `path` (or of its nearest existing parent). */
  placeOf(path: ReadonlyArray<string | number>): Position | Point;
}

/** The schema messages in English, the language of all the toolkit's messages. */
z.config(z.locales.en());

/**
 * Parses and validates `file`. Returns undefined (with errors on the file) when it does not
 * parse or does not satisfy the schema.
 */
export function readYaml<S extends z.ZodType>(file: VFile, schema: S): YamlSource<z.output<S>> | undefined {
  if (file.messages.some((m) => m.fatal)) return undefined;
  const text = String(file.value);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, schema: 'core' });

  const pointAt = (offset: number): Point => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };
  const positionOf = (node: YamlNode | null | undefined): Position | Point => {
    if (!node?.range) return { line: 1, column: 1, offset: 0 };
    return { start: pointAt(node.range[0]), end: pointAt(node.range[1]) };
  };
  const placeOf = (path: ReadonlyArray<string | number>): Position | Point => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node)) return positionOf(node as YamlNode);
    }
    return { line: 1, column: 1, offset: 0 };
  };

  if (doc.errors.length > 0) {
    for (const problem of doc.errors) {
      error(file, yamlReason(problem.message), pointAt(problem.pos[0]), `yaml-${problem.code.toLowerCase().replaceAll('_', '-')}`);
    }
    return undefined;
  }
  if (text.trim() === '') {
    error(file, 'File is empty', { line: 1, column: 1 }, 'empty-file');
    return undefined;
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (cause) {
    error(file, yamlReason((cause as Error).message), { line: 1, column: 1 }, 'yaml-alias');
    return undefined;
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) reportIssue(file, doc, issue, placeOf, positionOf);
    return undefined;
  }
  return { file, data: result.data, placeOf };
}

function reportIssue(
  file: VFile,
  doc: Document,
  issue: z.core.$ZodIssue,
  placeOf: (path: ReadonlyArray<string | number>) => Position | Point,
  positionOf: (node: YamlNode | null | undefined) => Position | Point,
): void {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  const where = path.length > 0 ? `\`${path.join('.')}\`: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    for (const key of issue.keys) {
      let place = placeOf(path);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
        if (pair && isNode(pair.key)) place = positionOf(pair.key as YamlNode);
      }
      error(file, `${where}Unknown key \`${key}\``, place, 'schema-unknown-key');
    }
    return;
  }
  if (issue.code === 'invalid_type' && !doc.hasIn(path)) {
    const key = path.at(-1);
    error(file, `Missing required key \`${String(key)}\``, placeOf(path.slice(0, -1)), 'schema-missing-key');
    return;
  }
  const node = doc.getIn(path, true);
  if (issue.code === 'invalid_type' && issue.expected === 'string' && isScalar(node) && typeof node.value !== 'string') {
    const written = node.source ?? String(node.value);
    error(file, `${where}expected text, found ${typeof node.value === 'number' ? 'a number' : String(node.value)}: write it in quotes, "${written}"`, placeOf(path), 'schema');
    return;
  }
  error(file, `${where}${issue.message}`, placeOf(path), 'schema');
}

function yamlReason(message: string): string {
  // The yaml library appends " at line L, column C" and a code frame; we print the place ourselves.
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
