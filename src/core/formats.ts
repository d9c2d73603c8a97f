/**
 * The editions the toolkit builds. Each renderer is imported only when its edition is asked for,
 * so `charta build --format html` never loads the browser.
 */
import type { Charta } from '../charta.js';
import type { Staging } from '../emit/staging.js';

export const formats = ['html', 'epub', 'pdf'] as const;
export type Format = (typeof formats)[number];

/** Builds one edition into the staging folder and names the artefact it wrote. */
export type EditionBuilder = (charta: Charta, staging: Staging, context: BuildContext) => Promise<string>;

/** What a build shares between its editions. */
export interface BuildContext {
  /** Aborted on Ctrl-C or a failure elsewhere. */
  signal: AbortSignal;
}

export const editionBuilders: Record<Format, () => Promise<EditionBuilder | string>> = {
  html: async () => {
    const { renderHtml } = await import('../render/html/render-html.js');
    return async (charta, staging) => {
      await staging.writeFolder('html', await renderHtml(charta));
      return 'html';
    };
  },
  epub: async () => {
    const { editionTime } = await import('./dates.js');
    const { renderEpub } = await import('../render/epub/render-epub.js');
    const { zipEpub } = await import('../emit/epub-zip.js');
    return async (charta, staging) => {
      const time = editionTime(charta);
      await staging.writeFile('charta.epub', await zipEpub(await renderEpub(charta, { modified: time }), time));
      return 'charta.epub';
    };
  },
  pdf: async () => {
    const { buildPdf, findPdfBrowser } = await import('../emit/pdf-edition.js');
    const browser = await findPdfBrowser();
    if (typeof browser !== 'string') return browser.problem;
    return async (charta, staging, { signal }) => {
      const { bytes } = await buildPdf(charta, { executablePath: browser, signal });
      await staging.writeFile('charta.pdf', bytes);
      return 'charta.pdf';
    };
  },
};
