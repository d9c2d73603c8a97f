/**
 * A small reader and writer of PDF objects, for the files Chromium (Skia) writes: classic
 * cross-reference tables (chained with /Prev after an incremental update), no object streams,
 * streams compressed with Flate. It reads objects on demand, and writes changes as an incremental
 * update (ISO 32000-1, 7.5.6): changed and new objects are appended after the original bytes with
 * a cross-reference section of their own, so whatever is not changed stays byte for byte as it was.
 */
import { promisify } from 'node:util';
import { deflate, inflateSync } from 'node:zlib';

const deflateAsync = promisify(deflate);
import { ChartaError, ExitCode } from '../core/errors.js';

/** A name object, without its slash and with `#xx` escapes decoded. */
export class PdfName {
  constructor(readonly name: string) {}
}

/** An indirect reference. */
export class PdfRef {
  constructor(
    readonly number: number,
    readonly generation: number = 0,
  ) {}
}

/** A string object, as its bytes. */
export class PdfString {
  constructor(readonly bytes: Uint8Array) {}

  /** A text string (ISO 32000-1, 7.9.2.2): UTF-16BE with a byte order mark, or PDFDocEncoding (read as Latin-1). */
  text(): string {
    const b = this.bytes;
    if (b[0] === 0xfe && b[1] === 0xff) {
      let text = '';
      for (let i = 2; i + 1 < b.length; i += 2) text += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return text;
    }
    return latin1Text(b);
  }

  /** A text string: ASCII as it is, anything else as UTF-16BE with a byte order mark. */
  static of(text: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(new TextEncoder().encode(text));
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes[0] = 0xfe;
    bytes[1] = 0xff;
    for (let i = 0; i < text.length; i++) {
      bytes[2 + i * 2] = text.charCodeAt(i) >> 8;
      bytes[3 + i * 2] = text.charCodeAt(i) & 0xff;
    }
    return new PdfString(bytes);
  }
}

export type PdfDict = Map<string, PdfValue>;
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict;

/** A stream object: its dictionary and its data as stored (still compressed). */
export interface PdfStream {
  dict: PdfDict;
  raw: Uint8Array;
}

/**
 * `bytes` as text, one character per byte (ISO 8859-1, not the WHATWG 'latin1', which is
 * windows-1252 and maps 0x80 to 0x9f elsewhere): `Buffer.from(text, 'latin1')` gives the bytes back.
 */
export function latin1Text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Whether `value` is a dictionary. */
export function isDict(value: PdfValue | PdfStream | undefined): value is PdfDict {
  return value instanceof Map;
}

