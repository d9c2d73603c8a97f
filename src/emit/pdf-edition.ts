/**
 * The PDF edition: Chromium prints the print document (`render/print/`). Its table of contents
 * needs the page on which each heading lands, which only a layout in pages can tell, and Chromium
 * has no `target-counter()`. So the document is laid out once with everything invisible (a cheap
 * print that still records where each link target is), the page numbers are read back from that
 * PDF's named destinations and written into the document, and then it is printed for real, tagged
 * and with its outline. Before all that, the soft hyphens that end no line are removed (see
 * `prune-soft-hyphens.ts`). The real print is read back too: had writing the numbers moved anything,
 * the numbers are corrected and it is printed again.
 *
 * The footnotes are placed at the feet of their pages with layout passes too (`page-footnotes.ts`);
 * those passes give the page numbers, so a document with notes needs no pass of its own.
 *
 * The layout pass costs about half a print. A rebuild skips it: the numbers of the build before
 * (kept in the manifest) are written in at once and the real print checks them; when the text
 * moved, the read-back numbers are written and it is printed again. The footnotes' placement is
 * kept too (`PrintLayout`), under a key of everything the layout depends on (the document, its
 * stylesheets, fonts and images, the browser): when the key is the same, the notes are placed as
 * before without a pass, and the print checks that each landed where it did; when one did not, the
 * document is laid out from the start. Chromium starts while the
 * caller loads the sources (`startBrowser`), and the document is rendered while it starts.
 *
 * A large document's real print is made in parts, where the numbers say a part begins, and the
 * parts' PDFs are joined (`print-parts.ts`): Chromium's time and memory per page grow with the
 * pages it prints at once.
 */
import { editionTime } from '../core/dates.js';
import { toolkitId, toolkitVersion } from '../core/toolkit.js';
import { createHash } from 'node:crypto';
import type { Page } from 'puppeteer';
import { closeStarted, printOptions, startBrowser, type BrowserSession } from '../browser/browser.js';
import { buildOrigin, serveFiles, type RequestLog } from '../browser/serve-files.js';
import type { Charta } from '../charta.js';
import type { EditionFile } from '../render/edition.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { pageNumberAttribute, printDocumentPath, renderPrint, type PrintDocument } from '../render/print/render-print.js';
import { layOutPages, misplacedNotes, placeFootnotes, placeKnownFootnotes, type FootnotePlacement, type PlacedBlock } from './page-footnotes.js';
import { readPageMap, type PageMap } from './pdf-destinations.js';
import { measurePageMargins, readPageBox } from './page-box.js';
import { withPdfUa, type PdfUaReport } from './pdf-ua.js';
import { pruneSoftHyphens, type PruneResult } from './prune-soft-hyphens.js';
import { planParts, printParts, readSegments, type OpenReplica, type Timed } from './print-parts.js';

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
  /** The parts the last print was made in and joined (`print-parts.ts`); 1 when it was printed at once. */
  parts: number;
  /**
   * The parts the layout pass of the whole document was made in, each laid out alone
   * (`page-footnotes.ts`); 1 when it was laid out at once, 0 when the build before's numbers held.
   */
  layoutParts: number;
  /** What the browser asked for while printing. */
  requests: RequestLog;
  /** Soft hyphens inserted, and those kept because a line ends with them. */
  softHyphens: PruneResult;
  /** Where the footnotes went: to the foot of their pages, or (the template's choice) to their chapters' ends. */
  footnotes: FootnotePlacement;
  /** What a rebuild of the same document needs to skip the layout passes (`PrintOptions.layout`). */
  layout: PrintLayout;
  /** The document as it was printed last, with `keepHtml`. */
  printedHtml?: string;
  browserVersion: string;
  /** The print document, as rendered (before the soft hyphens were pruned and the numbers written). */
  document: PrintDocument;
  /** Milliseconds per stage, the browser's steps included: where the time goes. */
  timings: Record<string, number>;
  /** The default page box's top and bottom margins, in points: where the running heads and page numbers are. */
  margins: { top: number; bottom: number };
  /** What the PDF/UA post-processing changed (not with `postProcess: false`). */
  pdfUa?: PdfUaReport;
  /**
   * Points by which the widest content reaches past the text block (0 when nothing does). Chromium
   * shrinks every page of a print to fit what is wider, so anything above 0 prints the whole
   * document a little small.
   */
  overflow: number;
  /** With an overflow: the first element that reaches past the text block, as `tag.class „text…“`. */
  overflowing?: string;
}

