/**
 * End to end: the real CLI builds the PDF of the real charta into a temporary folder; the tests
 * read it back with pdf.js and poppler's tools (pdfinfo, pdffonts, pdftotext) and compare it with
 * the charta as the loader sees it: pages, contents numbers, outline, metadata, fonts, marked
 * passages, links, alternative text, no request outside the build, a missing browser, Ctrl-C.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element } from 'hast';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Charta } from '../src/charta.js';
import { findBrowser, systemCandidates } from '../src/browser/find-browser.js';
import { buildPdf } from '../src/emit/pdf-edition.js';
import { renderPrint } from '../src/render/print/render-print.js';
import { loadCharta } from '../src/load/load-charta.js';
import { copyProject, pdfLinks, projectRoot, runCli, tempOut } from './helpers.js';

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** Text without the marks of line breaking: whitespace, soft hyphens, hyphens. */
function squeeze(text: string): string {
  return text.normalize('NFC').replace(/[\s\u00ad\u200b\-‐]/g, '');
}

interface OutlineNode {
  title: string;
  children: OutlineNode[];
}

interface TocEntry {
  text: string;
  number: number;
  /** The page the entry's link goes to. */
  target: number;
}

let out: Awaited<ReturnType<typeof tempOut>>;
let file: string;
let bytes: Buffer;
let pdf: PDFDocumentProxy;
let charta: Charta;
let info: Map<string, string>;
/** Text of each page (index 0 is page 1), as pdftotext reads it. */
let pageTexts: string[];

beforeAll(async () => {
  out = await tempOut();
  const result = await runCli(['build', '--format', 'pdf', '--out', out.out]);
  expect(result.stderr.replace(/^charta: .* done in \d+ ms\n/gm, '')).toBe('');
  expect(result.code).toBe(0);
  file = path.join(out.out, 'charta.pdf');
  bytes = await readFile(file);
  pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const loaded = await loadCharta({ root: projectRoot });
  charta = loaded.charta!;
  info = new Map(
    (await run('pdfinfo', [file])).split('\n').flatMap((line) => {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      return match ? [[match[1]!, match[2]!] as const] : [];
    }),
  );
  const all = await run('pdftotext', ['-layout', file, '-']);
  pageTexts = all.split('\f');
});

afterAll(async () => {
  await pdf?.destroy();
  await out?.remove();
});

/** The page number (from 1) of a destination, named or explicit. */
async function pageOf(dest: unknown): Promise<number> {
  const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : (dest as unknown[]);
  expect(explicit, `destination ${String(dest)}`).toBeTruthy();
  return (await pdf.getPageIndex(explicit![0] as { num: number; gen: number })) + 1;
}

/** The headings at least `size` points tall on page `number`, each line joined to the next. */
async function largeText(number: number, size: number): Promise<string> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  return content.items
    .filter((item) => 'str' in item && item.height >= size)
    .map((item) => ('str' in item ? item.str : ''))
    .join(' ');
}

/** The entries of the table of contents: every internal link on its pages (from its bookmark to the next). */
async function contents(): Promise<TocEntry[]> {
  const outline = (await pdf.getOutline()) ?? [];
  const at = outline.findIndex((item) => item.title === 'Inhalt');
  expect(at).toBeGreaterThanOrEqual(0);
  const [first, next] = [await pageOf(outline[at]!.dest), await pageOf(outline[at + 1]!.dest)];
  const entries: TocEntry[] = [];
  for (let number = first; number < next; number++) {
    for (const link of await pdfLinks(await pdf.getPage(number))) {
      const { words } = link;
      const last = words.at(-1) ?? '';
      expect(last, `entry "${words.join(' ')}" on page ${number}`).toMatch(/^\d+$/);
      entries.push({ text: words.slice(0, -1).join(' '), number: Number(last), target: await pageOf(link.dest) });
    }
  }
  return entries;
}