/** The name in `value`, if it is one. */
export function nameOf(value: PdfValue | PdfStream | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

/** A name object. */
export function name(text: string): PdfName {
  return new PdfName(text);
}

/** A dictionary of `entries`. */
export function dict(entries: Record<string, PdfValue>): PdfDict {
  return new Map(Object.entries(entries));
}

/** The objects of a PDF, read on demand through its cross-reference tables. */
export class PdfFile {
  readonly bytes: Uint8Array;
  /** The trailer of the newest cross-reference section. */
  readonly trailer: PdfDict;
  /** Where the newest cross-reference section starts. */
  readonly startxref: number;
  /** The file's bytes as text, one character per byte (for scanning; write the bytes, not this). */
  readonly text: string;
  private readonly offsets = new Map<number, { offset: number; generation: number }>();
  private readonly cache = new Map<number, PdfValue | PdfStream>();

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.text = latin1Text(bytes);
    const tail = this.text.slice(Math.max(0, this.text.length - 1024));
    const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!start) throw unexpected('no startxref at its end');
    this.startxref = Number(start[1]);
    let trailer: PdfDict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = this.startxref; at !== undefined; ) {
      if (seen.has(at)) throw unexpected('its cross-reference sections form a loop');
      seen.add(at);
      const section = this.readXrefSection(at);
      trailer ??= section.trailer;
      const previous = section.trailer.get('Prev');
      at = typeof previous === 'number' ? previous : undefined;
    }
    this.trailer = trailer!;
  }

  /** One more than the highest object number (the trailer's /Size). */
  get size(): number {
    const size = this.trailer.get('Size');
    if (typeof size !== 'number') throw unexpected('its trailer has no /Size');
    return size;
  }

  /** The object `ref` points to (streams as `PdfStream`); a value that is no reference is itself. */
  get(ref: PdfValue | undefined): PdfValue | PdfStream | undefined {
    if (!(ref instanceof PdfRef)) return ref;
    const cached = this.cache.get(ref.number);
    if (cached !== undefined) return cached;
    const entry = this.offsets.get(ref.number);
    if (!entry || entry.offset < 0) return null;
    const parser = new Parser(this.text, entry.offset);
    const header = /^(\d+)\s+(\d+)\s+obj\b/.exec(this.text.slice(entry.offset, entry.offset + 40));
    if (!header || Number(header[1]) !== ref.number) throw unexpected(`object ${ref.number} is not where its cross-reference entry says`);
    parser.at = entry.offset + header[0].length;
    const value = parser.value();
    let result: PdfValue | PdfStream = value;
    parser.skipSpace();
    if (isDict(value) && this.text.startsWith('stream', parser.at)) {
      let start = parser.at + 'stream'.length;
      if (this.text[start] === '\r') start++;
      if (this.text[start] === '\n') start++;
      const length = this.get(value.get('Length'));
      if (typeof length !== 'number') throw unexpected(`stream ${ref.number} has no /Length`);
      result = { dict: value, raw: this.bytes.subarray(start, start + length) };
    }
    this.cache.set(ref.number, result);
    return result;
  }

  /** The objects the file holds, as [number, byte offset], in the order they stand in the file. */
  objects(): Array<[number, number]> {
    const objects: Array<[number, number]> = [];
    for (const [number, entry] of this.offsets) if (entry.offset >= 0 && number > 0) objects.push([number, entry.offset]);
    return objects.sort((a, b) => a[1] - b[1]);
  }

  /** The byte offset of object `ref` in the file, or undefined when it has none. */
  offset(ref: PdfRef): number | undefined {
    const entry = this.offsets.get(ref.number);
    return entry && entry.offset >= 0 ? entry.offset : undefined;
  }

  /** The dictionary `ref` points to (a stream's dictionary too), or undefined. */
  dict(ref: PdfValue | undefined): PdfDict | undefined {
    const value = this.get(ref);
    if (isDict(value)) return value;
    if (value && typeof value === 'object' && 'dict' in value) return value.dict;
    return undefined;
  }

  /** The stream `ref` points to, or undefined. */
  stream(ref: PdfValue | undefined): PdfStream | undefined {
    const value = this.get(ref);
    return value && typeof value === 'object' && 'raw' in value ? value : undefined;
  }

  /** The array `ref` points to (or is), or an empty one. */
  array(ref: PdfValue | undefined): PdfValue[] {
    const value = this.get(ref);
    return Array.isArray(value) ? value : [];
  }

  /** The catalog. */
  catalog(): PdfDict {
    const catalog = this.dict(this.trailer.get('Root'));
    if (!catalog) throw unexpected('it has no catalog');
    return catalog;
  }

  /** The page objects, in order. */
  pages(): PdfRef[] {
    const pages: PdfRef[] = [];
    const visit = (ref: PdfValue | undefined, depth: number) => {
      const node = this.dict(ref);
      if (!node || depth > 64 || !(ref instanceof PdfRef)) return;
      if (nameOf(node.get('Type')) === 'Page') pages.push(ref);
      else for (const kid of this.array(node.get('Kids'))) visit(kid, depth + 1);
    };
    visit(this.catalog().get('Pages'), 0);
    return pages;
  }

  private readXrefSection(at: number): { trailer: PdfDict } {
    if (!this.text.startsWith('xref', at)) throw unexpected('its cross-reference data is a stream, not a table');
    const lines = /xref\s*/y;
    lines.lastIndex = at;
    lines.exec(this.text);
    let position = lines.lastIndex;
    const subsection = /(\d+)\s+(\d+)[ \t]*\r?\n/y;
    for (;;) {
      subsection.lastIndex = position;
      const header = subsection.exec(this.text);
      if (!header) break;
      const [first, count] = [Number(header[1]), Number(header[2])];
      position = subsection.lastIndex;
      for (let i = 0; i < count; i++) {
        // Each entry is 20 bytes: ten digits of offset, a space, five of generation, a space, n or f.
        const at = position + i * 20;
        const offset = digits(this.text, at, 10);
        const generation = digits(this.text, at + 11, 5);
        const kind = this.text[at + 17];
        if (offset < 0 || generation < 0 || (kind !== 'n' && kind !== 'f')) throw unexpected(`entry ${first + i} of its cross-reference table cannot be read`);
        // The newest section is read first: an object it lists is not overridden by older ones.
        if (!this.offsets.has(first + i)) this.offsets.set(first + i, { offset: kind === 'n' ? offset : -1, generation });
      }
      position += count * 20;
    }
    const parser = new Parser(this.text, position);
    parser.skipSpace();
    if (!this.text.startsWith('trailer', parser.at)) throw unexpected('a cross-reference table has no trailer');
    parser.at += 'trailer'.length;
    const trailer = parser.value();
    if (!isDict(trailer)) throw unexpected('its trailer is not a dictionary');
    return { trailer };
  }
}

