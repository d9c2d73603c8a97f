/**
 * Makes the tagged PDF Chromium prints conform to PDF/UA-1 (ISO 14289-1), in one incremental
 * update (`pdf-objects.ts`) that also carries the document information (`pdf-metadata.ts`), whose
 * XMP declares `pdfuaid:part` 1. What Chromium leaves out, and what is done here:
 *
 * - It writes the PDF 2.0 types Em, Strong and Aside, which PDF 1.7 does not know: the structure
 *   tree root gets a RoleMap to the nearest standard types (7.1).
 * - Its list items hold their content directly: what is not a label (Lbl) is wrapped in LBody, and
 *   what a list holds besides its items (the white space between inline items) goes into the item
 *   before it (7.2). Marked content and annotations that move get their parent tree entries anew.
 * - Its link annotations have no /Contents: each gets its link's text (7.18.5); each page with
 *   annotations gets /Tabs /S (7.18.3).
 * - It paints the running heads, the page numbers and decoration outside any marked content: they
 *   are marked as artifacts (7.1, `pdf-artifacts.ts`).
 *
 * Everything else (the outline, the links' targets, the tags) stays as Chromium wrote it.
 */
import { markArtifacts, type ArtifactKind, type PageFrame } from './pdf-artifacts.js';
import { scanContent } from './pdf-content.js';
import { markedTexts } from './pdf-marked-text.js';
import { writeDocumentInfo, type DocumentInfo } from './pdf-metadata.js';
import { dict, flateStream, isDict, latin1Text, name, nameOf, PdfFile, PdfName, PdfRef, PdfString, PdfUpdate, streamData, unexpected, type PdfDict, type PdfStream, type PdfValue } from './pdf-objects.js';

/** The standard structure types of ISO 32000-1, 14.8.4. */
export const standardStructureTypes: ReadonlySet<string> = new Set(
  (
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody ' +
    'Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'
  ).split(' '),
);

/**
 * The nearest PDF 1.7 type chosen here for each PDF 2.0 type (ISO 32000-2, 14.8.4) that is not one
 * already: the inline ones are spans, the grouping ones divisions. A type not listed here (one a
 * newer Chromium may write) maps to NonStruct, the neutral grouping element.
 */
const pdf2Types: Record<string, string> = {
  Em: 'Span',
  Strong: 'Span',
  Sub: 'Span',
  Aside: 'Div',
  DocumentFragment: 'Div',
  Title: 'P',
  FENote: 'Note',
};

/** Where the pages' margins are: what is painted there unmarked is a running head or a page number. */
export interface PdfUaOptions {
  /** The top and bottom page margins, in points. */
  margins: { top: number; bottom: number };
}

/** What the post-processing changed, to report and to test. */
export interface PdfUaReport {
  roleMap: Record<string, string>;
  /** List bodies made. */
  listBodies: number;
  /** Link annotations given /Contents. */
  linkContents: number;
  /** Runs of unmarked drawing marked as artifacts, by kind. */
  artifacts: Record<ArtifactKind, number>;
}

