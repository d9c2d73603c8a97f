/**
 * The transform stage: one unified processor, Markdown to hast, with the charta's plugins in the
 * order they run. Each plugin does one thing and keeps source positions.
 */
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { CharterEvent, Source, Topic } from '../load/schema.js';
import type { SourceReader } from '../load/source-reader.js';
import rehypeChapterLinks, { type Options as LinkOptions } from './rehype-chapter-links.js';
import rehypeHtmlPolicy, { sanitizeSchema } from './rehype-html-policy.js';
import rehypeOutline from './rehype-outline.js';
import remarkContributions, { contributionDirective } from './remark-contributions.js';
import remarkDataBlocks, { dataBlockDirectives, type Options as DataBlockOptions } from './remark-data-blocks.js';
import remarkFigures from './remark-figures.js';
import remarkRegisteredDirectives from './remark-registered-directives.js';

export interface Options extends LinkOptions {
  sources: readonly Source[];
  events: readonly CharterEvent[];
  topics: readonly Topic[];
  marking: boolean;
  chartaDir: string;
  /** Where images are looked for: the disk (default), or an earlier version in git. */
  reader?: SourceReader;
  /** Where the events and topics stand in their YAML files, recorded for the data blocks. */
  dataPlaces?: DataBlockOptions['dataPlaces'];
}

/** The processor that turns one chapter's Markdown into the hast that all editions share. */
export function createChapterProcessor(options: Options) {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRegisteredDirectives, { names: [contributionDirective, ...dataBlockDirectives] })
    .use(remarkContributions, options)
    .use(remarkDataBlocks, options)
    .use(remarkFigures, options)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      footnoteLabel: 'Fußnoten',
      footnoteBackLabel: (index) => `Zurück zum Text der Fußnote ${index + 1}`,
      // The bundled fonts have no "↩" (a fallback font would appear in its place), but "↑".
      footnoteBackContent: '↑',
      clobberPrefix: '',
    })
    .use(rehypeRaw)
    .use(rehypeHtmlPolicy)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeSlug)
    .use(rehypeChapterLinks, options)
    .use(rehypeOutline)
    .freeze();
}

export type ChapterProcessor = ReturnType<typeof createChapterProcessor>;