/**
 * The entries of a number tree (`leaf` 'Nums') or a name tree ('Names') of `file` as [key, value],
 * in the order of its nodes; each node that is an object of its own is added to `nodes`.
 */
export function treeEntries(file: PdfFile, root: PdfValue | undefined, leaf: 'Nums' | 'Names', nodes = new Set<number>()): Array<[PdfValue, PdfValue]> {
  const entries: Array<[PdfValue, PdfValue]> = [];
  const visit = (at: PdfValue | undefined, depth: number) => {
    const node = file.dict(at);
    if (!node || depth > 32) return;
    if (at instanceof PdfRef) nodes.add(at.number);
    const items = file.array(node.get(leaf));
    for (let i = 0; i + 1 < items.length; i += 2) entries.push([items[i]!, items[i + 1]!]);
    for (const kid of file.array(node.get('Kids'))) visit(kid, depth + 1);
  };
  visit(root, 0);
  return entries;
}

/** The number written with `count` decimal digits at `at` in `text`; -1 when one is no digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The data of `stream`, decompressed when it is Flate-compressed. */
export function streamData(stream: PdfStream): Uint8Array {
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter : filter ? [filter] : [];
  if (filters.length === 0) return stream.raw;
  if (filters.length === 1 && nameOf(filters[0]) === 'FlateDecode' && !stream.dict.has('DecodeParms')) return new Uint8Array(inflateSync(stream.raw));
  throw unexpected(`a stream has the filter ${filters.map((f) => nameOf(f) ?? '?').join(', ')}`);
}

/**
 * A stream of `data`, Flate-compressed, with the other entries of `dict`. Compressed on libuv's
 * thread pool: the pages' streams of a document are compressed side by side.
 */
export async function flateStream(dict: PdfDict, data: Uint8Array): Promise<PdfStream> {
  const raw = new Uint8Array(await deflateAsync(data));
  const entries = new Map(dict);
  entries.delete('DecodeParms');
  entries.set('Filter', name('FlateDecode'));
  entries.set('Length', raw.length);
  return { dict: entries, raw };
}

/**
 * Changes to a `PdfFile`, written as one incremental update: objects replaced (`set`) or added
 * (`add`); `finish` appends them with their cross-reference section and trailer.
 */
export class PdfUpdate {
  private readonly objects = new Map<number, PdfValue | PdfStream>();
  private next: number;
  private readonly trailerEntries = new Map<string, PdfValue>();
  private readonly patches: Array<{ offset: number; bytes: Uint8Array }> = [];

  constructor(readonly file: PdfFile) {
    this.next = file.size;
  }

