/**
 * A large document printed in parts and joined (`pdf-join.ts`). Chromium's time per page grows with
 * the pages it prints at once, and so does its memory: 2,291 pages took 28.6 s and 2.4 GiB at once,
 * 20.1 s and 1.3 GiB in eight parts. And two pages print two parts at the same time, on the two
 * cores a build has. So the real print of a document of more than two parts' text is split where
 * one of the body's elements begins a page; each part is printed with the rest hidden
 * (`display: none`), its page counter starting at the page the part starts on, by the build's
 * page from the front and by a second page from the back.
 *
 * A part's first page is the page of the first target of the contents in it (a heading), as the
 * numbers written into the document say. Had a part more or fewer pages than those numbers allow,
 * the numbers read back from the joined PDF differ from those written, and the caller prints again
 * with the new ones, as for the whole.
 *
 * Not split: a document with a left or right break (a part alone cannot know its first page's
 * side) or with counters of its own in its stylesheets (a hidden part would not count).
 */
import type { Page } from 'puppeteer';
import { printOptions, type BrowserSession } from '../browser/browser.js';
import { ChartaError } from '../core/errors.js';
import { joinPdfs } from './pdf-join.js';
import type { PageMap } from './pdf-destinations.js';

/** The characters of text in a part, about 150 of the charta's pages. */
export const partText = 300_000;

/** A document is split when it has at least this many parts' text. */
const minParts = 2;

/** What the body's elements tell about where the document may be split. */
export interface Segments {
  /** By the body's element: its characters of text. */
  weights: number[];
  /** By the body's element: when it begins a page, the first target of the contents in it. */
  starts: Array<string | null>;
  /** Whether the document may be split at all. */
  splittable: boolean;
}

/** One part: the body's elements `from` to `to` (exclusive), and the page it starts on. */
export interface PrintPart {
  from: number;
  to: number;
  firstPage: number;
}

/** Reads the body's elements of the document in `page` (see `Segments`). */
export function readSegments(page: Page, targets: readonly string[]): Promise<Segments> {
  return page.evaluate(segmentsOf, [...targets]);
}

/**
 * The parts to print the document in, given the page of each target (`numbers`), or undefined
 * when it is printed at once. `text` is a part's size in characters.
 */
export function planParts(segments: Segments, numbers: ReadonlyMap<string, number>, text = partText, min = minParts): PrintPart[] | undefined {
  const total = segments.weights.reduce((sum, weight) => sum + weight, 0);
  if (!segments.splittable || total < text * min) return undefined;
  const parts: PrintPart[] = [];
  let from = 0;
  let firstPage = 1;
  let weight = 0;
  segments.weights.forEach((size, index) => {
    const start = segments.starts[index];
    const page = start ? numbers.get(start) : undefined;
    if (index > from && weight >= text && page !== undefined && page > firstPage) {
      parts.push({ from, to: index, firstPage });
      from = index;
      firstPage = page;
      weight = 0;
    }
    weight += size;
  });
  parts.push({ from, to: segments.weights.length, firstPage });
  return parts.length > 1 ? parts : undefined;
}

/**
 * Opens a second page holding `html` (the document as the first page holds it, serialized) and
 * runs `use` with it; the page is closed after.
 */
export type OpenReplica = <T>(html: string, use: (page: Page) => Promise<T>) => Promise<T>;

/**
 * Prints `parts` of the document in `page`, tagged and with its outline, and joins them; the page
 * map is that of the joined PDF. A second page (`replica`) prints parts beside the first: the
 * first page takes them from the front, the second from the back, until they meet. The second is
 * given the document as the first page holds it (the first third of the parts as stubs, which it
 * never prints: `serializeDocument`), with the last part already the only one shown, so that it
 * lays out only that part when it loads. Undefined when the parts' PDFs cannot be joined (a
 * structure the joiner does not know): the caller then prints the document at once.
 */
export async function printParts(session: BrowserSession, page: Page, parts: readonly PrintPart[], timed: Timed, replica: OpenReplica): Promise<{ bytes: Uint8Array; map: PageMap } | undefined> {
  const printed: Uint8Array[] = [];
  const print = async (tab: Page, index: number, shown: boolean) => {
    if (!shown) await tab.evaluate(showPart, partStyle(parts[index]!), partStyleId);
    printed[index] = await session.step('printing the PDF', () => tab.pdf({ ...printOptions, tagged: true, outline: true }));
  };
  // The first page takes the parts from the front, the second from the back, until they meet.
  let front = 0;
  let back = parts.length - 1;
  try {
    // The second page starts later (it loads its copy first): the first third of the parts, the
    // contents' among them, are the first page's, and the copy holds them as stubs.
    const own = Math.ceil(parts.length / 3);
    const last = back--;
    const html = await session.step('copying the document', () => page.evaluate(serializeDocument, parts[own]!.from, stubbable));
    const copy = html.replace('</head>', `<style id="${partStyleId}">${partStyle(parts[last]!)}</style></head>`);
    await Promise.all([
      (async () => {
        while (front <= back) await print(page, front++, false);
      })(),
      replica(copy, async (tab) => {
        await print(tab, last, true);
        while (back >= front && back >= own) await print(tab, back--, false);
      }),
    ]);
  } finally {
    await page.evaluate(showPart, undefined, partStyleId);
  }
  return timed(
    'joining the parts',
    Promise.resolve().then(() => {
      try {
        return joinPdfs(printed);
      } catch (error) {
        if (error instanceof ChartaError) return undefined;
        throw error;
      }
    }),
  );
}

