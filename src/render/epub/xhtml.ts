/**
 * XML for the EPUB: content documents are XHTML, read by XML parsers that stop at the first
 * error. The shared hast is written through xast (hast-util-to-xast, xast-util-to-xml) because
 * hast-util-to-html writes HTML even with `closeSelfClosing`: it leaves `<` raw in attribute
 * values (`alt="a < b"`) and writes boolean attributes without a value (`<details open>`), and
 * neither is well-formed XML.
 */
import type { Element, Root } from 'hast';
import { toXast } from 'hast-util-to-xast';
import type { Nodes as XastNodes } from 'xast';
import { toXml } from 'xast-util-to-xml';

const xhtmlNamespace = 'http://www.w3.org/1999/xhtml';

/** HTML's void elements, which never have content. */
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Serializes `tree`, a fragment in the XHTML namespace, as XHTML markup to place in a document. */
export function toXhtml(tree: Root | Element): string {
  const xast = toXast(tree, { space: 'html' });
  const top: XastNodes[] = xast.type === 'root' ? xast.children : [xast];
  // The fragment goes into a document whose <html> declares the namespace already.
  for (const node of top) {
    if (node.type === 'element' && node.attributes.xmlns === xhtmlNamespace) delete node.attributes.xmlns;
  }
  // Void elements close themselves (`<img />`), every other element gets an end tag, even when
  // empty: some reading systems misread `<a id="x"/>`. `<` is escaped in text and attribute
  // values, so `></img>` is always the end tag right after the start tag.
  return toXml(xast, { closeEmptyElements: false }).replace(voidEndTags, ' />');
}

const voidEndTags = new RegExp(`></(?:${[...voidElements].join('|')})>`, 'g');

/** Characters XML 1.0 does not allow anywhere, not even as references; lone surrogates too. */
// eslint-disable-next-line no-control-regex -- matching these control characters is the point
const notXmlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The last step of every XML document of the EPUB: drops the characters XML cannot carry
 * (invisible controls that slipped into a source) and escapes `]]>`, which XML forbids in text.
 * The documents have no CDATA sections, so `]]>` never is markup.
 */
export function xmlDocument(text: string): string {
  return text.replace(notXmlCharacters, '').replaceAll(']]>', ']]&gt;');
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes `value` for XML text and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => escapes[character]!);
}
