/**
 * Chromium writes every soft hyphen of the text into the PDF's text, also where the line did not
 * break: "Kon\u00ADgress" then cannot be found by searching for "Kongress" in most viewers, and is
 * copied with the invisible character inside. So once the document is laid out, each soft hyphen
 * that does not end a line is removed, and only the breaks that are used stay.
 *
 * Lines break the same on screen as in print when the text has the width of the page area (as long
 * as no `text-wrap: pretty` is used: Chromium does not apply it to a paragraph split across pages), so the
 * page is measured at the width of the default `@page` box (its size minus its side margins); a
 * page size or margin this cannot read leaves every soft hyphen in place. Removing an unused soft
 * hyphen cannot move anything: it has no width. A word whose soft hyphens are all unused is spotted
 * with one measurement (its box is on one line); only words broken across lines are looked at
 * closer.
 */
import type { Page } from 'puppeteer';
import { readPageBox } from './page-box.js';

export interface PruneResult {
  /** Soft hyphens in the document. */
  total: number;
  /** Those that end a line and were kept. */
  kept: number;
  /** False when the page width could not be determined; nothing was removed then. */
  measured: boolean;
}

/** Removes the soft hyphens of `page` that do not end a line in print. */
export async function pruneSoftHyphens(page: Page): Promise<PruneResult> {
  const box = await page.evaluate(readPageBox);
  return page.evaluate((box) => {
    const doc = globalThis.document;
    const shy = '\u00AD';
    const total = (doc.body.textContent ?? '').split(shy).length - 1;
    if (!box) return { total, kept: total, measured: false };
    const { width, marginLeft: left, marginRight: right } = box;

    // print.css can set this width for the screen already (saving a layout of the whole document).
    const probe = doc.createElement('div');
    probe.style.cssText = `position: absolute; visibility: hidden; width: calc(${width} - ${left} - ${right});`;
    doc.body.append(probe);
    const wanted = probe.getBoundingClientRect().width;
    probe.remove();
    const style = doc.createElement('style');
    if (Math.abs(doc.documentElement.getBoundingClientRect().width - wanted) > 0.01) {
      style.textContent = `html { width: calc(${width} - ${left} - ${right}) !important; }`;
      doc.head.append(style);
    }
    const range = doc.createRange();
    const lineOf = (node: Text, offset: number) => {
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const rect = range.getBoundingClientRect();
      return rect.top + rect.height / 2;
    };
    const texts: Text[] = [];
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.includes(shy)) texts.push(node as Text);
    // Measure everything first, change the text afterwards: a change would make the next measurement lay the page out again.
    const changes: Array<[Text, string]> = [];
    let kept = 0;
    for (const node of texts) {
      const text = node.data;
      let out = '';
      for (const word of text.matchAll(/\S+|\s+/g)) {
        const value = word[0];
        if (!value.includes(shy)) {
          out += value;
          continue;
        }
        const start = word.index!;
        range.setStart(node, start);
        range.setEnd(node, start + value.length);
        const boxes = range.getClientRects();
        const broken = boxes.length > 1 && Math.abs(boxes[0]!.top - boxes[boxes.length - 1]!.top) > 1;
        for (let i = 0; i < value.length; i++) {
          const char = value[i]!;
          if (char !== shy) {
            out += char;
            continue;
          }
          const at = start + i;
          if (broken && at > 0 && at + 1 < text.length && Math.abs(lineOf(node, at - 1) - lineOf(node, at + 1)) > 1) {
            out += char;
            kept++;
          }
        }
      }
      if (out !== text) changes.push([node, out]);
    }
    for (const [node, text] of changes) node.data = text;
    style.remove();
    return { total, kept, measured: true };
  }, box);
}
