/**
 * The chart "Woher kommen die Inhalte dieser Charta?": a horizontal stacked bar for the whole
 * charta and one for each part, each segment a source's share of the words. Every source has its
 * colour and a pattern of its own (hatching, dots, cross-hatching …) and its marker stands in each
 * segment wide enough for it and in the key, so the chart reads in grayscale and without colour.
 *
 * It is an inline SVG written as XML, so the same markup serves the HTML page, the EPUB's XHTML
 * and the print document; its text takes the page's bundled fonts (the classes are styled in
 * content.css, the `font-family` attributes name the same families for a reader without CSS).
 */
import type { Element, ElementContent } from 'hast';
import { s } from 'hastscript';
import type { Source } from '../charta.js';
import type { ContributionStats, ScopeFigures } from '../stats/contribution-stats.js';
import { toXhtml } from './epub/xhtml.js';

export interface Options {
  /** The prefix of every id in the chart; two charts on one page need two prefixes. */
  id: string;
  /** The sources in registry order; only those with passages in the whole charta are drawn. */
  sources: readonly Source[];
  /** The id of the table with the same figures, named in the chart's description. */
  tableId?: string;
  /**
   * The viewBox's width (640 by default): the chart is laid out for it and scaled to the width of
   * the text, so a narrow column wants a narrow layout (360) to keep its text readable.
   */
  width?: number;
}
const sansFamily = "'Source Sans 3', 'Noto Sans Symbols 2', sans-serif";
const symbolFamily = "'Noto Sans Symbols 2', 'Source Sans 3', sans-serif";
const textColour = '#1c1c21';
const quietColour = '#4e5260';
const unmarkedFill = '#e4e8ec';
const lineColour = '#9aa3ad';

/** The patterns, one per source in registry order (repeating after the last), drawn in white over the source's colour. */
const patterns: ReadonlyArray<{ name: string; size: number; shapes(size: number): Element[] }> = [
  { name: 'schraffur', size: 8, shapes: () => [line('M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6')] },
  { name: 'punkte', size: 7, shapes: () => [s('circle', { cx: 3.5, cy: 3.5, r: 1.7, fill: '#ffffff', fillOpacity: 0.85 })] },
  { name: 'kreuzschraffur', size: 8, shapes: () => [line('M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2', 1.2)] },
  { name: 'waagerecht', size: 6, shapes: () => [line('M0,3 L6,3', 1.8)] },
  { name: 'gegenschraffur', size: 8, shapes: () => [line('M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2')] },
  { name: 'senkrecht', size: 6, shapes: () => [line('M3,0 L3,6', 1.8)] },
  { name: 'gitter', size: 8, shapes: () => [line('M0,4 L8,4 M4,0 L4,8', 1.2)] },
  { name: 'rauten', size: 8, shapes: () => [s('path', { d: 'M4,1 L7,4 L4,7 L1,4 Z', fill: '#ffffff', fillOpacity: 0.8 })] },
];

function line(d: string, strokeWidth = 1.6): Element {
  return s('path', { d, stroke: '#ffffff', strokeOpacity: 0.85, strokeWidth, fill: 'none' });
}

/** The pattern name of the source at `index` of the registry, as the chart draws it. */
export function patternName(index: number): string {
  return patterns[index % patterns.length]!.name;
}

/** The chart of `stats` as SVG markup that is well-formed XML and valid inline in HTML. */
export function contributionChart(stats: ContributionStats, options: Options): string {
  // The same figures draw the same chart: `charta dev` rebuilds after every save, and the figures rarely change.
  const key = JSON.stringify([stats, options]);
  let chart = charts.get(key);
  if (chart === undefined) {
    chart = toXhtml(contributionChartTree(stats, options));
    if (charts.size >= maxCharts) charts.delete(charts.keys().next().value!);
    charts.set(key, chart);
  }
  return chart;
}

/** Charts drawn lately, by their figures and options. */
const charts = new Map<string, string>();
const maxCharts = 32;

