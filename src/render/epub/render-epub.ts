/**
 * The EPUB 3 edition: the shared chapter trees and the views of the HTML edition, written as XHTML
 * content documents from the templates in `templates/epub/`, with a navigation document, a cover,
 * the package document and the container file. The emit stage zips what this returns.
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { Chapter, Charta } from '../../charta.js';
import { chapters } from '../../charta.js';
import { ChartaError, ExitCode } from '../../core/errors.js';
import { imageAssets, styleAssets } from '../assets.js';
import type { EditionFile } from '../edition.js';
import { withResolvedLinks } from '../resolve-links.js';
import { loadTemplates } from '../templates.js';
import { chapterSources, siteView, type Addresses, type PartView, type SiteView } from '../views.js';
import { accessibility, type Accessibility } from './accessibility.js';
import { coverSvg, coverText } from './cover.js';
import { manifestId, mediaTypeOf, packageDocument, type ManifestItem } from './package-document.js';
import { toXhtml, xmlDocument } from './xhtml.js';

/** The stylesheets from `templates/css/` that the EPUB carries. */
export const epubStylesheets = ['fonts.css', 'tokens.css', 'content.css', 'epub.css'] as const;

/** The stylesheets every content document links, in cascade order (`quellen.css` is generated). */
const stylesheetLinks = ['css/fonts.css', 'css/tokens.css', 'css/quellen.css', 'css/content.css', 'css/epub.css'];

/** The folder of the publication inside the container. */
export const publicationFolder = 'EPUB';

/** The addresses of the EPUB's content documents, relative to each other. */
export const epubAddresses: Addresses = {
  start: 'titelei.xhtml',
  part: (part) => `teil-${part.id}.xhtml`,
  chapter: (chapter, fragment) => `${chapter.id}.xhtml${fragment ? `#${encodeURIComponent(fragment)}` : ''}`,
  legend: 'legende.xhtml',
  imprint: 'impressum.xhtml',
  changes: 'aenderungen.xhtml',
};

const coverPage = 'umschlag.xhtml';
const coverImage = 'umschlag.svg';
const navigationPage = 'inhalt.xhtml';

/** Where a document stands in the book, for `epub:type` on its body. */
type Matter = 'frontmatter' | 'bodymatter' | 'backmatter';

/** One XHTML content document of the spine. */
interface ContentDocument {
  id: string;
  path: string;
  title: string;
  template: string;
  matter: Matter;
  /** Manifest properties, e.g. `nav`. */
  properties?: string;
  view: object;
}

export interface EpubOptions {
  /** The time written as `dcterms:modified`. */
  modified: Date;
}

/** Renders the EPUB's files: paths inside the container, in the order they belong in the zip. */
export async function renderEpub(charta: Charta, options: EpubOptions): Promise<EditionFile[]> {
  const templates = await loadTemplates(charta.root, 'epub');
  const site = siteView(charta, epubAddresses);
  const a11y = accessibility(charta);
  const documents = readingOrder(charta, site, a11y);

  const pages: EditionFile[] = documents.map((document) => {
    const view = { site, page: { title: document.title, matter: document.matter }, ...document.view };
    const content = templates.render(document.template, view);
    return { path: document.path, contents: xmlDocument(templates.render('document', { ...view, stylesheets: stylesheetLinks, content })) };
  });
  const cover: EditionFile = { path: coverImage, contents: xmlDocument(await coverSvg(charta.root, site, charta.sources)) };
  const resources = [...(await styleAssets(charta, epubStylesheets)), ...(await imageAssets(charta))].sort((a, b) => a.path.localeCompare(b.path, 'en'));
  for (const link of stylesheetLinks) {
    if (!resources.some((file) => file.path === link)) throw new Error(`The EPUB links ${link} but does not carry it`);
  }

  const manifest: ManifestItem[] = [
    ...documents.map((document) => ({ id: document.id, href: document.path, mediaType: 'application/xhtml+xml', properties: document.properties })),
    { id: 'umschlag-bild', href: coverImage, mediaType: 'image/svg+xml', properties: 'cover-image' },
    ...resources.map((file) => ({ id: manifestId(file.path), href: file.path, mediaType: mediaTypeOf(file.path) })),
  ];
  const opf = packageDocument({
    site,
    subjects: charta.meta.schlagwoerter,
    accessibility: a11y,
    modified: w3cDateTime(options.modified),
    manifest,
    spine: documents.map((document) => document.id),
  });
  return [
    { path: 'META-INF/container.xml', contents: containerXml },
    { path: `${publicationFolder}/package.opf`, contents: xmlDocument(opf) },
    ...[...pages, cover, ...resources].map((file) => ({ path: `${publicationFolder}/${file.path}`, contents: file.contents })),
  ];
}

