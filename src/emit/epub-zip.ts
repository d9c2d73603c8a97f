/**
 * The EPUB container (OCF): a zip whose first entry is `mimetype`, stored uncompressed and without
 * extra fields, followed by the edition's files in the order given. Every entry carries the same
 * timestamp and mode, so the same files always give the same bytes.
 */
import yazl from 'yazl';
import type { EditionFile } from '../render/edition.js';

/** The content of the `mimetype` entry. */
export const epubMediaType = 'application/epub+zip';

/** Formats that are compressed already; deflating them again only costs time. */
const storedExtensions = new Set(['.woff2', '.woff', '.png', '.jpg', '.jpeg', '.webp', '.gif']);

/** Zips `files` (paths inside the container, without `mimetype`) into an EPUB with timestamp `time`. */
export async function zipEpub(files: readonly EditionFile[], time: Date): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const options = { mtime: dosTime(time), mode: 0o100644, forceDosTimestamp: true };
  zip.addBuffer(Buffer.from(epubMediaType, 'ascii'), 'mimetype', { ...options, compressionLevel: 0 });
  const seen = new Set(['mimetype']);
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`The EPUB has two files at ${file.path}`);
    seen.add(file.path);
    const extension = file.path.slice(file.path.lastIndexOf('.')).toLowerCase();
    zip.addBuffer(Buffer.from(file.contents), file.path, { ...options, compressionLevel: storedExtensions.has(extension) ? 0 : 9 });
  }
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', resolve);
    zip.outputStream.on('error', reject);
  });
  zip.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Zip stores DOS timestamps without a time zone, and yazl reads them from a Date's local fields.
 * This returns the Date whose local fields are `time`'s UTC fields, so the bytes do not depend on
 * the machine's time zone. DOS dates start in 1980; earlier times become 1980-01-01.
 */
function dosTime(time: Date): Date {
  const t = time.getTime() < Date.UTC(1980, 0, 1) ? new Date(Date.UTC(1980, 0, 1)) : time;
  return new Date(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
}