/** The chart of `stats` as a hast `svg` element. */
export function contributionChartTree(stats: ContributionStats, options: Options): Element {
  const { id } = options;
  const width = options.width ?? 640;
  const used = options.sources
    .map((source, index) => ({ source, index }))
    .filter(({ source }) => (stats.sources.find((figures) => figures.id === source.id)?.passages ?? 0) > 0);
  const fillOf: FillOf = new Map(used.map(({ source, index }) => [source.id, { colour: source.farbe, pattern: patterns[index % patterns.length]!, sourceId: source.id }]));

  const rows: Array<{ label: string; figures: ScopeFigures; whole: boolean }> = [
    { label: 'Gesamte Charta', figures: stats, whole: true },
    ...stats.parts.map((part) => ({ label: `Teil ${part.number}: ${part.title}`, figures: part, whole: false })),
  ];

  const children: ElementContent[] = [];
  let y = 0;
  y += 13;
  children.push(text('Anteil der markierten Passagen am Text', { x: 0, y, size: 12, colour: quietColour }));
  y += 12;
  for (const row of rows) {
    const barHeight = row.whole ? 30 : 20;
    const size = row.whole ? 15 : 13;
    y += size + 2;
    children.push(text(row.label, { x: 0, y, size, weight: 600 }));
    const marked = row.figures.words === 0 ? 0 : 100 - row.figures.unmarked.percent;
    const share = `${formatPercent(marked)} aus Beiträgen`;
    // The share at the right, where the label leaves room; the table has it in any case.
    if (estimate(row.label, size) + estimate(share, 12) + 16 <= width) children.push(text(share, { x: width, y, size: 12, anchor: 'end', colour: quietColour }));
    y += 6;
    children.push(bar(row.figures, used.map(({ source }) => source), fillOf, y, barHeight, width));
    y += barHeight + 14;
  }

  // A bar per source for the whole charta, scaled to the largest: it is also the key.
  y += 14;
  children.push(text('Wörter je Quelle in der gesamten Charta', { x: 0, y, size: 12, colour: quietColour }));
  y += 10;
  const labelWidth = Math.round(Math.min(260, Math.max(120, ...used.map(({ source }) => estimate(source.kurz, 13) + 34), estimate('ohne Markierung', 13) + 34)));
  const valueWidth = 130;
  const area = width - labelWidth - valueWidth;
  const largest = Math.max(1, ...used.map(({ source }) => figuresOf(stats, source.id).words));
  const keyRow = (fill: Fill | undefined, marker: string, colour: string, label: string, words: number, percent: number, length: number) => {
    children.push(
      ...(marker ? [text(marker, { x: 0, y: y + 13, size: 14, colour, family: symbolFamily })] : []),
      text(label, { x: 20, y: y + 13, size: 13 }),
      paint(fill, labelWidth, y + 1, round(length), 16),
      s('rect', { x: labelWidth, y: y + 1, width: round(length), height: 16, fill: 'none', stroke: lineColour, strokeWidth: 0.75 }),
      text(`${numbers.format(words)} Wörter · ${formatPercent(percent)}`, { x: round(labelWidth + length + 8), y: y + 13, size: 12, colour: quietColour }),
    );
    y += 24;
  };
  for (const { source } of used) {
    const figures = figuresOf(stats, source.id);
    keyRow(fillOf.get(source.id)!, source.marker, source.farbe, source.kurz, figures.words, figures.percent, Math.max(2, (figures.words / largest) * area));
  }
  // The rest is no bar of this scale (it would dwarf the others): a swatch, as in the bars above.
  keyRow(undefined, '', textColour, 'ohne Markierung', stats.unmarked.words, stats.unmarked.percent, 18);
  const height = y;

  const description = `Gestapelte Balken: der Anteil der Wörter aus jeder Quelle und ohne Markierung, für die gesamte Charta und für jeden Teil. Jede Quelle hat ihre Farbe, ihr Muster und ihr Zeichen.${options.tableId ? ' Die Zahlen stehen in der Tabelle unter dem Diagramm.' : ''}`;
  return s(
    'svg',
    {
      class: 'herkunft__svg',
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      ariaLabelledBy: `${id}-titel`,
      ariaDescribedBy: `${id}-beschreibung`,
    },
    [
      s('title', { id: `${id}-titel` }, 'Woher die Wörter der Charta kommen'),
      s('desc', { id: `${id}-beschreibung` }, description),
      ...children,
    ],
  );
}

