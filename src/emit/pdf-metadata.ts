/**
 * The PDF's document information. Chromium writes only the title (from `<title>`); author,
 * subject and keywords are added here as an incremental update (ISO 32000-1, 7.5.6): a new Info
 * dictionary, an XMP metadata stream and a new catalog that names it are appended after the
 * original bytes, with their own cross-reference section. The original file is left byte for byte
 * as it was, so its structure tree (tags), outline and links cannot be disturbed, and nothing has to
 * be parsed beyond the trailer and the catalog.
 */
import { ChartaError } from '../core/errors.js';

export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
  keywords: readonly string[];
  /** BCP 47, as in `<html lang>`. */
  language: string;
  /** The application that made the document, e.g. `charta 0.1.0`. */
  creator: string;
  /** When the document was made; the creation date Chromium wrote by default. */
  created?: Date;
}

const latin1 = new TextDecoder('latin1');

/** `pdf` with `info` as its document information and XMP metadata. */
export function withDocumentInfo(pdf: Uint8Array, info: DocumentInfo): Uint8Array {
  const tail = latin1.decode(pdf.subarray(Math.max(0, pdf.length - 4096)));
  const startMatch = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  const trailerAt = tail.lastIndexOf('trailer');
  if (!startMatch || trailerAt < 0) throw unexpected('no classic trailer at its end');
  const previousXref = Number(startMatch[1]);
  const trailer = tail.slice(trailerAt, startMatch.index);
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)?.[1]);
  const root = /\/Root\s+(\d+)\s+(\d+)\s+R/.exec(trailer);
  if (!size || !root) throw unexpected('its trailer names no /Size or /Root');
  const id = /\/ID\s*(\[[^\]]*\])/.exec(trailer)?.[1];
  const [rootNumber, rootGeneration] = [Number(root[1]), Number(root[2])];

  const catalog = readObject(pdf, offsetOf(pdf, previousXref, rootNumber), rootNumber);
  const oldInfo = /\/Info\s+(\d+)\s+\d+\s+R/.exec(trailer);
  const oldInfoText = oldInfo ? readObject(pdf, offsetOf(pdf, previousXref, Number(oldInfo[1])), Number(oldInfo[1])) : '';
  const producer = /\/Producer\s*\(((?:\\.|[^\\)])*)\)/.exec(oldInfoText)?.[1] ?? 'Skia/PDF';
  const created = info.created ?? parsePdfDate(/\/CreationDate\s*\(([^)]*)\)/.exec(oldInfoText)?.[1]) ?? new Date();

  const infoNumber = size;
  const metadataNumber = size + 1;
  const date = pdfDate(created);
  const infoObject = `<</Title ${pdfString(info.title)}\n/Author ${pdfString(info.author)}\n/Subject ${pdfString(info.subject)}\n/Keywords ${pdfString(info.keywords.join(', '))}\n/Creator ${pdfString(info.creator)}\n/Producer (${producer})\n/CreationDate (${date})\n/ModDate (${date})>>`;
  const xmp = new TextEncoder().encode(xmpPacket(info, unescapePdfLiteral(producer), created));
  const additions = [
    ...(catalog.includes('/Metadata') ? [] : [`/Metadata ${metadataNumber} 0 R`]),
    ...(catalog.includes('/PageMode') ? [] : ['/PageMode /UseOutlines']),
  ];
  const dictionaryEnd = catalog.lastIndexOf('>>');
  if (!catalog.trimStart().startsWith('<<') || dictionaryEnd < 0) throw unexpected('its catalog is not a dictionary');
  const newCatalog = `${catalog.slice(0, dictionaryEnd).trimEnd()}\n${additions.join('\n')}>>`;

  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let offset = pdf.length;
  const offsets = new Map<number, number>();
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    offset += bytes.length;
  };
  const object = (number: number, generation: number, body: string | Uint8Array[]) => {
    offsets.set(number, offset);
    if (typeof body === 'string') return push(encoder.encode(`${number} ${generation} obj\n${body}\nendobj\n`));
    push(encoder.encode(`${number} ${generation} obj\n`));
    body.forEach(push);
    push(encoder.encode('\nendobj\n'));
  };
  push(encoder.encode(pdf[pdf.length - 1] === 0x0a ? '' : '\n'));
  object(infoNumber, 0, infoObject);
  object(metadataNumber, 0, [encoder.encode(`<</Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}>> stream\n`), xmp, encoder.encode('\nendstream')]);
  object(rootNumber, rootGeneration, newCatalog);
  const xrefAt = offset;
  const entry = (number: number, generation: number) => `${String(offsets.get(number)).padStart(10, '0')} ${String(generation).padStart(5, '0')} n \n`;
  const xref =
    `xref\n${rootNumber} 1\n${entry(rootNumber, rootGeneration)}${infoNumber} 2\n${entry(infoNumber, 0)}${entry(metadataNumber, 0)}` +
    `trailer\n<</Size ${size + 2}\n/Root ${rootNumber} ${rootGeneration} R\n/Info ${infoNumber} 0 R\n/Prev ${previousXref}${id ? `\n/ID ${id}` : ''}>>\nstartxref\n${xrefAt}\n%%EOF\n`;
  push(encoder.encode(xref));

  const out = new Uint8Array(offset);
  out.set(pdf, 0);
  if (oldInfo) {
    // Chromium's own info object, superseded but still in the file, carries the clock's time, so two
    // builds would differ. Its dates are overwritten in place with the edition's, of equal length,
    // so every offset stays valid.
    const start = offsetOf(pdf, previousXref, Number(oldInfo[1]));
    const text = latin1.decode(pdf.subarray(start, start + oldInfoText.length + 64));
    for (const match of text.matchAll(/\/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)/g)) {
      if (match[1]!.length === date.length) out.set(encoder.encode(date), start + match.index + match[0].indexOf(match[1]!));
    }
  }
  let at = pdf.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The byte offset of object `number` according to the cross-reference table at `xrefAt`. */