export interface PrintOptions extends Pick<PdfOptions, 'keepHtml'> {
  /**
   * `false`: the PDF as Chromium printed it, without the document information and the PDF/UA
   * post-processing (`pdf-ua.ts`), to compare with. Default `true`.
   */
  postProcess?: boolean;
  /**
   * The page numbers of an earlier build of the same contents (`PdfResult.pageNumbers`). When the
   * contents have the same entries, the document is printed with these numbers at once instead of
   * being laid out first; the print is checked as always and printed again if a number moved.
   */
  pageNumbers?: ReadonlyMap<string, number>;
  /** The layout of an earlier build (`PdfResult.layout`); used only when its key is this document's. */
  layout?: PrintLayout;
  /** The characters of text in each part when a large document is printed in parts (`print-parts.ts`). */
  partText?: number;
  /** The characters of text in each part when a large document is laid out in parts (`page-footnotes.ts`). */
  layoutText?: number;
}

/** The footnotes' placement of a build, under the key of everything its layout depends on. */
export interface PrintLayout {
  key: string;
  footnotes: PlacedBlock[];
}

/** Makes everything invisible for the layout pass: nothing is painted, everything keeps its place. */
const layoutPassStyle = '*, *::before, *::after, *::marker { visibility: hidden !important; }';

/** How often the document may be printed for real with corrected numbers before the build gives up. */
const maxPrints = 4;


/** Builds the PDF edition of `charta` with a browser of its own. */
export async function buildPdf(charta: Charta, options: PdfOptions & PrintOptions): Promise<PdfResult> {
  const session = startBrowser(options);
  try {
    return await printPdf(charta, session, options);
  } finally {
    await closeStarted(session);
  }
}

/**
 * Prints `charta` with a browser that is starting or started (`startBrowser`); the document is
 * rendered meanwhile. The caller closes the browser.
 */
export async function printPdf(charta: Charta, starting: Promise<BrowserSession>, options: PrintOptions = {}): Promise<PdfResult> {
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work;
    } finally {
      timings[name] = (timings[name] ?? 0) + performance.now() - started;
    }
  };
  // Rendering the document does not depend on the browser.
  const [launched, rendered] = await Promise.allSettled([timed('waiting for the browser', starting), timed('render', renderPrint(charta))]);
  if (launched.status === 'rejected') throw launched.reason;
  const session = launched.value;
  if (rendered.status === 'rejected') throw rendered.reason;
  const document = rendered.value;
  let printed = await session.withPage((page) => printWithPageNumbers(session, page, document, timed, options));
  if ('misplaced' in printed) {
    // The earlier build's placement of the notes did not hold: laid out from the start, in a fresh page.
    const wasted = printed.misplaced;
    const again = await session.withPage((page) => printWithPageNumbers(session, page, document, timed, { ...options, layout: undefined }));
    if ('misplaced' in again) throw new Error('A layout of its own cannot be misplaced');
    printed = { ...again, prints: again.prints + wasted };
  }
  const meta = charta.meta;
  const result = { ...printed, browserVersion: session.version, document, timings: { ...session.timings, ...timings } };
  if (options.postProcess === false) return result;
  const started = performance.now();
  const info = {
    title: meta.titel,
    author: meta.autor,
    subject: meta.untertitel ? `${meta.untertitel}. ${meta.beschreibung}` : meta.beschreibung,
    keywords: meta.schlagwoerter,
    language: meta.sprache,
    creator: `charta ${toolkitVersion}`,
    created: editionTime(charta),
  };
  const { bytes, report } = await withPdfUa(printed.bytes, info, { margins: printed.margins });
  result.timings['metadata and PDF/UA'] = performance.now() - started;
  return { ...result, bytes, pdfUa: report };
}

