/**
 * The data blocks: `::zeitleiste` renders the events of `veranstaltungen.yaml` as a timeline,
 * `::themenfelder` the topics, goals and approaches of `themen.yaml`, one block per topic.
 * Editors place them in a chapter; the toolkit writes the markup. Each event, topic, goal and
 * approach carries a stable key (`data-schluessel`) and its place in the YAML file is recorded in
 * `file.data.dataPlaces`, so a comparison of two versions can name and locate it.
 */
import type { Element } from 'hast';
import type { Point, Position } from 'unist';
import type { Heading, Root } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import { h } from 'hastscript';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { CharterEvent, Source, Topic } from '../load/schema.js';
import { formatDate } from '../core/dates.js';
import { error } from '../core/messages.js';
import { countContribution, inlineSourceLabel } from './contribution-markup.js';

declare module 'vfile' {
  interface DataMap {
    /** The YAML place of each data block element, by its `data-schluessel`. */
    dataPlaces: globalThis.Map<string, DataPlace>;
  }
}

/** Where a data block element's data stands: `charta/themen.yaml`, line and column. */
export interface DataPlace {
  file: string;
  line: number;
  column: number;
}

/** The place of the value at a path of a YAML file (`placeOf` of `readYaml`). */
export type PlaceOf = (path: ReadonlyArray<string | number>) => Position | Point;

export interface Options {
  events: readonly CharterEvent[];
  topics: readonly Topic[];
  sources: readonly Source[];
  marking: boolean;
  /** Where the events and topics stand in `charta/veranstaltungen.yaml` and `charta/themen.yaml`. */
  dataPlaces?: { events: PlaceOf; topics: PlaceOf };
}

/** The key of an event in `data-schluessel`: its date and title. */
export function eventKey(event: CharterEvent): string {
  return `veranstaltung:${event.datum}:${event.titel}`;
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
      recordPlaces(directive.name, options, file);
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
        h(headingTag, { id: `themenfeld-${topic.id}`, dataSchluessel: `themenfeld:${topic.id}` }, [h('span.themenfeld__nummer', `Themenfeld ${index + 1}: `), topic.titel]),
        h('p.themenfeld__beschreibung', { dataSchluessel: `themenfeld:${topic.id}:beschreibung` }, topic.beschreibung),
        ...topic.ziele.map((goal, goalIndex) =>
          h('div.ziel', [
            h('p.ziel__titel', { dataSchluessel: `themenfeld:${topic.id}:ziel:${goalIndex + 1}` }, [h('span.ziel__nummer', `Ziel ${index + 1}.${goalIndex + 1}: `), goal.titel]),
            h('p.ansaetze__kopf', 'Handlungsansätze:'),
            h(
              'ul.ansaetze',
              goal.ansaetze.map((approach, approachIndex) => {
                const key = { dataSchluessel: `themenfeld:${topic.id}:ziel:${goalIndex + 1}:ansatz:${approachIndex + 1}` };
                if (typeof approach === 'string') return h('li', key, approach);
                const source = sources.get(approach.quelle);
                if (!source || !marking) return h('li', key, approach.text);
                countContribution(file, source.id);
                return h('li', key, [
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

/** Records the YAML places of what `::zeitleiste` or `::themenfelder` shows, by key. */
function recordPlaces(name: string, options: Options, file: VFile): void {
  if (!options.dataPlaces) return;
  const places = (file.data.dataPlaces ??= new Map());
  const record = (key: string, yamlFile: string, place: Position | Point) => {
    const point = 'start' in place ? place.start : place;
    places.set(key, { file: `charta/${yamlFile}`, line: point.line, column: point.column });
  };
  if (name === 'zeitleiste') {
    options.events.forEach((event, index) => record(eventKey(event), 'veranstaltungen.yaml', options.dataPlaces!.events(['veranstaltungen', index])));
    return;
  }
  const placeOf = options.dataPlaces.topics;
  options.topics.forEach((topic, t) => {
    record(`themenfeld:${topic.id}`, 'themen.yaml', placeOf(['themenfelder', t, 'titel']));
    record(`themenfeld:${topic.id}:beschreibung`, 'themen.yaml', placeOf(['themenfelder', t, 'beschreibung']));
    topic.ziele.forEach((goal, g) => {
      record(`themenfeld:${topic.id}:ziel:${g + 1}`, 'themen.yaml', placeOf(['themenfelder', t, 'ziele', g, 'titel']));
      goal.ansaetze.forEach((_approach, a) => record(`themenfeld:${topic.id}:ziel:${g + 1}:ansatz:${a + 1}`, 'themen.yaml', placeOf(['themenfelder', t, 'ziele', g, 'ansaetze', a])));
    });
  });
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