function offsetOf(pdf: Uint8Array, xrefAt: number, number: number): number {
  const text = latin1.decode(pdf.subarray(xrefAt, Math.min(pdf.length, xrefAt + 64)));
  if (!text.startsWith('xref')) throw unexpected('its cross-reference data is a stream, not a table');
  let at = xrefAt + 4;
  for (;;) {
    const header = /^\s*(\d+)\s+(\d+)[ \t]*\r?\n/.exec(latin1.decode(pdf.subarray(at, at + 40)));
    if (!header) throw unexpected(`object ${number} is not in its cross-reference table`);
    const [first, count] = [Number(header[1]), Number(header[2])];
    at += header[0].length;
    if (number >= first && number < first + count) {
      const line = latin1.decode(pdf.subarray(at + (number - first) * 20, at + (number - first) * 20 + 20));
      const entry = /^(\d{10}) (\d{5}) n/.exec(line);
      if (!entry) throw unexpected(`object ${number} is not in use`);
      return Number(entry[1]);
    }
    at += count * 20;
  }
}

/** The text of the dictionary of object `number` at `offset` (without `obj`/`endobj`). */
function readObject(pdf: Uint8Array, offset: number, number: number): string {
  const text = latin1.decode(pdf.subarray(offset, Math.min(pdf.length, offset + 64 * 1024)));
  const match = new RegExp(`^${number}\\s+\\d+\\s+obj\\s*([\\s\\S]*?)\\s*endobj`).exec(text);
  if (!match) throw unexpected(`object ${number} cannot be read`);
  return match[1]!;
}

/** A PDF text string: a literal when plain ASCII, otherwise UTF-16BE in hex with a byte order mark. */
export function pdfString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, '\\$&')})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

function unescapePdfLiteral(text: string): string {
  return text.replace(/\\([\\()])/g, '$1');
}

/** `D:YYYYMMDDHHmmSS+00'00'` in UTC. */
function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+00'00'`;
}

function parsePdfDate(text: string | undefined): Date | undefined {
  const match = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'(\d{2}))?/.exec(text ?? '');
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const shift = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  return new Date(utc - shift);
}

function xml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** The XMP packet with the same information as the Info dictionary (Dublin Core, PDF, XMP basic). */
function xmpPacket(info: DocumentInfo, producer: string, created: Date): string {
  const date = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xml(info.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(info.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:subject><rdf:Bag>${info.keywords.map((keyword) => `<rdf:li>${xml(keyword)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>
   <dc:language><rdf:Bag><rdf:li>${xml(info.language)}</rdf:li></rdf:Bag></dc:language>
   <pdf:Keywords>${xml(info.keywords.join(', '))}</pdf:Keywords>
   <pdf:Producer>${xml(producer)}</pdf:Producer>
   <xmp:CreatorTool>${xml(info.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

function unexpected(what: string): ChartaError {
  return new ChartaError(`The PDF Chromium printed has an unexpected structure (${what}); its metadata cannot be set`, 2, 'Report this with the output of --debug and the Chromium version.');
}
