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
 *    and the unit with its references goes to the next page. A block checked is kept.
 * 4. Once every block is kept, each is pushed down to the foot of its page by a top margin: the
 *    page ends after the block, so that moves nothing.
 *
 * A pass does not wait for a block to be checked before the next is placed: from a pass that laid
 * out a chapter's text after its last kept block without a block in it, all of the chapter's
 * remaining blocks are predicted (`predict`): each note's height is measured on screen, where
 * lines break as in print, and the text after a block is shifted to the top of the next page. The
 * next pass checks them in order; from the first that did not hold, the rest are dropped and
 * placed again once it holds. The charta's blocks all hold at the first try: two passes in all.
 *
 * Chapters begin on a page of their own, so all chapters are placed side by side, and a chapter
 * is laid out alone as in the whole document: each pass after the first lays out only the
 * chapters whose blocks it checks. The first pass lays out the whole document; with the pages
 * each chapter gained since, it tells where everything lands in the end (`joinPasses`), so no
 * pass of the whole is needed at the end. After `maxPasses` passes, the notes not yet placed stay
 * at the end of their chapter.
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
  /** The notes in the order of their first references, each with its height in a notes block (points). */
  notes: Array<{ id: string; reference: string; unit: number; height: number }>;
  /** A notes block's height without its notes, and the space between two notes, in points. */
  blockFrame: number;
  noteGap: number;
}

/** What the prediction needs to know of a unit, in points: its margins, and how far its box reaches below the top of its last line. */
interface UnitBox {
  marginTop: number;
  marginBottom: number;
  tail: number;
}

/** A layout pass: what it printed, and the chapters it laid out (all of them: the whole document). */
interface Pass {
  map: PageMap;
  shown: number[];
}

interface Prepared {
  mode: string;
  chapters: ChapterNotes[];
  /** By global unit index: whether the unit keeps with the next (a heading, `break-after: avoid`), so that no block may follow it. */
  keepsWithNext: boolean[];
  /** By global unit index. */
  units: UnitBox[];
  /** A notes block's top margin, in points. */
  blockMargin: number;
  /** By chapter with notes: its characters of text. */
  weights: number[];
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
  end: 'charta-fussnoten-schluss',
  shownAttribute: 'data-fussnoten-gezeigt',
  segmentAttribute: 'data-fussnoten-stueck',
};

/** The most layout passes the placing may take. */
const maxPasses = 12;

/**
 * The characters of text a layout pass lays out at once, about 250 of the charta's pages: Chromium
 * takes longer per page the more pages it prints at once (twice as long at 2,300 pages as at
 * 300), so a larger document is laid out in parts of about this size, each beginning a page.
 */
const batchText = 500_000;

/** Points by which a predicted notes block may seem too tall for its page and still be tried there. */
const fitTolerance = 2;

/**
 * Places the footnotes of the document in `page` at the foot of their pages. `layout` prints a
 * layout pass of the page as it stands and reads it back; the last one it printed describes the
 * document as it is left. Returns undefined when there is nothing to place (no notes, or the
 * template sets chapter endnotes), without printing.
 *
 * A pass checks the blocks of each chapter in order. While every block holds, the chapter's
 * remaining blocks are predicted at once from where its text lies after the last one (`predict`),
 * and the next pass checks them all; from the first that does not hold, the blocks after it are
 * dropped, that one is moved (step 3), and the rest are predicted again once it holds. So a chapter
 * needs a pass for each block that was mispredicted, not for each page with notes.
 */
