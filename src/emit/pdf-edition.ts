/**
 * The PDF edition: Chromium prints the print document (`render/print/`). Its table of contents
 * needs the page on which each heading lands, which only a layout in pages can tell, and Chromium
 * has no `target-counter()`. So the document is laid out once with everything invisible (a cheap
 * print that still records where each link target is), the page numbers are read back from that
 * PDF's named destinations and written into the document, and then it is printed for real, tagged
 * and with its outline. Before all that, the soft hyphens that end no line are removed (see
 * `prune-soft-hyphens.ts`). The real print is read back too: had writing the numbers moved anything,
 * the numbers are corrected and it is printed again.
 */
import { editionTime } from '../core/dates.js';
import { readFileSync } from 'node:fs';
import type { Page, PDFOptions } from 'puppeteer';
import { launchBrowser, type BrowserSession } from '../browser/browser.js';
import { findBrowser } from '../browser/find-browser.js';
import { buildOrigin, serveFiles, type RequestLog } from '../browser/serve-files.js';
import type { Charta } from '../charta.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { pageNumberAttribute, printDocumentPath, renderPrint, type PrintDocument } from '../render/print/render-print.js';
import { preloadPdfReader, readPageMap } from './pdf-destinations.js';
import { withDocumentInfo } from './pdf-metadata.js';
import { pruneSoftHyphens, type PruneResult } from './prune-soft-hyphens.js';

export interface PdfOptions {
  /** The Chrome or Chromium to print with (see `findBrowser`). */
  executablePath: string;
  signal?: AbortSignal;
  /** Milliseconds each browser step may take. */
  timeout?: number;
  /** Keep the document as it was printed last (`PdfResult.printedHtml`), e.g. for a benchmark. */
  keepHtml?: boolean;
}

export interface PdfResult {
  bytes: Uint8Array;
  pages: number;
  /** The page of each element whose page number the document shows. */
  pageNumbers: Map<string, number>;
  /** How often the document was printed, the layout pass included. */
  prints: number;
  /** What the browser asked for while printing. */
  requests: RequestLog;
  /** Soft hyphens inserted, and those kept because a line ends with them. */
  softHyphens: PruneResult;
  /** The document as it was printed last, with `keepHtml`. */
  printedHtml?: string;
  browserVersion: string;
  /** The print document, as rendered (before the soft hyphens were pruned and the numbers written). */
  document: PrintDocument;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

/** The options of every print; the layout pass differs only in leaving out tags and outline. */
export const printOptions: PDFOptions = { preferCSSPageSize: true, printBackground: true, waitForFonts: true, timeout: 0 };

/** Makes everything invisible for the layout pass: nothing is painted, everything keeps its place. */
const layoutPassStyle = '*, *::before, *::after, *::marker { visibility: hidden !important; }';

/** How often the document may be printed with corrected numbers before the build gives up. */
const maxPrints = 4;

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The browser to print with, or a one-line message saying how to get one. */
export async function findPdfBrowser(): Promise<string | { problem: string }> {
  try {
    return (await findBrowser()).executablePath;
  } catch (cause) {
    if (cause instanceof ChartaError) return { problem: cause.message };
    throw cause;
  }
}

/** Builds the PDF edition of `charta`. */
export async function buildPdf(charta: Charta, options: PdfOptions): Promise<PdfResult> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work;
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - started;
    }
  };
  // Starting the browser, loading pdf.js and rendering the document do not depend on each other.
  preloadPdfReader().catch(() => {});
  const [launched, rendered] = await Promise.allSettled([
    timed('launch', launchBrowser({ executablePath: options.executablePath, signal: options.signal, timeout: options.timeout })),
    timed('render', renderPrint(charta)),
  ]);
  if (launched.status === 'rejected') throw launched.reason;
  const session = launched.value;
  try {
    if (rendered.status === 'rejected') throw rendered.reason;
    const document = rendered.value;
    const printed = await session.withPage((page) => printWithPageNumbers(session, page, document, timed, options.keepHtml ?? false));
    const meta = charta.meta;
    const bytes = withDocumentInfo(printed.bytes, {
      title: meta.titel,
      author: meta.autor,
      subject: meta.untertitel ? `${meta.untertitel}. ${meta.beschreibung}` : meta.beschreibung,
      keywords: meta.schlagwoerter,
      language: meta.sprache,
      creator: `charta ${version}`,
      created: editionTime(charta),
    });
    return { ...printed, bytes, browserVersion: session.version, document, timings };
  } finally {
    await timed('close', session.close());
  }
}

type Timed = <T>(name: string, work: Promise<T>) => Promise<T>;

