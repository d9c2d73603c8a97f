/**
 * The editions the toolkit builds. Each renderer is imported only when its edition is asked for,
 * so `charta build --format html` never loads the browser.
 */
import type { Charta } from '../charta.js';
import type { ManifestEntry } from '../emit/manifest.js';
import type { Staging } from '../emit/staging.js';

/** Every `--format` value. */
export const formats = ['html', 'epub', 'pdf', 'synopse'] as const;
export type Format = (typeof formats)[number];

/** What `charta build` builds without `--format`: the three editions, not the Synopse (which needs `--since`). */
export const defaultFormats: readonly Format[] = ['html', 'epub', 'pdf'];

/** What an edition wrote: the artefact's name in the output folder, and what the manifest says about it. */
export interface Built {
  name: string;
  about?: Pick<ManifestEntry, 'pages' | 'pageNumbers' | 'layout'>;
  /** What is wrong with the edition but did not stop it, one line each. */
  warnings?: string[];
}

/** An edition being prepared for a build: started before the sources are loaded. */
export interface Edition {
  /** Builds the edition into the staging folder. */
  build(charta: Charta, staging: Staging): Promise<Built>;
  /** Frees what `startEdition` took (the PDF's browser); called once, on every path. */
  close?(): Promise<void>;
}

/** What a build shares between its editions. */
export interface BuildContext {
  /** Aborted on Ctrl-C or a failure elsewhere. */
  signal: AbortSignal;
  /** The output folder, with the editions of the build before. */
  out: string;
}

/**
 * Prepares each edition: imports its renderer, and for the PDF finds and starts the browser at
 * once, so that Chromium starts while the sources load. A string says why the edition cannot be
 * built on this machine.
 */
export const startEdition: Record<Format, (context: BuildContext) => Promise<Edition | string>> = {
  html: async () => {
    const { renderHtml } = await import('../render/html/render-html.js');
    return {
      async build(charta, staging) {
        await staging.writeFolder('html', await renderHtml(charta));
        return { name: 'html' };
      },
    };
  },
  epub: async () => {
    const { editionTime } = await import('../core/dates.js');
    const { renderEpub } = await import('../render/epub/render-epub.js');
    const { zipEpub } = await import('../emit/epub-zip.js');
    return {
      async build(charta, staging) {
        const time = editionTime(charta);
        await staging.writeFile('charta.epub', await zipEpub(await renderEpub(charta, { modified: time }), time));
        return { name: 'charta.epub' };
      },
    };
  },
  pdf: async ({ signal, out }) => {
    const { findPdfBrowser } = await import('../browser/find-browser.js');
    const browser = await findPdfBrowser();
    if (typeof browser !== 'string') return browser.problem;
    const { closeStarted, startBrowser } = await import('../browser/browser.js');
    const session = startBrowser({ executablePath: browser, signal });
    const { printPdf } = await import('../emit/pdf-edition.js');
    const { readManifest } = await import('../emit/manifest.js');
    // The page numbers and the footnotes' places of the last build are tried first: when they still hold, the PDF is printed once.
    const earlier = readManifest(out).then((manifest) => manifest?.artefacts.find((entry) => entry.path === 'charta.pdf'));
    return {
      async build(charta, staging) {
        const known = await earlier;
        const { bytes, pages, pageNumbers, layout, overflow, overflowing } = await printPdf(charta, session, { pageNumbers: known?.pageNumbers && new Map(Object.entries(known.pageNumbers)), layout: known?.layout });
        await staging.writeFile('charta.pdf', bytes);
        const warnings = overflow > 0 ? [overflowWarning(overflow, overflowing)] : [];
        return { name: 'charta.pdf', about: { pages, pageNumbers: Object.fromEntries(pageNumbers), layout }, warnings };
      },
      close: () => closeStarted(session),
    };
  },
  synopse: async ({ signal }) => {
    const { findPdfBrowser } = await import('../browser/find-browser.js');
    const browser = await findPdfBrowser();
    if (typeof browser !== 'string') return browser.problem;
    const { closeStarted, startBrowser } = await import('../browser/browser.js');
    const session = startBrowser({ executablePath: browser, signal });
    const { printSynopsePdf, synopseNeedsSince } = await import('../emit/synopse-pdf.js');
    return {
      async build(charta, staging) {
        if (!charta.changes) throw synopseNeedsSince();
        const { bytes, pages } = await printSynopsePdf(charta, session);
        await staging.writeFile('charta-synopse.pdf', bytes);
        return { name: 'charta-synopse.pdf', about: { pages } };
      },
      close: () => closeStarted(session),
    };
  },
};

/** The warning for print content wider than the text block, which Chromium shrinks every page for. */
function overflowWarning(points: number, element: string | undefined): string {
  return `charta.pdf: ${element ?? 'the content'} reaches ${points.toFixed(1)} pt past the text block, so Chromium prints every page a little smaller to fit it; keep it within the text block in templates/css/ (no negative side margins, nothing wider than the page's text).`;
}
