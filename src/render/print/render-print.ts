/**
 * The print edition's HTML: one document with the cover, the imprint, the table of contents, the
 * legend, and each part's title page followed by its chapters, from the templates in
 * `templates/print/` and the paged-media stylesheet `templates/css/print.css`. Chromium prints it
 * to PDF (see `emit/pdf-edition.ts`), which also fills in the page numbers: they are known only
 * once the document has been laid out in pages, so the document can be rendered with or without them.
 */
import { toHtml } from 'hast-util-to-html';
import type { Charta } from '../../charta.js';
import { chapters } from '../../charta.js';
import { imageAssets, styleAssets } from '../assets.js';
import type { EditionFile } from '../edition.js';
import { loadTemplates } from '../templates.js';
import { chapterSources, siteView, type Addresses } from '../views.js';
import { chapterTitleId, printChapter } from './print-chapter.js';
import { PrintIds } from './print-ids.js';
import { hyphenateText } from './rehype-hyphenate.js';
import { chapterPageName, runningHeadsStylesheet } from './running-heads.js';
import { withBundledSvgFonts } from './svg-fonts.js';

/** The stylesheets of templates/css/ the print document links, in cascade order. */
export const printStylesheets = ['fonts.css', 'tokens.css', 'content.css', 'print.css'] as const;

/** The document's path among the files it is served with. */
export const printDocumentPath = 'charta.html';

/** The attribute the templates put on the place for an element's page number, with the element's id. */
export const pageNumberAttribute = 'data-seite-fuer';

export interface PrintDocument {
  /** What the document loads: stylesheets (the generated ones included), fonts, images. */
  assets: EditionFile[];
  /** The ids whose page numbers the document shows, in document order, each once. */
  pageTargets: string[];
  /** The document with these page numbers; a number not given is left blank. */
  html(pageNumbers?: ReadonlyMap<string, number>): string;
}

interface Entry {
  title: string;
  href: string;
  /** The id the entry points to; its page number fills the entry. */
  target: string;
}

/** Renders the print document of `charta`. */
export async function renderPrint(charta: Charta): Promise<PrintDocument> {
  const [templates, styles, images] = await Promise.all([loadTemplates(charta.root, 'print'), styleAssets(charta, printStylesheets), imageAssets(charta)]);

  const ids = new PrintIds();
  const front = { cover: ids.reserve('umschlag'), imprint: ids.reserve('impressum'), contents: ids.reserve('inhalt'), legend: ids.reserve('legende'), changes: ids.reserve('aenderungen') };
  const partIds = new Map(charta.parts.map((part) => [part.id, ids.reserve(`teil-${part.id}`)]));
  const sourceIds = new Map(charta.sources.map((source) => [source.id, ids.reserve(`quelle-${source.id}`)]));
  const byId = new Map(chapters(charta).map((chapter) => [chapter.id, chapter]));
  const titleIdOf = (chapterId: string) => {
    const chapter = byId.get(chapterId);
    if (!chapter) throw new Error(`Link to the unknown chapter ${chapterId}`);
    return chapterTitleId(chapter, ids);
  };
  const addresses: Addresses = {
    start: `#${front.cover}`,
    part: (part) => `#${partIds.get(part.id)}`,
    chapter: (chapter, fragment) => `#${fragment ? ids.of(chapter.id, fragment) : chapterTitleId(chapter, ids)}`,
    legend: `#${front.legend}`,
    imprint: `#${front.imprint}`,
    changes: `#${front.changes}`,
  };
  const site = siteView(charta, addresses);
  const entry = (title: string, href: string): Entry => ({ title, href, target: href.slice(1) });

  let chapterIndex = 0;
  const parts = charta.parts.map((part, index) => {
    const view = site.parts[index]!;
    return {
      ...entry(view.title, view.href),
      number: view.number,
      intro: view.intro && hyphenateText(view.intro),
      chapters: part.chapters.map((chapter, at) => {
        const chapterView = view.chapters[at]!;
        const printed = printChapter(chapter, ids, titleIdOf, pageNumberAttribute);
        return {
          referenceTargets: printed.pageTargets,
          ...entry(chapterView.title, chapterView.href),
          sections: chapterView.sections.map((section) => entry(section.title, section.href)),
          pageName: chapterPageName(++chapterIndex),
          titleHtml: toHtml(printed.title),
          bodyHtml: toHtml(printed.body),
          sources: chapterSources(charta, chapter).map((source) => ({ ...source, href: `#${sourceIds.get(source.id)}` })),
        };
      }),
    };
  });
  const legend = site.legend.map((source) => ({
    ...source,
    anchor: sourceIds.get(source.id),
    beschreibung: source.beschreibung && hyphenateText(source.beschreibung),
  }));

  const legendEntry = site.marking ? entry('Legende der Beiträge', site.href.legend) : undefined;
  const changesEntry = site.changes ? entry(site.changes.title, site.href.changes) : undefined;
  const changeTargets = site.changes?.chapters.flatMap((chapter) => chapter.changes.flatMap((change) => (change.target ? [change.target] : []))) ?? [];
  const pageTargets = [
    ...(changesEntry ? [changesEntry.target, ...changeTargets] : []),
    ...(legendEntry ? [legendEntry.target] : []),
    ...parts.flatMap((part) => [part.target, ...part.chapters.flatMap((chapter) => [chapter.target, ...chapter.sections.map((section) => section.target)])]),
    ...parts.flatMap((part) => part.chapters.flatMap((chapter) => chapter.referenceTargets)),
  ];

  const assets: EditionFile[] = [...styles, { path: 'css/seiten.css', contents: runningHeadsStylesheet(charta) }, ...withBundledSvgFonts(images, styles)];
  return {
    assets,
    pageTargets: [...new Set(pageTargets)],
    html(pageNumbers = new Map()) {
      const page = <T extends Entry>(item: T) => ({ ...item, page: pageNumbers.get(item.target) ?? '' });
      const view = {
        site,
        anchors: front,
        legend,
        legendEntry: legendEntry && page(legendEntry),
        changesEntry: changesEntry && page(changesEntry),
        changes: site.changes && {
          ...site.changes,
          chapters: site.changes.chapters.map((chapter) => ({
            ...chapter,
            changes: chapter.changes.map((change) => ({ ...change, page: (change.target && pageNumbers.get(change.target)) ?? '' })),
          })),
        },
        parts: parts.map((part) => ({
          ...page(part),
          chapters: part.chapters.map((chapter) => ({ ...page(chapter), sections: chapter.sections.map(page), bodyHtml: withPageNumbers(chapter.bodyHtml, pageNumbers) })),
        })),
      };
      return templates.render('layout', view);
    },
  };
}

const numberBox = new RegExp(`(${pageNumberAttribute}="([^"]*)">)[^<]*<`, 'g');

/** `html` with each page reference's number box holding its target's page (left as is when unknown). */
function withPageNumbers(html: string, pageNumbers: ReadonlyMap<string, number>): string {
  if (pageNumbers.size === 0) return html;
  return html.replace(numberBox, (box, opening: string, target: string) => {
    const page = pageNumbers.get(target);
    return page === undefined ? box : `${opening}${page}<`;
  });
}