  /** Replaces the object `ref` points to. */
  set(ref: PdfRef, value: PdfValue | PdfStream): void {
    if (ref.generation !== 0) throw unexpected(`object ${ref.number} has generation ${ref.generation}`);
    this.objects.set(ref.number, value);
  }

  /** Adds a new object; its reference. */
  add(value: PdfValue | PdfStream): PdfRef {
    const ref = new PdfRef(this.next++);
    this.objects.set(ref.number, value);
    return ref;
  }

  /** A reference for an object whose value is given later with `set`. */
  reserve(): PdfRef {
    const ref = new PdfRef(this.next++);
    this.objects.set(ref.number, null);
    return ref;
  }

  /** The object as it will be: the changed one, or the file's. */
  get(ref: PdfValue | undefined): PdfValue | PdfStream | undefined {
    if (ref instanceof PdfRef && this.objects.has(ref.number)) return this.objects.get(ref.number);
    return this.file.get(ref);
  }

  /** Sets an entry of the new trailer (besides /Size, /Root, /Prev and /ID, which are kept). */
  setTrailer(key: string, value: PdfValue): void {
    this.trailerEntries.set(key, value);
  }

  /**
   * Overwrites bytes of the original file in place with as many others (e.g. a date in an object
   * the update supersedes), so that every offset stays valid.
   */
  overwrite(offset: number, bytes: Uint8Array): void {
    if (offset < 0 || offset + bytes.length > this.file.bytes.length) throw unexpected('an overwrite lies outside the file');
    this.patches.push({ offset, bytes });
  }

  /** The original bytes with the update appended. */
  finish(): Uint8Array {
    const encoder = new TextEncoder();
    const original = this.file.bytes;
    const chunks: Uint8Array[] = [];
    let offset = original.length;
    const push = (bytes: Uint8Array) => {
      chunks.push(bytes);
      offset += bytes.length;
    };
    if (original[original.length - 1] !== 0x0a) push(encoder.encode('\n'));
    const offsets = new Map<number, number>();
    for (const [number, value] of [...this.objects].sort((a, b) => a[0] - b[0])) {
      offsets.set(number, offset);
      if (value && typeof value === 'object' && 'raw' in value) {
        const entries = new Map(value.dict);
        entries.set('Length', value.raw.length);
        push(encoder.encode(`${number} 0 obj\n${serialize(entries)} stream\n`));
        push(value.raw);
        push(encoder.encode('\nendstream\nendobj\n'));
      } else {
        push(encoder.encode(`${number} 0 obj\n${serialize(value ?? null)}\nendobj\n`));
      }
    }
    const xrefAt = offset;
    let xref = 'xref\n';
    const numbers = [...offsets.keys()].sort((a, b) => a - b);
    for (let i = 0; i < numbers.length; ) {
      let j = i;
      while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
      xref += `${numbers[i]} ${j - i + 1}\n`;
      for (let k = i; k <= j; k++) xref += `${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n \n`;
      i = j + 1;
    }
    const trailer = new Map<string, PdfValue>([['Size', Math.max(this.next, this.file.size)]]);
    trailer.set('Root', this.file.trailer.get('Root') ?? null);
    for (const [key, value] of this.file.trailer) if (key === 'Info' || key === 'ID') trailer.set(key, value);
    for (const [key, value] of this.trailerEntries) trailer.set(key, value);
    trailer.set('Prev', this.file.startxref);
    push(encoder.encode(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${xrefAt}\n%%EOF\n`));
    const out = new Uint8Array(offset);
    out.set(original, 0);
    for (const patch of this.patches) out.set(patch.bytes, patch.offset);
    let at = original.length;
    for (const chunk of chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

/** `value` in PDF syntax. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof PdfName) return `/${value.name.replace(/[^!-~]|[#%()<>[\]{}/]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
  if (value instanceof PdfRef) return `${value.number} ${value.generation} R`;
  if (value instanceof PdfString) {
    if ([...value.bytes].every((b) => b >= 0x20 && b < 0x7f)) return `(${latin1Text(value.bytes).replace(/[\\()]/g, '\\$&')})`;
    return `<${[...value.bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join('')}>`;
  }
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  return `<<${[...value].map(([key, entry]) => `${serialize(name(key))} ${serialize(entry)}`).join('\n')}>>`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw unexpected('a number is not finite');
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  return text.includes('e') ? value.toFixed(10).replace(/0+$/, '') : text;
}

const delimiters = new Set([...'()<>[]{}/%']);
const whitespace = new Set(['\0', '\t', '\n', '\f', '\r', ' ']);

/** Reads PDF values from text whose characters are the file's bytes (Latin-1). */
class Parser {
  constructor(
    private readonly text: string,
    public at: number,
  ) {}

  skipSpace(): void {
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined) return;
      if (whitespace.has(c)) this.at++;
      else if (c === '%') while (this.at < this.text.length && this.text[this.at] !== '\n' && this.text[this.at] !== '\r') this.at++;
      else return;
    }
  }

  value(): PdfValue {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '/') return this.name();
    if (c === '(') return this.literal();
    if (c === '[') {
      this.at++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.text[this.at] === ']') {
          this.at++;
          return items;
        }
        if (this.at >= this.text.length) throw unexpected('an array is not closed');
        items.push(this.value());
      }
    }
    if (c === '<') {
      if (this.text[this.at + 1] !== '<') return this.hex();
      this.at += 2;
      const entries: PdfDict = new Map();
      for (;;) {
        this.skipSpace();
        if (this.text.startsWith('>>', this.at)) {
          this.at += 2;
          return entries;
        }
        if (this.text[this.at] !== '/') throw unexpected(`a dictionary has a key that is no name at ${this.at}`);
        const key = this.name().name;
        entries.set(key, this.value());
      }
    }
    const token = this.token();
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      // An integer followed by another and R is a reference.
      const reference = /^\s+(\d+)\s+R(?=[\s/<>[\]()%]|$)/.exec(this.text.slice(this.at, this.at + 24));
      if (reference && /^\d+$/.test(token)) {
        this.at += reference[0].length;
        return new PdfRef(Number(token), Number(reference[1]));
      }
      return Number(token);
    }
    throw unexpected(`unexpected token "${token.slice(0, 20)}" at ${this.at}`);
  }