/** The outline the charta's headings call for: front matter, then part > chapter > sections. */
function expectedOutline(): OutlineNode[] {
  const front: OutlineNode[] = [charta.meta.titel, 'Impressum', 'Inhalt'].map((title) => ({ title, children: [] }));
  // The legend's section with the figures of the contributions is found from the outline too.
  if (charta.marking) front.push({ title: 'Legende der Beiträge', children: [{ title: 'Woher kommen die Inhalte dieser Charta?', children: [] }] });
  const parts = charta.parts.map((part) => ({
    title: `Teil ${part.number}: ${part.title}`,
    children: part.chapters.map((chapter) => {
      const root: OutlineNode = { title: '', children: [] };
      const stack: Array<{ depth: number; node: OutlineNode }> = [{ depth: 0, node: root }];
      for (const heading of chapter.headings) {
        while (stack.at(-1)!.depth >= heading.depth) stack.pop();
        const node = { title: heading.text, children: [] };
        stack.at(-1)!.node.children.push(node);
        stack.push({ depth: heading.depth, node });
      }
      expect(root.children).toHaveLength(1);
      return root.children[0]!;
    }),
  }));
  return [...front, ...parts];
}

describe('the PDF edition', () => {
  it('has A4 pages, a sane number of them', () => {
    const pages = Number(info.get('Pages'));
    expect(pages).toBeGreaterThanOrEqual(30);
    expect(pages).toBeLessThanOrEqual(150);
    expect(pdf.numPages).toBe(pages);
    expect(info.get('Page size')).toMatch(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  });

  it('carries title, author, subject, keywords and language, tagged, with XMP metadata', async () => {
    expect(info.get('Title')).toBe(charta.meta.titel);
    expect(info.get('Author')).toBe(charta.meta.autor);
    expect(info.get('Subject')).toContain(charta.meta.beschreibung.slice(0, 40));
    expect(info.get('Keywords')).toBe(charta.meta.schlagwoerter.join(', '));
    expect(info.get('Tagged')).toBe('yes');
    expect(info.get('Metadata Stream')).toBe('yes');
    const metadata = await pdf.getMetadata();
    expect((metadata.info as { Language?: string }).Language).toBe('de');
    expect(metadata.metadata?.get('dc:title')).toBe(charta.meta.titel);
    expect(metadata.metadata?.get('dc:creator')).toEqual([charta.meta.autor]);
    // The metadata is an incremental update: the bytes Chromium wrote are kept and still read.
    expect(bytes.toString('latin1').match(/%%EOF/g)).toHaveLength(2);
    for (let number = 1; number <= pdf.numPages; number++) await (await pdf.getPage(number)).getTextContent();
  });

  it('embeds every font, and all are the bundled ones', async () => {
    const rows = (await run('pdffonts', [file])).split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const columns = row.trim().split(/\s+/);
      const [embedded] = columns.slice(-5);
      expect(embedded, row).toBe('yes');
      expect(row, 'a font that is not bundled, or a Type 3 font from a synthesized style').toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceSans3|NotoSansSymbols2)\S*\s+CID TrueType/);
    }
  });

  it('has an outline that nests part > chapter > section and matches the headings', async () => {
    const toNodes = (items: Array<{ title: string; items: unknown[] }>): OutlineNode[] =>
      items.map((item) => ({ title: item.title, children: toNodes(item.items as Array<{ title: string; items: unknown[] }>) }));
    const outline = toNodes((await pdf.getOutline()) ?? []);
    expect(outline).toEqual(expectedOutline());
  });

  it('has a table of contents whose every number is the page of its heading', async () => {
    const entries = await contents();
    const sections = charta.parts.flatMap((part) => part.chapters.flatMap((chapter) => chapter.headings.filter((heading) => heading.depth <= 2)));
    expect(entries).toHaveLength((charta.marking ? 1 : 0) + charta.parts.length + sections.length);
    for (const entry of entries) {
      expect(entry.number, entry.text).toBe(entry.target);
      const title = entry.text.replace(/^Teil \d+ /, '');
      expect(squeeze(await largeText(entry.number, 12)), `"${title}" as a heading on page ${entry.number}`).toContain(squeeze(title));
    }
    // No invisible helper characters end up in the text a reader copies.
    expect(pageTexts.join('')).not.toMatch(/[\u200b\u200c\ufeff]/);
    // The entries are in reading order, so their numbers never go down.
    const numbers = entries.map((entry) => entry.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
  });

  it('contains the text of every marked passage, with its source named', () => {
    const text = squeeze(pageTexts.join('\n'));
    let passages = 0;
    for (const chapter of charta.parts.flatMap((part) => part.chapters)) {
      for (const passage of selectAll('.beitrag', chapter.tree) as Element[]) {
        const label = selectAll('.beitrag__kopf, .beitrag__quelle', passage).map((node) => toString(node)).join('');
        const own = toString(passage);
        const body = label ? own.replace(toString(selectAll('.beitrag__kopf', passage)[0] ?? { type: 'root', children: [] }), '').replace(toString(selectAll('.beitrag__quelle', passage)[0] ?? { type: 'root', children: [] }), '') : own;
        expect(text, `passage "${body.slice(0, 60)}…" in ${chapter.path}`).toContain(squeeze(body));
        expect(text).toContain(squeeze(label));
        passages++;
      }
    }
    expect(passages).toBeGreaterThan(20);
    for (const source of charta.sources) expect(text).toContain(squeeze(`Beitrag aus: ${source.bezeichnung}`));
  });

  it('hyphenates German words, keeps only the soft hyphens that end a line, and every line inside the text block', async () => {
    // Chromium writes a soft hyphen into the text before the hyphen it draws at a line end.
    // (With -layout, a table's columns stand side by side: a cell's line may end before more spaces.)
    const text = pageTexts.join('\n');
    const atLineEnd = text.match(/\p{L}\u00ad-(\n| {2,})/gu) ?? [];
    expect(atLineEnd.length).toBeGreaterThan(30);
    // The others were removed, so that "Kongress" is found where "Kon\u00adgress" was.
    const inside = text.match(/\u00ad(?!-(\n| {2,}))/g) ?? [];
    // Known gap: with the 18 chapters of Charta 2.0 about 4 % of the kept breaks no longer end a
    // line in print (the screen measurement and the print layout disagree on some lines; with one
    // chapter less it is 0.3 %). Searching for those few words fails; the bound keeps it from growing.
    expect(inside.length).toBeLessThanOrEqual(Math.ceil(atLineEnd.length * 0.05));
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const [, , width] = page.view;
      for (const item of (await page.getTextContent()).items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const right = item.transform[4] + item.width;
        expect(right, `"${item.str}" on page ${number} runs into the margin`).toBeLessThanOrEqual(width! - 70);
        expect(item.transform[4], `"${item.str}" on page ${number}`).toBeGreaterThanOrEqual(70);
      }
    }
  });

  it('links contents, cross references and footnotes inside the document, and the web outside', async () => {
    let internal = 0;
    const external = new Set<string>();
    let toFootnotes = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      for (const link of await (await pdf.getPage(number)).getAnnotations()) {
        if (link.subtype !== 'Link') continue;
        if (link.url) {
          external.add(link.url as string);
          continue;
        }
        expect(link.dest, `a link without target on page ${number}`).toBeTruthy();
        const target = await pageOf(link.dest);
        expect(target).toBeGreaterThanOrEqual(1);
        internal++;
        if (typeof link.dest === 'string' && link.dest.includes('--fn-')) {
          toFootnotes++;
          expect(target, `the note ${link.dest} stands on the page of its reference`).toBe(number);
        }
      }
    }
    const footnotes = charta.parts.flatMap((part) => part.chapters.flatMap((chapter) => selectAll('a[data-footnote-ref]', chapter.tree)));
    expect(toFootnotes).toBe(footnotes.length);
    expect(internal).toBeGreaterThan(100);
    expect(external).toContain(new URL(charta.meta.kontakt.web).href);
    expect(external).toContain(new URL(charta.meta.rueckmeldung).href);
  });

  it('sets each footnote at the foot of the page of its reference, and prints no page of notes alone', async () => {
    const notes = charta.parts.flatMap((part) => part.chapters.flatMap((chapter) => selectAll('section[data-footnotes] li', chapter.tree).map((item) => ({ chapter, item }))));
    expect(notes.length).toBeGreaterThan(5);
    for (const { chapter, item } of notes) {
      const id = String(item.properties.id);
      const reference = selectAll(`a[data-footnote-ref]`, chapter.tree).find((link) => link.properties.href === `#${id}`)!;
      const referenceText = squeeze(toString(reference));
      const noteText = squeeze(toString(item).replace('↑', '')).slice(0, 40);
      const page = pageTexts.findIndex((text) => squeeze(text).includes(noteText));
      expect(page, `the note ${id} is printed`).toBeGreaterThanOrEqual(0);
      // The page holds the reference's number in the text too, and the note is below all of the text.
      expect(squeeze(pageTexts[page]!)).toContain(referenceText);
      const lines = pageTexts[page]!.split('\n').filter((line) => line.trim());
      const noteLine = lines.findIndex((line) => squeeze(noteText).startsWith(squeeze(line).slice(0, 12)) || squeeze(line).includes(noteText.slice(0, 12)));
      expect(noteLine, `the note ${id} stands at the foot of page ${page + 1}`).toBeGreaterThan(lines.length / 2);
    }
    // No page holds only notes: every page with a note has text of its chapter above it.
    for (const text of pageTexts) {
      const first = text.split('\n').find((line) => line.trim() && !/^TEIL|^\d+$/.test(line.trim()));
      if (first) expect(/^\s*\d+\. /.test(first) && notes.some(({ item }) => squeeze(toString(item)).startsWith(squeeze(first).replace(/^\d+\./, '').slice(0, 20))), `a page begins with a note: ${first}`).toBe(false);
    }
  });

  it('ends no page with a heading: a notes block goes before the heading, which goes on with its text', async () => {
    for (const chapter of charta.parts.flatMap((part) => part.chapters)) {
      for (const heading of chapter.headings.filter((entry) => entry.depth >= 2)) {
        const title = squeeze(heading.text);
        for (const [at, text] of pageTexts.entries()) {
          const lines = text.split('\n').map((line) => squeeze(line)).filter(Boolean);
          const index = lines.findIndex((line) => line === title);
          if (index < 0) continue;
          // What follows the heading on its page: more than the page number and the notes below.
          const after = lines.slice(index + 1).filter((line) => !/^\d+$/.test(line));
          expect(after.length, `"${heading.text}" ends page ${at + 1}`).toBeGreaterThan(0);
          expect(/^\d+\. /.test(after[0]!), `"${heading.text}" on page ${at + 1} is followed by notes only`).toBe(false);
        }
      }
    }
  });

  it('gives each link to a chapter or heading the page of its target: (S. 21)', async () => {
    let references = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const text = pageTexts[number - 1]!;
      for (const link of await pdfLinks(page)) {
        const words = squeeze(link.words.join(' '));
        if (!words || typeof link.dest !== 'string' || link.dest.includes('--fn')) continue;
        const after = new RegExp(`${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(-12)}\\(S\\.(\\d+)\\)`).exec(squeeze(text));
        if (!after) continue;
        references++;
        expect(Number(after[1]), `the page reference after "${link.words.join(' ')}" on page ${number}`).toBe(await pageOf(link.dest));
      }
    }
    const links = charta.parts.flatMap((part) => part.chapters.flatMap((chapter) => selectAll('a', chapter.tree).filter((link) => link.data?.chapterLink && link.properties.dataFootnoteRef === undefined && link.properties.dataFootnoteBackref === undefined)));
    expect(links.length).toBeGreaterThan(0);
    expect(references).toBe(links.length);
  });

  it('gives every image its alternative text in the tags', async () => {
    const alts: string[] = [];
    const walk = (node: { role?: string; alt?: string; children?: unknown[] }) => {
      if (node.role === 'Figure' && node.alt) alts.push(node.alt);
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    for (let number = 1; number <= pdf.numPages; number++) {
      const tree = await (await pdf.getPage(number)).getStructTree();
      if (tree) walk(tree as typeof tree & { children?: unknown[] });
    }
    const expected = charta.parts.flatMap((part) => part.chapters.flatMap((chapter) => selectAll('img', chapter.tree).map((image) => String((image as Element).properties.alt))));
    expect(expected.length).toBeGreaterThan(0);
    expect(alts).toEqual(expect.arrayContaining(expected));
  });
});

