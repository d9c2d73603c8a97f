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
/** By character code: whether a bare token that begins with it is a number. */
const numberStart = new Uint8Array(256);
for (const c of '0123456789+-.') numberStart[c.charCodeAt(0)] = 1;

/**
 * The operators of a content stream, read once into flat arrays: a page holds thousands of them
 * (Chromium positions glyph by glyph), so none is an object of its own, and operands are read
 * only when asked for.
 */
export class ContentOps {
  length = 0;
  private names: string[] = [];
  private starts: Int32Array;
  private tokens: Int32Array;
  private ends: Int32Array;

  constructor(readonly content: string) {
    const capacity = Math.max(16, content.length >> 3);
    this.starts = new Int32Array(capacity);
    this.tokens = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** The operator, e.g. `BT`, `Tj`, `re`, `BDC`. */
  op(index: number): string {
    return this.names[index]!;
  }

  /** Where its first operand (or the operator) starts. */
  start(index: number): number {
    return this.starts[index]!;
  }

  /** Just after the operator (for `BI`, after the inline image's `EI`). */
  end(index: number): number {
    return this.ends[index]!;
  }

  /** The operands as written, e.g. `['/F5', '32']`. */
  operands(index: number): string[] {
    const found: string[] = [];
    const content = this.content;
    const end = this.tokens[index]!;
    let at = this.starts[index]!;
    while (at < end) {
      const code = content.charCodeAt(at);
      if (kinds[code] === 1) {
        at++;
        continue;
      }
      const next = skipToken(content, at);
      if (code !== 0x5d && code !== 0x3e && code !== 0x29 && code !== 0x7b && code !== 0x7d) found.push(content.slice(at, next));
      at = next;
    }
    return found;
  }

  /** The numbers among its operands. */
  numbers(index: number): number[] {
    return this.operands(index).map(Number);
  }

  push(name: string, start: number, token: number, end: number): void {
    if (this.length === this.starts.length) {
      const grow = (array: Int32Array) => {
        const larger = new Int32Array(array.length * 2);
        larger.set(array);
        return larger;
      };
      this.starts = grow(this.starts);
      this.tokens = grow(this.tokens);
      this.ends = grow(this.ends);
    }
    this.names.push(name);
    this.starts[this.length] = start;
    this.tokens[this.length] = token;
    this.ends[this.length] = end;
    this.length++;
  }
}

/** Operator names of up to three characters, by their character codes: read without a string each time. */
const shortNames = new Map<number, string>();
function operatorName(content: string, from: number, to: number): string {
  if (to - from > 3) return content.slice(from, to);
  let key = 0;
  for (let at = from; at < to; at++) key = key * 256 + content.charCodeAt(at);
  let name = shortNames.get(key);
  if (name === undefined) shortNames.set(key, (name = content.slice(from, to)));
  return name;
}

/** The operators of `content` (its bytes as Latin-1 characters). */
export function scanContent(content: string): ContentOps {
  const ops = new ContentOps(content);
  let start = -1;
  let at = 0;
  const length = content.length;
  while (at < length) {
    const code = content.charCodeAt(at);
    if (kinds[code] === 1) {
      at++;
      continue;
    }
    if (code === 0x25) {
      // %: a comment to the line's end
      while (at < length && content[at] !== '\n' && content[at] !== '\r') at++;
      continue;
    }
    const tokenStart = at;
    if (kinds[code] === 2 || numberStart[code] === 1) {
      at = skipToken(content, at);
      if (start < 0 && code !== 0x5d && code !== 0x3e && code !== 0x29 && code !== 0x7b && code !== 0x7d) start = tokenStart;
      continue;
    }
    while (at < length && !(kinds[content.charCodeAt(at)]! > 0)) at++;
    const name = operatorName(content, tokenStart, at);
    if (name === 'true' || name === 'false' || name === 'null') {
      if (start < 0) start = tokenStart;
      continue;
    }
    if (name === 'BI') at = skipInlineImage(content, at);
    ops.push(name, start < 0 ? tokenStart : start, tokenStart, at);
    start = -1;
  }
  return ops;
}

/** The operators of `content` (its bytes as Latin-1 characters), each as an object. */
export function readContent(content: string): ContentOperator[] {
  const ops = scanContent(content);
  return Array.from({ length: ops.length }, (_, index) => ({ op: ops.op(index), operands: ops.operands(index), start: ops.start(index), end: ops.end(index) }));
}

/** Just after the operand token (or stray delimiter) at `at`, which is not white space. */
function skipToken(content: string, at: number): number {
  const c = content[at];
  const length = content.length;
  if (c === '(') return skipLiteral(content, at);
  if (c === '<' && content[at + 1] === '<') return skipDictionary(content, at);
  if (c === '<') return content.indexOf('>', at) + 1 || length;
  if (c === '[') return skipArray(content, at);
  if (c === ']' || c === '>' || c === ')' || c === '{' || c === '}') return at + 1;
  // A name (after its slash) or a number: up to the next delimiter.
  at++;
  while (at < length && !(kinds[content.charCodeAt(at)]! > 0)) at++;
  return at;
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