  private token(): string {
    const start = this.at;
    while (this.at < this.text.length && !whitespace.has(this.text[this.at]!) && !delimiters.has(this.text[this.at]!)) this.at++;
    return this.text.slice(start, this.at);
  }

  private name(): PdfName {
    this.at++;
    return new PdfName(this.token().replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  }

  private hex(): PdfString {
    const end = this.text.indexOf('>', this.at);
    if (end < 0) throw unexpected('a hex string is not closed');
    const digits = this.text.slice(this.at + 1, end).replace(/\s+/g, '');
    this.at = end + 1;
    const padded = digits.length % 2 ? `${digits}0` : digits;
    const bytes = new Uint8Array(padded.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
    return new PdfString(bytes);
  }

  private literal(): PdfString {
    this.at++;
    const bytes: number[] = [];
    let depth = 1;
    const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
    while (this.at < this.text.length) {
      const c = this.text[this.at++]!;
      if (c === '\\') {
        const next = this.text[this.at++]!;
        if (next in escapes) bytes.push(escapes[next]!);
        else if (/[0-7]/.test(next)) {
          let octal = next;
          while (octal.length < 3 && /[0-7]/.test(this.text[this.at] ?? '')) octal += this.text[this.at++];
          bytes.push(parseInt(octal, 8) & 0xff);
        } else if (next === '\r') {
          if (this.text[this.at] === '\n') this.at++;
        } else if (next !== '\n') bytes.push(next.charCodeAt(0));
        continue;
      }
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) return new PdfString(new Uint8Array(bytes));
      bytes.push(c.charCodeAt(0));
    }
    throw unexpected('a string is not closed');
  }
}

/** The error for a PDF this reader was not made for. */
export function unexpected(what: string): ChartaError {
  return new ChartaError(`The PDF Chromium printed has an unexpected structure (${what})`, ExitCode.environment, 'Report this with the output of --debug and the Chromium version.');
}
