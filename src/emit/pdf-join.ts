/**
 * Joins PDFs that Chromium printed of the parts of one document into the PDF of the whole, as if
 * Chromium had printed it at once: the pages in order, one structure tree (the parts' Document
 * elements become one), one parent tree (each part's keys after the last part's), one ID tree, one
 * outline nested by the headings' levels across parts, one table of named destinations (a link in
 * one part to a target in another is a named destination, so it resolves in the whole), and each
 * part's font subsets under tags of their own.
 *
 * Objects are copied as their bytes: only references, the pages' and annotations' keys into the
 * parent tree and the subset tags are rewritten, found by a scanner that skips strings and
 * streams. What ties a part together (catalog, page tree root, structure tree root, parent and ID
 * trees, outline, destinations) is read with `PdfFile` and written anew. A part of a structure
 * this does not know is `unexpected`, and the caller prints the document whole instead.
 */
import { pageMapOf, type PageMap } from './pdf-destinations.js';
import { isDict, name, nameOf, PdfFile, PdfRef, PdfString, serialize, treeEntries, unexpected, type PdfDict, type PdfValue } from './pdf-objects.js';

interface Part {
  file: PdfFile;
  /** The file's objects as [number, offset], in the order they stand. */
  objects: Array<[number, number]>;
  /** Old object number to new (0: not copied). */
  map: Int32Array;
  /** What is added to each key of this part's parent tree. */
  keyOffset: number;
  /** Objects that are written anew, not copied. */
  rewritten: Set<number>;
  catalog: PdfDict;
  pageKids: PdfValue[];
  pageCount: number;
  structure?: { root: PdfDict; document?: PdfRef; kids: PdfValue[]; parentTree: Array<[number, PdfValue]>; nextKey: number; ids: Array<[PdfString, PdfValue]> };
  outline: Array<{ ref: PdfRef; item: PdfDict }>;
  destinations: Array<[string, PdfValue]>;
}