export async function placeFootnotes(page: Page, layout: () => Promise<PageMap>, text = batchText): Promise<{ placement: FootnotePlacement; map: PageMap; blocks: PlacedBlock[]; parts: number } | undefined> {
  const segments = await page.evaluate(markSegments, names);
  const prepared = await page.evaluate(prepare, names);
  const total = prepared.chapters.reduce((sum, chapter) => sum + chapter.notes.length, 0);
  if (prepared.mode !== 'seitenfuss' || total === 0) {
    // Nothing of the marking may stay: its end marker would add a blank page to the print.
    await page.evaluate(finish, names, [], []);
    return undefined;
  }
  const box = await page.evaluate(readPageBox);
  const pageBox = await page.evaluate(measurePageMargins, box);
  // The height of a page's content box, in points; 0 without a page box of known size, where nothing is predicted.
  const contentHeight = box ? pageBox.height - pageBox.top - pageBox.bottom : 0;

  const kept: Block[] = [];
  /** By chapter: the blocks laid out in the last pass and not yet checked, in order. */
  const trying: Block[][] = prepared.chapters.map(() => []);
  const next = prepared.chapters.map(() => 0);
  let blockCount = 0;
  // A pass lays out only the chapters whose notes are being placed: chapters begin on a page of
  // their own, so each is laid out the same alone as in the whole document.
  const layoutOf = async (shown: number[] | undefined): Promise<PageMap> => {
    // Chapters with notes begin a page (else their passes would not be joined).
    const batches = shown ? batchesOf(shown.map((index) => ({ chapters: [index], segments: [], weight: prepared.weights[index]!, breaks: true })), text) : wholeBatches;
    return layOutBatches(page, layout, batches, shown);
  };
  /** The parts of a pass of the whole document: the body's elements, which may not begin a page. */
  const wholeBatches = batchesOf(segments.segments.map((weight, index) => ({ chapters: [], segments: [index], weight, breaks: segments.segmentBreaks[index]! })), text);
  // The first pass lays out the whole document: its pages outside the chapters with notes, and
  // where each of those begins and ends, give the page numbers of the whole at the end.
  let shown = prepared.chapters.map((_, index) => index);
  let map = await layoutOf(undefined);
  const whole = map;
  const membership = await page.evaluate(chaptersOf, names, [...whole.destinations.keys()]);
  /** By chapter: the last pass that laid it out as it is left (its blocks all kept, none tried). */
  const settled = new Map<number, Pass>();
  let passes = 1;
  // Pages count from the chapter's first page: a chapter is laid out the same wherever it begins.
  let chapter: ChapterNotes = prepared.chapters[0]!;
  const pageOf = (id: string) => (map.destinations.get(id) ?? Number.POSITIVE_INFINITY) - (map.destinations.get(chapter.title) ?? 0);
  const unitEnd = (unit: number) => pageOf(`${names.marker}${unit}`);

  for (; ; passes++) {
    const again: number[] = [];
    for (const index of shown) {
      chapter = prepared.chapters[index]!;
      // Whether the pass laid out the chapter's text after its last kept block without a block in it.
      let plain = true;
      const blocks = trying[index]!;
      trying[index] = [];
      for (const block of blocks) {
        const verdict = check(block, chapter);
        if (verdict === 'kept') {
          kept.push(block);
          next[index]! += block.notes.length;
          continue;
        }
        plain = false;
        if (verdict !== 'gone') trying[index] = [verdict];
        break;
      }
      if (plain) trying[index] = predict(index, chapter);
      // A chapter whose block went is laid out again without it, to predict from.
      if (trying[index]!.length > 0 || !plain) again.push(index);
      else settled.set(index, { map, shown });
    }
    if (again.length === 0 || passes >= maxPasses) break;
    for (const index of again) settled.delete(index);
    await page.evaluate(arrange, names, [...kept, ...trying.flat()]);
    shown = again;
    map = await layoutOf(shown);
  }
  // Blocks not settled when the passes ran out: their notes stay at the end of the chapter.
  if (trying.some((blocks) => blocks.length > 0)) await page.evaluate(arrange, names, kept);
  await page.evaluate(restrict, names, undefined);
  // The whole document's pages: from the passes when every chapter was last laid out as it is
  // left, otherwise laid out once more. What the first pass did not lay out (a note, hidden at its
  // chapter's end then) the later ones tell.
  const later = [...new Set([...settled.values()].flatMap(({ map: pass }) => [...pass.destinations.keys()]))].filter((id) => !whole.destinations.has(id));
  const laterMembership = (await page.evaluate(chaptersOf, names, later)).chapters;
  const joined = joinPasses(whole, membership, settled, prepared.chapters, new Map(later.map((id, at) => [id, laterMembership[at]!])));
  if (joined) map = joined;
  else {
    map = await layoutOf(undefined);
    passes++;
  }
  const heights = { blocks: await page.evaluate(measure, kept.map((block) => block.id)), margins: box ? pageBox.top + pageBox.bottom : Number.POSITIVE_INFINITY };
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
  return { placement: { mode: prepared.mode, placed, atChapterEnd: total - placed, passes }, map, blocks, parts: wholeBatches.length };

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

  /**
   * The chapter's remaining blocks, predicted from the last pass, which laid out its text after
   * its last kept block without a block in it. The first block is placed as step 2 says, from
   * where the text lies; it moves up a unit (step 3) while its notes, by their heights measured on
   * screen, would not fit below the text. The text after a block begins a page, so the pass's
   * places of what follows are shifted by as much to place the next block, and so on: a guess for
   * every block but the first, which the next pass checks. The prediction stops at a block that
   * continues on the next page.
   */
  function predict(index: number, chapter: ChapterNotes): Block[] {
    const notes = chapter.notes;
    const end = chapter.firstUnit + chapter.units;
    const title = map.destinations.get(chapter.title) ?? 0;
    /** Where an element lies in the chapter, in points, as if its pages were one strip: their content boxes one below the other. */
    const flow = (id: string): number => {
      const at = map.destinations.get(id);
      const top = map.tops.get(id);
      if (at === undefined || top === undefined) return Number.POSITIVE_INFINITY;
      return (at - title) * contentHeight + Math.min(Math.max(pageBox.height - top, 0), contentHeight - 0.01);
    };
    const endOf = (unit: number) => flow(`${names.marker}${unit}`);
    const bottomOf = (unit: number) => endOf(unit) + prepared.units[unit]!.tail;
    const blocks: Block[] = [];
    let from = next[index]!;
    // The shift of the text after the last predicted block, from where the pass laid it out.
    let shift = 0;
    let lastPage = Number.NEGATIVE_INFINITY;
    while (from < notes.length) {
      const first = notes[from]!;
      const pageAt = (position: number) => Math.floor((position + shift) / contentHeight);
      // The first block stands where the pass says; the later ones where the shifts put them.
      const pageOfNote = (note: ChapterNotes['notes'][number]) => (blocks.length === 0 ? pageOf(note.reference) : pageAt(flow(note.reference)));
      const pageOfUnit = (unit: number) => (blocks.length === 0 ? unitEnd(unit) : pageAt(endOf(unit)));
      const notePage = pageOfNote(first);
      if (!Number.isFinite(notePage) || notePage <= lastPage) break;
      let before = first.unit;
      while (before < end && pageOfUnit(before) <= notePage) before++;
      while (before - 1 > first.unit && prepared.keepsWithNext[before - 1]) before--;
      let overflows = false;
      const held = () => notes.slice(from).filter((note) => note.unit < before && pageOfNote(note) === notePage);
      // Without a page box of known size, the first block alone, as step 2 places it.
      while (contentHeight > 0) {
        const inBlock = held();
        const previous = prepared.units[before - 1];
        if (!previous) break;
        const top = bottomOf(before - 1) + shift + Math.max(previous.marginBottom, prepared.blockMargin);
        const height = chapter.blockFrame + inBlock.reduce((sum, note) => sum + note.height, 0) + Math.max(0, inBlock.length - 1) * chapter.noteGap;
        if (top + height <= (notePage + 1) * contentHeight + fitTolerance) break;
        let up = before - 1;
        while (up - 1 >= chapter.firstUnit && prepared.keepsWithNext[up - 1]) up--;
        if (up - 1 >= chapter.firstUnit && pageOfUnit(up - 1) === notePage) {
          before = up;
          continue;
        }
        before = first.unit + 1;
        overflows = true;
        break;
      }
      const inBlock = held();
      blocks.push({ id: `fussnoten-seite-${++blockCount}`, chapter: index, before, notes: inBlock.map((note) => note.id), page: notePage, overflows });
      from += inBlock.length;
      lastPage = notePage;
      if (overflows || before >= end || contentHeight <= 0) break;
      // The text from `before` on begins the next page, its top margin kept after the break.
      const unit = prepared.units[before]!;
      const start = bottomOf(before - 1) + Math.max(prepared.units[before - 1]?.marginBottom ?? 0, unit.marginTop);
      shift = (notePage + 1) * contentHeight + unit.marginTop - start;
      if (!Number.isFinite(shift)) break;
    }
    return blocks;
  }
}

