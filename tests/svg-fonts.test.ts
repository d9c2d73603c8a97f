/**
 * The fonts the print edition puts into SVG images: only the faces an image can use, so a small
 * figure does not carry every bundled font (the symbols font alone is 380 kB).
 */
import { describe, expect, it } from 'vitest';
import { withBundledSvgFonts } from '../src/render/print/svg-fonts.js';

const fontsCss = `/* Fonts. */
@font-face { font-family: 'Source Serif 4'; font-weight: 400; src: url(../fonts/serif.woff2) format('woff2'); }
@font-face { font-family: 'Source Sans 3'; font-weight: 400; src: url(../fonts/sans.woff2) format('woff2'); }
@font-face { font-family: 'Source Sans 3'; font-weight: 700; src: url("../fonts/sans-bold.woff2") format('woff2'); }
@font-face { font-family: 'Noto Sans Symbols 2'; src: url(../fonts/symbols.woff2) format('woff2'); unicode-range: U+2190-21FF, U+25A0-27BF; }
`;
const tokensCss = `:root {
  --schrift-text: 'Source Serif 4', 'Noto Sans Symbols 2', serif;
  --schrift-auszeichnung: 'Source Sans 3', 'Noto Sans Symbols 2', sans-serif;
}`;
const styles = [
  { path: 'css/fonts.css', contents: fontsCss },
  { path: 'css/tokens.css', contents: tokensCss },
  ...['serif', 'sans', 'sans-bold', 'symbols'].map((name) => ({ path: `fonts/${name}.woff2`, contents: new TextEncoder().encode(name) })),
];
const data = (name: string) => `data:font/woff2;base64,${Buffer.from(name).toString('base64')}`;

function embed(svg: string): string {
  const [image] = withBundledSvgFonts([{ path: 'bilder/karte.svg', contents: svg }], styles);
  return String(image!.contents);
}

describe('fonts in SVG images of the print edition', () => {
  it('embeds the faces of the family an image names, and maps its generic family', () => {
    const svg = embed('<svg xmlns="http://www.w3.org/2000/svg" font-family="sans-serif"><text>Chemnitz</text></svg>');
    expect(svg).toContain(data('sans'));
    expect(svg).toContain(data('sans-bold'));
    expect(svg).not.toContain(data('serif'));
    expect(svg).toContain(`[font-family="sans-serif"] { font-family: 'Source Sans 3', 'Noto Sans Symbols 2', sans-serif; }`);
  });

  it('leaves out a face whose unicode-range covers no character of the image', () => {
    expect(embed('<svg font-family="sans-serif"><text>Zwickau</text></svg>')).not.toContain(data('symbols'));
    expect(embed('<svg font-family="sans-serif"><text>● Zwickau</text></svg>')).toContain(data('symbols'));
    expect(embed('<svg font-family="serif"><text>&#x25A0; Plauen</text></svg>')).toContain(data('symbols'));
    expect(embed('<svg font-family="serif"><text>&#9632; &#99999999; Plauen</text></svg>')).toContain(data('symbols'));
  });

  it('embeds a bundled family an image names itself', () => {
    const svg = embed(`<svg><text font-family="'Source Serif 4'">Freiberg</text></svg>`);
    expect(svg).toContain(data('serif'));
    expect(svg).not.toContain(data('sans'));
  });

  it('leaves an image that uses no bundled font as it is', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
    expect(embed(svg)).toBe(svg);
  });
});