/** `pdf` (as Chromium printed it) with `info` and made to conform to PDF/UA-1. */
export async function withPdfUa(pdf: Uint8Array, info: DocumentInfo, options: PdfUaOptions): Promise<{ bytes: Uint8Array; report: PdfUaReport }> {
  const file = new PdfFile(pdf);
  const update = new PdfUpdate(file);
  writeDocumentInfo(update, { ...info, pdfuaPart: 1 });
  const catalogRef = file.trailer.get('Root') as PdfRef;
  const catalog = new Map(update.get(catalogRef) as PdfDict);
  const viewer = new Map(file.dict(catalog.get('ViewerPreferences')) ?? []);
  if (viewer.get('DisplayDocTitle') !== true) catalog.set('ViewerPreferences', viewer.set('DisplayDocTitle', true));
  const markInfo = new Map(file.dict(catalog.get('MarkInfo')) ?? []);
  if (markInfo.get('Marked') !== true) catalog.set('MarkInfo', markInfo.set('Marked', true));
  if (!(catalog.get('Lang') instanceof PdfString)) catalog.set('Lang', PdfString.of(info.language));
  update.set(catalogRef, catalog);

  const rootRef = catalog.get('StructTreeRoot');
  if (!(rootRef instanceof PdfRef)) throw unexpected('it is not tagged');
  const tree = new StructureTree(update, rootRef);
  const roleMap = tree.mapRoles();
  const listBodies = tree.fixLists();

  const pages = pagesOf(file);
  const artifacts: Record<ArtifactKind, number> = { Header: 0, Footer: 0, Layout: 0 };
  // Only the text of links is read: what their annotations are given as /Contents.
  const linked = tree.linkContent();
  /** Page object number -> MCID -> text. */
  const pageTexts = new Map<number, Map<number, string>>();
  const toUnicode = new Map<number, Map<number, string>>();
  const pageDicts = new Map<number, PdfDict>();
  const compressed: Array<Promise<readonly [PdfRef, PdfStream]>> = [];
  for (const pageRef of pages) {
    const page = new Map(file.dict(pageRef)!);
    pageDicts.set(pageRef.number, page);
    const contents = page.get('Contents');
    const streams = (Array.isArray(contents) ? contents : [contents]).map((ref) => file.stream(ref));
    if (streams.length === 0 || !streams.every(Boolean)) continue;
    const text = streams.map((stream) => latin1Text(streamData(stream!))).join('\n');
    const ops = scanContent(text);
    const wanted = linked.get(pageRef.number);
    if (wanted) pageTexts.set(pageRef.number, markedTexts(file, ops, file.dict(page.get('Resources')), toUnicode, wanted));
    const result = markArtifacts(text, frameOf(file, page, options), ops);
    for (const kind of Object.keys(artifacts) as ArtifactKind[]) artifacts[kind] += result.runs[kind];
    if (result.content === undefined) continue;
    const first = Array.isArray(contents) ? contents[0] : contents;
    if (!(first instanceof PdfRef)) continue;
    const content = result.content;
    compressed.push(flateStream(streams[0]!.dict, Buffer.from(content, 'latin1')).then((stream) => [first, stream] as const));
    if (Array.isArray(contents)) {
      page.set('Contents', first);
      update.set(pageRef, page);
    }
  }
  // Set in page order, whichever finished first: the update's bytes are the same at every build.
  for (const [ref, stream] of await Promise.all(compressed)) update.set(ref, stream);

  const texts = tree.linkTexts(pageTexts);
  let linkContents = 0;
  for (const pageRef of pages) {
    const page = pageDicts.get(pageRef.number)!;
    const annotations = file.array(page.get('Annots'));
    if (annotations.length > 0 && nameOf(page.get('Tabs')) !== 'S') update.set(pageRef, page.set('Tabs', name('S')));
    for (const annotationRef of annotations) {
      const annotation = file.dict(annotationRef);
      if (!(annotationRef instanceof PdfRef) || !annotation || nameOf(annotation.get('Subtype')) !== 'Link' || annotation.has('Contents')) continue;
      const text = linkDescription(file, annotation, texts.get(annotationRef.number) ?? '');
      update.set(annotationRef, new Map([...annotation, ['Contents', PdfString.of(text)]]));
      linkContents++;
    }
  }
  tree.write();
  return { bytes: update.finish(), report: { roleMap, listBodies, linkContents, artifacts } };
}


/**
 * The alternative description of a link annotation: its link's text; where that has no letter (a
 * note's number, an arrow), what it points to.
 */
function linkDescription(file: PdfFile, annotation: PdfDict, text: string): string {
  if (/\p{L}/u.test(text)) return text;
  const uri = file.dict(annotation.get('A'))?.get('URI');
  if (uri instanceof PdfString) return `Link zu ${uri.text()}${text ? ` (${text})` : ''}`;
  const page = destinationPage(file, annotation.get('Dest') ?? file.dict(annotation.get('A'))?.get('D'));
  return `Verweis${page ? ` auf Seite ${page}` : ' im Dokument'}${text ? ` (${text})` : ''}`;
}

/** The page number (from 1) that a destination (an array, or a name in the catalog's /Dests or /Names) points to. */
function destinationPage(file: PdfFile, destination: PdfValue | undefined): number | undefined {
  let target: PdfValue | undefined = file.get(destination) as PdfValue | undefined;
  if (target instanceof PdfName || target instanceof PdfString) {
    const key = target instanceof PdfName ? target.name : target.text();
    const named = file.dict(file.catalog().get('Dests'))?.get(key);
    const resolved = file.get(named) as PdfValue | undefined;
    target = isDict(resolved) ? resolved.get('D') : resolved;
  }
  const pageRef = Array.isArray(target) ? target[0] : undefined;
  if (!(pageRef instanceof PdfRef)) return undefined;
  const index = pagesOf(file).findIndex((page) => page.number === pageRef.number);
  return index < 0 ? undefined : index + 1;
}