/**
 * Lays out the whole document in `page` once, for its page numbers, where there are no notes to
 * place (`placeFootnotes` returned undefined): a document of more than `text` characters in parts
 * that each begin a page, laid out one by one with the rest hidden, as the first pass of the notes
 * is. Chromium's time per page grows with the pages it lays out at once and with the link targets
 * in them, which it looks for on every page. Returns the map of the whole, and the parts.
 */
export async function layOutPages(page: Page, layout: () => Promise<PageMap>, text = batchText): Promise<{ map: PageMap; parts: number }> {
  if ((await page.evaluate(() => globalThis.document.body.textContent?.length ?? 0)) <= text) return { map: await layout(), parts: 1 };
  const segments = await page.evaluate(markSegments, names);
  try {
    const batches = batchesOf(segments.segments.map((weight, index) => ({ chapters: [], segments: [index], weight, breaks: segments.segmentBreaks[index]! })), text);
    return { map: await layOutBatches(page, layout, batches, undefined), parts: batches.length };
  } finally {
    await page.evaluate(restrict, names, undefined);
    await page.evaluate(finish, names, [], []);
  }
}

interface Batch {
  /** The chapters with notes it shows (`chapterAttribute`), and the body's elements (`segmentAttribute`). */
  chapters: number[];
  segments: number[];
  /** Its characters of text. */
  weight: number;
}

