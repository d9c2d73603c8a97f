/**
 * `charta dev` as an editor and a designer use it: change a chapter, change a colour token, break
 * a YAML file and mend it; the open page is told each time, and the last good build stays served.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../src/dev/dev-server.js';
import { copyProject } from './helpers.js';

let project: Awaited<ReturnType<typeof copyProject>>;
let server: DevServer;
let events: Array<{ event: string; data: unknown }> = [];
let stream: AbortController;

/** Waits until an event of `type` arrives (after those already seen). */
async function next(type: string, timeout = 10_000): Promise<unknown> {
  const started = Date.now();
  while (Date.now() - started < timeout) {
    const index = events.findIndex((entry) => entry.event === type);
    if (index >= 0) {
      const [found] = events.splice(0, index + 1).slice(-1);
      return found!.data;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${type} event within ${timeout} ms; got ${JSON.stringify(events)}`);
}

beforeAll(async () => {
  project = await copyProject();
  server = await startDevServer({ root: project.root, port: 0 });
  stream = new AbortController();
  const response = await fetch(`${server.url}__charta/events`, { signal: stream.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(chunk)?.[1];
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted at the end of the tests.
    }
  })();
});

afterAll(async () => {
  stream.abort();
  await server.close();
  await project.remove();
});

describe('charta dev', () => {
  it('serves the HTML edition with the live reload client', async () => {
    const page = await (await fetch(server.url)).text();
    expect(page).toContain('<h1>Charta der Automobilregion Südwestsachsen</h1>');
    expect(page).toContain('<script src="/__charta/client.js"></script>');
    const css = await fetch(`${server.url}css/tokens.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    await css.text();
    const missing = await fetch(`${server.url}gibt-es-nicht.html`);
    expect(missing.status).toBe(404);
    await missing.text();
  });

  it('reloads the page of a chapter that an editor changed', async () => {
    events = [];
    const chapter = path.join(project.root, 'charta', '01-analyse', '02-industrielle-basis.md');
    await writeFile(chapter, (await readFile(chapter, 'utf8')).replace('## Wiege des Automobilbaus', '## Wiege des Automobilbaus in Sachsen'));
    const data = (await next('reload')) as { pages: string[] };
    expect(data.pages).toContain('analyse-02-industrielle-basis.html');
    expect(data.pages).not.toContain('vision-01-leitbild.html');
    expect(await (await fetch(`${server.url}analyse-02-industrielle-basis.html`)).text()).toContain('Wiege des Automobilbaus in Sachsen');
  });

  it('swaps the stylesheets without a reload when a designer changes a token', async () => {
    events = [];
    await appendFile(path.join(project.root, 'templates', 'css', 'tokens.css'), '\n:root { --farbe-akzent: #7a1f5c; }\n');
    expect(await next('css')).toEqual([path.join('templates', 'css', 'tokens.css')]);
    expect(events.some((entry) => entry.event === 'reload')).toBe(false);
    expect(await (await fetch(`${server.url}css/tokens.css`)).text()).toContain('#7a1f5c');
  });

  it('shows a broken YAML file as problems and keeps the last good build; mending it reloads', async () => {
    events = [];
    const registry = path.join(project.root, 'charta', 'quellen.yaml');
    const good = await readFile(registry, 'utf8');
    await writeFile(registry, good.replace('quellen:', 'quellen:\n\t- kaputt'));
    const problems = (await next('problems')) as string[];
    expect(problems[0]).toMatch(/^charta\/quellen\.yaml:\d+:\d+ {2}error {2}/);
    expect((await fetch(server.url)).status).toBe(200);
    await writeFile(registry, good);
    expect(await next('reload')).toHaveProperty('pages');
  });

  it('prints the current build as a PDF on demand, for the print layout', async () => {
    const response = await fetch(`${server.url}__charta/druck.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('Wiege des Automobilbaus in Sachsen');
  });

  it('answers only Host headers that name its own address, without CORS headers, the event stream too', async () => {
    const { port } = new URL(server.url);
    for (const path of ['/', '/index.html', '/__charta/events', '/__charta/client.js', '/__charta/druck.pdf']) {
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, 'localhost.evil.example', `[::1].evil.example:${port}`, `localhost:${port}@evil.example`]) {
        const response = await rawRequest(port, path, host);
        expect(response.status, `${host} ${path}`).toBe(403);
        expect(response.body).toContain('is not this server');
        expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      }
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1']) {
      const response = await rawRequest(port, '/', host);
      expect(response.status, host).toBe(200);
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
    // Without a Host header, Node's server refuses the request itself.
    expect((await rawRequest(port, '/', '')).status).toBe(400);
  });

  it('sees a second save within chokidar’s quiet time after the first', async () => {
    events = [];
    const chapter = path.join(project.root, 'charta', '02-vision', '01-leitbild.md');
    const text = await readFile(chapter, 'utf8');
    await writeFile(chapter, `${text}\nErste Fassung.\n`);
    // The first save's rebuild takes less than chokidar's 50 ms: the second save falls within them.
    await next('reload');
    await writeFile(chapter, `${text}\nZweite Fassung.\n`);
    const deadline = Date.now() + 10_000;
    let page = '';
    while (Date.now() < deadline && !page.includes('Zweite Fassung.')) {
      await next('reload');
      page = await (await fetch(`${server.url}vision-01-leitbild.html`)).text();
    }
    expect(page).toContain('Zweite Fassung.');
    await writeFile(chapter, text);
    await next('reload');
  });

  it('answers a malformed request and goes on serving', async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.end('GARBAGE \u0000\r\nHost: localhost\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += String(chunk)));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(server.url)).status).toBe(200);
  });

  it('rebuilds the search index just after the reload, serving the previous one meanwhile', async () => {
    events = [];
    const chapter = path.join(project.root, 'charta', '02-vision', '01-leitbild.md');
    const text = await readFile(chapter, 'utf8');
    await writeFile(chapter, `${text}\nEin Satz über Quantencomputer.\n`);
    await next('reload');
    const started = Date.now();
    let index = '';
    while (!index.includes('Quantencomputer') && Date.now() - started < 10_000) {
      const response = await fetch(`${server.url}js/suche-index.js`);
      expect(response.status).toBe(200);
      index = await response.text();
    }
    expect(index).toContain('Ein Satz über Quantencomputer.');
    await writeFile(chapter, text);
    await next('reload');
  });
});

/** A GET with the `Host` header set (fetch does not let one set it); an empty host sends none. */
function rawRequest(port: string, path: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: Number(port), path, headers: host ? { host } : {}, setHost: host !== '' }, (response) => {
      let body = '';
      response.on('data', (chunk) => {
        body += String(chunk);
        // The event stream does not end: its first bytes tell enough.
        if (path.endsWith('events')) response.destroy();
      });
      const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      response.on('end', done);
      response.on('close', done);
    });
    request.on('error', reject);
    request.end();
  });
}