/** One stacked bar: the sources' segments in registry order, then the unmarked rest. */
type Pattern = (typeof patterns)[number];
interface Fill {
  colour: string;
  pattern: Pattern;
  sourceId: string;
}
type FillOf = Map<string, Fill>;

/**
 * A rectangle in a source's colour with its pattern drawn over it, as plain shapes clipped by a
 * nested `svg`: Chromium prints an SVG `<pattern>` as a bitmap (several MB in the PDF, blurred when
 * zoomed), shapes stay vectors. Without a fill, the grey of the unmarked words.
 */
function paint(fill: Fill | undefined, x: number, y: number, width: number, height: number): Element {
  if (!fill) return s('rect', { x, y, width, height, fill: unmarkedFill });
  const { size } = fill.pattern;
  const tiles: Element[] = [];
  for (let ty = 0; ty < height; ty += size) {
    for (let tx = 0; tx < width; tx += size) tiles.push(s('g', { transform: `translate(${round(tx)},${round(ty)})` }, fill.pattern.shapes(size)));
  }
  return s('svg', { x, y, width, height, viewBox: `0 0 ${width} ${height}`, overflow: 'hidden', class: `herkunft__muster herkunft__muster--${fill.pattern.name}`, dataQuelle: fill.sourceId }, [
    s('rect', { width, height, fill: fill.colour }),
    ...tiles,
  ]);
}

function bar(figures: ScopeFigures, sources: readonly Source[], fillOf: FillOf, y: number, height: number, width: number): Element {
  const segments: ElementContent[] = [];
  let x = 0;
  const total = figures.words;
  const parts = [
    ...sources.map((source) => ({ source, words: figures.sources.find((item) => item.id === source.id)?.words ?? 0 })),
    { source: undefined, words: figures.unmarked.words },
  ];
  for (const { source, words } of parts) {
    if (total === 0 || words === 0) continue;
    const segment = (words / total) * width;
    segments.push(paint(source && fillOf.get(source.id), round(x), y, round(segment), height));
    if (source && segment >= 20) {
      const r = Math.min(height / 2 - 2, 8.5);
      const cx = round(x + segment / 2);
      const cy = y + height / 2;
      segments.push(
        s('circle', { cx, cy, r, fill: '#ffffff' }),
        text(source.marker, { x: cx, y: round(cy + r * 0.45), size: round(r * 1.25), colour: source.farbe, anchor: 'middle', family: symbolFamily }),
      );
    }
    x += segment;
  }
  // Thin white gaps between segments, and a frame around the bar.
  let edge = 0;
  const gaps: ElementContent[] = [];
  for (const { words } of parts.slice(0, -1)) {
    if (total === 0 || words === 0) continue;
    edge += (words / total) * width;
    if (edge < width - 0.5) gaps.push(s('path', { d: `M${round(edge)},${y} L${round(edge)},${y + height}`, stroke: '#ffffff', strokeWidth: 1.5 }));
  }
  return s('g', { class: 'herkunft__balken' }, [
    ...segments,
    ...gaps,
    s('rect', { x: 0, y, width, height, fill: 'none', stroke: lineColour, strokeWidth: 0.75 }),
  ]);
}

function text(value: string, options: { x: number; y: number; size: number; weight?: number; colour?: string; anchor?: 'middle' | 'end'; family?: string }): Element {
  return s(
    'text',
    {
      x: options.x,
      y: options.y,
      fontSize: options.size,
      fontFamily: options.family ?? sansFamily,
      fontWeight: options.weight,
      fill: options.colour ?? textColour,
      textAnchor: options.anchor,
      class: options.family === symbolFamily ? 'herkunft__zeichen' : 'herkunft__text',
    },
    value,
  );
}

function figuresOf(stats: ContributionStats, id: string): { words: number; percent: number } {
  return stats.sources.find((figures) => figures.id === id) ?? { words: 0, percent: 0 };
}

const numbers = new Intl.NumberFormat('de-DE');

/** A generous estimate of the width of `value` in Source Sans 3 at `size`. */
function estimate(value: string, size: number): number {
  return [...value].length * size * 0.56;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** "12,3 %" with a no-break space, as the German editions write per cent. */
export function formatPercent(value: number): string {
  return `${value.toLocaleString('de-DE', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}\u00a0%`;
}