/** `parts` in document order, gathered into batches of at most `text` characters; a part that may not begin a pass (`breaks`) joins the batch before it. */
function batchesOf(parts: ReadonlyArray<Batch & { breaks: boolean }>, text: number): Batch[] {
  const batches: Batch[] = [];
  for (const part of parts) {
    const last = batches.at(-1);
    if (last && (last.weight + part.weight <= text || !part.breaks)) {
      last.chapters.push(...part.chapters);
      last.segments.push(...part.segments);
      last.weight += part.weight;
    } else batches.push({ chapters: [...part.chapters], segments: [...part.segments], weight: part.weight });
  }
  return batches;
}

/**
 * Lays out each of `batches` alone, the rest hidden, and joins their maps: each begins a page, so
 * its pages follow those of the batches before it. A single batch is laid out with `shown` (the
 * chapters with notes to show; all of the document without).
 */
async function layOutBatches(page: Page, layout: () => Promise<PageMap>, batches: readonly Batch[], shown: number[] | undefined): Promise<PageMap> {
  if (batches.length <= 1) {
    await page.evaluate(restrict, names, shown ? { chapters: shown, segments: [] } : undefined);
    return layout();
  }
  const destinations = new Map<string, number>();
  const tops = new Map<string, number>();
  let offset = 0;
  for (const batch of batches) {
    await page.evaluate(restrict, names, { chapters: batch.chapters, segments: batch.segments });
    const part = await layout();
    for (const [id, at] of part.destinations) if (id !== names.end) destinations.set(id, at + offset);
    for (const [id, top] of part.tops) tops.set(id, top);
    offset += (part.destinations.get(names.end) ?? part.pages + 1) - 1;
  }
  destinations.set(names.end, offset + 1);
  return { pages: offset + 1, destinations, tops };
}

