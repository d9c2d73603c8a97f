/**
 * An SVG shown with `<img>` is a document of its own: it cannot use the fonts of the page, so its
 * text falls back to whatever the machine has (Liberation Sans on Debian, Helvetica on a Mac), and
 * that font is embedded in the PDF. For the print edition each SVG image gets the bundled fonts as
 * data addresses and its generic families (`sans-serif`, `serif`) are mapped to the publication's
 * two families from tokens.css, so figures are set like the text around them, on every machine.
 */
import type { EditionFile } from '../edition.js';

/** The generic families an SVG may name, and the design token that says what they become. */
const families = { 'sans-serif': '--schrift-auszeichnung', serif: '--schrift-text' } as const;

/** The SVG images of `files` with the fonts of `styles` (the output of `styleAssets`) inside them. */
export function withBundledSvgFonts(files: readonly EditionFile[], styles: readonly EditionFile[]): EditionFile[] {
  if (!files.some(isSvg)) return [...files];
  const text = (name: string) => {
    const file = styles.find((style) => style.path === name);
    return typeof file?.contents === 'string' ? file.contents : '';
  };
  const fontData = new Map(styles.filter((file) => file.path.startsWith('fonts/')).map((file) => [file.path.slice('fonts/'.length), file.contents]));
  const faces = text('css/fonts.css')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/url\(\s*['"]?\.\.\/fonts\/([^'")]+)['"]?\s*\)/g, (whole, name: string) => {
      const data = fontData.get(name);
      return data === undefined ? whole : `url(data:font/woff2;base64,${Buffer.from(data).toString('base64')})`;
    });
  const tokens = text('css/tokens.css');
  const mapping = Object.entries(families)
    .map(([generic, token]) => {
      const stack = new RegExp(`${token}\\s*:\\s*([^;]+);`).exec(tokens)?.[1]?.trim();
      return stack ? `[font-family="${generic}"] { font-family: ${stack}; }` : '';
    })
    .join('\n');
  const style = `<style><![CDATA[/* Added by the print edition: the bundled fonts. */\n${faces}\n${mapping}\n]]></style>`;
  return files.map((file) => {
    if (!isSvg(file)) return file;
    const svg = typeof file.contents === 'string' ? file.contents : new TextDecoder().decode(file.contents);
    const open = /<svg\b[^>]*>/i.exec(svg);
    if (!open) return file;
    const at = open.index + open[0].length;
    return { path: file.path, contents: `${svg.slice(0, at)}${style}${svg.slice(at)}` };
  });
}

function isSvg(file: EditionFile): boolean {
  return file.path.toLowerCase().endsWith('.svg');
}
