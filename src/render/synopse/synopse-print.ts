/**
 * The Synopse's print document, which Chromium turns into `charta-synopse.pdf` (see
 * `emit/synopse-pdf.ts`): landscape A4, a short title block with the changed chapters, then each
 * changed chapter on pages of its own with its two-column table. From `templates/print/synopse.mustache`
 * and the stylesheet `templates/css/synopse.css`; the running heads (the Synopse's title, the
 * chapter) come from a generated stylesheet with a named page per chapter, as in the PDF edition.
 */
import type { Charta } from '../../charta.js';
import type { Changes } from '../../compare/changes.js';
import { imageAssets, styleAssets } from '../assets.js';
import { withBundledSvgFonts } from '../print/svg-fonts.js';
import type { EditionFile } from '../edition.js';
import { asciiId } from '../print/print-ids.js';
import { cssString } from '../print/running-heads.js';
import { loadTemplates } from '../templates.js';
import { siteView, type Addresses } from '../views.js';
import { synopseView } from './synopse-view.js';

/** The stylesheets of templates/css/ the Synopse links, in cascade order. */
export const synopseStylesheets = ['fonts.css', 'tokens.css', 'content.css', 'synopse.css'] as const;

/** The document's path among the files it is served with. */
export const synopseDocumentPath = 'synopse.html';

/** The print document of the Synopse. */
export interface SynopseDocument {
  /** "Synopse: Fassung 1.0 und 2.0" */
  title: string;
  html: string;
  /** What the document loads: stylesheets (the generated ones included) and fonts. */
  assets: EditionFile[];
}

/** The named page of the `index`th changed chapter (from 1). */
function pageName(index: number): string {
  return `synopse-${index}`;
}

/** Renders the print document of the Synopse of `changes`, the later version being `charta`. */
export async function renderSynopsePrint(charta: Charta, changes: Changes): Promise<SynopseDocument> {
  const [templates, styles, images] = await Promise.all([loadTemplates(charta.root, 'print'), styleAssets(charta, synopseStylesheets), imageAssets(charta)]);
  // Nothing of the charta but the Synopse is in the document: links into chapters are unwrapped.
  const nowhere: Addresses = { start: '', part: () => '', chapter: () => '', legend: '', imprint: '', changes: '' };
  const { chapters, ...synopse } = synopseView(charta, changes, { prefix: (chapterId) => asciiId(chapterId), chapterHref: () => undefined });
  const views = chapters.map((chapter, index) => ({
    ...chapter,
    anchor: `synopse-${asciiId(chapter.id)}`,
    pageName: pageName(index + 1),
    runningHead: chapter.earlierTitle ? `${chapter.title} (bisher: „${chapter.earlierTitle}“)` : chapter.title,
  }));
  // Every chapter's named page says the Synopse's title and the chapter; the title page has none.
  const heads = views.map(
    (chapter) =>
      `.seite--${chapter.pageName} { page: ${chapter.pageName}; }\n@page ${chapter.pageName} {\n  @top-left { content: ${cssString(synopse.title)}; }\n  @top-right { content: ${cssString(chapter.runningHead)}; }\n}`,
  );
  const headsCss = `/* Generated: the Synopse's running heads. Their look is in synopse.css. */\n${heads.join('\n')}\n`;
  const html = templates.render('synopse', { site: siteView(charta, nowhere), synopse, chapters: views });
  return { title: synopse.title, html, assets: [...styles, ...withBundledSvgFonts(images, styles), { path: 'css/synopse-seiten.css', contents: headsCss }] };
}
