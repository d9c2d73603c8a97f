/**
 * The documents of the search: one per section of each chapter (the text before the first
 * subheading, then each `h2` and `h3` with what follows it), from the same hast the HTML edition
 * prints. A footnote's text belongs to the section that refers to it.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Charta } from '../charta.js';
import { chapters } from '../charta.js';
import type { Addresses } from '../render/views.js';
import { skipped, type SearchDocument } from './search-options.js';

/** Tags whose text ends a line: a space after them keeps words of neighbouring blocks apart. */
const blocks = new Set(['p', 'li', 'div', 'td', 'th', 'tr', 'br', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'figcaption', 'blockquote', 'section', 'ol', 'ul', 'table', 'figure', 'aside', 'caption']);
const sectionHeadings = new Set(['h1', 'h2', 'h3']);
const skippedTags = new Set<string>(skipped.tags);
const skippedClasses = new Set<string>(skipped.classes);
const skippedProperties = skipped.attributes.map((name) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()));

function isSkipped(node: Element): boolean {
  if (skippedTags.has(node.tagName)) return true;
  const classes = node.properties.className;
  if (Array.isArray(classes) && classes.some((name) => skippedClasses.has(String(name)))) return true;
  return skippedProperties.some((name) => {
    const value = node.properties[name];
    return value !== undefined && value !== null && value !== false && String(value) !== 'false';
  });
}

/** The searchable text of `node`, words of neighbouring blocks apart, spaces collapsed. */
export function searchableText(node: Root | RootContent | ElementContent): string {
  const parts: string[] = [];
  const walk = (current: Root | RootContent | ElementContent): void => {
    if (current.type === 'text') parts.push(current.value);
    else if (current.type === 'element') {
      if (isSkipped(current)) return;
      for (const child of current.children) walk(child);
      if (blocks.has(current.tagName)) parts.push(' ');
    } else if (current.type === 'root') for (const child of current.children) walk(child);
  };
  walk(node);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

interface Section {
  id?: string;
  heading: string;
  parts: string[];
}

/** The footnotes section's notes, by their ids. */
function footnotes(node: Element): Map<string, Element> {
  const notes = new Map<string, Element>();
  const walk = (current: ElementContent): void => {
    if (current.type !== 'element') return;
    if (current.tagName === 'li' && typeof current.properties.id === 'string') notes.set(current.properties.id, current);
    else for (const child of current.children) walk(child);
  };
  walk(node);
  return notes;
}

/** The ids of the notes that `node` refers to. */
function noteReferences(node: RootContent): string[] {
  const ids: string[] = [];
  const walk = (current: RootContent | ElementContent): void => {
    if (current.type !== 'element') return;
    const href = current.properties.href;
    if (current.properties.dataFootnoteRef !== undefined && typeof href === 'string' && href.includes('#')) ids.push(decodeURIComponent(href.slice(href.indexOf('#') + 1)));
    for (const child of current.children) walk(child);
  };
  walk(node);
  return ids;
}

/** The sections of a chapter's tree, with their notes' text. */
function sectionsOf(tree: Root, title: string): Section[] {
  const sections: Section[] = [{ heading: title, parts: [] }];
  const referring = new Map<string, Section>();
  let notes = new Map<string, Element>();
  for (const node of tree.children) {
    if (node.type === 'element' && node.properties.dataFootnotes !== undefined) {
      notes = footnotes(node);
      continue;
    }
    if (node.type === 'element' && sectionHeadings.has(node.tagName) && typeof node.properties.id === 'string') {
      if (node.tagName === 'h1') {
        sections[0]!.id = node.properties.id;
        sections[0]!.heading = searchableText(node) || title;
      } else sections.push({ id: node.properties.id, heading: searchableText(node), parts: [] });
      continue;
    }
    const section = sections.at(-1)!;
    section.parts.push(searchableText(node));
    for (const id of noteReferences(node)) referring.set(id, section);
  }
  for (const [id, note] of notes) (referring.get(id) ?? sections.at(-1)!).parts.push(searchableText(note));
  return sections;
}

/** The search documents of every chapter, addressed in the edition with `addresses`. */
export function searchDocuments(charta: Charta, addresses: Pick<Addresses, 'chapter'>): SearchDocument[] {
  const documents: SearchDocument[] = [];
  for (const chapter of chapters(charta)) {
    sectionsOf(chapter.tree, chapter.title).forEach((section, index) => {
      const text = section.parts.filter(Boolean).join(' ');
      if (!text && index > 0 && !section.heading) return;
      documents.push({
        id: documents.length,
        url: addresses.chapter(chapter, index === 0 ? undefined : section.id),
        chapter: chapter.title,
        heading: section.heading,
        text,
      });
    });
  }
  return documents;
}
