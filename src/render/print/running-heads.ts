/**
 * Running heads: the part's title in the top left margin box of a page, the chapter's title in the
 * top right. Chromium does not implement `string-set`, so each chapter gets a named page whose
 * margin boxes say its titles; the look of the boxes (font, size, rule) is in
 * `templates/css/print.css`, which also styles the pages of the front matter.
 */
import type { Charta } from '../../charta.js';

/** The named page of the `index`th chapter (counting from 1 through the whole charta). */
export function chapterPageName(index: number): string {
  return `kapitel-${index}`;
}

/** The generated stylesheet `css/seiten.css` with a named page per chapter. */
export function runningHeadsStylesheet(charta: Charta): string {
  const rules: string[] = [];
  let index = 0;
  for (const part of charta.parts) {
    for (const chapter of part.chapters) {
      const name = chapterPageName(++index);
      rules.push(
        `.seite--${name} { page: ${name}; }`,
        `@page ${name} {\n  @top-left { content: ${cssString(`Teil ${part.number} · ${part.title}`)}; }\n  @top-right { content: ${cssString(chapter.title)}; }\n}`,
      );
    }
  }
  return `/* Generated from the parts and chapter titles: the running heads. Their look is in print.css. */\n${rules.join('\n')}\n`;
}

/** `text` as a CSS string literal. */
export function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, '\\A ')}"`;
}
