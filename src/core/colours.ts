/**
 * The contribution sources' colours: contrast checks (WCAG 2.x) and the generated stylesheet that
 * carries each source's colour as a custom property.
 */

type Rgb = [number, number, number];

function rgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two colours given as #rrggbb. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The light tint behind a marked passage: the colour at `share` over white. */
export function tint(colour: string, share = 0.09): string {
  return hex(rgb(colour).map((c) => 255 + (c - 255) * share) as Rgb);
}

/** The custom properties of the sources, and the classes that pick them up. */
export function sourcesStylesheet(sources: ReadonlyArray<{ id: string; farbe: string }>): string {
  const properties = sources.flatMap((source) => [
    `  --quelle-${source.id}: ${source.farbe};`,
    `  --quelle-${source.id}-hell: ${tint(source.farbe)};`,
  ]);
  const classes = sources.map(
    (source) => `.beitrag--${source.id} { --beitrag-farbe: var(--quelle-${source.id}); --beitrag-hell: var(--quelle-${source.id}-hell); }`,
  );
  return `/* Generated from charta/quellen.yaml: edit the colours there. */\n:root {\n${properties.join('\n')}\n}\n${classes.join('\n')}\n`;
}
