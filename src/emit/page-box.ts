/**
 * The default page box of a print document, as its `@page` rules (without a selector) set it:
 * size and margins, as CSS lengths. Read in the page (`page.evaluate(readPageBox)`) by each step
 * of the build that measures the document as it will be printed.
 */

export interface PageBox {
  width: string;
  height: string;
  marginTop: string;
  marginRight: string;
  marginBottom: string;
  marginLeft: string;
}

/** In the page: the default page box, or undefined when a size or margin cannot be read (a percentage, `auto`). */
export function readPageBox(): PageBox | undefined {
  const doc = globalThis.document;
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
  const words = property('size').toLowerCase().split(/\s+/).filter(Boolean);
  const landscape = words.includes('landscape');
  let size: [string, string] | undefined;
  const named = words.find((word) => sizes[word]);
  if (named) size = landscape ? [sizes[named]![1], sizes[named]![0]] : sizes[named];
  else if (words.length > 0 && words.every((word) => /^[\d.]+[a-z]+$/.test(word))) size = [words[0]!, words[1] ?? words[0]!];
  const margins = ['margin-top', 'margin-right', 'margin-bottom', 'margin-left'].map(property);
  if (!size || margins.some((margin) => !margin || /%|auto/.test(margin))) return undefined;
  const [marginTop, marginRight, marginBottom, marginLeft] = margins as [string, string, string, string];
  return { width: size[0], height: size[1], marginTop, marginRight, marginBottom, marginLeft };
}

/** In the page: the top and bottom margins of `box` and its height, in points; 0 where there is no box. */
export function measurePageMargins(box: PageBox | undefined): { top: number; bottom: number; height: number } {
  if (!box) return { top: 0, bottom: 0, height: 0 };
  const probe = globalThis.document.createElement('div');
  probe.style.cssText = `position: absolute; visibility: hidden; width: 0; height: ${box.marginTop}; padding-bottom: ${box.marginBottom}; padding-top: ${box.height};`;
  globalThis.document.body.append(probe);
  try {
    const style = getComputedStyle(probe);
    return { top: parseFloat(style.height) * 0.75, bottom: parseFloat(style.paddingBottom) * 0.75, height: parseFloat(style.paddingTop) * 0.75 };
  } finally {
    probe.remove();
  }
}
