/**
 * No accessibility findings, end to end: the real CLI builds the EPUB and the HTML edition of the
 * real charta; DAISY Ace, the EPUB accessibility checker, finds no violation in the EPUB, and
 * axe-core (WCAG 2.0–2.2 A and AA and its best-practice rules) none on any page of the HTML edition
 * nor in any XHTML document of the EPUB, each opened as a reading system opens it (as XHTML, with
 * its stylesheets and images). One Chromium serves every page, from two tabs.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { launchBrowser, type BrowserSession } from '../src/browser/browser.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { buildOrigin, serveFiles } from '../src/browser/serve-files.js';
import type { EditionFile } from '../src/render/edition.js';
import { axeViolations, projectRoot, runCli, tempOut } from './helpers.js';

let out: Awaited<ReturnType<typeof tempOut>>;
let epubFile: string;
/** The HTML edition under `html/`, the EPUB's entries under `epub/`. */
let files: EditionFile[];
let executablePath: string;

beforeAll(async () => {
  out = await tempOut();
  const built = await runCli(['build', '--format', 'epub,html', '--quiet', '--out', out.out]);
  expect(built.stderr.replace(/^charta: .* done in \d+ ms\n/gm, '')).toBe('');
  expect(built.code).toBe(0);
  epubFile = path.join(out.out, 'charta.epub');
  files = [...(await folderFiles(path.join(out.out, 'html'), 'html/')), ...(await zipFiles(epubFile, 'epub/'))];
  executablePath = (await findBrowser()).executablePath;
});
afterAll(() => out?.remove());

describe('DAISY Ace on the EPUB', () => {
  it('finds no violation in any content document or the package', async () => {
    const reports = path.join(out.out, 'ace');
    const ace = path.join(projectRoot, 'node_modules', '@daisy', 'ace-cli', 'bin', 'ace.js');
    // Ace starts its own Chromium through puppeteer (with --no-sandbox), the system's one here.
    const result = await run(process.execPath, [ace, '--silent', '--force', '--outdir', reports, '--tempdir', path.join(out.out, 'ace-tmp'), epubFile], {
      ...process.env,
      PUPPETEER_EXECUTABLE_PATH: executablePath,
      PUPPETEER_SKIP_DOWNLOAD: '1',
    });
    // Ace exits 0 whatever it finds (its report says what); anything else is a failed run.
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(await readFile(path.join(reports, 'report.json'), 'utf8')) as AceReport;
    const violations = report.assertions.flatMap((subject) =>
      subject.assertions.map((assertion) => `${subject['earl:testSubject'].url}: ${assertion['earl:test']['dct:title']} ${JSON.stringify(assertion['earl:result']['earl:pointer']?.css ?? [])}`),
    );
    expect(violations).toEqual([]);
    expect(report['earl:result']['earl:outcome']).toBe('pass');
    // Ace looked at every content document, not at none.
    const checked = new Set(report.assertions.map((subject) => path.posix.basename(subject['earl:testSubject'].url)));
    const documents = files.filter((file) => file.path.startsWith('epub/') && file.path.endsWith('.xhtml')).map((file) => path.posix.basename(file.path));
    expect(documents.length).toBeGreaterThan(20);
    expect(documents.filter((name) => !checked.has(name))).toEqual([]);
  });
});

describe('axe-core on every page', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await launchBrowser({ executablePath });
  });
  afterAll(() => session?.close());

  it('finds no violation on any page of the HTML edition nor in any XHTML document of the EPUB', async () => {
    const pages = files.map((file) => file.path).filter((name) => /^html\/[^/]+\.html$|^epub\/.+\.xhtml$/.test(name));
    expect(pages.filter((name) => name.startsWith('html/')).length).toBeGreaterThan(20);
    expect(pages.filter((name) => name.startsWith('epub/')).length).toBeGreaterThan(20);
    const found: string[] = [];
    const tabs = 2;
    await Promise.all(
      Array.from({ length: tabs }, (_, tab) =>
        session.withPage(async (page) => {
          const log = await serveFiles(page, files);
          await page.setViewport({ width: 1280, height: 900 });
          for (const name of pages.filter((_, index) => index % tabs === tab)) {
            await page.goto(`${buildOrigin}${name}`, { waitUntil: 'load' });
            // A reading system opens an EPUB document as XHTML; axe must see that document, not tag soup.
            if (name.endsWith('.xhtml')) expect(await page.evaluate(() => document.contentType), name).toBe('application/xhtml+xml');
            for (const violation of await axeViolations(page)) found.push(`${name} ${violation}`);
          }
          expect(log.blocked).toEqual([]);
          expect(log.missing).toEqual([]);
        }),
      ),
    );
    expect(found.sort()).toEqual([]);
  });
});

interface AceReport {
  'earl:result': { 'earl:outcome': string };
  assertions: Array<{
    'earl:testSubject': { url: string };
    assertions: Array<{ 'earl:test': { 'dct:title': string }; 'earl:result': { 'earl:pointer'?: { css?: string[] } } }>;
  }>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The files under `folder`, with `prefix` before their paths. */
async function folderFiles(folder: string, prefix: string): Promise<EditionFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return { path: `${prefix}${path.relative(folder, file).split(path.sep).join('/')}`, contents: await readFile(file) };
      }),
  );
}

/** The entries of the zip `file`, with `prefix` before their names. */
async function zipFiles(file: string, prefix: string): Promise<EditionFile[]> {
  const zip = await yauzl.fromBufferPromise(await readFile(file), { lazyEntries: true });
  const entries: EditionFile[] = [];
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.push({ path: `${prefix}${entry.fileName}`, contents: Buffer.concat(chunks) });
  }
  return entries;
}
