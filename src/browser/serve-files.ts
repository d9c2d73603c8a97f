/**
 * Serves a build's own files to a page from memory, under an origin that cannot exist on any
 * network (`.invalid` is reserved, RFC 6761), and blocks every other request. Nothing a template
 * or a source names can make the browser load something from outside the build; whatever was
 * asked for is recorded, so the build can refuse the result and tests can assert on it.
 */
import type { Page, Protocol } from 'puppeteer';
import { contentTypeOf, type EditionFile } from '../render/edition.js';

/** The origin the build's files are served from. */
export const buildOrigin = 'https://charta.invalid/';

/** What the page asked for while it was served. */
export interface RequestLog {
  /** Paths of the build's files that were served. */
  served: string[];
  /** Addresses outside the build: aborted, never sent. */
  blocked: string[];
  /** Paths under the build's origin that the build did not produce. */
  missing: string[];
}

/**
 * Makes `page` load only `files` (paths relative to `buildOrigin`); returns the live log. The
 * requests are answered through the DevTools protocol's Fetch domain in a session of its own, each
 * body encoded by Node's Buffer: puppeteer's `respond` encodes a body with `String.fromCodePoint`
 * over chunks, which left 800 MB of garbage (and took 150 ms) for the print document of a
 * 2,300-page charta.
 */
export async function serveFiles(page: Page, files: readonly EditionFile[]): Promise<RequestLog> {
  const byPath = new Map(files.map((file) => [file.path, file.contents]));
  const log: RequestLog = { served: [], blocked: [], missing: [] };
  const client = await page.createCDPSession();
  const fulfil = (requestId: string, status: number, contentType: string, body: Buffer) =>
    client.send('Fetch.fulfillRequest', {
      requestId,
      responseCode: status,
      responseHeaders: [
        { name: 'content-type', value: contentType },
        { name: 'content-length', value: String(body.length) },
      ],
      body: body.toString('base64'),
    });
  const answer = async ({ requestId, request }: Protocol.Fetch.RequestPausedEvent) => {
    const url = request.url;
    // Data addresses carry their contents with them: nothing is fetched.
    if (url.startsWith('data:')) return client.send('Fetch.continueRequest', { requestId });
    if (!url.startsWith(buildOrigin)) {
      log.blocked.push(url);
      return client.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    }
    const relative = decodeURIComponent(new URL(url).pathname.slice(1));
    const contents = byPath.get(relative);
    if (contents === undefined) {
      // Chromium asks for a favicon by itself; that is not a file the build forgot.
      if (relative !== 'favicon.ico') log.missing.push(relative);
      return fulfil(requestId, 404, 'text/plain', Buffer.from('not part of the build'));
    }
    log.served.push(relative);
    return fulfil(requestId, 200, contentTypeOf(relative), typeof contents === 'string' ? Buffer.from(contents) : Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength));
  };
  // A request the page no longer waits for (e.g. the page closed) cannot be answered; ignore that.
  client.on('Fetch.requestPaused', (event) => void answer(event).catch(() => {}));
  // Every request reaches the handler: none is answered from the cache of an earlier page.
  await page.setCacheEnabled(false);
  await client.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
  return log;
}