/** The PDF of the whole document printed in `parts`, in their order, and where its named destinations are. */
export function joinPdfs(parts: readonly Uint8Array[]): { bytes: Uint8Array; map: PageMap } {
  if (parts.length === 0) throw unexpected('no parts to join');
  const read = parts.map((bytes, index) => readPart(new PdfFile(bytes), index));
  if (new Set(read.map((part) => part.structure !== undefined)).size > 1) throw unexpected('only some parts are tagged');
  let next = 1;
  let keyOffset = 0;
  for (const part of read) {
    part.keyOffset = keyOffset;
    keyOffset += part.structure?.nextKey ?? 0;
    for (const [number] of part.objects) if (!part.rewritten.has(number)) part.map[number] = next++;
  }
  const fresh = () => next++;
  const catalogRef = fresh();
  const pagesRef = fresh();
  const tagged = read[0]!.structure !== undefined;
  const structRef = tagged ? fresh() : 0;
  const documentRef = tagged && read[0]!.structure!.document ? fresh() : 0;
  const parentTreeRef = tagged ? fresh() : 0;
  const idTreeRef = tagged && read.some((part) => part.structure!.ids.length > 0) ? fresh() : 0;
  const outlineItems = read.flatMap((part) => part.outline.map((entry) => ({ ...entry, part })));
  const outlineRef = outlineItems.length > 0 ? fresh() : 0;
  const itemRefs = outlineItems.map(() => fresh());
  const destsRef = read.some((part) => part.destinations.length > 0) ? fresh() : 0;
  // What ties each part together is the whole's.
  for (const part of read) {
    const catalogNumber = refNumber(part.file.trailer.get('Root'));
    part.map[catalogNumber] = catalogRef;
    part.map[refNumber(part.catalog.get('Pages'))] = pagesRef;
    if (part.structure) {
      part.map[refNumber(part.catalog.get('StructTreeRoot'))] = structRef;
      if (part.structure.document) part.map[part.structure.document.number] = documentRef;
    }
    const outlines = part.catalog.get('Outlines');
    if (outlines instanceof PdfRef) part.map[outlines.number] = outlineRef;
  }
  outlineItems.forEach((entry, index) => (entry.part.map[entry.ref.number] = itemRefs[index]!));

  const offsets = new Int32Array(next);
  const output = new Output(parts.reduce((sum, bytes) => sum + bytes.length, 0) + 64 * next + 4096);
  const write = (number: number, value: PdfValue) => {
    offsets[number] = output.size;
    output.text(`${number} 0 obj\n${serialize(value)}\nendobj\n`);
  };
  const first = read[0]!.file;
  output.copy(asBuffer(first.bytes), 0, read[0]!.objects[0]?.[1] ?? 0);

  read.forEach((part, index) => copyObjects(part, index, offsets, output));

  const remapped = (part: Part, value: PdfValue): PdfValue => remap(value, part.map);
  const catalog = new Map([...read[0]!.catalog].map(([key, value]) => [key, remapped(read[0]!, value)]));
  catalog.delete('Dests');
  catalog.delete('Outlines');
  catalog.set('Pages', new PdfRef(pagesRef));
  if (destsRef) catalog.set('Dests', new PdfRef(destsRef));
  if (outlineRef) catalog.set('Outlines', new PdfRef(outlineRef));
  if (tagged) catalog.set('StructTreeRoot', new PdfRef(structRef));
  write(catalogRef, catalog);
  const kids = read.flatMap((part) => part.pageKids.map((kid) => remapped(part, kid)));
  write(pagesRef, new Map<string, PdfValue>([['Type', name('Pages')], ['Kids', kids], ['Count', read.reduce((sum, part) => sum + part.pageCount, 0)]]));

  if (tagged) {
    const head = read[0]!.structure!;
    const root = new Map([...head.root].map(([key, value]) => [key, remapped(read[0]!, value)]));
    const children = read.flatMap((part) => part.structure!.kids.map((kid) => remapped(part, kid)));
    if (documentRef) {
      const document = part0Document(read[0]!);
      document.set('K', children);
      write(documentRef, document);
      root.set('K', new PdfRef(documentRef));
    } else root.set('K', children);
    const nums: PdfValue[] = read.flatMap((part) => part.structure!.parentTree.flatMap(([key, value]) => [key + part.keyOffset, remapped(part, value)]));
    write(parentTreeRef, new Map<string, PdfValue>([['Nums', nums]]));
    root.set('ParentTree', new PdfRef(parentTreeRef));
    root.set('ParentTreeNextKey', keyOffset);
    root.delete('IDTree');
    if (idTreeRef) {
      const ids = read.flatMap((part) => part.structure!.ids.map(([key, value]) => [key, remapped(part, value)] as [PdfString, PdfValue]));
      ids.sort((a, b) => compareBytes(a[0].bytes, b[0].bytes));
      write(idTreeRef, new Map<string, PdfValue>([['Names', ids.flat()]]));
      root.set('IDTree', new PdfRef(idTreeRef));
    }
    write(structRef, root);
  }

  if (outlineRef) writeOutline(outlineItems, itemRefs, outlineRef, write, remapped);

  const map: PageMap = { pages: 0, destinations: new Map(), tops: new Map() };
  const dests: PdfDict = new Map();
  for (const part of read) {
    for (const [key, value] of part.destinations) if (!dests.has(key)) dests.set(key, remapped(part, value));
    const own = pageMapOf(part.file);
    for (const [key, page] of own.destinations) if (!map.destinations.has(key)) map.destinations.set(key, map.pages + page);
    for (const [key, top] of own.tops) if (!map.tops.has(key)) map.tops.set(key, top);
    map.pages += part.pageCount;
  }
  if (destsRef) write(destsRef, dests);

  const xrefAt = output.size;
  let xref = `xref\n0 ${next}\n0000000000 65535 f \n`;
  for (let number = 1; number < next; number++) xref += `${String(offsets[number]).padStart(10, '0')} 00000 n \n`;
  const trailer: PdfDict = new Map<string, PdfValue>([['Size', next], ['Root', new PdfRef(catalogRef)]]);
  const info = first.trailer.get('Info');
  if (info instanceof PdfRef && read[0]!.map[info.number]) trailer.set('Info', new PdfRef(read[0]!.map[info.number]!));
  output.text(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${xrefAt}\n%%EOF\n`);
  return { bytes: output.bytes(), map };
}

function readPart(file: PdfFile, index: number): Part {
  const rewritten = new Set<number>();
  // The whole has the first part's document information; the others' are left out.
  const info = file.trailer.get('Info');
  if (index > 0 && info instanceof PdfRef) rewritten.add(info.number);
  const catalog = file.catalog();
  rewritten.add(refNumber(file.trailer.get('Root')));
  if (catalog.has('Names') || catalog.has('AcroForm')) throw unexpected('a part has a names dictionary or a form');
  const pagesRef = catalog.get('Pages');
  const pages = file.dict(pagesRef);
  if (!pages || [...pages.keys()].some((key) => !['Type', 'Kids', 'Count'].includes(key))) throw unexpected("a part's page tree root has inheritable entries");
  rewritten.add(refNumber(pagesRef));
  const part: Part = {
    file,
    objects: file.objects(),
    map: new Int32Array(file.size),
    keyOffset: 0,
    rewritten,
    catalog,
    pageKids: file.array(pages.get('Kids')),
    pageCount: Number(pages.get('Count')),
    outline: [],
    destinations: [],
  };
  const structRef = catalog.get('StructTreeRoot');
  const root = file.dict(structRef);
  if (root) {
    rewritten.add(refNumber(structRef));
    let document: PdfRef | undefined;
    let kids = asArray(root.get('K'));
    const only = kids.length === 1 ? kids[0] : undefined;
    if (only instanceof PdfRef && nameOf(file.dict(only)?.get('S')) === 'Document') {
      document = only;
      rewritten.add(only.number);
      kids = asArray(file.dict(only)!.get('K'));
    }
    const parentTree = treeEntries(file, root.get('ParentTree'), 'Nums', rewritten).filter((entry): entry is [number, PdfValue] => typeof entry[0] === 'number');
    const ids = treeEntries(file, root.get('IDTree'), 'Names', rewritten).filter((entry): entry is [PdfString, PdfValue] => entry[0] instanceof PdfString);
    const nextKey = root.get('ParentTreeNextKey');
    const keys = parentTree.map(([key]) => key);
    part.structure = { root, document, kids, parentTree, ids, nextKey: typeof nextKey === 'number' ? nextKey : Math.max(-1, ...keys) + 1 };
  }
  const outlines = catalog.get('Outlines');
  if (outlines instanceof PdfRef) {
    rewritten.add(outlines.number);
    const visit = (ref: PdfValue | undefined, depth: number) => {
      for (let at = ref; at instanceof PdfRef; ) {
        const item = file.dict(at);
        if (!item || depth > 64 || rewritten.has(at.number)) throw unexpected("a part's outline is not a tree");
        rewritten.add(at.number);
        part.outline.push({ ref: at, item });
        visit(item.get('First'), depth + 1);
        at = item.get('Next');
      }
    };
    visit(file.dict(outlines)?.get('First'), 0);
  }
  const destsRef = catalog.get('Dests');
  const dests = file.dict(destsRef);
  if (dests) {
    if (destsRef instanceof PdfRef) rewritten.add(destsRef.number);
    part.destinations = [...dests];
  }
  return part;
}

/** The first part's Document element, its references those of the whole. */
function part0Document(part: Part): PdfDict {
  const document = part.file.dict(part.structure!.document)!;
  return new Map([...document].map(([key, value]) => [key, remap(value, part.map)]));
}

/**
 * The outline of all parts, nested as Chromium nests it: by the level of each item's heading
 * (its structure element, H1 to H6), an item under the nearest one before it of a lower level.
 */
function writeOutline(
  items: Array<{ ref: PdfRef; item: PdfDict; part: Part }>,
  refs: number[],
  rootRef: number,
  write: (number: number, value: PdfValue) => void,
  remapped: (part: Part, value: PdfValue) => PdfValue,
): void {
  const levels = items.map(({ item, part }) => {
    const heading = /^H([1-6])$/.exec(nameOf(part.file.dict(item.get('SE'))?.get('S')) ?? '');
    if (!heading) throw unexpected('an outline item has no heading');
    return Number(heading[1]);
  });
  const parent = new Int32Array(items.length).fill(-1);
  const stack: number[] = [];
  levels.forEach((level, index) => {
    while (stack.length > 0 && levels[stack.at(-1)!]! >= level) stack.pop();
    parent[index] = stack.at(-1) ?? -1;
    stack.push(index);
  });
  const children = new Map<number, number[]>();
  parent.forEach((of, index) => {
    const list = children.get(of);
    if (list) list.push(index);
    else children.set(of, [index]);
  });
  const descendants = new Int32Array(items.length);
  for (let index = items.length - 1; index >= 0; index--) if (parent[index]! >= 0) descendants[parent[index]!]! += descendants[index]! + 1;
  const ref = (index: number) => new PdfRef(index < 0 ? rootRef : refs[index]!);
  items.forEach(({ item, part }, index) => {
    const entry: PdfDict = new Map();
    for (const [key, value] of item) if (!['Parent', 'First', 'Last', 'Prev', 'Next', 'Count'].includes(key)) entry.set(key, remapped(part, value));
    entry.set('Parent', ref(parent[index]!));
    const siblings = children.get(parent[index]!)!;
    const position = siblings.indexOf(index);
    if (position > 0) entry.set('Prev', ref(siblings[position - 1]!));
    if (position < siblings.length - 1) entry.set('Next', ref(siblings[position + 1]!));
    const own = children.get(index);
    if (own) {
      entry.set('First', ref(own[0]!));
      entry.set('Last', ref(own.at(-1)!));
      entry.set('Count', descendants[index]!);
    }
    write(refs[index]!, entry);
  });
  const top = children.get(-1) ?? [];
  write(rootRef, new Map<string, PdfValue>([['Type', name('Outlines')], ['First', ref(top[0]!)], ['Last', ref(top.at(-1)!)], ['Count', items.length]]));
}

/** The joined file as it is written: one buffer, grown when it is full. */
class Output {
  private buffer: Buffer;
  size = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Appends bytes `start` to `end` of `source` (a Buffer: copying from it allocates nothing). */
  copy(source: Buffer, start: number, end: number): void {
    this.reserve(end - start);
    this.size += source.copy(this.buffer, this.size, start, end);
  }

  /** Appends `text`, one byte per character. */
  text(text: string): void {
    this.reserve(text.length);
    this.size += this.buffer.write(text, this.size, 'latin1');
  }

  /** Appends a non-negative integer in decimal digits. */
  number(value: number): void {
    this.reserve(16);
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    for (let at = this.size + digits - 1, rest = value; at >= this.size; at--, rest = Math.floor(rest / 10)) this.buffer[at] = 48 + (rest % 10);
    this.size += digits;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.size);
  }

  private reserve(length: number): void {
    if (this.size + length <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.size + length));
    this.buffer.copy(grown, 0, 0, this.size);
    this.buffer = grown;
  }
}

/**
 * Copies the objects of `part` that are not written anew, as their bytes, rewriting on the way:
 * each reference to its new number, each key into the parent tree after the earlier parts' keys,
 * and (after the first part) each font subset's tag to one of this part's own.
 */
function copyObjects(part: Part, index: number, offsets: Int32Array, output: Output): void {
  const { file, map } = part;
  const text = file.text;
  const bytes = asBuffer(file.bytes);
  const objects = part.objects;
  // Skia's tags count up from AAAAAA in their first letters; the last two are this part's.
  const tagSuffix = index === 0 ? '' : String.fromCharCode(65 + Math.floor(index / 26)) + String.fromCharCode(65 + (index % 26));
  // Where the bytes of the object being copied have been copied up to.
  let from = 0;
  const visitor: Visitor = {
    ref(at, length, target) {
      output.copy(bytes, from, at);
      if (map[target]) {
        output.number(map[target]!);
        output.text(' 0 R');
      } else output.text('null');
      from = at + length;
    },
    parentKey(at, length, key) {
      output.copy(bytes, from, at);
      output.number(key + part.keyOffset);
      from = at + length;
    },
    tag(at, tag) {
      if (!tagSuffix) return;
      if (!tag.endsWith('AA')) throw unexpected(`a font subset's tag ${tag} is not one Skia writes`);
      output.copy(bytes, from, at + 4);
      output.text(tagSuffix);
      from = at + 6;
    },
  };
  for (let o = 0; o < objects.length; o++) {
    const [number, start] = objects[o]!;
    if (part.rewritten.has(number)) continue;
    const stop = o + 1 < objects.length ? objects[o + 1]![1] : file.startxref;
    // `N G obj`
    let at = start;
    let written = 0;
    while (isDigit(text.charCodeAt(at))) written = written * 10 + text.charCodeAt(at++) - 48;
    while (isSpace(text.charCodeAt(at))) at++;
    while (isDigit(text.charCodeAt(at))) at++;
    while (isSpace(text.charCodeAt(at))) at++;
    if (written !== number || !text.startsWith('obj', at)) throw unexpected(`object ${number} is not where its cross-reference entry says`);
    offsets[map[number]!] = output.size;
    output.number(map[number]!);
    output.text(' 0 obj');
    from = at + 3;
    scanObject(text, from, stop, visitor);
    output.copy(bytes, from, stop);
  }
}

