/**
 * Footnotes at the foot of the page of their reference, in the PDF edition. Chromium has no
 * `float: footnote`, so the build places them itself, with the layout pass that already tells where
 * everything lands (see `pdf-edition.ts`):
 *
 * 1. The chapter's notes leave its endnote section (hidden then) and wait. Each block of the
 *    chapter that stands directly in it (a paragraph, a list, a table, a figure: a "unit") gets a
 *    marker at its end, so that a layout pass tells on which page each unit ends.
 * 2. For the first waiting note, on page p, its notes block goes before the first unit that does
 *    not end on p; it holds every waiting note whose reference stands before that unit. The block
 *    ends its page (`break-after: page`), so it never follows a heading (or another unit that
 *    keeps with the next): it goes before the heading, which goes on with what it heads.
 * 3. The next layout pass checks the block: it starts and ends on p, and its references are still
 *    there. If it was pushed to the next page (text and notes do not fit), it moves one unit up,
 *    and the unit with its references goes to the next page. A block checked is kept, and the next
 *    page's block is placed from the same pass.
 * 4. Once every block is kept, each is pushed down to the foot of its page by a top margin: the
 *    page ends after the block, so that moves nothing.
 *
 * Chapters begin on a page of their own, so all chapters are placed side by side: the passes are
 * as many as the pages with notes of the chapter that has the most, plus the moves. For the same
 * reason a chapter is laid out alone as in the whole document, so each pass lays out only the
 * chapters whose notes it places (a fraction of the pages), and one pass of the whole document at
 * the end tells where everything landed. After `maxPasses` passes, the notes not yet placed stay at
 * the end of their chapter.
 *
 * A note too long for a page with its reference's line starts on that page and continues on the
 * next. Designers choose chapter endnotes instead with `--fussnoten: kapitelende` in print.css.
 */
import type { Page } from 'puppeteer';
import { measurePageMargins, readPageBox } from './page-box.js';
import type { PageMap } from './pdf-destinations.js';

/** The result of placing the notes, for the build's report and the tests. */
export interface FootnotePlacement {
  /** `seitenfuss` (notes at the foot of their page) or `kapitelende` (the template's choice). */
  mode: string;
  /** Notes placed at the foot of the page of their reference. */
  placed: number;
  /** Notes left at the end of their chapter, because placing them did not settle. */
  atChapterEnd: number;
  /** Layout passes printed, the first included; 0 when an earlier build's placement was used again. */
  passes: number;
}

/**
 * A notes block as it was placed, enough to place it again in the same document laid out by the
 * same browser (`placeKnownFootnotes`) without a layout pass.
 */
export interface PlacedBlock {
  chapter: number;
  before: number;
  notes: string[];
  /** The page the notes landed on, counting from the document's first page. */
  page: number;
  overflows: boolean;
  /** The top margin, in points, that pushes the block to the foot of its page. */
  margin: number;
}

/** A notes block at the foot of one page. */
interface Block {
  id: string;
  chapter: number;
  /** The unit the block stands before; the chapter's unit count places it after the last unit. */
  before: number;
  notes: string[];
  /** The page it belongs to: that of its references. */
  page: number;
  /** Whether it may continue on the next page (it does not fit even alone with its reference's unit). */
  overflows: boolean;
}

interface ChapterNotes {
  /** The id of its first element, the title: pages are counted from its page. */
  title: string;
  /** The number of units, and the global index of the first. */
  units: number;
  firstUnit: number;
  /** The notes in the order of their first references. */
  notes: Array<{ id: string; reference: string; unit: number }>;
}

interface Prepared {
  mode: string;
  chapters: ChapterNotes[];
  /** By global unit index: whether the unit keeps with the next (a heading, `break-after: avoid`), so that no block may follow it. */
  keepsWithNext: boolean[];
}

