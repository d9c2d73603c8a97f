/**
 * Reads back where Chromium put things: the page of every named destination in a PDF. Chromium
 * makes a named destination of each element that a link of the document points to, so the
 * destinations of the table of contents' targets say on which page each heading landed.
 */
import { ChartaError } from '../core/errors.js';

export interface PageMap {
  /** Number of pages. */
  pages: number;
  /** Destination name -> page number, counting from 1. */
  destinations: Map<string, number>;
  /** Destination name -> the top of its element, in points from the page's bottom edge. */
  tops: Map<string, number>;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** The smallest PDF pdf.js reads without complaint: one empty page. */
const emptyPdf = '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n';

/**
 * Loads pdf.js ahead of its first use, e.g. while the browser starts: its module, and the worker it
 * sets up with the first document (together a tenth of a second or more).
 */
export function preloadPdfReader(): Promise<PdfJs> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').then(async (module) => {
    const task = module.getDocument({ data: new TextEncoder().encode(emptyPdf), verbosity: 0 });
    await task.promise.then((document) => document.getDestinations()).catch(() => undefined);
    await task.destroy();
    return module;
  });
  return pdfjs;
}

/** The pages of `pdf`'s named destinations. */
export async function readPageMap(pdf: Uint8Array): Promise<PageMap> {
  const { getDocument } = await preloadPdfReader();
  // pdf.js takes ownership of the buffer it is given; give it a copy.
  const task = getDocument({ data: pdf.slice(), verbosity: 0, isEvalSupported: false, disableFontFace: true, stopAtErrors: true });
  try {
    const document = await task.promise;
    const named = await document.getDestinations();
    const pageOf = new Map<string, Promise<number>>();
    const destinations = new Map<string, number>();
    const tops = new Map<string, number>();
    await Promise.all(
      Object.entries(named).map(async ([name, destination]) => {
        const reference = destination?.[0];
        if (!reference || typeof reference !== 'object' || !('num' in reference)) return;
        const key = `${reference.num} ${reference.gen}`;
        if (!pageOf.has(key)) pageOf.set(key, document.getPageIndex(reference as { num: number; gen: number }));
        destinations.set(name, (await pageOf.get(key)!) + 1);
        // [page, /XYZ, left, top, zoom]
        const top: unknown = destination[3];
        if (typeof top === 'number') tops.set(name, top);
      }),
    );
    return { pages: document.numPages, destinations, tops };
  } catch (cause) {
    throw new ChartaError(`The PDF Chromium printed cannot be read back: ${(cause as Error).message}`, 2, undefined, { cause });
  } finally {
    await task.destroy();
  }
}