const pageLists = new WeakMap<PdfFile, PdfRef[]>();
function pagesOf(file: PdfFile): PdfRef[] {
  let pages = pageLists.get(file);
  if (!pages) pageLists.set(file, (pages = file.pages()));
  return pages;
}

function frameOf(file: PdfFile, page: PdfDict, options: PdfUaOptions): PageFrame {
  const box = file.array(page.get('MediaBox')).map((value) => (typeof value === 'number' ? value : 0));
  const height = (box[3] ?? 0) - (box[1] ?? 0);
  return { height, top: options.margins.top, bottom: options.margins.bottom };
}

/** The structure tree, its elements copied as they are changed, written back into the update. */
class StructureTree {
  private readonly elements = new Map<number, PdfDict>();
  private readonly changed = new Set<number>();
  private readonly root: PdfDict;
  /** Every element reachable from the root, in the tree's order. */
  private readonly order: PdfRef[] = [];
  private parentTree?: ParentTree;

  constructor(
    private readonly update: PdfUpdate,
    private readonly rootRef: PdfRef,
  ) {
    const root = update.get(rootRef);
    if (!isDict(root)) throw unexpected('its structure tree root is not a dictionary');
    this.root = new Map(root);
    const visit = (ref: PdfValue, depth: number) => {
      if (!(ref instanceof PdfRef) || depth > 256 || this.elements.has(ref.number)) return;
      const element = update.get(ref);
      if (!isDict(element) || !element.has('S')) return;
      this.elements.set(ref.number, new Map(element));
      this.order.push(ref);
      for (const kid of this.kids(ref)) visit(kid, depth + 1);
    };
    for (const kid of asArray(this.root.get('K'))) visit(kid, 0);
  }

  /** Adds a RoleMap entry for every type that is not standard; the map. */
  mapRoles(): Record<string, string> {
    const existing = isDict(this.update.get(this.root.get('RoleMap'))) ? new Map(this.update.get(this.root.get('RoleMap')) as PdfDict) : new Map<string, PdfValue>();
    const map: Record<string, string> = {};
    for (const ref of this.order) {
      const type = this.type(ref);
      if (standardStructureTypes.has(type) || existing.has(type)) continue;
      map[type] = pdf2Types[type] ?? 'NonStruct';
      existing.set(type, name(map[type]));
    }
    if (Object.keys(map).length > 0) this.root.set('RoleMap', existing);
    return map;
  }

  /** Wraps what a list item holds besides labels in LBody; moves what a list holds besides items into the item before. */
  fixLists(): number {
    for (const list of this.order.filter((ref) => this.type(ref) === 'L')) {
      const kids = this.kids(list);
      const kept: PdfValue[] = [];
      let previous: PdfRef | undefined;
      let pending: PdfValue[] = [];
      for (const kid of kids) {
        const type = kid instanceof PdfRef && this.elements.has(kid.number) ? this.type(kid) : undefined;
        // Marked content of the list itself (e.g. its background) stays: only elements are the list's kids.
        if (type === undefined || type === 'LI' || type === 'L' || type === 'Caption') {
          if (type === 'LI') {
            if (pending.length > 0) this.moveInto(kid as PdfRef, pending, 'start');
            pending = [];
            previous = kid as PdfRef;
          }
          kept.push(kid);
        } else if (previous) this.moveInto(previous, [kid], 'end');
        else pending.push(kid);
      }
      kept.push(...pending);
      if (kept.length !== kids.length) this.setKids(list, kept);
    }
    let bodies = 0;
    for (const item of this.order.filter((ref) => this.type(ref) === 'LI')) {
      const kids = this.kids(item);
      const grouped: PdfValue[] = [];
      let body: PdfValue[] = [];
      const flush = () => {
        if (body.length === 0) return;
        const element = dict({ Type: name('StructElem'), S: name('LBody'), P: item });
        const pg = this.elements.get(item.number)!.get('Pg');
        if (pg) element.set('Pg', pg);
        const ref = this.update.reserve();
        this.elements.set(ref.number, element);
        this.setKids(ref, body);
        grouped.push(ref);
        bodies++;
        body = [];
      };
      for (const kid of kids) {
        const type = kid instanceof PdfRef && this.elements.has(kid.number) ? this.type(kid) : undefined;
        if (type === 'Lbl' || type === 'LBody') {
          flush();
          grouped.push(kid);
        } else body.push(kid);
      }
      flush();
      if (grouped.length !== kids.length || grouped.some((kid, i) => kid !== kids[i])) {
        this.elements.get(item.number)!.set('K', grouped);
        this.changed.add(item.number);
      }
    }
    return bodies;
  }

