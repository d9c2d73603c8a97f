/**
 * Marks what Chromium paints outside any marked content as artifacts (ISO 32000-1, 14.8.2.2;
 * PDF/UA-1, 7.1: content is either tagged or an artifact). Chromium tags what belongs to the
 * document's tree and leaves the rest unmarked: the running heads and page numbers of the page's
 * margin boxes, and decoration such as the dotted leaders of the contents and backgrounds. Each run
 * of such drawing at the top level of a page's content stream is wrapped in
 * `/Artifact <</Type /Pagination /Subtype /Header>> BDC … EMC` (in the top margin), `… /Footer` (in
 * the bottom margin) or `/Artifact <</Type /Layout>> BDC … EMC` (elsewhere). A run never splits a
 * text or path object and keeps its `q`/`Q` pairs inside, so nothing painted changes.
 */
import { apply, multiply, pathConstruction, pathPainting, scanContent, type ContentOps, type Matrix } from './pdf-content.js';

/** The page's height and margins, in points. */
export interface PageFrame {
  height: number;
  /** Drawing above `height - top` is in the top margin. */
  top: number;
  /** Drawing below `bottom` is in the bottom margin. */
  bottom: number;
}

export type ArtifactKind = 'Header' | 'Footer' | 'Layout';

export interface ArtifactResult {
  /** The rewritten content, or undefined when nothing was unmarked. */
  content?: string;
  /** How many runs of each kind were marked. */
  runs: Record<ArtifactKind, number>;
}

interface Unit {
  first: number;
  last: number;
  /** The `q` depth around the unit. */
  depth: number;
  kind: ArtifactKind;
}

const identity: Matrix = [1, 0, 0, 1, 0, 0];
const textShowing = new Set(['Tj', 'TJ', "'", '"']);

/** `content` (a page's content stream as Latin-1 characters) with its unmarked drawing marked as artifacts. */
export function markArtifacts(content: string, frame: PageFrame, ops: ContentOps = scanContent(content)): ArtifactResult {
  const units = unmarkedUnits(ops, frame);
  const runs: Record<ArtifactKind, number> = { Header: 0, Footer: 0, Layout: 0 };
  if (units.length === 0) return { runs };

  // Per operator: the `q` depth before it, and whether it is a marked-content operator.
  const depthBefore = new Int32Array(ops.length + 1);
  let depth = 0;
  for (let index = 0; index < ops.length; index++) {
    depthBefore[index] = depth;
    const op = ops.op(index);
    if (op === 'q') depth++;
    else if (op === 'Q') depth--;
  }
  depthBefore[ops.length] = depth;
  const marking = (index: number) => {
    const op = ops.op(index);
    return op === 'BDC' || op === 'BMC' || op === 'EMC';
  };

  const wraps: Array<{ from: number; to: number; kind: ArtifactKind }> = [];
  let run: { from: number; to: number; kind: ArtifactKind; depth: number } | undefined;
  const close = () => {
    if (run) wraps.push(run);
    run = undefined;
  };
  for (const unit of units) {
    if (run && run.kind === unit.kind && run.depth === unit.depth && joinable(ops, depthBefore, run.to + 1, unit.first, run.depth, marking)) {
      run.to = unit.last;
      continue;
    }
    close();
    run = { from: unit.first, to: unit.last, kind: unit.kind, depth: unit.depth };
  }
  close();

  let out = '';
  let at = 0;
  for (const wrap of wraps) {
    runs[wrap.kind]++;
    const start = ops.start(wrap.from);
    const end = ops.end(wrap.to);
    const properties = wrap.kind === 'Layout' ? '<</Type /Layout>>' : `<</Type /Pagination /Subtype /${wrap.kind}>>`;
    out += `${content.slice(at, start)}/Artifact ${properties} BDC\n${content.slice(start, end)}\nEMC`;
    at = end;
  }
  out += content.slice(at);
  return { content: out, runs };
}

/** Whether the operators from `from` to before `to` keep the `q` depth at or above `depth` and mark nothing. */
function joinable(ops: ContentOps, depthBefore: Int32Array, from: number, to: number, depth: number, marking: (index: number) => boolean): boolean {
  for (let i = from; i < to; i++) {
    if (marking(i) || depthBefore[i]! < depth || (ops.op(i) === 'Q' && depthBefore[i]! <= depth)) return false;
  }
  return depthBefore[to] === depth;
}

/**
 * The graphics objects painted outside marked content: text objects, painted paths, XObjects,
 * shadings and inline images, each with where it is on the page. A text object that holds marked
 * content itself is not one: what it shows unmarked is left as it is (Chromium writes none).
 */
function unmarkedUnits(ops: ContentOps, frame: PageFrame): Unit[] {
  const units: Unit[] = [];
  let marked = 0;
  let qDepth = 0;
  let ctm: Matrix = identity;
  const stack: Matrix[] = [];
  let text: { first: number; mixed: boolean; at?: [number, number]; depth: number } | undefined;
  let tm: Matrix = identity;
  let tlm: Matrix = identity;
  let path: { first: number; at: [number, number]; depth: number } | undefined;
  const kindAt = ([, y]: [number, number]): ArtifactKind => (y < frame.bottom ? 'Footer' : y > frame.height - frame.top ? 'Header' : 'Layout');
  for (let index = 0; index < ops.length; index++) {
    const op = ops.op(index);
    switch (op) {
      case 'BDC':
      case 'BMC':
        marked++;
        if (text && marked === 1) text.mixed = true;
        continue;
      case 'EMC':
        marked--;
        continue;
      case 'q':
        stack.push(ctm);
        qDepth++;
        continue;
      case 'Q':
        ctm = stack.pop() ?? identity;
        qDepth--;
        continue;
      case 'cm': {
        const m = ops.numbers(index);
        if (m.length === 6) ctm = multiply(m as Matrix, ctm);
        continue;
      }
      case 'BT':
        tm = tlm = identity;
        if (marked === 0) text = { first: index, mixed: false, depth: qDepth };
        continue;
      case 'ET':
        if (text && marked === 0 && !text.mixed && text.at) units.push({ first: text.first, last: index, depth: text.depth, kind: kindAt(text.at) });
        text = undefined;
        continue;
      // The text matrix matters only until an unmarked text object shows its first text.
      case 'Tm': {
        if (!text || text.at) continue;
        const m = ops.numbers(index);
        if (m.length === 6) tm = tlm = m as Matrix;
        continue;
      }
      case 'Td':
      case 'TD': {
        if (!text || text.at) continue;
        const [tx = 0, ty = 0] = ops.numbers(index);
        tm = tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
        continue;
      }
    }
    if (text && textShowing.has(op)) {
      text.at ??= apply(multiply(tm, ctm), 0, 0);
      continue;
    }
    if (marked > 0 || text) continue;
    if (pathConstruction.has(op)) {
      if (!path) {
        const [x = 0, y = 0, w = 0, h = 0] = ops.numbers(index);
        path = { first: index, at: apply(ctm, op === 're' ? x + w / 2 : x, op === 're' ? y + h / 2 : y), depth: qDepth };
      }
      continue;
    }
    if (pathPainting.has(op)) {
      if (path && op !== 'n') units.push({ first: path.first, last: index, depth: path.depth, kind: kindAt(path.at) });
      path = undefined;
      continue;
    }
    if (op === 'Do' || op === 'sh' || op === 'BI') units.push({ first: index, last: index, depth: qDepth, kind: kindAt(apply(ctm, 0.5, 0.5)) });
  }
  return units;
}
