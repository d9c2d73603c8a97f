/**
 * The HTML edition: a static site that opens from disk and can be hosted. A start page with the
 * contents, a page per part and per chapter, the legend and the imprint, all from the templates in
 * `templates/html/`, and the search over the chapters' sections (`src/search/`).
 */
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Chapter, Charta } from '../../charta.js';
import { chapters } from '../../charta.js';
import { searchAssets } from '../../search/search-index.js';
import { imageAssets, styleAssets } from '../assets.js';
import type { EditionFile } from '../edition.js';
import { withResolvedLinks } from '../resolve-links.js';
import { synopseAddress, synopsePages } from '../synopse/synopse-pages.js';
import { loadTemplates } from '../templates.js';
import { chapterSources, siteView, type Addresses, type SiteView } from '../views.js';

/** The stylesheets the HTML edition links, in cascade order. */
export const htmlStylesheets = ['fonts.css', 'tokens.css', 'content.css', 'html.css'] as const;

/** The addresses of the HTML edition's pages. */
export const htmlAddresses: Addresses = {
  start: 'index.html',
  part: (part) => `${part.id}.html`,
  chapter: (chapter, fragment) => `${chapter.id}.html${fragment ? `#${encodeURIComponent(fragment)}` : ''}`,
  legend: 'legende.html',
  imprint: 'impressum.html',
  changes: 'aenderungen.html',
  synopsis: (chapterId) => synopseAddress(chapterId),
};

interface Page {
  path: string;
  title: string;
  template: string;
  view: object;
}

export interface Options {
  /** Whether to build the search's files (`searchAssets`); `charta dev` builds them apart. Default true. */
  search?: boolean;
  /** The pages of the last render (`renderedPages()`): what is as before is not rendered again. For `charta dev`. */
  previous?: RenderedPages;
}

/** Renders the HTML edition's files. */
export async function renderHtml(charta: Charta, options: Options = {}): Promise<EditionFile[]> {
  const templates = await loadTemplates(charta.root, 'html');
  const site = siteView(charta, htmlAddresses);
  const byId = new Map(chapters(charta).map((chapter) => [chapter.id, chapter]));
  const pages = readingOrder(charta, site, byId);

  // The Synopse pages page among themselves, not through the charta's reading order.
  const synopse = charta.changes ? synopsePages(charta, charta.changes, { chapterAddress: htmlAddresses.chapter, changesHref: htmlAddresses.changes }) : [];

  // What every page shows besides its own view: a page whose own view is as before is as before.
  const memo = options.previous;
  const shared = memo ? `${templates.key}\0${JSON.stringify(site)}` : '';
  const sameShared = memo !== undefined && shared === memo.shared;
  if (memo) memo.shared = shared;
  const siteParts = new Map<object, number>(site.parts.map((part, index) => [part, index]));
  const files: EditionFile[] = [pages, synopse].flatMap((chain: Page[]) =>
    chain.map((page, index) => {
      const previous = chain[index - 1];
      const next = chain[index + 1];
      const neighbours = { previous: previous && { href: previous.path, title: previous.title }, next: next && { href: next.path, title: next.title } };
      const own = memo ? pageKey(page, neighbours, siteParts) : undefined;
      const before = memo?.pages.get(page.path);
      if (sameShared && own && before && before.key === own.key && before.html === own.html) return { path: page.path, contents: before.contents };
      const view = {
        site,
        page: { title: page.title, path: page.path },
        navigation: navigation(site, page.path),
        ...neighbours,
        ...page.view,
      };
      const content = templates.render(page.template, view);
      const contents = templates.render('layout', { ...view, content });
      if (own) memo!.pages.set(page.path, { ...own, contents });
      return { path: page.path, contents };
    }),
  );
  return [...files, ...(await styleAssets(charta, htmlStylesheets)), ...(await imageAssets(charta)), ...(options.search === false ? [] : await searchAssets(charta, htmlAddresses))];
}

