/**
 * The Synopse as a PDF (`charta-synopse.pdf`): Chromium prints the Synopse's print document
 * (`render/synopse/synopse-print.ts`) once, tagged and with its outline; it has no page numbers to
 * write in, so no layout pass. The document loads only its own files, as the PDF edition's does,
 * and gets the same document information (title "Synopse: Fassung 1.0 und 2.0").
 */
import { toolkitVersion } from '../core/toolkit.js';
import { printOptions, type BrowserSession } from '../browser/browser.js';
import type { Charta } from '../charta.js';
import { editionTime } from '../core/dates.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { renderSynopsePrint, synopseDocumentPath } from '../render/synopse/synopse-print.js';
import { assertOnlyOwnFiles, loadPrintDocument } from './pdf-edition.js';
import { readPageMap } from './pdf-destinations.js';
import { withDocumentInfo } from './pdf-metadata.js';

export interface SynopsePdf {
  bytes: Uint8Array;
  pages: number;
}

/** The usage error of a Synopse without a version to compare with. */
export function synopseNeedsSince(): ChartaError {
  return new ChartaError('--format synopse needs --since <ref>', ExitCode.environment, 'Name the version to compare with, e.g. charta build --since 1.0 --format synopse.');
}


/**
 * Prints the Synopse of `charta.changes` with a browser that is starting or started
 * (`startBrowser`); the document is rendered meanwhile. The caller closes the browser.
 */
export async function printSynopsePdf(charta: Charta, starting: Promise<BrowserSession>): Promise<SynopsePdf> {
  const changes = charta.changes;
  if (!changes) throw synopseNeedsSince();
  const [launched, rendered] = await Promise.allSettled([starting, renderSynopsePrint(charta, changes)]);
  if (launched.status === 'rejected') throw launched.reason;
  if (rendered.status === 'rejected') throw rendered.reason;
  const session = launched.value;
  const document = rendered.value;
  const printed = await session.withPage(async (page) => {
    const requests = await loadPrintDocument(session, page, [...document.assets, { path: synopseDocumentPath, contents: document.html }], synopseDocumentPath, 'the Synopse');
    const pdf = await session.step('printing the Synopse', () => page.pdf({ ...printOptions, tagged: true, outline: true }));
    assertOnlyOwnFiles(requests);
    return pdf;
  });
  const { pages } = await readPageMap(printed);
  const meta = charta.meta;
  const bytes = withDocumentInfo(printed, {
    title: document.title,
    author: meta.autor,
    subject: `${document.title}: ${meta.titel}. Die Fassung ${changes.since.version} und die Fassung ${meta.version}, Absatz für Absatz nebeneinander.`,
    keywords: [...meta.schlagwoerter, 'Synopse'],
    language: meta.sprache,
    creator: `charta ${toolkitVersion}`,
    created: editionTime(charta),
  });
  return { bytes, pages };
}
