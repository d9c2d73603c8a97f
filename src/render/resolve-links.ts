/**
 * Writes each edition's addresses into chapter links (see `rehype-chapter-links`), on a copy of the
 * shared tree, so that editions never change what another edition reads.
 */
import type { Element, Nodes, Root } from 'hast';

/** A copy of `tree` whose chapter links point where `href` says. */
export function withResolvedLinks(tree: Root, href: (chapter: string, fragment?: string) => string): Root {
  const copy = copyTree(tree);
  const visit = (node: Nodes) => {
    if (node.type === 'element') {
      const link = node.data?.chapterLink;
      if (link) node.properties.href = href(link.chapter, link.fragment);
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(copy);
  return copy;
}

/**
 * A copy of `node` that an edition may change freely: nodes, children, properties and their lists
 * are new; positions, which no edition changes, are shared. (Several times faster than
 * `structuredClone`, which copies every position too.)
 */
function copyTree<T extends Nodes>(node: T): T {
  const copy = { ...node };
  if (node.data) copy.data = { ...node.data };
  if (node.type === 'element') {
    const properties: Element['properties'] = {};
    for (const [name, value] of Object.entries(node.properties)) properties[name] = Array.isArray(value) ? [...value] : value;
    (copy as Element).properties = properties;
    if (node.content) (copy as Element).content = copyTree(node.content);
  }
  if ('children' in node) (copy as typeof node).children = node.children.map((child) => copyTree(child)) as typeof node.children;
  return copy;
}