function readingOrder(charta: Charta, site: SiteView, byId: Map<string, Chapter>): Page[] {
  const pages: Page[] = [{ path: htmlAddresses.start, title: 'Start', template: 'start', view: {} }];
  if (site.changes) pages.push({ path: htmlAddresses.changes, title: site.changes.title, template: 'changes', view: {} });
  if (site.marking) pages.push({ path: htmlAddresses.legend, title: 'Legende der Beiträge', template: 'legend', view: {} });
  charta.parts.forEach((part, index) => {
    const partView = site.parts[index]!;
    pages.push({ path: htmlAddresses.part(part), title: `Teil ${part.number}: ${part.title}`, template: 'part', view: { part: partView } });
    for (const chapter of part.chapters) {
      pages.push({
        path: htmlAddresses.chapter(chapter),
        title: chapter.title,
        template: 'chapter',
        view: {
          part: partView,
          chapter: { id: chapter.id, title: chapter.title, html: chapterHtml(chapter.tree, byId), sources: chapterSources(charta, chapter) },
        },
      });
    }
  });
  pages.push({ path: htmlAddresses.imprint, title: 'Impressum', template: 'imprint', view: {} });
  return pages;
}

/**
 * The pages of the last render, for `charta dev`, which renders the edition at every save: a page
 * is rendered again only when the templates, the site's parts and chapters, its neighbours or its
 * own view changed.
 */
export interface RenderedPages {
  shared: string;
  pages: Map<string, { key: string; html: string | undefined; contents: string }>;
}

/** An empty memory of rendered pages, for `Options.previous`. */
export function renderedPages(): RenderedPages {
  return { shared: '', pages: new Map() };
}

/**
 * A page's own view as a key: its chapter's HTML apart (compared as it is: often the very same
 * string), and a part of the site's view only by its place in it (the site is compared apart).
 */
function pageKey(page: Page, neighbours: object, siteParts: ReadonlyMap<object, number>): { key: string; html: string | undefined } {
  let html: string | undefined;
  const key = JSON.stringify([page.template, page.title, neighbours, page.view], (name, value: unknown) => {
    if (name === 'html' && typeof value === 'string') {
      html = value;
      return undefined;
    }
    if (typeof value === 'object' && value !== null && siteParts.has(value)) return `site.parts[${siteParts.get(value)}]`;
    return value;
  });
  return { key, html };
}

/**
 * A chapter's HTML by its tree: trees are immutable once transformed, and `charta dev` reuses the
 * trees of unchanged chapters, so their HTML is serialized once.
 */
const chapterHtmlCache = new WeakMap<Root, string>();

function chapterHtml(tree: Root, byId: Map<string, Chapter>): string {
  const cached = chapterHtmlCache.get(tree);
  if (cached !== undefined) return cached;
  const html = serializeChapter(tree, byId);
  chapterHtmlCache.set(tree, html);
  return html;
}

function serializeChapter(tree: Root, byId: Map<string, Chapter>): string {
  const resolved = withResolvedLinks(tree, (chapterId, fragment) => {
    const target = byId.get(chapterId);
    return target ? htmlAddresses.chapter(target, fragment) : `#${fragment ?? ''}`;
  });
  return toHtml(resolved);
}

/** Up to this many chapters in all, the side navigation lists every chapter on every page. */
const wholeNavigation = 60;
/** Beyond that, it lists the current part's chapters this far around the current one. */
const navigationReach = 10;

/**
 * The side navigation with the current page marked: every part, and every chapter where there are
 * few; in a large charta every part and only the current part's chapters around the current page,
 * with a link to the part's page for the rest, so that each page's navigation has a bounded size
 * (listing every chapter on every page makes the edition grow with the square of its chapters).
 */
function navigation(site: SiteView, current: string) {
  const whole = site.parts.reduce((sum, part) => sum + part.chapters.length, 0) <= wholeNavigation;
  // Only the chapters listed are copied: a page's navigation costs as much as it shows.
  const marked = (chapters: SiteView['parts'][number]['chapters']) => chapters.map((chapter) => ({ ...chapter, current: chapter.href === current }));
  return site.parts.map((part) => {
    const entry = { ...part, current: part.href === current };
    if (whole) return { ...entry, chapters: marked(part.chapters) };
    const at = part.chapters.findIndex((chapter) => chapter.href === current);
    if (at < 0 && !entry.current) return { ...entry, chapters: [] };
    const count = part.chapters.length;
    const from = Math.max(0, at - navigationReach);
    const to = Math.min(count, Math.max(at, 0) + navigationReach + 1);
    return {
      ...entry,
      chapters: marked(part.chapters.slice(from, to)),
      earlier: from > 0 ? { href: part.href, text: `… ${from} Kapitel davor` } : undefined,
      later: to < count ? { href: part.href, text: `… ${count - to} weitere Kapitel` } : undefined,
    };
  });
}