describe('the browser while printing', () => {
  it('loads nothing but the build’s own files', async () => {
    const browser = await findBrowser();
    const result = await buildPdf(charta, { executablePath: browser.executablePath });
    expect(result.requests.blocked).toEqual([]);
    expect(result.requests.missing).toEqual([]);
    expect(result.requests.served).toContain('charta.html');
    expect(result.requests.served).toContain('css/print.css');
    expect(result.requests.served.some((served) => served.startsWith('fonts/'))).toBe(true);
    // The layout passes that place the footnotes, then printed once: setting the page numbers moved nothing.
    expect(result.footnotes).toMatchObject({ mode: 'seitenfuss', atChapterEnd: 0 });
    expect(result.footnotes.placed).toBeGreaterThan(5);
    expect(result.prints).toBe(result.footnotes.passes + 1);
    expect(result.pages).toBe(pdf.numPages);
    // Nothing reaches past the text block: Chromium prints the pages at their size.
    expect(result.overflow).toBe(0);

    // With the numbers and the notes' places of that build, the same document is printed once, as it was.
    const again = await buildPdf(charta, { executablePath: browser.executablePath, pageNumbers: result.pageNumbers, layout: result.layout });
    expect(again.prints).toBe(1);
    expect(again.footnotes).toEqual({ ...result.footnotes, passes: 0 });
    expect(again.pageNumbers).toEqual(result.pageNumbers);
    expect(again.pages).toBe(result.pages);
    expect(again.layout).toEqual(result.layout);
    // A placement under another key (another document, stylesheet or browser) is not used.
    const otherKey = await buildPdf(charta, { executablePath: browser.executablePath, pageNumbers: result.pageNumbers, layout: { ...result.layout, key: 'anders' } });
    expect(otherKey.prints).toBe(otherKey.footnotes.passes + 1);
    expect(otherKey.footnotes.passes).toBeGreaterThan(0);
    // One whose notes do not land where it says costs its print, and the notes are placed from the start.
    const moved = { ...result.layout, footnotes: result.layout.footnotes.map((block) => ({ ...block, page: block.page + 1 })) };
    const misplaced = await buildPdf(charta, { executablePath: browser.executablePath, pageNumbers: result.pageNumbers, layout: moved });
    expect(misplaced.prints).toBe(1 + misplaced.footnotes.passes + 1);
    expect(misplaced.layout).toEqual(result.layout);
    expect(misplaced.pageNumbers).toEqual(result.pageNumbers);
    // Without the notes' places, the numbers alone still need the passes.
    const numbersOnly = await buildPdf(charta, { executablePath: browser.executablePath, pageNumbers: result.pageNumbers });
    expect(numbersOnly.prints).toBe(numbersOnly.footnotes.passes + 1);
    expect(numbersOnly.pageNumbers).toEqual(result.pageNumbers);
    // Numbers that no longer hold are corrected from the layout passes before the print.
    const shifted = new Map([...result.pageNumbers].map(([target, number]) => [target, number + 1]));
    const corrected = await buildPdf(charta, { executablePath: browser.executablePath, pageNumbers: shifted });
    expect(corrected.prints).toBe(corrected.footnotes.passes + 1);
    expect(corrected.pageNumbers).toEqual(result.pageNumbers);
  });

  it('keeps the page numbers in the manifest, and a rebuild checks them instead of laying out first', async () => {
    const manifest = JSON.parse(await readFile(path.join(out.out, 'manifest.json'), 'utf8')) as {
      artefacts: Array<{ path: string; pages?: number; pageNumbers?: Record<string, number>; layout?: { key: string; footnotes: Array<{ notes: string[] }> } }>;
    };
    const entry = manifest.artefacts.find((artefact) => artefact.path === 'charta.pdf')!;
    expect(entry.pages).toBe(pdf.numPages);
    // And where the notes went, under the key of what the layout depends on.
    expect(entry.layout!.key).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.layout!.footnotes.flatMap((block) => block.notes).length).toBeGreaterThan(5);
    // The contents' entries and the page references' targets.
    expect(Object.keys(entry.pageNumbers!)).toEqual((await renderPrint(charta)).pageTargets);
    const numbers = new Set(Object.values(entry.pageNumbers!));
    for (const item of await contents()) expect(numbers).toContain(item.number);
    // A manifest with wrong numbers costs a print, never a wrong table of contents.
    const target = await tempOut();
    try {
      const wrong = { ...manifest, artefacts: manifest.artefacts.map((artefact) => (artefact.path === 'charta.pdf' ? { ...artefact, pageNumbers: Object.fromEntries(Object.keys(entry.pageNumbers!).map((key) => [key, 1])) } : artefact)) };
      await mkdir(target.out, { recursive: true });
      await writeFile(path.join(target.out, 'manifest.json'), JSON.stringify(wrong));
      const result = await runCli(['build', '--format', 'pdf', '--out', target.out]);
      expect(result.code).toBe(0);
      const rebuilt = JSON.parse(await readFile(path.join(target.out, 'manifest.json'), 'utf8')) as typeof manifest;
      expect(rebuilt.artefacts.find((artefact) => artefact.path === 'charta.pdf')!.pageNumbers).toEqual(entry.pageNumbers);
    } finally {
      await target.remove();
    }
  });

  it('turns a browser that does not answer in time into a clear error, and leaves nothing running', async () => {
    const temp = await mkdtemp(path.join(tmpdir(), 'charta-timeout-'));
    const target = await tempOut();
    try {
      const result = await runCli(['build', '--format', 'pdf', '--out', target.out], { env: { CHARTA_BROWSER_TIMEOUT: '0.05', TMPDIR: temp } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^charta: Chromium did not finish starting within 50 ms$/m);
      expect(result.stderr).toContain('CHARTA_BROWSER_TIMEOUT');
      expect(await readdir(temp)).toEqual([]);
      expect(await run('ps', ['-eo', 'args'])).not.toContain(temp);
    } finally {
      await rm(temp, { recursive: true, force: true });
      await target.remove();
    }
  });

  it('warns when a template makes the content wider than the text block, which shrinks every page of the print', async () => {
    const project = await copyProject();
    const target = await tempOut();
    try {
      const stylesheet = path.join(project.root, 'templates', 'css', 'content.css');
      await writeFile(stylesheet, `${await readFile(stylesheet, 'utf8')}\n.kapitel > p:first-of-type { margin-right: -6mm; }\n`);
      const result = await runCli(['build', '--format', 'pdf', '--root', project.root, '--out', target.out]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^charta\.pdf: p „[^“]+…“ reaches 1\d\.\d pt past the text block, so Chromium prints every page a little smaller to fit it; keep it within the text block in templates\/css\//m);
      expect(existsSync(path.join(target.out, 'charta.pdf'))).toBe(true);
    } finally {
      await project.remove();
      await target.remove();
    }
  });

  it('refuses a template that names an address outside the build, and sends nothing there', async () => {
    const project = await copyProject();
    const target = await tempOut();
    try {
      const layout = path.join(project.root, 'templates', 'print', 'layout.mustache');
      const original = await readFile(layout, 'utf8');
      await writeFile(layout, original.replace('</head>', '<link rel="stylesheet" href="https://fonts.example.com/css2?family=Roboto">\n</head>'));
      const result = await runCli(['build', '--format', 'pdf', '--root', project.root, '--out', target.out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('outside the build (https://fonts.example.com/css2?family=Roboto)');
      expect(existsSync(path.join(target.out, 'charta.pdf'))).toBe(false);
    } finally {
      await project.remove();
      await target.remove();
    }
  });
});

describe('without a browser', () => {
  it('says in one line how to get one, with exit code 2', async () => {
    const result = await runCli(['build', '--format', 'pdf', '--out', path.join(tmpdir(), 'charta-never')], { env: { CHARTA_BROWSER: '/nonexistent' } });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line && !/^charta: .* done in \d+ ms$/.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^charta: No browser to print the PDF: CHARTA_BROWSER=\/nonexistent does not exist/);
    expect(lines[0]).toContain('apt-get install chromium');
    expect(lines[0]).toContain('npm run setup');
  });

  it('builds the HTML edition without loading puppeteer', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'charta-hook-'));
    const target = await tempOut();
    try {
      // A module hook that reports every module that is loaded.
      const hook = path.join(folder, 'hook.mjs');
      await writeFile(path.join(folder, 'hooks.mjs'), 'export async function resolve(specifier, context, next) { const result = await next(specifier, context); if (/puppeteer|pdfjs/.test(result.url)) process.stderr.write(`loaded ${result.url}\\n`); return result; }\n');
      await writeFile(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(new URL(`file://${path.join(folder, 'hooks.mjs')}`).href)});\n`);
      const result = await runCli(['build', '--format', 'html', '--out', target.out], { env: { NODE_OPTIONS: `--import=${hook}`, CHARTA_BROWSER: '/nonexistent' } });
      expect(result.code).toBe(0);
      expect(result.stderr).not.toContain('loaded');
    } finally {
      await rm(folder, { recursive: true, force: true });
      await target.remove();
    }
  });
});

describe('Ctrl-C while printing', () => {
  it('closes the browser, removes its profile and leaves the output folder as it was', async () => {
    const temp = await mkdtemp(path.join(tmpdir(), 'charta-sigint-'));
    const target = await tempOut();
    try {
      await writeFile(path.join(target.out, 'charta.pdf'), 'the previous edition');
      const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'charta.js'), 'build', '--format', 'pdf', '--out', target.out], {
        cwd: projectRoot,
        env: { ...process.env, TMPDIR: temp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until the browser runs (its profile folder appears in our TMPDIR), then interrupt.
      const started = Date.now();
      while (!(await readdir(temp)).some((name) => name.startsWith('charta-chromium-'))) {
        expect(Date.now() - started, 'the browser did not start').toBeLessThan(30_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('interrupted');
      // The profile, and whatever Chromium put into the temporary folder, is gone.
      expect(await readdir(temp)).toEqual([]);
      const processes = await run('ps', ['-eo', 'args']);
      expect(processes).not.toContain(temp);
      expect(await readFile(path.join(target.out, 'charta.pdf'), 'utf8')).toBe('the previous edition');
      expect((await readdir(target.out)).filter((name) => name.startsWith('.charta-tmp-'))).toEqual([]);
    } finally {
      await rm(temp, { recursive: true, force: true });
      await target.remove();
    }
  });
});

describe('findBrowser', () => {
  const shell = '/bin/sh';
  const none = async () => undefined;

  it('takes CHARTA_BROWSER first, then PUPPETEER_EXECUTABLE_PATH, then puppeteer’s own, then the system’s', async () => {
    expect(await findBrowser({ env: { CHARTA_BROWSER: shell, PUPPETEER_EXECUTABLE_PATH: '/nonexistent' }, puppeteerPath: none })).toEqual({ executablePath: shell, origin: 'CHARTA_BROWSER' });
    expect(await findBrowser({ env: { PUPPETEER_EXECUTABLE_PATH: shell }, puppeteerPath: none })).toEqual({ executablePath: shell, origin: 'PUPPETEER_EXECUTABLE_PATH' });
    expect(await findBrowser({ env: {}, puppeteerPath: async () => shell })).toEqual({ executablePath: shell, origin: 'puppeteer' });
    const system = await findBrowser({ env: { PATH: '' }, puppeteerPath: none, platform: 'linux' });
    expect(system.origin).toBe('system');
  });

  it('takes an explicit path over everything, and does not look elsewhere when a named one is missing', async () => {
    expect(await findBrowser({ executablePath: shell, env: { CHARTA_BROWSER: '/nonexistent' }, puppeteerPath: none })).toEqual({ executablePath: shell, origin: 'option' });
    await expect(findBrowser({ env: { CHARTA_BROWSER: '/nonexistent' }, puppeteerPath: async () => shell })).rejects.toMatchObject({ exitCode: 2 });
  });

  it('says how to get a browser when there is none', async () => {
    await expect(findBrowser({ env: {}, puppeteerPath: none, candidates: ['/nonexistent/chromium'] })).rejects.toThrow(/^No Chrome or Chromium found to print the PDF: install Chromium with `apt-get install chromium` \(or `npm run setup`\)/);
  });

  it('knows the usual places on macOS, Windows and Linux', () => {
    expect(systemCandidates('darwin', { HOME: '/Users/a' })).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    expect(systemCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' })).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(systemCandidates('linux', { PATH: '/opt/bin' })).toEqual(expect.arrayContaining(['/usr/bin/chromium', '/usr/bin/google-chrome', '/opt/bin/chromium']));
  });
});
