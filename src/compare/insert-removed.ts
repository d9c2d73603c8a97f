/**
 * Puts the struck copy of a removed block into the later chapter's marked tree where it stood:
 * beside the later block that follows it (or the one before, when that one shared its parent),
 * inside the same kind of container (a removed list item into the list, a row into the table),
 * or, where the later tree has no such container, wrapped in a copy of its own (a list of one
 * item), so the markup stays valid.
 */
import type { Element, ElementContent, Nodes, Root } from 'hast';
import { descriptor, type Block } from './blocks.js';
import { emptyCopy } from './mark-tree.js';

/** Where the struck copies of one chapter go; consecutive ones share their wrappers. */
export class RemovedPlacer {
  private wrappers = new Map<Element, Element>();
  private last: { node: ElementContent; container: Element | Root } | undefined;

  constructor(
    private readonly root: Root,
    private readonly map: Map<Nodes, Nodes>,
  ) {}

  /** Forgets the wrappers and the position of the last copy: something else came between. */
  interrupt(): void {
    this.wrappers = new Map();
    this.last = undefined;
  }

  /**
   * Inserts `struck`, the struck copy of `removed`, before `next` or after `previous` (later
   * blocks, originals), or at the chapter's end when there are neither.
   */
  insert(removed: Block, struck: Element, previous: Block | undefined, next: Block | undefined, previousTwin: Block | undefined, nextTwin: Block | undefined): void {
    const before = next && this.targetOf(removed, next);
    const after = previous && this.targetOf(removed, previous);
    // After the previous block when it stood beside the removed one, or when both neighbours
    // are inside one container that the removed block was not in (a table between them).
    const useAfter = after && (!before || before.target === after.target || (previousTwin?.parent === removed.parent && nextTwin?.parent !== removed.parent));
    const chosen = useAfter ? after : before;
    if (!chosen) {
      this.place(removed, struck, 0, (node) => {
        const footnotes = this.root.children.findIndex((child) => child.type === 'element' && child.properties.dataFootnotes !== undefined);
        this.root.children.splice(footnotes >= 0 ? footnotes : this.root.children.length, 0, node);
        return this.root;
      });
      return;
    }
    const { target, container, depth } = chosen;
    this.place(removed, struck, depth, (node) => {
      if (this.last && this.last.container === container && container.children.includes(this.last.node)) {
        container.children.splice(container.children.indexOf(this.last.node) + 1, 0, node);
      } else {
        const at = container.children.indexOf(target);
        container.children.splice(useAfter ? at + 1 : at, 0, node);
      }
      return container;
    });
  }

  /** The element beside which the removed block goes, next to `reference`, and how deep. */
  private targetOf(removed: Block, reference: Block): { target: Element; container: Element | Root; depth: number } {
    // How far down the two blocks stand in the same kind of containers.
    const chain = [...reference.ancestors, reference.element];
    let depth = 0;
    while (depth < removed.ancestors.length && depth < reference.ancestors.length && descriptor(removed.ancestors[depth]!) === descriptor(reference.ancestors[depth]!)) depth++;
    const target = this.map.get(chain[depth]!) as Element;
    const container = (depth === 0 ? this.root : this.map.get(chain[depth - 1]!)) as Element | Root;
    return { target, container, depth };
  }

  /** Wraps `struck` in copies of the removed block's ancestors from `depth` and inserts it. */
  private place(removed: Block, struck: Element, depth: number, insert: (node: Element) => Element | Root): void {
    const ancestors = removed.ancestors;
    let level = depth;
    let into: Element | undefined;
    while (level < ancestors.length && this.wrappers.has(ancestors[level]!)) {
      into = this.wrappers.get(ancestors[level]!);
      level++;
    }
    let node = struck;
    for (let i = ancestors.length - 1; i >= level; i--) {
      const shell: Element = { ...emptyCopy(ancestors[i]!), children: [node] };
      this.wrappers.set(ancestors[i]!, shell);
      node = shell;
    }
    if (into) {
      into.children.push(node);
      return;
    }
    const container = insert(node);
    this.last = { node, container };
  }
}
