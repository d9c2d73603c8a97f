/**
 * The PDF's document information. Chromium writes only the title (from `<title>`); author,
 * subject and keywords are added here as an incremental update (ISO 32000-1, 7.5.6, see
 * `pdf-objects.ts`): a new Info dictionary, an XMP metadata stream and a new catalog that names it
 * are appended after the original bytes. The original file is left byte for byte as it was, so its
 * structure tree (tags), outline and links cannot be disturbed.
 */
import { dict, latin1Text, name, nameOf, PdfFile, PdfRef, PdfString, PdfUpdate, unexpected } from './pdf-objects.js';

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
  /** The part of PDF/UA (ISO 14289) the document declares to conform to, in its XMP (`pdfuaid:part`). */
  pdfuaPart?: 1;
}


/** `pdf` with `info` as its document information and XMP metadata. */
export function withDocumentInfo(pdf: Uint8Array, info: DocumentInfo): Uint8Array {
  const update = new PdfUpdate(new PdfFile(pdf));
  writeDocumentInfo(update, info);
  return update.finish();
}

/** Writes `info` into `update` as the document's Info dictionary and XMP metadata stream. */
export function writeDocumentInfo(update: PdfUpdate, info: DocumentInfo): void {
  const file = update.file;
  const root = file.trailer.get('Root');
  if (!(root instanceof PdfRef)) throw unexpected('its trailer names no /Root');
  const catalog = update.get(root);
  if (!(catalog instanceof Map)) throw unexpected('its catalog is not a dictionary');
  const oldInfoRef = file.trailer.get('Info');
  const oldInfo = file.dict(oldInfoRef);
  const producer = oldInfo?.get('Producer') instanceof PdfString ? (oldInfo.get('Producer') as PdfString).text() : 'Skia/PDF';
  const oldCreated = oldInfo?.get('CreationDate');
  const created = info.created ?? parsePdfDate(oldCreated instanceof PdfString ? oldCreated.text() : undefined) ?? new Date();
  const date = pdfDate(created);

  const infoRef = update.add(
    dict({
      Title: PdfString.of(info.title),
      Author: PdfString.of(info.author),
      Subject: PdfString.of(info.subject),
      Keywords: PdfString.of(info.keywords.join(', ')),
      Creator: PdfString.of(info.creator),
      Producer: PdfString.of(producer),
      CreationDate: PdfString.of(date),
      ModDate: PdfString.of(date),
    }),
  );
  const xmp = new TextEncoder().encode(xmpPacket(info, producer, created));
  const metadata = catalog.get('Metadata');
  const metadataStream = { dict: dict({ Type: name('Metadata'), Subtype: name('XML') }), raw: xmp };
  const newCatalog = new Map(catalog);
  if (metadata instanceof PdfRef) update.set(metadata, metadataStream);
  else newCatalog.set('Metadata', update.add(metadataStream));
  if (!nameOf(catalog.get('PageMode'))) newCatalog.set('PageMode', name('UseOutlines'));
  update.set(root, newCatalog);
  update.setTrailer('Info', infoRef);

  if (oldInfoRef instanceof PdfRef && file.offset(oldInfoRef) !== undefined) {
    // Chromium's own info object, superseded but still in the file, carries the clock's time, so two
    // builds would differ. Its dates are overwritten in place with the edition's, of equal length,
    // so every offset stays valid.
    const start = file.offset(oldInfoRef)!;
    const text = latin1Text(file.bytes.subarray(start, Math.min(file.bytes.length, start + 4096)));
    const end = text.indexOf('endobj');
    const encoder = new TextEncoder();
    for (const match of text.slice(0, end < 0 ? undefined : end).matchAll(/\/(?:CreationDate|ModDate)\s*\((D:[^)]*)\)/g)) {
      if (match[1]!.length === date.length) update.overwrite(start + match.index + match[0].indexOf(match[1]!), encoder.encode(date));
    }
  }
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
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"${info.pdfuaPart ? '\n    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' : ''}>
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
   <xmp:MetadataDate>${date}</xmp:MetadataDate>${info.pdfuaPart ? `\n   <pdfuaid:part>${info.pdfuaPart}</pdfuaid:part>` : ''}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
