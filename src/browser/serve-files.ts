/**
 * Serves a build's own files to a page from memory, under an origin that cannot exist on any
 * network (`.invalid` is reserved, RFC 6761), and blocks every other request. Nothing a template
 * or a source names can make the browser load something from outside the build; whatever was
 * asked for is recorded, so the build can refuse the result and tests can assert on it.
 */
import type { HTTPRequest, Page } from 'puppeteer';
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

/** Makes `page` load only `files` (paths relative to `buildOrigin`); returns the live log. */
export async function serveFiles(page: Page, files: readonly EditionFile[]): Promise<RequestLog> {
  const byPath = new Map(files.map((file) => [file.path, file.contents]));
  const log: RequestLog = { served: [], blocked: [], missing: [] };
  const answer = async (request: HTTPRequest) => {
    const url = request.url();
    // Data addresses carry their contents with them: nothing is fetched.
    if (url.startsWith('data:')) return request.continue();
    if (!url.startsWith(buildOrigin)) {
      log.blocked.push(url);
      return request.abort('blockedbyclient');
    }
    const relative = decodeURIComponent(new URL(url).pathname.slice(1));
    const contents = byPath.get(relative);
    if (contents === undefined) {
      // Chromium asks for a favicon by itself; that is not a file the build forgot.
      if (relative !== 'favicon.ico') log.missing.push(relative);
      return request.respond({ status: 404, contentType: 'text/plain', body: 'not part of the build' });
    }
    log.served.push(relative);
    return request.respond({
      status: 200,
      contentType: contentTypeOf(relative),
      body: typeof contents === 'string' ? contents : Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength),
    });
  };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    // A request the page no longer waits for (e.g. the page closed) cannot be answered; ignore that.
    answer(request).catch(() => {});
  });
  return log;
}