/** The names the build gives what it adds to the page; the classes are styled in print.css. */
const names = {
  block: 'fussnoten-seite',
  distributed: 'footnotes--verteilt',
  unitAttribute: 'data-fussnoten-einheit',
  chapterAttribute: 'data-fussnoten-kapitel',
  marker: 'charta-fussnoten-ende-',
  links: 'charta-fussnoten-verweise',
  selection: 'charta-fussnoten-auswahl',
  shownAttribute: 'data-fussnoten-gezeigt',
};

/** The most layout passes the placing may take. */
const maxPasses = 12;

/**
 * Places the footnotes of the document in `page` at the foot of their pages. `layout` prints a
 * layout pass of the page as it stands and reads it back; the last one it printed describes the
 * document as it is left. Returns undefined when there is nothing to place (no notes, or the
 * template sets chapter endnotes), without printing.
 */
export async function placeFootnotes(page: Page, layout: () => Promise<PageMap>): Promise<{ placement: FootnotePlacement; map: PageMap; blocks: PlacedBlock[] } | undefined> {
  const prepared = await page.evaluate(prepare, names);
  const total = prepared.chapters.reduce((sum, chapter) => sum + chapter.notes.length, 0);
  if (prepared.mode !== 'seitenfuss' || total === 0) return undefined;

  const kept: Block[] = [];
  const trying = new Map<number, Block>();
  const next = prepared.chapters.map(() => 0);
  let blockCount = 0;
  // A pass lays out only the chapters whose notes are being placed: chapters begin on a page of
  // their own, so each is laid out the same alone as in the whole document.
  const layoutOf = async (shown: number[] | undefined) => {
    await page.evaluate(restrict, names, shown);
    return layout();
  };
  let map = await layoutOf(prepared.chapters.map((_, index) => index));
  let passes = 1;
  // Pages count from the chapter's first page: a chapter is laid out the same wherever it begins.
  let chapter: ChapterNotes = prepared.chapters[0]!;
  const pageOf = (id: string) => (map.destinations.get(id) ?? Number.POSITIVE_INFINITY) - (map.destinations.get(chapter.title) ?? 0);
  const unitEnd = (unit: number) => pageOf(`${names.marker}${unit}`);

  for (; ; passes++) {
    let changed = false;
    prepared.chapters.forEach((current, index) => {
      chapter = current;
      const block = trying.get(index);
      if (block) {
        const verdict = check(block, chapter);
        if (verdict === 'kept') {
          kept.push(block);
          trying.delete(index);
          next[index]! += block.notes.length;
        } else {
          changed = true;
          if (verdict === 'gone') trying.delete(index);
          else trying.set(index, verdict);
          return;
        }
      }
      const first = chapter.notes[next[index]!];
      if (!first) return;
      const notePage = pageOf(first.reference);
      let before = first.unit;
      while (before < chapter.firstUnit + chapter.units && unitEnd(before) <= notePage) before++;
      // A block ends its page: never right after a heading, which goes on with what it heads.
      while (before - 1 > first.unit && prepared.keepsWithNext[before - 1]) before--;
      trying.set(index, blockOf(chapter, index, before, notePage, false));
      changed = true;
    });
    if (!changed || passes >= maxPasses) break;
    await page.evaluate(arrange, names, [...kept, ...trying.values()]);
    map = await layoutOf([...trying.keys()]);
  }
  // Blocks not settled when the passes ran out: their notes stay at the end of the chapter.
  if (trying.size > 0) await page.evaluate(arrange, names, kept);
  // The whole document, laid out once more: the blocks' places on its pages, and its page numbers.
  map = await layoutOf(undefined);
  passes++;
  const box = await page.evaluate(readPageBox);
  const pageMargins = await page.evaluate(measurePageMargins, box);
  const heights = { blocks: await page.evaluate(measure, kept.map((block) => block.id)), margins: box ? pageMargins.top + pageMargins.bottom : Number.POSITIVE_INFINITY };
  const margins = kept.map((block, at) => {
    const top = map.tops.get(block.id);
    if (block.overflows || top === undefined) return 0;
    // Points above the content box's bottom edge that the block leaves free.
    const free = top - heights.blocks[at]! * 0.75 - heights.margins;
    return Math.max(0, free - 1.5);
  });
  await page.evaluate(finish, names, kept.map((block) => block.id), margins);
  const placed = kept.reduce((sum, block) => sum + block.notes.length, 0);
  const blocks = kept.map((block, at) => ({
    chapter: block.chapter,
    before: block.before,
    notes: block.notes,
    page: map.destinations.get(block.id) ?? 0,
    overflows: block.overflows,
    margin: margins[at]!,
  }));
  return { placement: { mode: prepared.mode, placed, atChapterEnd: total - placed, passes }, map, blocks };

  function blockOf(chapter: ChapterNotes, index: number, before: number, notePage: number, overflows: boolean): Block {
    const start = next[index]!;
    const notes = chapter.notes.slice(start).filter((note) => note.unit < before && pageOf(note.reference) === notePage);
    return { id: `fussnoten-seite-${++blockCount}`, chapter: index, before, notes: notes.map((note) => note.id), page: notePage, overflows };
  }

  /**
   * Whether the block stands where it belongs, and if not, where it goes now. A block that did not
   * fit moves one unit up, as long as a unit of its page stays before it; the unit it passes goes
   * to the next page with its references (the block may then hold no note at all and only end the
   * page). When no unit can go, the block stands after the first reference's unit and may
   * continue on the next page.
   */
  function check(block: Block, chapter: ChapterNotes): 'kept' | 'gone' | Block {
    const references = chapter.notes.filter((note) => block.notes.includes(note.id));
    if (references.some((note) => pageOf(note.reference) !== block.page)) return 'gone';
    if (block.overflows) return 'kept';
    if (pageOf(block.id) === block.page && pageOf(`${names.marker}${block.id}`) === block.page) return 'kept';
    let up = block.before - 1;
    // A heading before the unit that goes is carried along with it.
    while (up - 1 >= chapter.firstUnit && prepared.keepsWithNext[up - 1]) up--;
    if (up - 1 >= chapter.firstUnit && unitEnd(up - 1) === block.page) return blockOf(chapter, block.chapter, up, block.page, false);
    const first = chapter.notes[next[block.chapter]!]!;
    return blockOf(chapter, block.chapter, first.unit + 1, block.page, true);
  }
}

