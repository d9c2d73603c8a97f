/**
 * The text of each marked-content sequence of a page (by its MCID), decoded through the fonts'
 * ToUnicode maps (ISO 32000-1, 9.10.3). Chromium writes only composite fonts with two-byte codes
 * (Identity-H) and a ToUnicode map for each, which is what this reads; a code it cannot map adds
 * nothing.
 */
import type { ContentOps } from './pdf-content.js';
import { latin1Text, PdfFile, streamData, type PdfDict } from './pdf-objects.js';

const textShowing = new Set(['Tj', 'TJ', "'", '"']);

/**
 * MCID -> the text shown inside it, for the page whose operators are `ops` and resources
 * `resources`; only for the MCIDs of `wanted` when it is given.
 */
export function markedTexts(file: PdfFile, ops: ContentOps, resources: PdfDict | undefined, maps: Map<number, Map<number, string>>, wanted?: ReadonlySet<number>): Map<number, string> {
  const fonts = file.dict(resources?.get('Font'));
  const texts = new Map<number, string>();
  const stack: Array<number | undefined> = [];
  let map: Map<number, string> | undefined;
  for (let index = 0; index < ops.length; index++) {
    const op = ops.op(index);
    if (op === 'BDC') {
      const mcid = /\/MCID\s+(\d+)/.exec(ops.operands(index)[1] ?? '');
      stack.push(mcid ? Number(mcid[1]) : stack[stack.length - 1]);
    } else if (op === 'BMC') stack.push(stack[stack.length - 1]);
    else if (op === 'EMC') stack.pop();
    else if (op === 'Tf') map = toUnicodeOf(file, fonts?.get(ops.operands(index)[0]?.slice(1) ?? ''), maps);
    else if (textShowing.has(op)) {
      const mcid = stack[stack.length - 1];
      if (mcid === undefined || !map || (wanted && !wanted.has(mcid))) continue;
      let text = '';
      for (const operand of ops.operands(index)) for (const string of strings(operand)) text += decode(string, map);
      texts.set(mcid, (texts.get(mcid) ?? '') + text);
    }
  }
  return texts;
}

/** The ToUnicode map of the font `ref`, read once per font. */
function toUnicodeOf(file: PdfFile, ref: Parameters<PdfFile['get']>[0], maps: Map<number, Map<number, string>>): Map<number, string> | undefined {
  const font = file.dict(ref);
  const cmapRef = font?.get('ToUnicode');
  const stream = file.stream(cmapRef);
  if (!stream || !cmapRef || typeof cmapRef !== 'object' || !('number' in cmapRef)) return undefined;
  let map = maps.get(cmapRef.number);
  if (!map) {
    map = parseToUnicode(latin1Text(streamData(stream)));
    maps.set(cmapRef.number, map);
  }
  return map;
}

/** A ToUnicode CMap's two-byte codes -> their text. */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => {
    let text = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) text += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return text;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(parseInt(code!, 16), utf16(text!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low, high, target, list] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(?:<([0-9a-fA-F]+)>|\[([^\]]*)\])/g)) {
      const [from, to] = [parseInt(low!, 16), parseInt(high!, 16)];
      if (to - from > 0xffff) continue;
      if (list !== undefined) {
        [...list.matchAll(/<([0-9a-fA-F]*)>/g)].forEach((entry, i) => map.set(from + i, utf16(entry[1]!)));
      } else {
        const first = utf16(target!);
        const last = first.charCodeAt(first.length - 1);
        for (let code = from; code <= to; code++) map.set(code, first.slice(0, -1) + String.fromCharCode(last + code - from));
      }
    }
  }
  return map;
}

/** The bytes of the strings in an operand (a string, or an array of strings and numbers), as Latin-1 text. */
function strings(operand: string): string[] {
  const found: string[] = [];
  for (const match of operand.matchAll(/<([0-9a-fA-F\s]*)>|\(((?:\\[\s\S]|[^\\)])*)\)/g)) {
    if (match[1] !== undefined) {
      const hex = match[1].replace(/\s+/g, '');
      let bytes = '';
      for (let i = 0; i + 1 < hex.length; i += 2) bytes += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
      found.push(bytes);
    } else {
      found.push(match[2]!.replace(/\\([0-7]{1,3}|[\s\S])/g, (_, escaped: string) => (/^[0-7]/.test(escaped) ? String.fromCharCode(parseInt(escaped, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped)));
    }
  }
  return found;
}

function decode(bytes: string, map: Map<number, string>): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) text += map.get((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)) ?? '';
  return text;
}
