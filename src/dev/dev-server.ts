/**
 * `charta dev`: builds the HTML edition in memory, serves it on localhost, watches `charta/` and
 * `templates/`, rebuilds what a change touches and tells the open pages (live reload; a CSS-only
 * change is applied without a reload). Content errors go to the terminal and, as an overlay, to
 * the page; the last good build stays served. `/__charta/druck.pdf` prints the current build as
 * the PDF edition, for a look at the print layout. The search index is rebuilt just after the
 * pages are told to reload (the previous one is served meanwhile), so a save reaches the page
 * without waiting for it.
 */
import { createServer, type ServerResponse } from 'node:http';
import { stat } from 'node:fs/promises';
import { isIP, isIPv6 } from 'node:net';
import path from 'node:path';
import { watch } from 'chokidar';
import type { VFile } from 'vfile';
import { assertProject } from '../commands/build.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { countMessages, formatMessages } from '../core/messages.js';
import { loadCharta, type TransformCache } from '../load/load-charta.js';
import { diskReader, rememberingReader } from '../load/source-reader.js';
import { styleAssets } from '../render/assets.js';
import { contentTypeOf } from '../render/edition.js';
import { htmlAddresses, htmlStylesheets, renderedPages, renderHtml } from '../render/html/render-html.js';
import { searchAssets } from '../search/search-index.js';
import { searchFiles } from '../search/search-options.js';
import type { Charta } from '../charta.js';
import { clientScript } from './client.js';

/** How long chokidar keeps quiet about a file after telling a change of it. */
const changeThrottle = 50;

/** Milliseconds without a change before a burst of changes is built. */
const burstQuiet = 5;

/** Milliseconds after a reload before the search index is rebuilt: the page is served first. */
const searchPause = 250;

export interface DevOptions {
  root: string;
  port: number;
  host?: string;
  /** Told about each rebuild: what changed, how long it took, the problems. */
  onRebuild?(report: RebuildReport): void;
}

export interface RebuildReport {
  /** What triggered it: `start`, or the changed files relative to the root. */
  changed: string[];
  kind: 'full' | 'css' | 'failed';
  milliseconds: number;
  /** Problems as compiler lines. */
  messages: string[];
  errors: number;
}

export interface DevServer {
  url: string;
  /** Rebuilds now, as a change of `changed` would; resolves when the pages are served. */
  rebuild(changed: string[]): Promise<RebuildReport>;
  close(): Promise<void>;
}

