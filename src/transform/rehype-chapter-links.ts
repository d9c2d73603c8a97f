/**
 * Links between chapters: `[Vision](../02-vision/01-leitbild.md#abschnitt)` is resolved to the
 * chapter it names, so each edition can write its own address for it (a page, an EPUB document, an
 * anchor in the PDF). Unknown chapters are errors; fragments are checked once all chapters are
 * known (`checkLinkTargets` in the loader).
 */
import path from 'node:path';
import type { Element, ElementData, Root } from 'hast';
import type { Position } from 'unist';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error } from '../core/messages.js';

/** A link to a place in the charta: a chapter and optionally an id inside it. */
export interface ChapterLink {
  chapter: string;
  fragment?: string;
}

declare module 'vfile' {
  interface DataMap {
    /** The chapter links of a chapter with their places, for checking their targets. */
    links: Array<ChapterLink & { position?: Position }>;
  }
}

declare module 'hast' {
  interface ElementData {
    /** Set on `a` elements that point into the charta. */
    chapterLink?: ChapterLink;
  }
}

export interface Options {
  /** The chapter id for an absolute Markdown file path, if it is a chapter. */
  chapterIdOf(absolutePath: string): string | undefined;
  /** The id of the chapter being transformed. */
  self(file: VFile): string;
}

/** Resolves and records chapter links. */
export default function rehypeChapterLinks(options: Options) {
  return (tree: Root, file: VFile) => {
    const links: Array<ChapterLink & { position?: Position }> = (file.data.links = []);
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return;
      const href = node.properties.href;
      if (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) {
        setLink(node, { chapter: options.self(file), fragment: href.slice(1) });
        return;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return;
      const [target = '', rawFragment] = href.split('#', 2);
      const fragment = rawFragment ? decodeURIComponent(rawFragment) : undefined;
      let chapter: string | undefined;
      if (target === '') {
        chapter = options.self(file);
      } else if (target.endsWith('.md')) {
        chapter = options.chapterIdOf(path.resolve(path.dirname(file.path), decodeURIComponent(target)));
        if (!chapter) {
          error(file, `Link to "${target}", which is not a chapter of the charta`, node, 'broken-link');
          return;
        }
      } else {
        error(file, `Link to the local file "${target}": link a chapter (.md) or a web address`, node, 'local-link');
        return;
      }
      const link: ChapterLink = fragment ? { chapter, fragment } : { chapter };
      setLink(node, link);
      links.push({ ...link, position: node.position });
    });
  };
}

function setLink(node: Element, link: ChapterLink): void {
  // hast-util-from-parse5 declares `position` on ElementData as required; elements from
  // Markdown have none, hence the cast.
  node.data = { ...node.data, chapterLink: link } as ElementData;
}
