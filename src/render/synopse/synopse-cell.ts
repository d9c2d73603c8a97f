/**
 * One cell of the Synopse: a block of the earlier or the later version (hast from the comparison,
 * with `<del>` or `<ins>`) made fit to stand in a table cell beside other blocks. Works on a copy.
 *
 * - Headings become paragraphs (`synopse__ueberschrift`): the page's own headings stay the only
 *   ones, in the outline and for screen readers.
 * - List items are wrapped in a list, table rows in a table, so the markup stays valid.
 * - Ids get the cell's prefix, references to them follow; references to ids outside the cell
 *   (a footnote reference's `aria-describedby`) are dropped.
 * - Footnote references and links to the chapter's own ids are unwrapped (their targets are not
 *   on the page); links between chapters get the edition's address, or are unwrapped when the
 *   edition has none for them; web addresses stay.
 * - With `announce`, screen readers hear "Gestrichen:" and "Eingefügt:" once per change.
 */
import type { Element, ElementContent, Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

export interface CellOptions {
  /** Prefix of every id in the cell, unique on the page (e.g. `s-3-links`). */
  prefix: string;
  /** The edition's address of a chapter link, or undefined to unwrap the link. */
  chapterHref(chapterId: string, fragment?: string): string | undefined;
  /**
   * Put a visually hidden "Gestrichen:" / "Eingefügt:" before each `<del>` and `<ins>` (not
   * inside one), for screen readers, which do not announce them; unless the block has one there.
   */
  announce?: boolean;
  /** The images the edition carries (paths as in `src`); any other image stands as its alternative text. */
  images?: ReadonlySet<string>;
}

const announcements: Record<string, string> = { del: 'Gestrichen: ', ins: 'Eingefügt: ' };

/** The properties that name other elements by id. */
const idReferences = ['ariaDescribedBy', 'ariaLabelledBy', 'ariaControls', 'ariaOwns', 'htmlFor', 'headers'] as const;

/** How the blocks that only live inside a container are wrapped when they stand alone. */
const containers: Record<string, (children: Element[]) => Element> = {
  li: (children) => element('ul', { className: ['synopse__liste'] }, children),
  tr: (children) => element('table', {}, [element('tbody', {}, children)]),
  dt: (children) => element('dl', {}, children),
  dd: (children) => element('dl', {}, children),
};

/** The cell's content for `block`, as a hast root. */
export function synopseCell(block: readonly ElementContent[], options: CellOptions): Root {
  const tree: Root = { type: 'root', children: wrapOrphans(structuredClone([...block])) };
  const ids = new Set<string>();
  visit(tree, 'element', (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  visit(tree, 'element', (node, index, parent) => {
    const properties = node.properties;
    if (typeof properties.id === 'string') properties.id = `${options.prefix}-${properties.id}`;
    for (const key of idReferences) {
      const value = properties[key];
      if (value === undefined || value === null) continue;
      const kept = (Array.isArray(value) ? value.map(String) : String(value).split(/\s+/)).filter((id) => ids.has(id));
      if (kept.length > 0) properties[key] = kept.map((id) => `${options.prefix}-${id}`);
      else delete properties[key];
    }
    if (/^h[1-6]$/.test(node.tagName)) {
      properties.className = ['synopse__ueberschrift', `synopse__ueberschrift--${node.tagName.slice(1)}`];
      node.tagName = 'p';
    }
    if (node.tagName === 'img' && options.images && !options.images.has(String(properties.src ?? '')) && parent && index !== undefined) {
      // An image only the earlier version had: the editions do not carry it.
      parent.children[index] = element('span', { className: ['synopse__bild'] }, [{ type: 'text', value: `[Abbildung: ${String(properties.alt ?? '')}]` }]);
      return SKIP;
    }
    if (node.tagName === 'a' && parent && index !== undefined) {
      const href = linkTarget(node, options);
      if (href === undefined) {
        parent.children.splice(index, 1, ...node.children);
        return index;
      }
      properties.href = href;
    }
    return undefined;
  });
  if (options.announce) announce(tree);
  return tree;
}

/** A visually hidden announcement before every outermost `<del>` and `<ins>` that has none. */
function announce(tree: Root): void {
  visit(tree, 'element', (node, index, parent) => {
    const text = announcements[node.tagName];
    if (!text || !parent || index === undefined) return undefined;
    const before = parent.children[index - 1];
    const announced = before?.type === 'element' && Array.isArray(before.properties.className) && before.properties.className.includes('sr-only');
    if (!announced) parent.children.splice(index, 0, element('span', { className: ['sr-only'] }, [{ type: 'text', value: text }]));
    // Past the element: a change inside a change is not announced again.
    return announced ? SKIP : [SKIP, index + 2];
  });
}

/** Where a link of a cell points, or undefined when it is to be unwrapped. */
function linkTarget(node: Element, options: CellOptions): string | undefined {
  const href = node.properties.href;
  if (node.properties.dataFootnoteRef !== undefined || node.properties.dataFootnoteBackref !== undefined) return undefined;
  const link = node.data?.chapterLink;
  if (link) return options.chapterHref(link.chapter, link.fragment);
  if (typeof href !== 'string' || href.startsWith('#')) return undefined;
  return href;
}

/** Runs of list items, table rows and definition parts at the top, each in its container. */
function wrapOrphans(children: ElementContent[]): ElementContent[] {
  const result: ElementContent[] = [];
  let open: { kind: string; into: Element } | undefined;
  for (const child of children) {
    const wrap = child.type === 'element' ? containers[child.tagName] : undefined;
    if (!wrap || child.type !== 'element') {
      open = undefined;
      result.push(child);
      continue;
    }
    const kind = child.tagName === 'dd' ? 'dt' : child.tagName;
    if (open?.kind === kind) {
      open.into.children.push(child);
      continue;
    }
    const container = wrap([child]);
    open = { kind, into: container.tagName === 'table' ? (container.children[0] as Element) : container };
    result.push(container);
  }
  return result;
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}