/**
 * The pages of the whole document as it is left, from the first pass (the whole, without blocks)
 * and, for each chapter with notes, the last pass that laid it out as it is left: a chapter begins
 * on a page of its own, so it moves what follows by the pages it gained, and what lies inside it
 * is where that pass put it, counted from the chapter's new first page. Undefined when a chapter
 * has no such pass, or when something outside the chapters shares a page with one of them.
 */
function joinPasses(
  whole: PageMap,
  membership: Membership,
  settled: ReadonlyMap<number, Pass>,
  chapters: readonly ChapterNotes[],
  later: ReadonlyMap<string, number>,
): PageMap | undefined {
  if (!membership.pageBreaks || settled.size !== chapters.length) return undefined;
  // Something the later passes laid out outside the chapters with notes: not known where it went.
  if ([...later.values()].some((chapter) => chapter < 0)) return undefined;
  const ids = [...whole.destinations.keys()];
  /** A chapter's first and last page in the first pass, and in its last. */
  const was = chapters.map((chapter, index): [number, number] | undefined => {
    const first = whole.destinations.get(chapter.title);
    const after = membership.after[index];
    const next = whole.destinations.get(after ?? names.end);
    return first === undefined || next === undefined ? undefined : [first, next - 1];
  });
  const is = chapters.map((chapter, index): [number, number] | undefined => {
    const { map, shown } = settled.get(index)!;
    if (map === whole) return was[index];
    const first = map.destinations.get(chapter.title);
    // `shown` is in document order: the chapter after this one in it.
    const following = shown.find((other) => other > index);
    const next = map.destinations.get(following === undefined ? names.end : chapters[following]!.title);
    return first === undefined || next === undefined ? undefined : [first, next - 1];
  });
  if (was.some((extent) => !extent) || is.some((extent) => !extent)) return undefined;
  const gained = chapters.map((_, index) => is[index]![1] - is[index]![0] - (was[index]![1] - was[index]![0]));
  let total = 0;
  const shiftBefore = gained.map((pages) => (total += pages) - pages);
  const destinations = new Map<string, number>();
  const tops = new Map(whole.tops);
  const extents = was as Array<[number, number]>;
  for (const [at, id] of ids.entries()) {
    if (membership.chapters[at] !== -1) continue;
    const page = whole.destinations.get(id)!;
    // The chapters are in page order: the first that ends on or after the page.
    let low = 0;
    let high = extents.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (extents[middle]![1] < page) low = middle + 1;
      else high = middle;
    }
    if (low < extents.length && page >= extents[low]![0]) return undefined;
    destinations.set(id, page + (shiftBefore[low] ?? total));
  }
  const inChapter = chapters.map(() => [] as string[]);
  ids.forEach((id, at) => inChapter[membership.chapters[at]!]?.push(id));
  for (const [id, chapter] of later) inChapter[chapter]!.push(id);
  for (const [index, chapter] of chapters.entries()) {
    const { map } = settled.get(index)!;
    const title = map.destinations.get(chapter.title)!;
    for (const id of inChapter[index]!) {
      const page = map.destinations.get(id);
      if (page === undefined) continue;
      destinations.set(id, was[index]![0] + shiftBefore[index]! + page - title);
      const top = map.tops.get(id);
      if (top !== undefined) tops.set(id, top);
    }
  }
  // The last page holds only the end marker.
  return { pages: whole.pages - 1 + total, destinations, tops };
}

/**
 * Places the notes as an earlier build placed them (`placeFootnotes`'s blocks), without a layout
 * pass: for the same document in the same browser, the layout is the same. The caller checks the
 * print (`misplacedNotes`). Returns undefined when the document has no notes to place.
 */
