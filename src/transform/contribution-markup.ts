/**
 * The pieces of contribution markup that the chapter transform and the data blocks share.
 */
import type { Element } from 'hast';
import type { VFile } from 'vfile';
import type { Source } from '../load/schema.js';

declare module 'vfile' {
  interface DataMap {
    /** Marked passages per source id, counted while the chapter is transformed. */
    contributions: globalThis.Map<string, number>;
  }
}

/** The marker that identifies a source without colour; screen readers skip it, the label follows. */
export function contributionMarker(source: Source): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: ['beitrag__marker'], ariaHidden: 'true' },
    children: [{ type: 'text', value: source.marker }],
  };
}

/** The label that introduces a marked block: "Beitrag aus: 1. ITAS-Zukunftsforum". */
export function contributionLabel(source: Source): string {
  return `Beitrag aus: ${source.bezeichnung}`;
}

/** Counts one marked passage of `sourceId` in `file`. */
export function countContribution(file: VFile, sourceId: string): void {
  const counts = (file.data.contributions ??= new Map());
  counts.set(sourceId, (counts.get(sourceId) ?? 0) + 1);
}

/** The source's marker and short name after an inline passage: " [● Zukunftsforum]". */
export function inlineSourceLabel(source: Source): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { className: ['beitrag__quelle'] },
    children: [{ type: 'text', value: ' [' }, contributionMarker(source), { type: 'text', value: ` ${source.kurz}]` }],
  };
}