type Printed = Omit<PdfResult, 'browserVersion' | 'document' | 'timings'>;

async function printWithPageNumbers(session: BrowserSession, page: Page, document: PrintDocument, timed: Timed, options: PrintOptions): Promise<Printed | { misplaced: number }> {
  const known = options.pageNumbers && sameTargets(document.pageTargets, options.pageNumbers) ? new Map(options.pageNumbers) : undefined;
  // Without known numbers, a placeholder in every number's box, so that the layout pass sees a line of text there.
  const first = known ?? new Map(document.pageTargets.map((target) => [target, 0]));
  const key = layoutKey(document, session.version);
  const reused = known && options.layout?.key === key ? options.layout.footnotes : undefined;
  const requests = await loadPrintDocument(session, page, [...document.assets, { path: printDocumentPath, contents: document.html(first) }], printDocumentPath, 'the print document');
  const softHyphens = await session.step('measuring the lines', () => pruneSoftHyphens(page));
  const { overflow, overflowing } = await page.evaluate(measureOverflow);

  let numbers = first;
  let prints = 1;
  let layoutParts = 0;
  // The text stays hidden from the first layout pass to the last.
  let hidden = false;
  const layout = async () => {
    if (!hidden) await session.step('hiding the text', () => setLayoutPass(page, true));
    hidden = true;
    const draft = await session.step('laying out the pages', () => page.pdf({ ...printOptions, tagged: false, outline: false }));
    return timed('read back', Promise.resolve(draft).then(readPageMap));
  };
  const showText = async () => {
    if (hidden) await session.step('showing the text', () => setLayoutPass(page, false));
    hidden = false;
  };
  // The footnotes are placed with layout passes, or as the build before placed them in the same
  // document; the last of the passes also tells the page numbers.
  let placement: FootnotePlacement | undefined;
  let blocks: PlacedBlock[] = [];
  if (reused) {
    placement = await session.step('placing the footnotes as before', () => placeKnownFootnotes(page, reused));
    blocks = reused;
  } else {
    const footnotes = await placeFootnotes(page, layout, options.layoutText);
    if (footnotes || !known) {
      // Without notes to place, one pass for the numbers.
      const pass = footnotes ?? (await layOutPages(page, layout, options.layoutText));
      layoutParts = pass.parts;
      prints += footnotes?.placement.passes ?? 1;
      const laidOut = pagesOf(document.pageTargets, pass.map);
      if (!sameNumbers(numbers, laidOut)) {
        numbers = laidOut;
        await session.step('writing the page numbers', () => writePageNumbers(page, numbers));
      }
    }
    await showText();
    placement = footnotes?.placement;
    blocks = footnotes?.blocks ?? [];
  }

  // A large document is printed in parts, split where the numbers say a part begins, by this page and a second one.
  const replica: OpenReplica = (html, use) =>
    session.withPage(async (second) => {
      await loadPrintDocument(session, second, [...document.assets, { path: printDocumentPath, contents: html }], printDocumentPath, 'the copy of the print document');
      return use(second);
    });
  let segments = await session.step('finding the parts', () => readSegments(page, document.pageTargets));
  for (let attempt = 1; ; attempt++, prints++) {
    const parts = segments.splittable ? planParts(segments, numbers, options.partText) : undefined;
    let printed: { bytes: Uint8Array; map: PageMap; parts: number } | undefined;
    if (parts) {
      const joined = await timed('the print in parts, in all', printParts(session, page, parts, timed, replica));
      if (joined) printed = { ...joined, parts: parts.length };
      else segments = { ...segments, splittable: false };
    }
    if (!printed) {
      const bytes = await session.step('printing the PDF', () => page.pdf({ ...printOptions, tagged: true, outline: true }));
      printed = { bytes, map: await timed('read back', Promise.resolve(bytes).then(readPageMap)), parts: 1 };
    }
    const { bytes: pdf, map } = printed;
    // A note that did not land where it did before: the document is laid out from the start.
    if (reused && misplacedNotes(reused, map).length > 0) return { misplaced: prints };
    const landed = pagesOf(document.pageTargets, map);
    assertOnlyOwnFiles(requests);
    if (sameNumbers(numbers, landed)) {
      const printedHtml = options.keepHtml ? await session.step('reading the document', () => page.content()) : undefined;
      const footnotes = placement ?? { mode: 'kapitelende', placed: 0, atChapterEnd: 0, passes: 0 };
      const margins = await session.step('measuring the margins', async () => page.evaluate(measurePageMargins, await page.evaluate(readPageBox)));
      return { bytes: pdf, pages: map.pages, pageNumbers: numbers, prints, parts: printed.parts, layoutParts, requests, softHyphens, footnotes, layout: { key, footnotes: blocks }, printedHtml, margins, overflow, overflowing };
    }
    if (attempt >= maxPrints) {
      throw new ChartaError(`The page numbers of the contents did not settle after ${prints} prints`, ExitCode.environment, 'A rule in templates/css/print.css makes the numbers move the text; keep the number boxes (.verzeichnis__seite) a fixed width.');
    }
    numbers = landed;
    await session.step('writing the page numbers', () => writePageNumbers(page, numbers));
  }
}

