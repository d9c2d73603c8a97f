/**
 * Web addresses shown as text may be longer than the space left on a line of justified text. This
 * plugin lets them break where a reader expects it: after a slash and before a dot, a question
 * mark, an ampersand or a hash, with `<wbr>`, which adds no character to the text a reader copies.
 */
import type { Element, ElementContent, Root, Text } from 'hast';
import { visit } from 'unist-util-visit';

const address = /^(https?:\/\/|mailto:|www\.)|^[\w-]+(\.[\w-]+)+\//i;

/** Whether a link's text is a web or mail address rather than words. */
export function isAddressText(text: string): boolean {
  return address.test(text.trim());
}

/** Adds break opportunities to the text of links that show an address. */
export default function rehypeBreakUrls() {
  return (tree: Root) => {
    visit(tree, 'element', (node) => {
      if (node.tagName !== 'a') return;
      node.children = node.children.flatMap((child) => (child.type === 'text' && isAddressText(child.value) ? withBreaks(child) : [child]));
    });
  };
}

function withBreaks(text: Text): ElementContent[] {
  // Break after "/" (but not inside "//"), before ".", "?", "&", "#", "=" that follow a character.
  const pieces = text.value.split(/(?<=[^/]\/(?!\/))|(?<=^[a-z]+:\/\/)|(?<=.)(?=[.?&#=])/i).filter(Boolean);
  const out: ElementContent[] = [];
  pieces.forEach((piece, index) => {
    if (index > 0) out.push(wbr());
    out.push({ type: 'text', value: piece });
  });
  return out;
}

function wbr(): Element {
  return { type: 'element', tagName: 'wbr', properties: {}, children: [] };
}