async function printWithPageNumbers(session: BrowserSession, page: Page, document: PrintDocument, timed: Timed, keepHtml: boolean) {
  const requests = await session.step('setting up the page', async () => {
    // The print document needs no scripts of its own; what the build does in the page still runs.
    await page.setJavaScriptEnabled(false);
    return serveFiles(page, [...document.assets, { path: printDocumentPath, contents: document.html() }]);
  });
  await timed(
    'load',
    session.step('loading the print document', async () => {
      await page.goto(`${buildOrigin}${printDocumentPath}`, { waitUntil: 'load', timeout: 0 });
      await page.evaluate(() => globalThis.document.fonts.ready.then(() => undefined));
    }),
  );
  assertOnlyOwnFiles(requests);
  const softHyphens = await timed('soft hyphens', session.step('measuring the lines', () => pruneSoftHyphens(page)));

  // A placeholder in every number's box, so that the layout pass sees a line of text there.
  await session.step('writing placeholders', () => writePageNumbers(page, new Map(document.pageTargets.map((target) => [target, 0]))));
  await session.step('hiding the text', () => setLayoutPass(page, true));
  const draft = await timed('layout pass', session.step('laying out the pages', () => page.pdf({ ...printOptions, tagged: false, outline: false })));
  await session.step('showing the text', () => setLayoutPass(page, false));
  let numbers = pagesOf(document.pageTargets, await timed('read back', readPageMap(draft)));

  for (let prints = 2; ; prints++) {
    await session.step('writing the page numbers', () => writePageNumbers(page, numbers));
    const pdf = await timed('print', session.step('printing the PDF', () => page.pdf({ ...printOptions, tagged: true, outline: true })));
    const map = await timed('read back', readPageMap(pdf));
    const landed = pagesOf(document.pageTargets, map);
    assertOnlyOwnFiles(requests);
    if (sameNumbers(numbers, landed)) {
      const printedHtml = keepHtml ? await timed('keep html', session.step('reading the document', () => page.content())) : undefined;
      return { bytes: pdf, pages: map.pages, pageNumbers: numbers, prints, requests, softHyphens, printedHtml };
    }
    if (prints >= maxPrints) {
      throw new ChartaError(`The page numbers of the contents did not settle after ${prints} prints`, ExitCode.environment, 'A rule in templates/css/print.css makes the numbers move the text; keep the number boxes (.verzeichnis__seite) a fixed width.');
    }
    numbers = landed;
  }
}

async function setLayoutPass(page: Page, on: boolean): Promise<void> {
  await page.evaluate(
    (css, enable) => {
      const id = 'charta-layout-pass';
      globalThis.document.getElementById(id)?.remove();
      if (!enable) return;
      const style = globalThis.document.createElement('style');
      style.id = id;
      style.textContent = css;
      globalThis.document.head.append(style);
    },
    layoutPassStyle,
    on,
  );
}

async function writePageNumbers(page: Page, numbers: Map<string, number>): Promise<void> {
  await page.evaluate(
    (attribute, entries) => {
      const pages = new Map(entries);
      for (const element of globalThis.document.querySelectorAll(`[${attribute}]`)) {
        element.textContent = String(pages.get(element.getAttribute(attribute) ?? '') ?? '');
      }
    },
    pageNumberAttribute,
    [...numbers],
  );
}

/** The page of each target; a target Chromium did not place is an error. */
function pagesOf(targets: readonly string[], map: { destinations: Map<string, number> }): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const target of targets) {
    const page = map.destinations.get(target);
    if (page === undefined) {
      throw new ChartaError(`The table of contents points to #${target}, which the printed PDF does not contain`, ExitCode.environment, 'A rule in templates/css/print.css may hide it (display: none), or a template lost its id.');
    }
    numbers.set(target, page);
  }
  return numbers;
}

function sameNumbers(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([target, page]) => b.get(target) === page);
}

/** Fails when the document asked for anything outside the build, or for a file the build lacks. */
function assertOnlyOwnFiles(requests: RequestLog): void {
  if (requests.blocked.length > 0) {
    const count = requests.blocked.length;
    throw new ChartaError(
      `The print document asked for ${count === 1 ? 'an address' : `${count} addresses`} outside the build (${requests.blocked[0]}); nothing is loaded from outside, so the PDF was not made`,
      ExitCode.environment,
      'Remove the reference from templates/print/ or templates/css/, or bundle the file.',
    );
  }
  if (requests.missing.length > 0) {
    throw new ChartaError(`The print document asks for ${requests.missing[0]}, which the build does not produce`, ExitCode.environment, 'Fix the reference in templates/print/ or templates/css/.');
  }
}
