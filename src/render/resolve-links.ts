/**
 * Writes each edition's addresses into chapter links (see `rehype-chapter-links`), on a copy of the
 * shared tree, so that editions never change what another edition reads.
 */
import type { Root } from 'hast';
import { visit } from 'unist-util-visit';

/** A copy of `tree` whose chapter links point where `href` says. */
export function withResolvedLinks(tree: Root, href: (chapter: string, fragment?: string) => string): Root {
  const copy = structuredClone(tree);
  visit(copy, 'element', (node) => {
    const link = node.data?.chapterLink;
    if (link) node.properties.href = href(link.chapter, link.fragment);
  });
  return copy;
}
