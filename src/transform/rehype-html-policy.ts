/**
 * Raw HTML in the sources is allowed for simple markup only. Anything that could run code or
 * load from elsewhere is an error with its place; rehype-sanitize then removes whatever is left
 * outside the allow-list (see `sanitizeSchema`).
 */
import type { Element, Root } from 'hast';
import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import type { Node } from 'unist';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import { error } from '../core/messages.js';

const forbiddenElements = new Set([
  'script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'button',
  'frame', 'frameset', 'applet', 'svg', 'math', 'template', 'video', 'audio', 'source',
]);

const urlProperties = ['href', 'src', 'action', 'formAction', 'xLinkHref', 'poster', 'srcSet', 'cite', 'longDesc'];

/** Schemes whose addresses run code (or carry a document that may). */
const scriptSchemes = new Set(['javascript', 'vbscript', 'data']);

/** Reports unsafe raw HTML. Runs after rehype-raw, before rehype-sanitize. */
export default function rehypeHtmlPolicy() {
  return (tree: Root, file: VFile) => {
    // Images from Markdown, which the figure plugin checked; any other `img` came as raw HTML.
    const images = new Set(file.data.images?.values());
    visitParents(tree, 'element', (node, ancestors) => {
      // Elements made from Markdown (a task list's checkbox) may lack a place: use their parent's.
      const place = [...ancestors, node].reverse().find((candidate: Node) => candidate.position) ?? node;
      if (forbiddenElements.has(node.tagName) && !isTaskListCheckbox(node)) {
        error(file, `\`<${node.tagName}>\` is not allowed in the sources`, place, 'unsafe-html');
      }
      if (node.tagName === 'img' && node.properties.src && !images.has(String(node.properties.src))) {
        error(file, 'Images in raw HTML are not allowed: use Markdown `![alt](path)`', place, 'unsafe-html');
      }
      for (const [key, value] of Object.entries(node.properties)) {
        if (/^on/i.test(key)) error(file, `Event handler attribute \`${key.toLowerCase()}\` is not allowed`, place, 'unsafe-html');
        if (key === 'style') error(file, 'Style attributes are not allowed: the look lives in templates/', place, 'unsafe-html');
        if (!urlProperties.includes(key)) continue;
        const scheme = schemeOf(String(value));
        if (!scheme) continue;
        const allowed = sanitizeSchema.protocols?.[key] ?? [];
        if (scriptSchemes.has(scheme)) {
          error(file, `\`${scheme}:\` addresses are not allowed`, place, 'unsafe-url');
        } else if (allowed.length > 0 && !allowed.includes(scheme)) {
          error(file, `\`${scheme}:\` addresses are not allowed here: use ${listOf(allowed.map((name) => `${name}:`))}`, place, 'unsafe-url');
        }
      }
    });
  };
}

/** `a, b or c`. */
function listOf(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The checkbox of a GitHub task list item (`- [x] done`): disabled, so it does nothing. */
function isTaskListCheckbox(node: Element): boolean {
  return node.tagName === 'input' && node.properties.type === 'checkbox' && node.properties.disabled === true;
}

/**
 * The scheme of `url` as a browser reads it: leading and trailing controls and spaces are
 * dropped and tabs and line breaks removed anywhere, so `java&#9;script:` is `javascript:`.
 */
function schemeOf(url: string): string | undefined {
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  const normal = url.slice(start, end).replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(normal)?.[1]?.toLowerCase();
}

/** GitHub's per-element attributes, without its limits on class names (ours are free). */
const defaultAttributes = Object.fromEntries(
  Object.entries(defaultSchema.attributes ?? {}).map(([tag, list]) => [
    tag,
    list.filter((attribute) => !(Array.isArray(attribute) && attribute[0] === 'className')),
  ]),
);

/** What survives sanitizing: GitHub's allow-list plus the markup the toolkit itself emits. */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  clobber: [],
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []), 'figure', 'figcaption', 'section', 'time', 'mark', 'small', 'abbr'],
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto', 'tel'] },
  attributes: {
    ...defaultAttributes,
    '*': [...(defaultAttributes['*'] ?? []), 'className', 'id', 'dataQuelle', 'dataSchluessel', 'ariaHidden', 'ariaLabelledBy', 'role'],
    time: ['dateTime'],
    // Only the images the figure plugin placed; never an address elsewhere. (An empty list of
    // `src` protocols would allow every address: hast-util-sanitize reads it as "no limit".)
    img: [['src', /^bilder\/[^/]+$/], 'alt', 'width', 'height'],
  },
};