/** Runs `work`, adding its time to the step `name` (the PDF edition's timings). */
export type Timed = <T>(name: string, work: Promise<T>) => Promise<T>;

/** In the page: the body's elements (see `Segments`). */
function segmentsOf(targets: string[]): Segments {
  const doc = globalThis.document;
  const wanted = new Set(targets);
  const elements = [...doc.body.children];
  const styles = elements.map((element) => getComputedStyle(element));
  const sided = styles.some((style) => /left|right|recto|verso/.test(`${style.breakBefore} ${style.breakAfter}`));
  let counters = false;
  for (const sheet of doc.styleSheets) {
    try {
      if ([...sheet.cssRules].some((rule) => /counter-(increment|reset|set)/.test(rule.cssText))) counters = true;
    } catch {
      counters = true;
    }
  }
  const firstTarget = (element: Element): string | null => {
    if (element.id && wanted.has(element.id)) return element.id;
    const walker = doc.createTreeWalker(element, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const id = (node as Element).id;
      if (id && wanted.has(id)) return id;
    }
    return null;
  };
  const starts = elements.map((element, index) => {
    const before = styles[index - 1];
    const style = styles[index]!;
    const breaks = before !== undefined && (style.breakBefore === 'page' || before.breakAfter === 'page');
    return breaks ? firstTarget(element) : null;
  });
  return { weights: elements.map((element) => element.textContent?.length ?? 0), starts, splittable: !sided && !counters };
}

/** The id of the style element that shows one part. */
const partStyleId = 'charta-druckteil';

/** The style that shows only `part` of the body, its first page numbered as it is in the whole. */
function partStyle(part: PrintPart): string {
  return `body > :not(:nth-child(n+${part.from + 1}):nth-child(-n+${part.to})) { display: none !important; }\n@page :first { counter-increment: page ${part.firstPage}; }`;
}

/** In the page: the style of one part (`partStyle`) in place of the last, or none (all of the body shown). */
function showPart(css: string | undefined, id: string): void {
  const doc = globalThis.document;
  doc.getElementById(id)?.remove();
  if (css === undefined) return;
  const style = doc.createElement('style');
  style.id = id;
  style.textContent = css;
  doc.head.append(style);
}

/** The body's elements that the second page's copy may hold as stubs: containers of flow content. */
const stubbable = ['section', 'div', 'nav', 'article', 'aside', 'header', 'footer', 'main'];

/**
 * In the page: the document as it stands, as HTML, for the second page, which prints only the
 * body's elements from `keepFrom` on. Those before it are stubs (when their element is one of
 * `tags`): the same element with its class and id, holding an empty element for each id in it
 * and an empty link for each link to a fragment in it, so that the links in the copy's parts still
 * lead somewhere and the targets in them are still linked to (Chromium makes a named destination
 * only of an element some link points to). The count and kinds of the body's elements stay as
 * they were, so the parts' styles and the selectors between siblings see the same document.
 */
function serializeDocument(keepFrom: number, tags: string[]): string {
  const doc = globalThis.document;
  const quoted = (value: string) => `"${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
  const attributes = (element: Element, only?: string[]) =>
    [...element.attributes]
      .filter((attribute) => !only || only.includes(attribute.name))
      .map((attribute) => ` ${attribute.name}=${quoted(attribute.value)}`)
      .join('');
  const stub = (element: Element) => {
    let inside = '';
    for (const target of element.querySelectorAll('[id]')) inside += `<i id=${quoted(target.id)}></i>`;
    for (const link of element.querySelectorAll('a[href^="#"]')) inside += `<a href=${quoted(link.getAttribute('href') ?? '')}></a>`;
    return `<${element.localName}${attributes(element, ['id', 'class'])}>${inside}</${element.localName}>`;
  };
  const body = [...doc.body.children].map((child, index) => (index < keepFrom && tags.includes(child.localName) ? stub(child) : child.outerHTML)).join('');
  return `<!DOCTYPE html><html${attributes(doc.documentElement)}>${doc.head.outerHTML}<body${attributes(doc.body)}>${body}</body></html>`;
}