/**
 * What the layout of `document` depends on, as a key: the document without page numbers, every
 * file it loads, the browser that lays it out, and the toolkit's code that places the notes.
 */
function layoutKey(document: PrintDocument, browserVersion: string): string {
  const hash = createHash('sha256').update(`${toolkitId ?? toolkitVersion}\0${browserVersion}\0`).update(document.html());
  for (const asset of [...document.assets].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`\0${asset.path}\0`).update(asset.contents);
  return hash.digest('hex');
}
/**
 * Serves `files` to `page` (nothing else is loaded), opens `path` among them with scripts off and
 * waits for its fonts; fails when the document asked for anything else. What it asks for later
 * is logged in the returned requests.
 */
export async function loadPrintDocument(session: BrowserSession, page: Page, files: EditionFile[], path: string, name: string): Promise<RequestLog> {
  const requests = await session.step('setting up the page', async () => {
    // A print document needs no scripts of its own; what the build does in the page still runs.
    await page.setJavaScriptEnabled(false);
    return serveFiles(page, files);
  });
  await session.step(`loading ${name}`, async () => {
    await page.goto(`${buildOrigin}${path}`, { waitUntil: 'load', timeout: 0 });
    await page.evaluate(() => globalThis.document.fonts.ready.then(() => undefined));
  });
  assertOnlyOwnFiles(requests);
  return requests;
}

/**
 * In the page: how far the content reaches past the text block, in points, and the first element
 * that does. On screen the document is as wide as the text block (print.css).
 */
function measureOverflow(): { overflow: number; overflowing?: string } {
  const body = globalThis.document.body;
  const overflow = Math.max(0, body.scrollWidth - body.clientWidth) * 0.75;
  if (overflow === 0) return { overflow };
  const right = body.getBoundingClientRect().right + 0.5;
  const element = [...body.querySelectorAll('*')].find((candidate) => candidate.getBoundingClientRect().right > right);
  if (!element) return { overflow };
  const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return { overflow, overflowing: `${element.localName}${[...element.classList].map((name) => `.${name}`).join('')}${text ? ` „${text}…“` : ''}` };
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

/** Whether `numbers` has a page for exactly the entries of the contents. */
function sameTargets(targets: readonly string[], numbers: ReadonlyMap<string, number>): boolean {
  return targets.length === numbers.size && targets.every((target) => Number.isInteger(numbers.get(target)));
}

function sameNumbers(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([target, page]) => b.get(target) === page);
}

/** Fails when the document asked for anything outside the build, or for a file the build lacks. */
export function assertOnlyOwnFiles(requests: RequestLog): void {
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