const containerXml = `<?xml version="1.0" encoding="UTF-8"?>
<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0">
  <rootfiles>
    <rootfile full-path="${publicationFolder}/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

/** The content documents in reading order: cover, title page, contents, legend, parts and chapters, imprint. */
function readingOrder(charta: Charta, site: SiteView, a11y: Accessibility): ContentDocument[] {
  const byId = new Map(chapters(charta).map((chapter) => [chapter.id, chapter]));
  const firstPart = site.parts[0];
  const landmarks = [
    { type: 'cover', href: coverPage, title: 'Umschlag' },
    { type: 'titlepage', href: epubAddresses.start, title: 'Titelei' },
    { type: 'toc', href: `${navigationPage}#inhaltsverzeichnis`, title: 'Inhaltsverzeichnis' },
    ...(firstPart ? [{ type: 'bodymatter', href: firstPart.href, title: `Teil ${firstPart.number}: ${firstPart.title}` }] : []),
  ];
  const documents: ContentDocument[] = [
    { id: 'umschlag', path: coverPage, title: 'Umschlag', template: 'cover', matter: 'frontmatter', view: { cover: { href: coverImage, alt: coverText(site) } } },
    { id: 'titelei', path: epubAddresses.start, title: site.title, template: 'titlepage', matter: 'frontmatter', view: {} },
    { id: 'inhalt', path: navigationPage, title: 'Inhaltsverzeichnis', template: 'nav', matter: 'frontmatter', properties: 'nav', view: { landmarks } },
  ];
  if (site.changes) documents.push({ id: 'aenderungen', path: epubAddresses.changes, title: site.changes.title, template: 'changes', matter: 'frontmatter', view: {} });
  if (site.marking) {
    // The chart of the contributions is inline SVG, which the manifest declares.
    documents.push({ id: 'legende', path: epubAddresses.legend, title: 'Legende der Beiträge', template: 'legend', matter: 'frontmatter', properties: site.stats ? 'svg' : undefined, view: {} });
  }
  charta.parts.forEach((part, index) => {
    const partView = site.parts[index]!;
    documents.push({ id: `teil-${part.id}`, path: epubAddresses.part(part), title: `Teil ${part.number}: ${part.title}`, template: 'part', matter: 'bodymatter', view: { part: partView } });
    for (const chapter of part.chapters) {
      documents.push({
        id: `kapitel-${chapter.id}`,
        path: epubAddresses.chapter(chapter),
        title: chapter.title,
        template: 'chapter',
        matter: 'bodymatter',
        view: { part: partView, chapter: chapterView(charta, chapter, partView, byId) },
      });
    }
  });
  documents.push({ id: 'impressum', path: epubAddresses.imprint, title: 'Impressum', template: 'imprint', matter: 'backmatter', view: { accessibility: a11y } });
  return documents;
}

/** A chapter for its template: the title heading and the rest of the text as XHTML, apart, so the sources box can stand between them. */
function chapterView(charta: Charta, chapter: Chapter, part: PartView, byId: Map<string, Chapter>) {
  const tree = withResolvedLinks(chapter.tree, (chapterId, fragment) => {
    if (chapterId === chapter.id) return `#${encodeURIComponent(fragment ?? '')}`;
    const target = byId.get(chapterId);
    if (!target) throw new Error(`Chapter ${chapter.id} links the unknown chapter ${chapterId}`);
    return epubAddresses.chapter(target, fragment);
  });
  markNotes(tree);
  groupContributions(tree);
  const index = tree.children.findIndex((node) => node.type === 'element' && node.tagName === 'h1');
  const heading = tree.children[index] as Element | undefined;
  if (!heading) throw new ChartaError(`The chapter ${chapter.path} has no title`, ExitCode.content);
  const titleId = typeof heading.properties.id === 'string' && heading.properties.id ? heading.properties.id : `${chapter.id}-titel`;
  heading.properties.id = titleId;
  return {
    id: chapter.id,
    title: chapter.title,
    titleId,
    part,
    heading: toXhtml({ type: 'root', children: tree.children.slice(0, index + 1) }),
    body: toXhtml({ type: 'root', children: tree.children.slice(index + 1) }),
    sources: chapterSources(charta, chapter),
  };
}

