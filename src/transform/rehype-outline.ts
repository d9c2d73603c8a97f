/**
 * Collects a chapter's title, headings and element ids, and checks that the chapter starts with
 * its one level-1 heading.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { Heading } from '../charta.js';
import { error, warn } from '../core/messages.js';

declare module 'vfile' {
  interface DataMap {
    title: string;
    headings: Heading[];
    ids: Set<string>;
  }
}

const headingDepth: Record<string, number> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/** Records `file.data.title`, `headings` and `ids`. */
export default function rehypeOutline() {
  return (tree: Root, file: VFile) => {
    const headings: Heading[] = [];
    const ids = new Set<string>();
    const texts = new Map<string, Element>();
    visit(tree, 'element', (node) => {
      if (typeof node.properties.id === 'string') ids.add(node.properties.id);
      if (node.properties.dataFootnotes !== undefined) {
        // The footnotes' own "Fußnoten" heading is not part of the outline.
        visit(node, 'element', (inner) => {
          if (typeof inner.properties.id === 'string') ids.add(inner.properties.id);
        });
        return SKIP;
      }
      const depth = headingDepth[node.tagName];
      if (!depth) return;
      const text = toString(node).trim();
      const id = String(node.properties.id ?? '');
      if (depth > 1) {
        const key = `${depth}:${text}`;
        if (texts.has(key)) warn(file, `Heading "${text}" appears twice at this level; its anchor gets a number`, node, 'duplicate-heading');
        texts.set(key, node);
      }
      headings.push({ depth, text, id });
      return undefined;
    });
    const first = tree.children.find((child) => child.type === 'element');
    const titles = headings.filter((heading) => heading.depth === 1);
    if (!first || first.type !== 'element' || first.tagName !== 'h1') {
      error(file, 'A chapter starts with its title as a level-1 heading: `# Title`', first?.position?.start ?? { line: 1, column: 1 }, 'missing-title');
    } else if (titles.length > 1) {
      visit(tree, 'element', (node) => {
        if (node.tagName === 'h1' && node !== first) error(file, 'A chapter has one level-1 heading, its title; use `##` for sections', node, 'multiple-titles');
      });
    }
    file.data.title = titles[0]?.text ?? '';
    file.data.headings = headings;
    file.data.ids = ids;
  };
}
