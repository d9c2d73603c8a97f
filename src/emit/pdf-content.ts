/**
 * Reads a page's content stream (ISO 32000-1, 7.8.2) as a list of operators with their operands
 * and their places in the stream, so that it can be rewritten by inserting text between them.
 */

/** One operator of a content stream, with the source text of its operands. */
export interface ContentOperator {
  /** The operator, e.g. `BT`, `Tj`, `re`, `BDC`. */
  op: string;
  /** The operands as written, e.g. `['/F5', '32']`. */
  operands: string[];
  /** Where its first operand (or the operator) starts. */
  start: number;
  /** Just after the operator (for `BI`, after the inline image's `EI`). */
  end: number;
}

/** By character code: 1 for white space, 2 for the other delimiters. */
const kinds = new Uint8Array(256);
for (const code of [0, 9, 10, 12, 13, 32]) kinds[code] = 1;
for (const c of '()<>[]{}/%') kinds[c.charCodeAt(0)] = 2;
const whitespace = { test: (c: string) => kinds[c.charCodeAt(0)] === 1 };
const delimiter = { test: (c: string) => kinds[c.charCodeAt(0)]! > 0 };

/** The operators of `content` (its bytes as Latin-1 characters). */
export function readContent(content: string): ContentOperator[] {
  const ops: ContentOperator[] = [];
  let operands: string[] = [];
  let start = -1;
  let at = 0;
  const length = content.length;
  while (at < length) {
    const c = content[at]!;
    if (whitespace.test(c)) {
      at++;
      continue;
    }
    if (c === '%') {
      while (at < length && content[at] !== '\n' && content[at] !== '\r') at++;
      continue;
    }
    const tokenStart = at;
    if (c === '(') at = skipLiteral(content, at);
    else if (c === '<' && content[at + 1] === '<') at = skipDictionary(content, at);
    else if (c === '<') at = content.indexOf('>', at) + 1 || length;
    else if (c === '[') at = skipArray(content, at);
    else if (c === '/') {
      at++;
      while (at < length && !delimiter.test(content[at]!)) at++;
    } else if (c === ']' || c === '>' || c === ')' || c === '{' || c === '}') {
      at++;
      continue;
    } else {
      while (at < length && !delimiter.test(content[at]!)) at++;
      const token = content.slice(tokenStart, at);
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token) || token === 'true' || token === 'false' || token === 'null') {
        if (start < 0) start = tokenStart;
        operands.push(token);
        continue;
      }
      if (token === 'BI') at = skipInlineImage(content, at);
      ops.push({ op: token, operands, start: start < 0 ? tokenStart : start, end: at });
      operands = [];
      start = -1;
      continue;
    }
    if (start < 0) start = tokenStart;
    operands.push(content.slice(tokenStart, at));
  }
  return ops;
}

function skipLiteral(content: string, at: number): number {
  let depth = 0;
  for (; at < content.length; at++) {
    const c = content[at];
    if (c === '\\') at++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return at + 1;
  }
  return at;
}

function skipDictionary(content: string, at: number): number {
  let depth = 0;
  while (at < content.length) {
    if (content.startsWith('<<', at)) {
      depth++;
      at += 2;
    } else if (content.startsWith('>>', at)) {
      at += 2;
      if (--depth === 0) return at;
    } else if (content[at] === '(') at = skipLiteral(content, at);
    else at++;
  }
  return at;
}

function skipArray(content: string, at: number): number {
  let depth = 0;
  while (at < content.length) {
    const c = content[at];
    if (c === '(') {
      at = skipLiteral(content, at);
      continue;
    }
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return at + 1;
    at++;
  }
  return at;
}

/** After `BI`: past the image's `ID`, its data and its `EI`. */
function skipInlineImage(content: string, at: number): number {
  const data = /\sID\s/g;
  data.lastIndex = at;
  const id = data.exec(content);
  if (!id) return content.length;
  const end = /\sEI(?=[\0\t\n\f\r ]|$)/g;
  end.lastIndex = id.index + id[0].length;
  const ei = end.exec(content);
  return ei ? ei.index + ei[0].length : content.length;
}

/** A 2D transformation matrix [a b c d e f]. */
export type Matrix = [number, number, number, number, number, number];

/** `m` then `n`: the matrix that applies `m` first. */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]];
}

/** The point (x, y) transformed by `m`. */
export function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** The operators that construct a path. */
export const pathConstruction = new Set(['m', 'l', 'c', 'v', 'y', 'h', 're']);
/** The operators that paint (or, `n`, end) a path. */
export const pathPainting = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
