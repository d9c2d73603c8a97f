/**
 * Parses a YAML source with positions and validates it against its schema. Every problem, of
 * the YAML syntax or of the schema, becomes an error message that points at the value in the file.
 */
import { isAlias, isMap, isNode, isPair, isScalar, LineCounter, Parser, parseDocument, visit, type CST, type Document, type Node as YamlNode } from 'yaml';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { z } from 'zod';
import { error } from '../core/messages.js';
import { maxNesting } from './markdown-nesting.js';

/** A parsed YAML file whose values can still be located. */
export interface YamlSource<T> {
  file: VFile;
  data: T;
  /** The place of the value at `path` (or of its nearest existing parent). */
  placeOf(path: ReadonlyArray<string | number>): Position | Point;
}

/**
 * Parses and validates `file`. Returns undefined (with errors on the file) when it does not
 * parse or does not satisfy the schema.
 */
export function readYaml<S extends z.ZodType>(file: VFile, schema: S): YamlSource<z.output<S>> | undefined {
  if (file.messages.some((m) => m.fatal)) return undefined;
  const text = String(file.value);
  const known = parsed.get(schema)?.get(text);
  if (known) return { file, data: structuredClone(known.data) as z.output<S>, placeOf: known.placeOf };
  if (text.trim() === '') {
    error(file, 'File is empty', { line: 1, column: 1 }, 'empty-file');
    return undefined;
  }
  // Composing the document recurses; too deep a nesting is refused before, at its place.
  const deep = tooDeep(text);
  if (deep) {
    error(file, `Lists and mappings are nested more than ${maxNesting} levels deep here`, deep, 'nesting-too-deep');
    return undefined;
  }
  const { doc, pointAt, positionOf, placeOf } = parsedYaml(text);

  if (doc.errors.length > 0) {
    for (const problem of doc.errors) {
      error(file, yamlReason(problem.message), pointAt(problem.pos[0]), `yaml-${problem.code.toLowerCase().replaceAll('_', '-')}`);
    }
    return undefined;
  }
  if (doc.contents === null) {
    error(file, 'File has no data, only comments', { line: 1, column: 1 }, 'empty-file');
    return undefined;
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (cause) {
    // An alias that expands into too many values ("billion laughs"), or one without its anchor.
    let alias: YamlNode | undefined;
    visit(doc, { Alias: (_key, node) => void (alias ??= node) });
    const reason = /excessive alias/i.test((cause as Error).message)
      ? 'Aliases (`*name`) expand into too many values: write the values out'
      : yamlReason((cause as Error).message);
    error(file, reason, alias ? positionOf(alias) : { line: 1, column: 1 }, 'yaml-alias');
    return undefined;
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) reportIssue(file, doc, issue, placeOf, positionOf);
    return undefined;
  }
  remember(schema, text, { data: structuredClone(result.data), placeOf });
  return { file, data: result.data, placeOf };
}

/** The places of the values of `text`, a YAML text validated before (`kept-yaml.ts`). */
export function placesOf(text: string): YamlSource<unknown>['placeOf'] {
  return parsedYaml(text).placeOf;
}

/** The document of `text`, with the places of its offsets and values. */
function parsedYaml(text: string) {
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
  return { doc, pointAt, positionOf, placeOf };
}

/**
 * The texts parsed lately without a problem, by schema: `charta dev` loads the charta after every
 * save, and the YAML files rarely change. Each hit gets its own copy of the data.
 */
const parsed = new WeakMap<z.ZodType, Map<string, { data: unknown; placeOf: YamlSource<unknown>['placeOf'] }>>();
const maxParsed = 4;

function remember(schema: z.ZodType, text: string, entry: { data: unknown; placeOf: YamlSource<unknown>['placeOf'] }): void {
  let texts = parsed.get(schema);
  if (!texts) parsed.set(schema, (texts = new Map()));
  if (texts.size >= maxParsed) texts.delete(texts.keys().next().value!);
  texts.set(text, entry);
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
  const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (issue.code === 'invalid_type' && issue.expected === 'string' && isScalar(node) && typeof node.value !== 'string') {
    const written = node.source ?? String(node.value);
    error(file, `${where}expected text, found ${typeof node.value === 'number' ? 'a number' : String(node.value)}: write it in quotes, "${written}"`, placeOf(path), 'schema');
    return;
  }
  if (issue.code === 'invalid_type' && issue.expected in expectedKinds) {
    error(file, `${where}expected ${expectedKinds[issue.expected]}, found ${kindOf(node)}`, placeOf(path), 'schema');
    return;
  }
  error(file, `${where}${issue.message}`, placeOf(path), 'schema');
}

/** What a schema type is called in YAML terms. */
const expectedKinds: Record<string, string> = {
  object: 'keys with values (`key: value` lines)',
  array: 'a list (lines starting with `- `)',
  number: 'a number',
  boolean: 'true or false',
};

function kindOf(node: unknown): string {
  if (isMap(node)) return 'keys with values';
  if (isNode(node) && 'items' in node) return 'a list';
  if (isAlias(node)) return 'an alias';
  if (!isScalar(node) || node.value === null) return 'nothing';
  return typeof node.value === 'string' ? `the text "${node.value.length > 40 ? `${node.value.slice(0, 40)}…` : node.value}"` : String(node.value);
}

/** The place where the collections of `text` nest deeper than `maxNesting`, walked without recursion. */
function tooDeep(text: string): Point | undefined {
  const lineCounter = new LineCounter();
  const stack: Array<{ token: CST.Token | undefined; depth: number }> = [];
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) stack.push({ token, depth: 0 });
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') stack.push({ token: token.value, depth });
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    if (depth + 1 > maxNesting) {
      const { line, col } = lineCounter.linePos(token.offset);
      return { line, column: col, offset: token.offset };
    }
    for (const item of token.items) {
      stack.push({ token: item.key ?? undefined, depth: depth + 1 }, { token: item.value, depth: depth + 1 });
    }
  }
  return undefined;
}

function yamlReason(message: string): string {
  // The yaml library appends " at line L, column C" and a code frame; we print the place ourselves.
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