interface Visitor {
  /** A reference `target 0 R` at `at`, `length` characters long. */
  ref(at: number, length: number, target: number): void;
  /** The number of a /StructParent or /StructParents entry. */
  parentKey(at: number, length: number, key: number): void;
  /** A name that begins with a font subset's tag (`ABCDEF+`); `at` is where the tag begins. */
  tag(at: number, tag: string): void;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;
const isDelimiter = (c: number) => c === 40 || c === 41 || c === 60 || c === 62 || c === 91 || c === 93 || c === 123 || c === 125 || c === 47 || c === 37;
const isRegular = (c: number) => !Number.isNaN(c) && !isSpace(c) && !isDelimiter(c);

/**
 * Scans one object's text from `from` (after `N G obj`) up to its stream data or its end (`stop`):
 * strings, comments and stream data are skipped; references, parent-tree keys and tagged names are
 * reported in order.
 */
function scanObject(text: string, from: number, stop: number, visit: Visitor): void {
  let i = from;
  let key = '';
  while (i < stop) {
    const c = text.charCodeAt(i);
    if (c === 40) {
      // A literal string: balanced parentheses, backslash escapes.
      let depth = 1;
      i++;
      while (i < stop && depth > 0) {
        const d = text.charCodeAt(i++);
        if (d === 92) i++;
        else if (d === 40) depth++;
        else if (d === 41) depth--;
      }
      key = '';
    } else if (c === 60 && text.charCodeAt(i + 1) === 60) {
      i += 2;
      key = '';
    } else if (c === 60) {
      const close = text.indexOf('>', i);
      i = close < 0 ? stop : close + 1;
      key = '';
    } else if (c === 37) {
      while (i < stop && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47) {
      const begin = i + 1;
      i = begin;
      while (i < stop && isRegular(text.charCodeAt(i))) i++;
      const word = text.slice(begin, i);
      if (word.length > 7 && word.charCodeAt(6) === 43 && /^[A-Z]{6}\+/.test(word)) visit.tag(begin, word.slice(0, 6));
      key = word;
    } else if (isDigit(c)) {
      const begin = i;
      while (i < stop && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 46) {
        // A real number.
        i++;
        while (i < stop && isDigit(text.charCodeAt(i))) i++;
        key = '';
        continue;
      }
      const number = Number(text.slice(begin, i));
      // `N G R`: a reference.
      let j = i;
      while (isSpace(text.charCodeAt(j))) j++;
      const generation = j;
      while (isDigit(text.charCodeAt(j))) j++;
      if (j > generation && isSpace(text.charCodeAt(generation - 1))) {
        let k = j;
        while (isSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === 82 && k > j && !isRegular(text.charCodeAt(k + 1))) {
          visit.ref(begin, k + 1 - begin, number);
          i = k + 1;
          key = '';
          continue;
        }
      }
      if (key === 'StructParents' || key === 'StructParent') visit.parentKey(begin, i - begin, number);
      key = '';
    } else if (c === 115 && text.startsWith('stream', i) && !isRegular(text.charCodeAt(i - 1))) {
      // The data is copied as it is, up to the object's end.
      return;
    } else if (c === 101 && text.startsWith('endobj', i)) {
      return;
    } else {
      if (!isSpace(c)) key = '';
      i++;
    }
  }
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function refNumber(value: PdfValue | undefined): number {
  if (!(value instanceof PdfRef)) throw unexpected('an object the parts are joined by is not a reference');
  return value.number;
}

function remap(value: PdfValue, map: Int32Array): PdfValue {
  if (value instanceof PdfRef) return map[value.number] ? new PdfRef(map[value.number]!) : null;
  if (Array.isArray(value)) return value.map((item) => remap(item, map));
  if (isDict(value)) return new Map([...value].map(([key, item]) => [key, remap(item, map)]));
  return value;
}

function asArray(value: PdfValue | undefined): PdfValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