/**
 * Places the notes as an earlier build placed them (`placeFootnotes`'s blocks), without a layout
 * pass: for the same document in the same browser, the layout is the same. The caller checks the
 * print (`misplacedNotes`). Returns undefined when the document has no notes to place.
 */
export async function placeKnownFootnotes(page: Page, blocks: readonly PlacedBlock[]): Promise<FootnotePlacement | undefined> {
  const prepared = await page.evaluate(prepare, names);
  const total = prepared.chapters.reduce((sum, chapter) => sum + chapter.notes.length, 0);
  if (prepared.mode !== 'seitenfuss' || total === 0) return undefined;
  const ids = blocks.map((_, at) => `fussnoten-seite-${at + 1}`);
  await page.evaluate(arrange, names, blocks.map((block, at) => ({ ...block, id: ids[at]! })));
  await page.evaluate(finish, names, ids, blocks.map((block) => block.margin));
  const placed = blocks.reduce((sum, block) => sum + block.notes.length, 0);
  return { mode: prepared.mode, placed, atChapterEnd: total - placed, passes: 0 };
}

/**
 * The notes of `blocks` that a print (`map`) did not put on their block's page: the first lines
 * of a block that continues on the next page count as well as the rest.
 */
export function misplacedNotes(blocks: readonly PlacedBlock[], map: PageMap): string[] {
  return blocks.flatMap((block) => block.notes.filter((note) => map.destinations.get(note) !== block.page && !(block.overflows && block.notes[0] !== note)));
}

