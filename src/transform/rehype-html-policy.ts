/**
 * Raw HTML in the sources is allowed for simple markup only. Anything that could run code or
 * load from elsewhere is an error with its place; rehype-sanitize then removes whatever is left
 * outside the allow-list (see `sanitizeSchema`).
 */
import type { Root } from 'hast';
import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error } from '../core/messages.js';

const forbiddenElements = new Set([
  'script', 'iframe', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'button',
  'frame', 'frameset', 'applet', 'svg', 'math', 'template', 'video', 'audio', 'source',
]);

const urlProperties = ['href', 'src', 'action', 'formAction', 'xLinkHref', 'poster', 'srcSet'];

/** Reports unsafe raw HTML. Runs after rehype-raw, before rehype-sanitize. */
export default function rehypeHtmlPolicy() {
  return (tree: Root, file: VFile) => {
    // Images from Markdown, which the figure plugin checked; any other `img` came as raw HTML.
    const images = new Set(file.data.images?.values());
    visit(tree, 'element', (node) => {
      if (forbiddenElements.has(node.tagName)) {
        error(file, `\`<${node.tagName}>\` is not allowed in the sources`, node, 'unsafe-html');
      }
      if (node.tagName === 'img' && node.properties.src && !images.has(String(node.properties.src))) {
        error(file, 'Images in raw HTML are not allowed: use Markdown `![alt](path)`', node, 'unsafe-html');
      }
      for (const [key, value] of Object.entries(node.properties)) {
        if (/^on/i.test(key)) error(file, `Event handler attribute \`${key.toLowerCase()}\` is not allowed`, node, 'unsafe-html');
        if (urlProperties.includes(key) && /^\s*(javascript|vbscript|data):/i.test(String(value))) {
          error(file, `\`${String(value).trim().split(':')[0]}:\` addresses are not allowed`, node, 'unsafe-url');
        }
      }
    });
  };
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
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto', 'tel'], src: [] },
  attributes: {
    ...defaultAttributes,
    '*': [...(defaultAttributes['*'] ?? []), 'className', 'id', 'dataQuelle', 'ariaHidden', 'ariaLabelledBy', 'role'],
    time: ['dateTime'],
    img: ['src', 'alt', 'width', 'height'],
  },
};