  /** Page object number -> the MCIDs of the marked content inside Link elements. */
  linkContent(): Map<number, Set<number>> {
    const content = new Map<number, Set<number>>();
    for (const link of this.order.filter((ref) => this.type(ref) === 'Link')) {
      this.visitLink(link, (page, mcid) => {
        let mcids = content.get(page);
        if (!mcids) content.set(page, (mcids = new Set()));
        mcids.add(mcid);
      });
    }
    return content;
  }

  /**
   * Annotation object number -> the text of its Link element: the text of the marked content
   * inside it, in the tree's order (`pageTexts`: page object number -> MCID -> text).
   */
  linkTexts(pageTexts: Map<number, Map<number, string>>): Map<number, string> {
    const texts = new Map<number, string>();
    for (const link of this.order.filter((ref) => this.type(ref) === 'Link')) {
      const parts: string[] = [];
      const annotations = this.visitLink(link, (page, mcid) => parts.push(pageTexts.get(page)?.get(mcid) ?? ''));
      // Each marked-content sequence is a line or a box of its own (a title, its page number; a
      // piece of an address broken after a slash or a dot): two that meet with a letter or digit
      // on both sides are two words; a soft hyphen at a line's end joins.
      const clean = parts
        .filter(Boolean)
        .reduce((text, part) => text + (/[\p{L}\p{N}]$/u.test(text) && /^[\p{L}\p{N}]/u.test(part) ? ' ' : '') + part, '')
        .replace(/\u00ad/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      for (const annotation of annotations) texts.set(annotation, clean);
    }
    return texts;
  }

  /**
   * Walks the Link element `link` in the tree's order: `content` is told each marked-content
   * sequence in it (page object number, MCID); returns the object numbers of its annotations.
   */
  private visitLink(link: PdfRef, content: (page: number, mcid: number) => void): number[] {
    const annotations: number[] = [];
    const visit = (kid: PdfValue, page: PdfValue | undefined, depth: number) => {
      if (depth > 64) return;
      if (kid instanceof PdfRef && this.elements.has(kid.number)) {
        const element = this.elements.get(kid.number)!;
        for (const child of asArray(element.get('K'))) visit(child, element.get('Pg') ?? page, depth + 1);
      } else if (typeof kid === 'number' && page instanceof PdfRef) content(page.number, kid);
      else if (isDict(kid) && nameOf(kid.get('Type')) === 'MCR') {
        const pg = kid.get('Pg') ?? page;
        const mcid = kid.get('MCID');
        if (pg instanceof PdfRef && typeof mcid === 'number') content(pg.number, mcid);
      } else if (isDict(kid) && nameOf(kid.get('Type')) === 'OBJR' && kid.get('Obj') instanceof PdfRef) annotations.push((kid.get('Obj') as PdfRef).number);
    };
    visit(link, undefined, 0);
    return annotations;
  }

  /** Writes the changed elements, the root and the parent tree into the update. */
  write(): void {
    for (const number of this.changed) this.update.set(new PdfRef(number), this.elements.get(number)!);
    this.parentTree?.write();
    this.update.set(this.rootRef, this.root);
  }

  private type(ref: PdfRef): string {
    return nameOf(this.elements.get(ref.number)?.get('S')) ?? '';
  }

  private kids(ref: PdfRef): PdfValue[] {
    return asArray(this.elements.get(ref.number)?.get('K'));
  }

  private moveInto(target: PdfRef, moved: PdfValue[], where: 'start' | 'end'): void {
    const kids = this.kids(target);
    this.setKids(target, where === 'start' ? [...moved, ...kids] : [...kids, ...moved]);
  }

  /**
   * Gives `ref` these kids: element kids get it as their parent; marked content and annotations,
   * which name their parent in the parent tree, get it there.
   */
  private setKids(ref: PdfRef, kids: PdfValue[]): void {
    const element = this.elements.get(ref.number)!;
    const before = new Set(asArray(element.get('K')));
    element.set('K', kids.length === 1 ? kids[0]! : kids);
    this.changed.add(ref.number);
    for (const kid of kids) {
      if (before.has(kid)) continue;
      if (kid instanceof PdfRef && this.elements.has(kid.number)) {
        const child = this.elements.get(kid.number)!;
        if (!(child.get('P') instanceof PdfRef) || (child.get('P') as PdfRef).number !== ref.number) {
          child.set('P', ref);
          this.changed.add(kid.number);
        }
        continue;
      }
      this.parentTree ??= new ParentTree(this.update, this.root);
      if (typeof kid === 'number') this.parentTree.setContentParent(element.get('Pg'), kid, ref);
      else if (isDict(kid) && nameOf(kid.get('Type')) === 'MCR') this.parentTree.setContentParent(kid.get('Pg') ?? element.get('Pg'), kid.get('MCID'), ref);
      else if (isDict(kid) && nameOf(kid.get('Type')) === 'OBJR') this.parentTree.setObjectParent(kid.get('Obj'), ref);
    }
  }
}

/** The parent tree (ISO 32000-1, 14.7.4.4), changed entry by entry. */
class ParentTree {
  /** Key -> where its value is: an array object of its own, or a place in a Nums array of a node. */
  private readonly values = new Map<number, { node: PdfRef | 'root'; index: number }>();
  private readonly nodes = new Map<PdfRef | 'root', PdfDict>();
  private readonly changedNodes = new Set<PdfRef | 'root'>();
  private readonly arrays = new Map<number, PdfValue[]>();