/** Starts the preview server. */
export async function startDevServer(options: DevOptions): Promise<DevServer> {
  const root = path.resolve(options.root);
  assertProject(root);
  const cache: TransformCache = new Map();
  // The sources as last read: a rebuild reads again only what the watcher saw change.
  const sources = rememberingReader(diskReader);
  // The pages of the last build: a rebuild renders only those whose view changed.
  const pagesBefore = renderedPages();
  let files = new Map<string, string | Uint8Array>();
  let charta: Charta | undefined;
  let problems: string[] = [];
  const clients = new Set<ServerResponse>();

  const send = (event: string, data: unknown) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const report = (changed: string[], kind: RebuildReport['kind'], started: number, sourceFiles: VFile[]): RebuildReport => {
    const messages = formatMessages(sourceFiles, process.cwd());
    return { changed, kind, milliseconds: performance.now() - started, messages, errors: countMessages(sourceFiles).errors };
  };

  let searchGeneration = 0;
  /** Builds the search's files of `current` into the served files, unless a later build came first. */
  const refreshSearch = (current: Charta) => {
    const generation = ++searchGeneration;
    // The index takes a while to build, and the page that reloads waits for none of it.
    setTimeout(() => {
      if (generation !== searchGeneration) return;
      searchAssets(current, htmlAddresses).then(
        (assets) => {
          if (generation === searchGeneration) for (const asset of assets) files.set(asset.path, asset.contents);
        },
        (cause: Error) => {
          problems = [cause.message];
          send('problems', problems);
        },
      );
    }, searchPause);
  };

  const rebuild = async (changed: string[]): Promise<RebuildReport> => {
    const started = performance.now();
    const onlyCss = charta !== undefined && changed.length > 0 && changed.every((file) => file.startsWith(`templates${path.sep}css${path.sep}`));
    if (onlyCss && charta) {
      try {
        for (const asset of await styleAssets(charta, htmlStylesheets)) files.set(asset.path, asset.contents);
      } catch (cause) {
        problems = [(cause as Error).message];
        send('problems', problems);
        return { changed, kind: 'failed', milliseconds: performance.now() - started, messages: problems, errors: 1 };
      }
      problems = [];
      send('css', changed);
      return report(changed, 'css', started, charta.files);
    }
    // The disk's cache of chapters serves the first load; later ones keep theirs in memory.
    const loaded = await loadCharta({ root, cache, diskCache: files.size === 0, reader: sources.reader });
    if (!loaded.charta) {
      problems = formatMessages(loaded.files, root);
      send('problems', problems);
      return report(changed, 'failed', started, loaded.files);
    }
    let rendered;
    try {
      rendered = await renderHtml(loaded.charta, { search: false, previous: pagesBefore });
      if (files.size === 0) rendered.push(...(await searchAssets(loaded.charta, htmlAddresses)));
    } catch (cause) {
      problems = [(cause as Error).message];
      send('problems', problems);
      return { changed, kind: 'failed', milliseconds: performance.now() - started, messages: problems, errors: 1 };
    }
    const next = new Map(rendered.map((file) => [file.path, file.contents] as const));
    const pages = [...next.keys()].filter((name) => name.endsWith('.html') && next.get(name) !== files.get(name));
    const first = files.size === 0;
    for (const name of Object.values(searchFiles)) {
      const previous = files.get(name);
      if (!next.has(name) && previous !== undefined) next.set(name, previous);
    }
    files = next;
    charta = loaded.charta;
    problems = [];
    send('reload', { pages: first ? null : pages });
    if (!first) refreshSearch(loaded.charta);
    return report(changed, 'full', started, loaded.files);
  };

  const host = options.host ?? '127.0.0.1';
  const allowed = allowedHost(host);
  const server = createServer((request, response) => {
    // A page on another site may reach this server through a name that resolves here (DNS
    // rebinding): only the names of the address it listens on are answered.
    if (!allowed(request.headers.host)) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end(`charta dev: the Host ${JSON.stringify(request.headers.host ?? '')} is not this server's; open it as http://${displayHost(host)}:${port}/\n`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/__charta/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write(': charta dev\n\n');
      if (problems.length > 0) response.write(`event: problems\ndata: ${JSON.stringify(problems)}\n\n`);
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return;
    }
    if (url.pathname === '/__charta/druck.pdf') {
      // The print layout on demand: the PDF of the current good build, for a designer's look.
      void printPreview(charta).then(
        (bytes) => {
          response.writeHead(200, { 'content-type': 'application/pdf', 'cache-control': 'no-store' });
          response.end(bytes);
        },
        (cause: Error) => {
          response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(`charta dev: no print preview: ${cause.message}\n`);
        },
      );
      return;
    }
    if (url.pathname === '/__charta/client.js') {
      response.writeHead(200, { 'content-type': contentTypeOf('client.js'), 'cache-control': 'no-store' });
      response.end(clientScript);
      return;
    }
    let name = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    if (name === '' || name.endsWith('/')) name += 'index.html';
    const contents = files.get(name);
    if (contents === undefined) {
      // An HTML page that is not (yet) there still listens, so it appears once the build works.
      response.writeHead(404, { 'content-type': contentTypeOf('404.html'), 'cache-control': 'no-store' });
      response.end(`<!DOCTYPE html><html lang="en"><title>Not found</title><body><p>Not found: /${escapeHtml(name)}</p><script src="/__charta/client.js"></script></body></html>`);
      return;
    }
    const type = contentTypeOf(name);
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(type.startsWith('text/html') ? String(contents).replace('</body>', '<script src="/__charta/client.js"></script>\n</body>') : contents);
  });

  const initial = await rebuild(['start']);
  options.onRebuild?.(initial);

  let port = options.port;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(
        new ChartaError(
          cause.code === 'EADDRINUSE' ? `Port ${options.port} is in use` : `Cannot serve on ${host}:${options.port}: ${cause.message}`,
          ExitCode.environment,
          cause.code === 'EADDRINUSE' ? 'Choose another one with --port.' : undefined,
        ),
      ),
    );
    server.listen(options.port, host, resolve);
  });
  const address = server.address();
  if (typeof address === 'object' && address) port = address.port;

  // Changes arrive in bursts (a file written in pieces, a formatter after the editor): each is
  // built a moment after the last change of its burst, and what comes while a build runs is built
  // together right after it.
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  /** By changed file: its modification time when the last build that read it began. */
  const builtAt = new Map<string, number | undefined>();
  const mtimeOf = (file: string) => stat(file).then((info) => info.mtimeMs, () => undefined);
  const watcher = watch([path.join(root, 'charta'), path.join(root, 'templates')], {
    ignoreInitial: true,
    ignored: (file) => /(^|[/\\])(\.|#|.*~$)/.test(path.basename(file)),
  });
  const changedNow = (file: string) => {
    sources.forget(file);
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        const changed = [...pending];
        pending = new Set();
        if (changed.length === 0) return;
        const times = await Promise.all(changed.map(mtimeOf));
        changed.forEach((name, at) => builtAt.set(name, times[at]));
        // Not `onRebuild?.(await rebuild())`: optional chaining would skip the rebuild itself.
        const report = await rebuild(changed.map((name) => path.relative(root, name)));
        options.onRebuild?.(report);
      });
    }, burstQuiet);
  };
  watcher.on('all', (event, file) => {
    changedNow(file);
    // chokidar drops the changes of a file within 50 ms of the one it told (its throttle): a
    // second save that quick is seen by its time, against the one the build read.
    if (event !== 'change') return;
    setTimeout(() => {
      void running.then(async () => {
        const now = await mtimeOf(file);
        if (builtAt.has(file) && builtAt.get(file) !== now && !watcher.closed && !pending.has(file)) changedNow(file);
      });
    }, changeThrottle + 10);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    url: `http://${displayHost(host)}:${port}/`,
    rebuild: (changed) => {
      const next = running.then(() => rebuild(changed));
      running = next;
      return next;
    },
    async close() {
      clearTimeout(timer);
      await watcher.close();
      for (const client of clients) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The PDF of `charta`, built on demand; puppeteer is loaded only when this is asked for. */
async function printPreview(charta: Charta | undefined): Promise<Uint8Array> {
  if (!charta) throw new Error('the sources have errors');
  const { findPdfBrowser } = await import('../browser/find-browser.js');
  const { buildPdf } = await import('../emit/pdf-edition.js');
  const browser = await findPdfBrowser();
  if (typeof browser !== 'string') throw new Error(browser.problem);
  return (await buildPdf(charta, { executablePath: browser })).bytes;
}

/** The name to open a server listening on `host` by. */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return isIPv6(host) ? `[${host}]` : host;
}

/**
 * Which `Host` headers a server listening on `host` answers: `localhost`, `127.0.0.1`, `[::1]` and
 * `host` itself, with any port; listening on every address (`0.0.0.0`, `::`), also any IP address,
 * which, unlike a name, no other site can make point here.
 */
export function allowedHost(host: string): (header: string | undefined) => boolean {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', (isIPv6(host) ? `[${host}]` : host).toLowerCase()]);
  const everywhere = host === '0.0.0.0' || host === '::';
  return (header) => {
    if (!header) return false;
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header.trim());
    if (!match) return false;
    const name = match[1]!.toLowerCase();
    return names.has(name) || (everywhere && isIP(name.replace(/^\[|\]$/g, '')) !== 0);
  };
}
