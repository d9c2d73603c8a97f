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

export interface PruneResult {
  /** Soft hyphens in the document. */
  total: number;
  /** Those that end a line and were kept. */
  kept: number;
  /** False when the page width could not be determined; nothing was removed then. */
  measured: boolean;
}

/** Removes the soft hyphens of `page` that do not end a line in print. */
export function pruneSoftHyphens(page: Page): Promise<PruneResult> {
  return page.evaluate(() => {
    const doc = globalThis.document;
    const shy = '\u00AD';
    // Named page sizes (CSS Paged Media), portrait width x height.
    const sizes: Record<string, [string, string]> = {
      a5: ['148mm', '210mm'], a4: ['210mm', '297mm'], a3: ['297mm', '420mm'], b5: ['176mm', '250mm'], b4: ['250mm', '353mm'],
      'jis-b5': ['182mm', '257mm'], 'jis-b4': ['257mm', '364mm'], letter: ['8.5in', '11in'], legal: ['8.5in', '14in'], ledger: ['11in', '17in'],
    };
    const pageRules: CSSPageRule[] = [];
    const collect = (rules: CSSRuleList) => {
      for (const rule of rules) {
        if (rule instanceof CSSPageRule && rule.selectorText === '') pageRules.push(rule);
        else if (rule instanceof CSSMediaRule && rule.media.mediaText !== 'screen') collect(rule.cssRules);
      }
    };
    for (const sheet of doc.styleSheets) {
      try {
        collect(sheet.cssRules);
      } catch {
        // A stylesheet that cannot be read does not set the page.
      }
    }
    const property = (name: string) => pageRules.map((rule) => rule.style.getPropertyValue(name).trim()).filter(Boolean).pop() ?? '';
    const sizeWords = property('size').toLowerCase().split(/\s+/).filter(Boolean);
    let width: string | undefined;
    const named = sizeWords.find((word) => sizes[word]);
    if (named) width = sizes[named]![sizeWords.includes('landscape') ? 1 : 0];
    else if (sizeWords.length > 0 && /^[\d.]+[a-z]+$/.test(sizeWords[0]!)) width = sizeWords[0];
    const left = property('margin-left');
    const right = property('margin-right');
    const total = (doc.body.textContent ?? '').split(shy).length - 1;
    if (!width || !left || !right || /%|auto/.test(left + right)) return { total, kept: total, measured: false };

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
  });
}
