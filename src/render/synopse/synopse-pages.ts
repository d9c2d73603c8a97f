/**
 * The Synopse in the HTML edition: a page per changed chapter (`synopse-<chapter id>.html`), made
 * with the edition's layout and `templates/html/synopse.mustache`. The pages page among themselves
 * (previous and next go from one changed chapter to the next); the changes page links them with
 * `synopseAddress`.
 */
import type { Chapter, Charta } from '../../charta.js';
import { chapters } from '../../charta.js';
import type { Changes } from '../../compare/changes.js';
import { synopseView, type SynopseChapterView, type SynopseView } from './synopse-view.js';

/** The HTML edition's address of a chapter's Synopse page, or of a change's row on it. */
export function synopseAddress(chapterId: string, changeId?: string): string {
  return `synopse-${chapterId}.html${changeId ? `#${encodeURIComponent(changeId)}` : ''}`;
}

/** A page of the HTML edition, as `renderHtml` renders it with the layout. */
export interface SynopsePage {
  path: string;
  title: string;
  template: 'synopse';
  view: {
    synopse: Omit<SynopseView, 'chapters'>;
    chapter: SynopseChapterView;
    /** The chapter's page in this version; absent for a removed chapter. */
    chapterHref?: string;
    /** The changes page, when there is one to go back to. */
    changesHref?: string;
  };
}

export interface SynopsePagesOptions {
  /** The HTML edition's address of a chapter, optionally of an id in it. */
  chapterAddress(chapter: Chapter, fragment?: string): string;
  /** The address of the changes page ("Änderungen gegenüber Version …"), linked from every Synopse page. */
  changesHref?: string;
}

/** The Synopse pages of `changes`, the later version being `charta`, in reading order. */
export function synopsePages(charta: Charta, changes: Changes, options: SynopsePagesOptions): SynopsePage[] {
  const byId = new Map(chapters(charta).map((chapter) => [chapter.id, chapter]));
  const address = (chapterId: string, fragment?: string) => {
    const chapter = byId.get(chapterId);
    return chapter && options.chapterAddress(chapter, fragment);
  };
  const { chapters: views, ...synopse } = synopseView(charta, changes, {
    prefix: () => 's',
    chapterHref: address,
    changeHref: address,
    announce: true,
  });
  return views.map((chapter) => ({
    path: synopseAddress(chapter.id),
    title: `Synopse: ${chapter.title}`,
    template: 'synopse',
    view: { synopse, chapter, chapterHref: address(chapter.id), changesHref: options.changesHref },
  }));
}
