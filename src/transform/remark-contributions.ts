/**
 * Contribution marking: `:::beitrag{quelle=ID}` … `:::` around blocks and `:beitrag[text]{quelle=ID}`
 * inline. Checks each marking against the registry of sources and turns it into the markup every
 * edition shares: the source's class and id, its marker and its label as text, so the marking is
 * understood without colour and without CSS. With `marking: false` the passages stay, unmarked.
 */
import type { Element, ElementContent } from 'hast';
import type { Nodes, Paragraph, Parent, PhrasingContent, Root } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import type { Source } from '../load/schema.js';
import { error, warn } from '../core/messages.js';
import { contributionLabel, contributionMarker, countContribution, inlineSourceLabel } from './contribution-markup.js';

export interface Options {
  sources: readonly Source[];
  /** False for the clean edition: passages are kept, their marking dropped. */
  marking: boolean;
}

/** The directive name of a marked passage. */
export const contributionDirective = 'beitrag';

/** Checks and renders the contribution markings of a chapter. */
export default function remarkContributions(options: Options) {
  const byId = new Map(options.sources.map((source) => [source.id, source]));
  return (tree: Root, file: VFile) => {
    const replacements: Array<() => void> = [];
    visitParents(tree, (node, ancestors) => {
      if (node.type !== 'containerDirective' && node.type !== 'textDirective' && node.type !== 'leafDirective') return;
      if (node.name !== contributionDirective) return;
      if (node.type === 'leafDirective') {
        error(file, 'A contribution marks text: use `:::beitrag{quelle=…}` … `:::` around blocks or `:beitrag[text]{quelle=…}` inline', node, 'contribution-form');
        return;
      }
      const parent = ancestors.at(-1) as Parent;
      const unclosed = node.type === 'textDirective' ? unclosedPart(node, file) : undefined;
      if (unclosed) {
        // `:beitrag[text` without `]`, or `{quelle=…` without `}`: that part stayed text.
        error(file, unclosed, node, 'unclosed-contribution');
        replacements.push(() => unwrap(node, parent));
        return;
      }
      const id = node.attributes?.quelle ?? '';
      const source = byId.get(id);
      if (!id) {
        error(file, 'Contribution without a source: add `{quelle=…}`', node, 'missing-source');
      } else if (!source) {
        error(file, `Unknown contribution source "${id}"`, node, 'unknown-source');
      }
      for (const key of Object.keys(node.attributes ?? {})) {
        if (key !== 'quelle') error(file, `Unknown attribute \`${key}\` on a contribution`, node, 'contribution-attribute');
      }
      const outer = ancestors.find(
        (ancestor): ancestor is ContainerDirective =>
          ancestor.type === 'containerDirective' && ancestor.name === contributionDirective,
      );
      if (outer) {
        const outerId = outer.attributes?.quelle ?? '';
        if (outerId !== id) {
          error(file, `Contribution of "${id}" inside a contribution of "${outerId}": a passage has one source`, node, 'nested-contribution');
        } else {
          warn(file, `Contribution of "${id}" inside a contribution of the same source`, node, 'nested-contribution');
        }
      }
      if (node.type === 'containerDirective' && !isClosed(node, file)) {
        error(file, 'Block contribution is never closed: end it with a line `:::`', node.position?.start, 'unclosed-contribution');
      }
      if (node.type === 'textDirective' && node.children.length === 0) {
        error(file, 'Inline contribution without text: write `:beitrag[text]{quelle=…}`', node, 'empty-contribution');
      }
      if (!source || outer || !options.marking) {
        replacements.push(() => unwrap(node, parent));
        return;
      }
      replacements.push(() => mark(node, source, file));
    });
    for (const replace of replacements) replace();
  };
}

/** A closed block ends with a fence line of colons; an unclosed one runs to the end of the file. */
function isClosed(node: ContainerDirective, file: VFile): boolean {
  const end = node.position?.end.offset;
  if (end === undefined) return true;
  const text = String(file.value).slice(0, end);
  const lastLine = text.slice(text.lastIndexOf('\n') + 1);
  return /^\s*:{3,}\s*$/.test(lastLine);
}

/**
 * What of an inline contribution was opened but never closed, judged by the text right after
 * the part the parser could read: a label `[` (when there is none) or attributes `{`.
 */
function unclosedPart(node: TextDirective, file: VFile): string | undefined {
  const end = node.position?.end.offset;
  if (end === undefined) return undefined;
  const next = String(file.value).charAt(end);
  if (next === '[' && node.children.length === 0) return 'Inline contribution is never closed: end its text with `]`, then `{quelle=…}`';
  if (next === '{' && !node.attributes?.quelle) return 'The source of an inline contribution is never closed: end `{quelle=…` with `}`';
  return undefined;
}

/** Keeps the passage and drops its marking: the directive's children take its place. */
function unwrap(node: ContainerDirective | TextDirective, parent: Parent): void {
  const index = parent.children.indexOf(node as Parent['children'][number]);
  if (index >= 0) parent.children.splice(index, 1, ...(node.children as Parent['children']));
}

function mark(node: ContainerDirective | TextDirective, source: Source, file: VFile): void {
  countContribution(file, source.id);
  const data = (node.data ??= {});
  const className = ['beitrag', `beitrag--${source.id}`];
  if (node.type === 'textDirective') {
    data.hName = 'span';
    data.hProperties = { className: [...className, 'beitrag--inline'], dataQuelle: source.id };
    const element = inlineSourceLabel(source);
    const label: PhrasingContent = {
      type: 'text',
      value: '',
      data: { hName: element.tagName, hProperties: element.properties, hChildren: element.children },
    };
    node.children.push(label);
    return;
  }
  data.hName = 'div';
  data.hProperties = { className: [...className, 'beitrag--block'], dataQuelle: source.id };
  const heading: Paragraph = {
    type: 'paragraph',
    children: [],
    data: { hName: 'p', hProperties: { className: ['beitrag__kopf'] }, hChildren: blockLabel(source) },
  };
  (node.children as Nodes[]).unshift(heading);
}

function blockLabel(source: Source): ElementContent[] {
  const marker: Element = contributionMarker(source);
  return [marker, { type: 'text', value: ` ${contributionLabel(source)}` }];
}