export async function placeKnownFootnotes(page: Page, blocks: readonly PlacedBlock[]): Promise<FootnotePlacement | undefined> {
  await page.evaluate(markSegments, names);
  const prepared = await page.evaluate(prepare, names);
  const total = prepared.chapters.reduce((sum, chapter) => sum + chapter.notes.length, 0);
  if (prepared.mode !== 'seitenfuss' || total === 0) {
    await page.evaluate(finish, names, [], []);
    return undefined;
  }
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

/**
 * In the page: numbers the body's elements (`segmentAttribute`) for `restrict`, and adds what every
 * pass needs: a container for the links that make destinations of what the passes look for, and
 * after everything, on a page of its own, an end marker (where the last part a pass lays out
 * ends). `finish` removes it all. Returns each element's characters of text, what laying it out
 * costs, and whether a pass may begin with it: whether it begins a page (not a left or right one,
 * which depends on the pages before it).
 */
function markSegments(n: typeof names): { segments: number[]; segmentBreaks: boolean[] } {
  const doc = globalThis.document;
  const bodyElements = [...doc.body.children];
  const bodyStyles = bodyElements.map((element) => getComputedStyle(element));
  const segments = bodyElements.map((element) => element.textContent?.length ?? 0);
  const segmentBreaks = bodyStyles.map((style, index) => {
    const before = bodyStyles[index - 1];
    return !before || style.breakBefore === 'page' || before.breakAfter === 'page' || (style.breakBefore === 'auto' && before.breakAfter === 'auto' && style.page !== before.page);
  });
  bodyElements.forEach((element, index) => element.setAttribute(n.segmentAttribute, String(index)));
  const links = doc.createElement('div');
  links.id = n.links;
  links.setAttribute('aria-hidden', 'true');
  links.style.cssText = 'position: absolute; top: 0; left: 0; width: 0; height: 0; overflow: hidden;';
  doc.body.append(links);
  const end = doc.createElement('div');
  end.id = n.end;
  end.style.cssText = 'break-before: page; height: 0;';
  doc.body.append(end);
  const a = doc.createElement('a');
  a.href = `#${end.id}`;
  links.append(a);
  return { segments, segmentBreaks };
}

/**
 * In the page: takes the notes out of their chapters, marks the units' ends, and measures on
 * screen (where lines break as in print) what `predict` needs: the units' margins and last lines,
 * and each note's height in a notes block.
 */
function prepare(n: typeof names): Prepared {
  const doc = globalThis.document;
  const mode = getComputedStyle(doc.documentElement).getPropertyValue('--fussnoten').trim().replace(/^["']|["']$/g, '') || 'seitenfuss';
  const chapters: ChapterNotes[] = [];
  const keepsWithNext: boolean[] = [];
  const units: UnitBox[] = [];
  if (mode !== 'seitenfuss') return { mode, chapters, keepsWithNext, units, blockMargin: 0, weights: [] };
  const weights: number[] = [];
  // The links container of `markSegments`: a link makes a destination of what the passes need to find.
  const links = doc.getElementById(n.links)!;
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
    return marker;
  };
  const points = (pixels: string | number) => (typeof pixels === 'number' ? pixels : parseFloat(pixels) || 0) * 0.75;
  // Everything is read before anything is changed: a style read after a change would recompute
  // the styles of the whole document, once per unit.
  const references = new Map<string, Element>();
  for (const reference of doc.querySelectorAll('a[data-footnote-ref]')) references.set(reference.getAttribute('href') ?? '', reference);
  const found = [...doc.querySelectorAll('section[data-footnotes]')].flatMap((section) => {
    const chapter = section.parentElement;
    const items = [...section.querySelectorAll(':scope > ol > li')];
    if (!chapter || items.length === 0) return [];
    const chapterUnits = [...chapter.children].filter((child, at) => child !== section && at > 0 && !child.classList.contains('kapitel__quellen'));
    const styles = chapterUnits.map((unit) => {
      const style = getComputedStyle(unit);
      return { keeps: /^h[1-6]$/.test(unit.localName) || style.breakAfter === 'avoid', box: { marginTop: points(style.marginTop), marginBottom: points(style.marginBottom), tail: 0 } };
    });
    return [{ section, chapter, items, chapterUnits, styles }];
  });
  let unitIndex = 0;
  const measured: Array<{ unit: Element; marker: Element }> = [];
  const probes: Array<{ chapter: ChapterNotes; probe: Element }> = [];
  for (const { section, chapter, items, chapterUnits, styles } of found) {
    section.classList.add(n.distributed);
    chapter.setAttribute(n.chapterAttribute, String(chapters.length));
    const firstUnit = unitIndex;
    chapterUnits.forEach((unit, at) => {
      unit.setAttribute(n.unitAttribute, String(unitIndex));
      keepsWithNext[unitIndex] = styles[at]!.keeps;
      units[unitIndex] = styles[at]!.box;
      measured.push({ unit, marker: markEnd(unit, `${n.marker}${unitIndex}`) });
      unitIndex++;
    });
    const notes: ChapterNotes['notes'] = [];
    items.forEach((item, at) => {
      item.setAttribute('value', String(at + 1));
      const reference = references.get(`#${item.id}`);
      const unit = chapterUnits.findIndex((candidate) => reference && candidate.contains(reference));
      if (!reference?.id || unit < 0) return;
      notes.push({ id: item.id, reference: reference.id, unit: firstUnit + unit, height: 0 });
    });
    notes.sort((a, b) => a.unit - b.unit || (references.get(`#${a.id}`)!.compareDocumentPosition(references.get(`#${b.id}`)!) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    const title = chapter.firstElementChild;
    if (!title?.id) continue;
    link(title.id);
    // Where the chapter ends, whatever stands last in it.
    const last = [...chapter.children].filter((child) => child !== section).at(-1);
    if (last && last !== title) markEnd(last, `${n.marker}kapitel-${chapters.length}`);
    const entry: ChapterNotes = { title: title.id, units: chapterUnits.length, firstUnit, notes, blockFrame: 0, noteGap: 0 };
    chapters.push(entry);
    weights.push(chapter.textContent?.length ?? 0);
    if (notes.length === 0) continue;
    // A notes block with all of the chapter's notes, where the blocks go, to measure them in.
    const probe = doc.createElement('div');
    probe.className = n.block;
    const list = doc.createElement('ol');
    for (const note of notes) list.append(doc.getElementById(note.id)!.cloneNode(true));
    for (const copy of list.querySelectorAll('[id]')) copy.removeAttribute('id');
    probe.append(list);
    section.before(probe);
    probes.push({ chapter: entry, probe });
  }
  // Measured together: one layout for all.
  measured.forEach(({ unit, marker }, at) => {
    units[at]!.tail = points(unit.getBoundingClientRect().bottom - marker.getBoundingClientRect().top);
  });
  let blockMargin = 0;
  for (const { chapter, probe } of probes) {
    const items = [...probe.querySelectorAll(':scope > ol > li')];
    const rects = items.map((item) => item.getBoundingClientRect());
    chapter.notes.forEach((note, at) => (note.height = points(rects[at]!.height)));
    const whole = probe.getBoundingClientRect();
    chapter.noteGap = rects.length > 1 ? points(rects[1]!.top - rects[0]!.bottom) : 0;
    chapter.blockFrame = points(whole.height - (rects.at(-1)!.bottom - rects[0]!.top));
    blockMargin = points(getComputedStyle(probe).marginTop);
  }
  for (const { probe } of probes) probe.remove();
  return { mode, chapters, keepsWithNext, units, blockMargin, weights };
}

/** Where the chapters with notes stand among the destinations of a pass (`chaptersOf`). */
interface Membership {
  /** For each destination, the index of the chapter with notes that holds its element, or -1. */
  chapters: number[];
  /** For each chapter with notes, the first destination after it, which begins a page, or null after the last. */
  after: Array<string | null>;
  /** Whether every chapter with notes, and what follows each, begins a page with `break-before: page`. */
  pageBreaks: boolean;
}

/** In the page: the chapters with notes among the destinations `ids`. */
function chaptersOf(n: typeof names, ids: string[]): Membership {
  const doc = globalThis.document;
  /** Whether `element`, or a box it begins, breaks before with `page` (not `left` or `right`, which may add a blank page). */
  const beginsPage = (element: Element | null): boolean => {
    for (let at = element; at && at !== doc.body; at = at.parentElement) {
      if (getComputedStyle(at).breakBefore === 'page') return true;
      if (at.parentElement?.firstElementChild !== at) return false;
    }
    return false;
  };
  const chapters = ids.map((id) => Number(doc.getElementById(id)?.closest(`[${n.chapterAttribute}]`)?.getAttribute(n.chapterAttribute) ?? -1));
  const wanted = new Set(ids);
  const elements = [...doc.querySelectorAll(`[${n.chapterAttribute}]`)];
  let pageBreaks = elements.every((chapter) => beginsPage(chapter));
  const after = elements.map((chapter) => {
    // The first destination after the chapter, in document order.
    let at: Element | null = chapter;
    while (at && !at.nextElementSibling) at = at.parentElement;
    for (let next = at?.nextElementSibling ?? null; next; ) {
      const found: Element | null = next.id && wanted.has(next.id) ? next : [...next.querySelectorAll('[id]')].find((candidate) => wanted.has(candidate.id)) ?? null;
      if (found) {
        if (!beginsPage(found)) pageBreaks = false;
        return found.id;
      }
      let up: Element | null = next;
      while (up && !up.nextElementSibling) up = up.parentElement;
      next = up?.nextElementSibling ?? null;
    }
    return null;
  });
  return { chapters, after, pageBreaks };
}

/**
 * In the page: lays out only the chapters with notes of `shown.chapters` (by their index) and the
 * body's elements of `shown.segments`, everything else hidden; or, without `shown`, everything again.
 */
function restrict(n: typeof names, shown: { chapters: number[]; segments: number[] } | undefined): void {
  const doc = globalThis.document;
  doc.getElementById(n.selection)?.remove();
  for (const element of doc.querySelectorAll(`[${n.shownAttribute}]`)) element.removeAttribute(n.shownAttribute);
  if (!shown) return;
  for (const index of shown.chapters) {
    for (let element = doc.querySelector(`[${n.chapterAttribute}="${index}"]`); element && element !== doc.body; element = element.parentElement) element.setAttribute(n.shownAttribute, '');
  }
  for (const index of shown.segments) doc.querySelector(`body > [${n.segmentAttribute}="${index}"]`)?.setAttribute(n.shownAttribute, '');
  doc.getElementById(n.links)?.setAttribute(n.shownAttribute, '');
  doc.getElementById(n.end)?.setAttribute(n.shownAttribute, '');
  const style = doc.createElement('style');
  style.id = n.selection;
  style.textContent = `body *:not([${n.shownAttribute}], [${n.chapterAttribute}][${n.shownAttribute}] *, [${n.segmentAttribute}][${n.shownAttribute}] *, #${n.links} *) { display: none !important; }`;
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
  doc.getElementById(n.end)?.remove();
  for (const marker of doc.querySelectorAll(`[id^="${n.marker}"]`)) marker.remove();
  for (const unit of doc.querySelectorAll(`[${n.unitAttribute}]`)) unit.removeAttribute(n.unitAttribute);
  for (const chapter of doc.querySelectorAll(`[${n.chapterAttribute}]`)) chapter.removeAttribute(n.chapterAttribute);
  for (const segment of doc.querySelectorAll(`[${n.segmentAttribute}]`)) segment.removeAttribute(n.segmentAttribute);
  // A chapter whose notes all stand at the feet of its pages keeps its endnote section hidden.
  for (const section of doc.querySelectorAll(`section[data-footnotes].${n.distributed}`)) {
    if (section.querySelector(':scope > ol > li')) section.classList.remove(n.distributed);
  }
  for (const block of doc.querySelectorAll(`.${n.block}`)) block.removeAttribute('id');
}
