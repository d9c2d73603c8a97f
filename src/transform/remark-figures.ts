/**
 * Images: each must be a local file inside `charta/`, with alternative text; remote images are
 * never fetched. An image alone in its paragraph becomes a figure whose caption is the image's
 * title: `![Alt text](../bilder/karte.svg "Caption")`.
 */
import path from 'node:path';
import type { Image, Paragraph, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error } from '../core/messages.js';
import { diskReader, type SourceReader } from '../load/source-reader.js';

export interface Options {
  /** The absolute path of `charta/`. */
  chartaDir: string;
  /** Where the images are looked for: the disk (default), or an earlier version in git. */
  reader?: SourceReader;
}

declare module 'vfile' {
  interface DataMap {
    /** The images a chapter uses: absolute source path -> path inside an edition. */
    images: globalThis.Map<string, string>;
  }
}

const imageTypes = new Set(['.svg', '.png', '.jpg', '.jpeg', '.webp', '.gif']);

/** Checks images and makes figures. */
export default function remarkFigures(options: Options) {
  const reader = options.reader ?? diskReader;
  const chartaReal = reader.realpathSync(options.chartaDir);
  return (tree: Root, file: VFile) => {
    const images = (file.data.images = new Map());
    visit(tree, 'image', (node: Image) => {
      const target = resolveImage(node, file, options.chartaDir, chartaReal, reader);
      if (!node.alt?.trim()) error(file, 'Image without alternative text: describe it in `![…]`', node, 'missing-alt');
      if (!target) {
        node.url = '';
        return;
      }
      const relative = path.relative(options.chartaDir, target).split(path.sep);
      const name = relative[0] === 'bilder' ? relative.slice(1).join('-') : relative.join('-');
      const editionPath = `bilder/${name}`;
      images.set(target, editionPath);
      node.url = editionPath;
    });
    visit(tree, 'paragraph', (node: Paragraph) => {
      const content = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      const image = content[0];
      if (content.length !== 1 || image?.type !== 'image') return;
      const caption = image.title?.trim();
      image.title = null;
      node.data = { hName: 'figure', hProperties: { className: ['abbildung'] } };
      node.children = [image];
      if (caption) {
        node.children.push({ type: 'text', value: caption, data: { hName: 'figcaption' } });
      }
    });
  };
}

function resolveImage(node: Image, file: VFile, chartaDir: string, chartaReal: string, reader: SourceReader): string | undefined {
  const url = node.url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) {
    error(file, `Remote image "${url}" is not fetched: put the file into charta/bilder/ and link it relatively`, node, 'remote-image');
    return undefined;
  }
  if (url.startsWith('/') || path.isAbsolute(url)) {
    error(file, `Image path "${url}" is absolute: link it relatively to the chapter`, node, 'image-outside');
    return undefined;
  }
  const target = path.resolve(path.dirname(file.path), decodeURIComponent(url.split(/[?#]/)[0] ?? ''));
  if (!isInside(chartaDir, target)) {
    error(file, `Image "${url}" lies outside charta/`, node, 'image-outside');
    return undefined;
  }
  if (!reader.existsSync(target)) {
    error(file, `Image "${url}" not found`, node, 'missing-image');
    return undefined;
  }
  if (!isInside(chartaReal, reader.realpathSync(target))) {
    error(file, `Image "${url}" is a link that points outside charta/`, node, 'image-outside');
    return undefined;
  }
  if (!imageTypes.has(path.extname(target).toLowerCase())) {
    error(file, `Image "${url}" is not an SVG, PNG, JPEG, WebP or GIF file`, node, 'image-type');
    return undefined;
  }
  return target;
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