  constructor(
    private readonly update: PdfUpdate,
    private readonly root: PdfDict,
  ) {
    const start = update.get(root.get('ParentTree'));
    if (!isDict(start)) throw unexpected('its structure tree has no parent tree');
    const rootRef = root.get('ParentTree');
    const visit = (node: PdfDict, key: PdfRef | 'root', depth: number) => {
      // Copies, so that changes do not reach the file's objects.
      const nums = asArray(node.get('Nums')).map((value) => (Array.isArray(value) ? [...value] : value));
      this.nodes.set(key, new Map([...node, ...(node.has('Nums') ? [['Nums', nums] as [string, PdfValue]] : [])]));
      for (let i = 0; i + 1 < nums.length; i += 2) if (typeof nums[i] === 'number') this.values.set(nums[i] as number, { node: key, index: i + 1 });
      for (const kid of asArray(node.get('Kids'))) {
        const child = update.get(kid);
        if (kid instanceof PdfRef && isDict(child) && depth < 32) visit(child, kid, depth + 1);
      }
    };
    visit(start, rootRef instanceof PdfRef ? rootRef : 'root', 0);
  }

  /** Names `parent` as the element of marked content `mcid` on page `pageRef`. */
  setContentParent(pageRef: PdfValue | undefined, mcid: PdfValue | undefined, parent: PdfRef): void {
    const key = this.update.file.dict(pageRef)?.get('StructParents');
    if (typeof key !== 'number' || typeof mcid !== 'number') throw unexpected(`marked content ${String(mcid)} without a page in the parent tree (${String(pageRef)})`);
    const place = this.values.get(key);
    if (!place) throw unexpected(`the parent tree has no entry ${key}`);
    const nums = asArray(this.nodes.get(place.node)!.get('Nums'));
    const value = nums[place.index];
    if (value instanceof PdfRef) {
      const array = this.arrays.get(value.number) ?? [...asArray(this.update.get(value) as PdfValue)];
      array[mcid] = parent;
      this.arrays.set(value.number, array);
    } else if (Array.isArray(value)) {
      value[mcid] = parent;
      this.changedNodes.add(place.node);
    }
  }

  /** Names `parent` as the element of the annotation (or other object) `objectRef`. */
  setObjectParent(objectRef: PdfValue | undefined, parent: PdfRef): void {
    const key = this.update.file.dict(objectRef)?.get('StructParent');
    const place = typeof key === 'number' ? this.values.get(key) : undefined;
    if (!place) throw unexpected('an annotation is not in the parent tree');
    const node = this.nodes.get(place.node)!;
    asArray(node.get('Nums'))[place.index] = parent;
    this.changedNodes.add(place.node);
  }

  write(): void {
    for (const [number, array] of this.arrays) this.update.set(new PdfRef(number), array);
    for (const key of this.changedNodes) {
      if (key === 'root') this.root.set('ParentTree', this.nodes.get(key)!);
      else this.update.set(key, this.nodes.get(key)!);
    }
  }
}

function asArray(value: PdfValue | undefined): PdfValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