/**
 * The footnotes as EPUB and DPUB-ARIA know them: a chapter's notes stand at its end, so the
 * section is `endnotes` (`doc-endnotes`); each reference is a `noteref` (`doc-noteref`), which
 * reading systems may open as a pop-up. Each note is a `footnote` (the single `endnote` is
 * deprecated in EPUB 3.3 and `doc-endnote` in DPUB-ARIA 1.1), and its element must carry the
 * matching role `doc-footnote`, which a list item cannot take (ARIA in HTML allows only
 * `listitem` there): so the list becomes one `aside` per note, as Pandoc's EPUB writer makes
 * them, and each note writes its number, which the list used to draw.
 */
function markNotes(tree: Root): void {
  visit(tree, 'element', (node) => {
    const properties = node.properties;
    if (node.tagName === 'section' && properties.dataFootnotes !== undefined) {
      Object.assign(properties, { 'epub:type': 'endnotes', role: 'doc-endnotes' });
      const list = node.children.findIndex((child) => isElement(child, 'ol'));
      if (list >= 0) node.children.splice(list, 1, ...noteAsides(node.children[list] as Element));
    } else if (node.tagName === 'a' && properties.dataFootnoteRef !== undefined) {
      Object.assign(properties, { 'epub:type': 'noteref', role: 'doc-noteref' });
    } else if (node.tagName === 'a' && properties.dataFootnoteBackref !== undefined) {
      properties.role = 'doc-backlink';
    }
  });
}

/** The notes of a footnote list as `aside`s, each opening with its number ("1."). */
function noteAsides(list: Element): ElementContent[] {
  const items = list.children.filter((child): child is Element => isElement(child, 'li'));
  return items.flatMap((item, index): ElementContent[] => {
    const number: Element = { type: 'element', tagName: 'span', properties: { className: ['fussnote__nummer'] }, children: [{ type: 'text', value: `${index + 1}.` }] };
    const children = item.children.filter((child) => child.type !== 'text' || child.value.trim());
    const first = children[0];
    if (first && isElement(first, 'p')) first.children.unshift(number, { type: 'text', value: ' ' });
    else children.unshift({ type: 'element', tagName: 'p', properties: {}, children: [number] });
    const aside: Element = {
      type: 'element',
      tagName: 'aside',
      properties: { ...item.properties, className: ['fussnote'], 'epub:type': 'footnote', role: 'doc-footnote', ariaLabel: `Fußnote ${index + 1}` },
      children: [...children.flatMap((child) => [newline(), child]), newline()],
      position: item.position,
    };
    return [newline(), aside];
  });
}

function newline(): ElementContent {
  return { type: 'text', value: '\n' };
}

/**
 * A marked block becomes a group named by its first line ("Beitrag aus: …"), so screen readers
 * announce where the contribution starts and where it ends.
 */
function groupContributions(tree: Root): void {
  const ids = new Set<string>();
  visit(tree, 'element', (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  let count = 0;
  visit(tree, 'element', (node) => {
    const classes = node.properties.className;
    if (!Array.isArray(classes) || !classes.includes('beitrag--block')) return;
    const head = node.children.find((child): child is Element => isElement(child, 'p') && Array.isArray(child.properties.className) && child.properties.className.includes('beitrag__kopf'));
    if (!head) return;
    let id: string;
    do id = `beitrag-${++count}`;
    while (ids.has(id));
    ids.add(id);
    head.properties.id = id;
    Object.assign(node.properties, { role: 'group', ariaLabelledBy: id });
  });
}

function isElement(node: ElementContent, tagName: string): node is Element {
  return node.type === 'element' && node.tagName === tagName;
}

/** `2026-11-20T00:00:00Z`: the form `dcterms:modified` requires, without fractions of seconds. */
function w3cDateTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

