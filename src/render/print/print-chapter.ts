/**
 * A chapter as the print document holds it: its ids made unique across the document (with its
 * links and id references rewritten to match), its headings one level down so that the PDF's
 * outline nests part > chapter > section, its footnote heading a plain label (the outline lists
 * sections, not footnotes), its footnotes' back links an arrow the bundled fonts have, each link to
 * a chapter or heading followed by the page of its target ("(S. 21)"), its figures groups (so that
 * the PDF tags the image, which has the alternative text, as the Figure, beside its Caption, and
 * not also the figure around both, which has none), and its text hyphenated. Works on a copy: the shared tree stays as it is.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { h } from 'hastscript';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Chapter } from '../../charta.js';
import { withResolvedLinks } from '../resolve-links.js';
import type { PrintIds } from './print-ids.js';
import rehypeBreakUrls from './rehype-break-urls.js';
import rehypeHyphenate from './rehype-hyphenate.js';

/** A chapter split into its title (an `h2`) and the rest. */
export interface PrintChapter {
  title: Element;
  body: Root;
  /** The ids whose pages the chapter's page references show, in document order. */
  pageTargets: string[];
}

/** The class of a page reference; its number's box has `pageNumberAttribute` (see `render-print.ts`). */
export const pageReferenceClass = 'seitenverweis';

/** The properties that name other elements by id. */
const idReferences = ['ariaDescribedBy', 'ariaLabelledBy', 'ariaControls', 'ariaOwns', 'htmlFor', 'headers'] as const;

const shifted: Record<string, string> = { h1: 'h2', h2: 'h3', h3: 'h4', h4: 'h5', h5: 'h6', h6: 'h6' };

const typesetting = unified().use(rehypeHyphenate).use(rehypeBreakUrls).freeze();

/** The id of a chapter's title heading in the print document. */
export function chapterTitleId(chapter: Chapter, ids: PrintIds): string {
  return ids.of(chapter.id, chapter.headings.find((heading) => heading.depth === 1)?.id ?? '');
}

/** The print form of `chapter`; `titleIdOf` names the title anchor of any chapter by its id. */
export function printChapter(chapter: Chapter, ids: PrintIds, titleIdOf: (chapterId: string) => string, pageNumberAttribute: string): PrintChapter {
  const tree = withResolvedLinks(chapter.tree, (target, fragment) => `#${fragment ? ids.of(target, fragment) : titleIdOf(target)}`);
  const pageTargets = addPageReferences(tree, pageNumberAttribute);
  visit(tree, 'element', (node) => {
    const properties = node.properties;
    if (typeof properties.id === 'string') properties.id = ids.of(chapter.id, properties.id);
    for (const key of idReferences) {
      const value = properties[key];
      if (value === undefined || value === null) continue;
      const list = Array.isArray(value) ? value.map(String) : String(value).split(/\s+/).filter(Boolean);
      properties[key] = list.map((id) => ids.of(chapter.id, id));
    }
    if (properties.dataFootnotes !== undefined) labelFootnotes(node);
    if (node.tagName === 'figure') properties.role = 'group';
    if (shifted[node.tagName]) node.tagName = shifted[node.tagName]!;
  });
  const typeset = typesetting.runSync(tree) as Root;
  const first = typeset.children.findIndex((child) => child.type === 'element');
  const title = typeset.children[first];
  if (!title || title.type !== 'element' || title.tagName !== 'h2') {
    // The loader guarantees that a chapter starts with its title; this is a bug if it happens.
    throw new Error(`Chapter ${chapter.id} does not start with its title`);
  }
  const rest: RootContent[] = typeset.children.slice(first + 1);
  return { title, body: { type: 'root', children: rest }, pageTargets };
}

/**
 * Puts " (S. 0)" after each link to a chapter or heading, outside the link; the 0 is the place of
 * the number, which the build writes. Links in headings get none: the heading is also a bookmark.
 */
function addPageReferences(tree: Root, attribute: string): string[] {
  const targets: string[] = [];
  visit(tree, 'element', (node, index, parent) => {
    if (/^h[1-6]$/.test(node.tagName)) return 'skip';
    if (!node.data?.chapterLink || !parent || index === undefined) return;
    if (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return;
    const target = String(node.properties.href).slice(1);
    targets.push(target);
    const reference: ElementContent = h('span', { className: [pageReferenceClass] }, [' (S.\u00a0', h('span', { className: [`${pageReferenceClass}__seite`], [attribute]: target }, '0'), ')']);
    parent.children.splice(index + 1, 0, reference);
    return index + 2;
  });
  return targets;
}

/** The footnotes' heading becomes a visible label that is not a heading. */
function labelFootnotes(section: Element): void {
  for (const child of section.children) {
    if (child.type !== 'element' || !/^h[1-6]$/.test(child.tagName)) continue;
    child.tagName = 'p';
    child.properties.className = ['fussnoten__titel'];
  }
}
