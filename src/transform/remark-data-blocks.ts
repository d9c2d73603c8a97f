/**
 * The data blocks: `::zeitleiste` renders the events of `veranstaltungen.yaml` as a timeline,
 * `::themenfelder` the topics, goals and approaches of `themen.yaml`, one block per topic.
 * Editors place them in a chapter; the toolkit writes the markup.
 */
import type { Element } from 'hast';
import type { Heading, Root } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { CharterEvent, Source, Topic } from '../load/schema.js';
import { formatDate } from '../core/dates.js';
import { error } from '../core/messages.js';
import { countContribution, inlineSourceLabel } from './contribution-markup.js';

export interface Options {
  events: readonly CharterEvent[];
  topics: readonly Topic[];
  sources: readonly Source[];
  marking: boolean;
}

/** The names of the data block directives. */
export const dataBlockDirectives = ['zeitleiste', 'themenfelder'] as const;

/** Renders `::zeitleiste` and `::themenfelder`. */
export default function remarkDataBlocks(options: Options) {
  const sources = new Map(options.sources.map((source) => [source.id, source]));
  return (tree: Root, file: VFile) => {
    let depth = 1;
    const placed = new Map<string, LeafDirective>();
    visit(tree, (node) => {
      if (node.type === 'heading') depth = (node as Heading).depth;
      if (node.type !== 'leafDirective') return;
      const directive = node as LeafDirective;
      if (directive.name !== 'zeitleiste' && directive.name !== 'themenfelder') return;
      if (Object.keys(directive.attributes ?? {}).length > 0 || directive.children.length > 0) {
        error(file, `\`::${directive.name}\` takes no label or attributes`, directive, 'data-block-form');
      }
      const first = placed.get(directive.name);
      if (first) {
        // Its headings and ids would be there twice; the second is left out.
        error(file, `\`::${directive.name}\` is already shown in this chapter, on line ${first.position?.start.line ?? 1}`, directive, 'data-block-twice');
        directive.data = { hName: 'div', hChildren: [] };
        return;
      }
      placed.set(directive.name, directive);
      const block = directive.name === 'zeitleiste' ? timeline(options.events) : topics(options.topics, Math.min(depth + 1, 6), sources, options.marking, file);
      // What the block is made of comes from the line that placed it, for any later message.
      visit(block, (child) => {
        child.position ??= directive.position;
      });
      directive.data = { hName: block.tagName, hProperties: block.properties, hChildren: block.children };
    });
  };
}

function timeline(events: readonly CharterEvent[]): Element {
  const sorted = [...events].sort((a, b) => a.datum.localeCompare(b.datum));
  return h(
    'ol.zeitleiste',
    sorted.map((event) =>
      h(`li.zeitleiste__eintrag.zeitleiste__eintrag--${slug(event.art)}`, [
        h('p.zeitleiste__datum', [
          h('time', { dateTime: event.datum }, formatDate(event.datum, event.bis)),
          event.ort ? ` · ${event.ort}` : '',
        ]),
        h('p.zeitleiste__titel', [h('strong', event.titel), ' ', h('span.zeitleiste__art', `(${event.art})`)]),
        h('p.zeitleiste__text', event.beschreibung),
      ]),
    ),
  );
}

function topics(
  list: readonly Topic[],
  depth: number,
  sources: Map<string, Source>,
  marking: boolean,
  file: VFile,
): Element {
  const headingTag = `h${depth}`;
  return h(
    'div.themenfelder',
    list.map((topic, index) =>
      h(`section.themenfeld.themenfeld--${topic.id}`, { ariaLabelledBy: `themenfeld-${topic.id}` }, [
        h(headingTag, { id: `themenfeld-${topic.id}` }, [h('span.themenfeld__nummer', `Themenfeld ${index + 1}: `), topic.titel]),
        h('p.themenfeld__beschreibung', topic.beschreibung),
        ...topic.ziele.map((goal, goalIndex) =>
          h('div.ziel', [
            h('p.ziel__titel', [h('span.ziel__nummer', `Ziel ${index + 1}.${goalIndex + 1}: `), goal.titel]),
            h('p.ansaetze__kopf', 'Handlungsansätze:'),
            h(
              'ul.ansaetze',
              goal.ansaetze.map((approach) => {
                if (typeof approach === 'string') return h('li', approach);
                const source = sources.get(approach.quelle);
                if (!source || !marking) return h('li', approach.text);
                countContribution(file, source.id);
                return h('li', [
                  h(`span.beitrag.beitrag--${source.id}.beitrag--inline`, { dataQuelle: source.id }, [
                    approach.text,
                    inlineSourceLabel(source),
                  ]),
                ]);
              }),
            ),
          ]),
        ),
      ]),
    ),
  );
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replaceAll('ö', 'oe')
    .replaceAll('ä', 'ae')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss')
    .replace(/[^a-z0-9]+/g, '-');
}
