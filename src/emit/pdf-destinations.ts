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
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** Loads pdf.js ahead of its first use (it takes a moment), e.g. while the browser starts. */
export function preloadPdfReader(): Promise<unknown> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjs;
}

/** The pages of `pdf`'s named destinations. */
export async function readPageMap(pdf: Uint8Array): Promise<PageMap> {
  const { getDocument } = (await preloadPdfReader()) as PdfJs;
  // pdf.js takes ownership of the buffer it is given; give it a copy.
  const task = getDocument({ data: pdf.slice(), verbosity: 0, isEvalSupported: false, disableFontFace: true, stopAtErrors: true });
  try {
    const document = await task.promise;
    const named = await document.getDestinations();
    const pageOf = new Map<string, Promise<number>>();
    const destinations = new Map<string, number>();
    await Promise.all(
      Object.entries(named).map(async ([name, destination]) => {
        const reference = destination?.[0];
        if (!reference || typeof reference !== 'object' || !('num' in reference)) return;
        const key = `${reference.num} ${reference.gen}`;
        if (!pageOf.has(key)) pageOf.set(key, document.getPageIndex(reference as { num: number; gen: number }));
        destinations.set(name, (await pageOf.get(key)!) + 1);
      }),
    );
    return { pages: document.numPages, destinations };
  } catch (cause) {
    throw new ChartaError(`The PDF Chromium printed cannot be read back: ${(cause as Error).message}`, 2, undefined, { cause });
  } finally {
    await task.destroy();
  }
}