/** In the page: takes the notes out of their chapters and marks the units' ends. */
function prepare(n: typeof names): Prepared {
  const doc = globalThis.document;
  const mode = getComputedStyle(doc.documentElement).getPropertyValue('--fussnoten').trim().replace(/^["']|["']$/g, '') || 'seitenfuss';
  const chapters: ChapterNotes[] = [];
  const keepsWithNext: boolean[] = [];
  if (mode !== 'seitenfuss') return { mode, chapters, keepsWithNext };
  const links = doc.createElement('div');
  links.id = n.links;
  links.setAttribute('aria-hidden', 'true');
  links.style.cssText = 'position: absolute; top: 0; left: 0; width: 0; height: 0; overflow: hidden;';
  doc.body.append(links);
  const link = (target: string) => {
    const a = doc.createElement('a');
    a.href = `#${target}`;
    links.append(a);
  };
  /** A marker at the very end of `element`'s content, inside its last descendants that end it. */
  const markEnd = (element: Element, id: string) => {
    let host = element;
    while (host.lastChild instanceof Element && !['img', 'svg', 'br', 'wbr', 'hr', 'input'].includes(host.lastChild.localName)) host = host.lastChild;
    const marker = doc.createElement('span');
    marker.id = id;
    host.append(marker);
    link(id);
  };
  let unitIndex = 0;
  for (const section of doc.querySelectorAll('section[data-footnotes]')) {
    const chapter = section.parentElement;
    const items = [...section.querySelectorAll(':scope > ol > li')];
    if (!chapter || items.length === 0) continue;
    section.classList.add(n.distributed);
    chapter.setAttribute(n.chapterAttribute, String(chapters.length));
    const units = [...chapter.children].filter((child, at) => child !== section && at > 0 && !child.classList.contains('kapitel__quellen'));
    const firstUnit = unitIndex;
    for (const unit of units) {
      unit.setAttribute(n.unitAttribute, String(unitIndex));
      keepsWithNext[unitIndex] = /^h[1-6]$/.test(unit.localName) || getComputedStyle(unit).breakAfter === 'avoid';
      markEnd(unit, `${n.marker}${unitIndex}`);
      unitIndex++;
    }
    const notes: ChapterNotes['notes'] = [];
    items.forEach((item, at) => {
      item.setAttribute('value', String(at + 1));
      const reference = doc.querySelector(`a[data-footnote-ref][href="#${CSS.escape(item.id)}"]`);
      const unit = units.findIndex((candidate) => reference && candidate.contains(reference));
      if (!reference?.id || unit < 0) return;
      notes.push({ id: item.id, reference: reference.id, unit: firstUnit + unit });
    });
    notes.sort((a, b) => a.unit - b.unit || (doc.getElementById(a.reference)!.compareDocumentPosition(doc.getElementById(b.reference)!) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const title = chapter.firstElementChild;
    if (!title?.id) continue;
    link(title.id);
    chapters.push({ title: title.id, units: units.length, firstUnit, notes });
  }
  return { mode, chapters, keepsWithNext };
}

/**
 * In the page: lays out only the chapters of `shown` (by their index), everything else hidden; or,
 * without `shown`, everything again.
 */
function restrict(n: typeof names, shown: number[] | undefined): void {
  const doc = globalThis.document;
  doc.getElementById(n.selection)?.remove();
  for (const element of doc.querySelectorAll(`[${n.shownAttribute}]`)) element.removeAttribute(n.shownAttribute);
  if (!shown) return;
  for (const index of shown) {
    for (let element = doc.querySelector(`[${n.chapterAttribute}="${index}"]`); element && element !== doc.body; element = element.parentElement) element.setAttribute(n.shownAttribute, '');
  }
  doc.getElementById(n.links)?.setAttribute(n.shownAttribute, '');
  const style = doc.createElement('style');
  style.id = n.selection;
  style.textContent = `body *:not([${n.shownAttribute}], [${n.chapterAttribute}][${n.shownAttribute}] *, #${n.links} *) { display: none !important; }`;
  doc.head.append(style);
}

/** In the page: puts the notes into `blocks`, and every other note back at the end of its chapter. */
function arrange(n: typeof names, blocks: Block[]): void {
  const doc = globalThis.document;
  const links = doc.getElementById(n.links)!;
  for (const old of doc.querySelectorAll(`.${n.block}`)) {
    const home = old.parentElement?.querySelector(':scope > section[data-footnotes] > ol');
    for (const item of old.querySelectorAll(':scope > ol > li')) home?.append(item);
    links.querySelector(`a[href="#${old.id}"]`)?.remove();
    links.querySelector(`a[href="#${n.marker}${old.id}"]`)?.remove();
    old.remove();
  }
  // Keep each chapter's notes in their order at its end.
  for (const list of doc.querySelectorAll('section[data-footnotes] > ol')) {
    [...list.children].sort((a, b) => Number(a.getAttribute('value')) - Number(b.getAttribute('value'))).forEach((item) => list.append(item));
  }
  for (const block of blocks) {
    const element = doc.createElement('div');
    element.id = block.id;
    element.className = block.notes.length > 0 ? n.block : `${n.block} ${n.block}--leer`;
    const list = doc.createElement('ol');
    for (const id of block.notes) {
      const item = doc.getElementById(id);
      if (item) list.append(item);
    }
    element.append(list);
    const chapter = doc.querySelector(`[${n.chapterAttribute}="${block.chapter}"]`);
    const before = chapter?.querySelector(`:scope > [${n.unitAttribute}="${block.before}"]`) ?? chapter?.querySelector(':scope > section[data-footnotes]');
    before?.before(element);
    const marker = doc.createElement('span');
    marker.id = `${n.marker}${block.id}`;
    let host: Element = element;
    while (host.lastChild instanceof Element) host = host.lastChild;
    host.append(marker);
    for (const target of [block.id, marker.id]) {
      const a = doc.createElement('a');
      a.href = `#${target}`;
      links.append(a);
    }
  }
}

/**
 * In the page: the blocks' heights in CSS pixels. (Chromium's destinations count from a page's
 * bottom edge as if the content box began at its top edge, so the content box ends at the page's
 * top and bottom margins together above the bottom edge: `measurePageMargins`.)
 */
function measure(ids: string[]): number[] {
  return ids.map((id) => globalThis.document.getElementById(id)?.getBoundingClientRect().height ?? 0);
}

/** In the page: pushes each block to the foot of its page and removes what only the passes needed. */
function finish(n: typeof names, ids: string[], margins: number[]): void {
  const doc = globalThis.document;
  ids.forEach((id, at) => {
    const block = doc.getElementById(id);
    if (!block || !margins[at]) return;
    const current = parseFloat(getComputedStyle(block).marginTop) * 0.75;
    block.style.marginTop = `${(current + margins[at]!).toFixed(2)}pt`;
  });
  doc.getElementById(n.links)?.remove();
  for (const marker of doc.querySelectorAll(`[id^="${n.marker}"]`)) marker.remove();
  for (const unit of doc.querySelectorAll(`[${n.unitAttribute}]`)) unit.removeAttribute(n.unitAttribute);
  for (const chapter of doc.querySelectorAll(`[${n.chapterAttribute}]`)) chapter.removeAttribute(n.chapterAttribute);
  // A chapter whose notes all stand at the feet of its pages keeps its endnote section hidden.
  for (const section of doc.querySelectorAll(`section[data-footnotes].${n.distributed}`)) {
    if (section.querySelector(':scope > ol > li')) section.classList.remove(n.distributed);
  }
  for (const block of doc.querySelectorAll(`.${n.block}`)) block.removeAttribute('id');
}
