/**
 * An SVG shown with `<img>` is a document of its own: it cannot use the fonts of the page, so its
 * text falls back to whatever the machine has (Liberation Sans on Debian, Helvetica on a Mac), and
 * that font is embedded in the PDF. For the print edition each SVG image gets the bundled fonts as
 * data addresses and its generic families (`sans-serif`, `serif`) are mapped to the publication's
 * two families from tokens.css, so figures are set like the text around them, on every machine.
 *
 * Only the faces an image can use go into it: those of the families it names whose
 * `unicode-range` covers a character of its text. Every face in every image would make a small
 * map weigh more than half a megabyte, which Chromium decodes before it prints.
 */
import postcss from 'postcss';
import type { EditionFile } from '../edition.js';

/** The generic families an SVG may name, and the design token that says what they become. */
const families = { 'sans-serif': '--schrift-auszeichnung', serif: '--schrift-text' } as const;
type Generic = keyof typeof families;

interface Face {
  family: string;
  /** The rule with its font file as a data address; made only for a face an image uses. */
  css(): string;
  /** Code point ranges from `unicode-range`; none means every character. */
  ranges: Array<[number, number]>;
}

/** The SVG images of `files` with the fonts of `styles` (the output of `styleAssets`) inside them. */
export function withBundledSvgFonts(files: readonly EditionFile[], styles: readonly EditionFile[]): EditionFile[] {
  if (!files.some(isSvg)) return [...files];
  const text = (name: string) => {
    const file = styles.find((style) => style.path === name);
    return typeof file?.contents === 'string' ? file.contents : '';
  };
  const faces = fontFaces(text('css/fonts.css'), styles);
  const tokens = text('css/tokens.css');
  const stacks = new Map(
    Object.entries(families).map(([generic, token]) => [generic as Generic, new RegExp(`${token}\\s*:\\s*([^;]+);`).exec(tokens)?.[1]?.trim()]),
  );
  return files.map((file) => {
    if (!isSvg(file)) return file;
    const svg = typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
    const open = /<svg\b[^>]*>/i.exec(svg);
    if (!open) return file;
    const used = (Object.keys(families) as Generic[]).filter((generic) => new RegExp(`font-family\\s*=\\s*["']${generic}["']`).test(svg));
    const mapping = used.flatMap((generic) => {
      const stack = stacks.get(generic);
      return stack ? [{ generic, stack }] : [];
    });
    // The families of the mapped stacks, and a bundled family the image names itself.
    const named = new Set([...mapping.flatMap(({ stack }) => familyNames(stack)), ...faces.map((face) => face.family).filter((family) => svg.includes(family))]);
    const characters = codePoints(svg);
    const chosen = faces.filter((face) => named.has(face.family) && (face.ranges.length === 0 || characters.some((code) => face.ranges.some(([from, to]) => code >= from && code <= to))));
    if (chosen.length === 0 && mapping.length === 0) return file;
    const rules = mapping.map(({ generic, stack }) => `[font-family="${generic}"] { font-family: ${stack}; }`);
    const style = `<style><![CDATA[/* Added by the print edition: the bundled fonts. */\n${[...chosen.map((face) => face.css()), ...rules].join('\n')}\n]]></style>`;
    const at = open.index + open[0].length;
    return { path: file.path, contents: `${svg.slice(0, at)}${style}${svg.slice(at)}` };
  });
}

/** The `@font-face` rules of `css` with their files from `styles` as data addresses. */
function fontFaces(css: string, styles: readonly EditionFile[]): Face[] {
  const fontData = new Map(styles.filter((file) => file.path.startsWith('fonts/')).map((file) => [file.path.slice('fonts/'.length), file.contents]));
  const faces: Face[] = [];
  postcss.parse(css).walkAtRules('font-face', (rule) => {
    let family = '';
    let ranges: Array<[number, number]> = [];
    rule.walkDecls((declaration) => {
      if (declaration.prop === 'font-family') family = unquote(declaration.value);
      else if (declaration.prop === 'unicode-range') ranges = unicodeRanges(declaration.value);
    });
    let text: string | undefined;
    const inline = () => {
      rule.walkDecls('src', (declaration) => {
        declaration.value = declaration.value.replace(/url\(\s*['"]?\.\.\/fonts\/([^'")]+)['"]?\s*\)/g, (whole, name: string) => {
          const data = fontData.get(name);
          return data === undefined ? whole : `url(data:font/woff2;base64,${Buffer.from(data).toString('base64')})`;
        });
      });
      return rule.toString();
    };
    faces.push({ family, css: () => (text ??= inline()), ranges });
  });
  return faces;
}

/** `U+2190-21FF, U+25A0-27BF, U+4??` as code point ranges. */
function unicodeRanges(value: string): Array<[number, number]> {
  return value.split(',').flatMap((part) => {
    const range = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!range) return [];
    const [, first = '', last] = range;
    if (last) return [[parseInt(first, 16), parseInt(last, 16)] as [number, number]];
    return [[parseInt(first.replace(/\?/g, '0'), 16), parseInt(first.replace(/\?/g, 'f'), 16)] as [number, number]];
  });
}

/** The family names of a `font-family` stack, unquoted. */
function familyNames(stack: string): string[] {
  return stack.split(',').map(unquote);
}

function unquote(name: string): string {
  return name.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** The characters of the SVG's text (outside its tags), character references included. */
function codePoints(svg: string): number[] {
  const text = svg
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, hex: string) => character(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});/g, (_, decimal: string) => character(Number(decimal)));
  return [...new Set(text)].map((character) => character.codePointAt(0)!);
}

function character(code: number): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

function isSvg(file: EditionFile): boolean {
  return file.path.toLowerCase().endsWith('.svg');
}
