/**
 * The EPUB's cover image: `templates/epub/cover.svg` when a designer has put one there (rendered
 * with Mustache, so it may name `{{site.title}}` and the other fields of the site view), otherwise
 * an SVG set from the metadata: publisher, title, subtitle, a band in the sources' colours, the
 * version and date, the author.
 */
import Mustache from 'mustache';
import type { Source } from '../../charta.js';
import { ChartaError } from '../../core/errors.js';
import { readTemplate } from '../template-files.js';
import type { SiteView } from '../views.js';
import { escapeXml } from './xhtml.js';

/** The text a reader hears or reads instead of the cover. */
export function coverText(site: SiteView): string {
  return [`Umschlag: ${site.title}`, site.subtitle, `Version ${site.version}, ${site.date}`, site.publisher].filter(Boolean).join('. ');
}

/** The cover as SVG: the designer's file if there is one, else the generated cover. */
export async function coverSvg(root: string, site: SiteView, sources: readonly Source[]): Promise<string> {
  let template: string | undefined;
  try {
    template = await readTemplate(root, 'epub/cover.svg');
  } catch (cause) {
    throw new ChartaError(`Cannot read templates/epub/cover.svg: ${(cause as Error).message}`);
  }
  if (template === undefined) return generatedCover(site, sources);
  try {
    return Mustache.render(template, { site });
  } catch (cause) {
    throw new ChartaError(`The cover templates/epub/cover.svg is broken: ${(cause as Error).message}`);
  }
}

const width = 1600;
const height = 2560;
const margin = 128;
const colours = { band: '#0b4f6c', onBand: '#ffffff', onBandQuiet: '#d4e5ed', text: '#1c1c21', quiet: '#4e5260' };
const fontFamily = "'Source Sans 3', 'Helvetica Neue', Arial, sans-serif";

interface Block {
  text: string;
  size: number;
  weight: 400 | 700;
  fill: string;
  lineHeight: number;
}

function generatedCover(site: SiteView, sources: readonly Source[]): string {
  let y = margin + 40;
  /** Sets `block` from the current line on and moves below it. */
  const place = (block: Block): string => {
    const { lines, size } = wrap(block.text, block.size, block.weight, width - 2 * margin);
    y += size;
    const spans = lines.map((line, index) => `<tspan x="${margin}" y="${Math.round(y + index * size * block.lineHeight)}">${escapeXml(line)}</tspan>`);
    y += (lines.length - 1) * size * block.lineHeight;
    return `<text font-family="${fontFamily}" font-size="${size}" font-weight="${block.weight}" fill="${block.fill}">${spans.join('')}</text>`;
  };

  const band = [place({ text: site.publisher, size: 48, weight: 400, fill: colours.onBandQuiet, lineHeight: 1.3 })];
  y += 200;
  band.push(place({ text: site.title, size: 150, weight: 700, fill: colours.onBand, lineHeight: 1.12 }));
  if (site.subtitle) {
    y += 90;
    band.push(place({ text: site.subtitle, size: 68, weight: 400, fill: colours.onBand, lineHeight: 1.3 }));
  }
  const bandEnd = Math.max(1600, Math.round(y + 160));
  const stripe = sources.length > 0 ? (width - 2 * margin) / sources.length : 0;
  const stripes = sources.map((source, index) => `<rect x="${(margin + index * stripe).toFixed(1)}" y="${bandEnd + 72}" width="${stripe.toFixed(1)}" height="28" fill="${source.farbe}"/>`);

  y = bandEnd + 72 + 28 + 140;
  const edition = place({ text: `Version ${site.version} · ${site.date}`, size: 64, weight: 700, fill: colours.text, lineHeight: 1.3 });
  const author = wrap(site.author, 52, 400, width - 2 * margin);
  const authorSpans = author.lines.map((line, index) => `<tspan x="${margin}" y="${Math.round(height - margin - (author.lines.length - 1 - index) * author.size * 1.3)}">${escapeXml(line)}</tspan>`);

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(coverText(site))}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect x="0" y="0" width="${width}" height="${bandEnd}" fill="${colours.band}"/>`,
    ...band,
    ...stripes,
    edition,
    `<text font-family="${fontFamily}" font-size="${author.size}" font-weight="400" fill="${colours.quiet}">${authorSpans.join('')}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Breaks `text` into lines that fit `room` pixels, by an estimate of the glyph widths (the
 * reading system sets the SVG in whatever sans-serif it has). Shrinks the size when one word
 * alone is too wide.
 */
function wrap(text: string, size: number, weight: 400 | 700, room: number): { lines: string[]; size: number } {
  const advance = weight === 700 ? 0.6 : 0.54;
  const words = text.split(/\s+/).filter(Boolean);
  const longest = Math.max(...words.map((word) => word.length), 1);
  const fitted = Math.min(size, Math.floor(room / (longest * advance)));
  const perLine = Math.floor(room / (fitted * advance));
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= perLine) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return { lines, size: fitted };
}
