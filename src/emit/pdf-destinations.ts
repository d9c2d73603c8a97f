/**
 * Reads back where Chromium put things: the page of every named destination in a PDF. Chromium
 * makes a named destination of each element that a link of the document points to, so the
 * destinations of the table of contents' targets say on which page each heading landed.
 *
 * Read with the project's own reader (`pdf-objects.ts`), not pdf.js: the print of a 2,300-page
 * charta is read in less than half the time (0.18 s), and pdf.js's legacy build, loaded into the build's
 * process, replaces `JSON.stringify` with core-js's version, which made puppeteer's message for
 * the print document leave 800 MB of garbage.
 */
import { ChartaError } from '../core/errors.js';
import { isDict, PdfFile, PdfRef, PdfString, treeEntries, type PdfValue } from './pdf-objects.js';

export interface PageMap {
  /** Number of pages. */
  pages: number;
  /** Destination name -> page number, counting from 1. */
  destinations: Map<string, number>;
  /** Destination name -> the top of its element, in points from the page's bottom edge. */
  tops: Map<string, number>;
}

/** The pages of `pdf`'s named destinations. */
export async function readPageMap(pdf: Uint8Array): Promise<PageMap> {
  try {
    return pageMapOf(new PdfFile(pdf));
  } catch (cause) {
    throw new ChartaError(`The PDF Chromium printed cannot be read back: ${(cause as Error).message}`, 2, undefined, { cause });
  }
}

/** The pages of the named destinations of `file`. */
export function pageMapOf(file: PdfFile): PageMap {
  const pages = file.pages();
  const pageIndex = new Map(pages.map((ref, index) => [ref.number, index]));
  const destinations = new Map<string, number>();
  const tops = new Map<string, number>();
  const add = (name: string, value: PdfValue | undefined) => {
    // [page, /XYZ, left, top, zoom], or a dictionary holding it as /D.
    const resolved = file.get(value);
    const destination = file.array(isDict(resolved) ? resolved.get('D') : (resolved as PdfValue));
    const page = destination[0] instanceof PdfRef ? pageIndex.get(destination[0].number) : undefined;
    if (page === undefined || destinations.has(name)) return;
    destinations.set(name, page + 1);
    if (typeof destination[3] === 'number') tops.set(name, destination[3]);
  };
  const catalog = file.catalog();
  for (const [name, value] of file.dict(catalog.get('Dests')) ?? new Map<string, PdfValue>()) add(name, value);
  // The newer form: a name tree under /Names /Dests.
  for (const [key, value] of treeEntries(file, file.dict(catalog.get('Names'))?.get('Dests'), 'Names')) if (key instanceof PdfString) add(key.text(), value);
  return { pages: pages.length, destinations, tops };
}
