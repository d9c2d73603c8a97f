/**
 * The package document (OPF) of the EPUB: the metadata with the accessibility claims, the manifest
 * of every file and the spine, the reading order.
 */
import path from 'node:path';
import { ChartaError } from '../../core/errors.js';
import type { SiteView } from '../views.js';
import type { Accessibility } from './accessibility.js';
import { escapeXml } from './xhtml.js';

export interface ManifestItem {
  id: string;
  /** Relative to the package document. */
  href: string;
  mediaType: string;
  /** `nav`, `cover-image`, … */
  properties?: string;
}

export interface PackageOptions {
  site: SiteView;
  /** The keywords, one `dc:subject` each. */
  subjects: readonly string[];
  accessibility: Accessibility;
  /** `dcterms:modified`, as CCYY-MM-DDThh:mm:ssZ. */
  modified: string;
  manifest: readonly ManifestItem[];
  /** The ids of the content documents in reading order. */
  spine: readonly string[];
}

const mediaTypes: Record<string, string> = {
  '.xhtml': 'application/xhtml+xml',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** The media type of a file of the EPUB; only core media types of EPUB 3.3 are allowed. */
export function mediaTypeOf(file: string): string {
  const type = mediaTypes[path.extname(file).toLowerCase()];
  if (!type) throw new ChartaError(`The EPUB cannot carry ${file}: its type is not a core media type of EPUB 3.3`, 2, 'Use SVG, PNG, JPEG, GIF or WebP for images and WOFF2 for fonts.');
  return type;
}

/** A manifest id for `file`: an XML name made from its path. */
export function manifestId(file: string): string {
  return `datei-${file.replace(/[^A-Za-z0-9_.-]+/g, '-')}`;
}

/** Writes the package document. */
export function packageDocument(options: PackageOptions): string {
  const { site, accessibility: a11y } = options;
  const ids = new Set<string>();
  for (const item of options.manifest) {
    if (ids.has(item.id)) throw new ChartaError(`Two files of the EPUB have the manifest id "${item.id}"`, 2, 'Rename one of them (chapter files, images).');
    ids.add(item.id);
  }
  const meta = (property: string, value: string, attributes = '') => `    <meta property="${property}"${attributes}>${escapeXml(value)}</meta>`;
  const element = (name: string, value: string, attributes = '') => `    <${name}${attributes}>${escapeXml(value)}</${name}>`;
  const metadata = [
    element('dc:identifier', site.identifier, ' id="kennung"'),
    // One title: reading systems and catalogues differ in how they show a second (subtitle)
    // dc:title, some show it instead of the title. The subtitle is on the cover and title page.
    element('dc:title', site.title),
    element('dc:language', site.lang),
    element('dc:creator', site.author, ' id="autor"'),
    meta('role', 'aut', ' refines="#autor" scheme="marc:relators"'),
    element('dc:publisher', site.publisher),
    element('dc:date', site.dateIso),
    // The edition's version, as schema.org names it (`schema` is a reserved prefix of EPUB 3).
    meta('schema:version', site.version),
    element('dc:description', site.description),
    ...options.subjects.map((subject) => element('dc:subject', subject)),
    element('dc:rights', site.rights),
    meta('dcterms:modified', options.modified),
    ...a11y.accessModes.map((mode) => meta('schema:accessMode', mode)),
    ...a11y.accessModesSufficient.map((modes) => meta('schema:accessModeSufficient', modes)),
    ...a11y.features.map((feature) => meta('schema:accessibilityFeature', feature)),
    ...a11y.hazards.map((hazard) => meta('schema:accessibilityHazard', hazard)),
    meta('schema:accessibilitySummary', a11y.summary),
    meta('dcterms:conformsTo', a11y.conformsTo, ' id="konformitaet"'),
    meta('a11y:certifiedBy', a11y.certifiedBy, ' refines="#konformitaet"'),
  ];
  const manifest = options.manifest.map(
    (item) => `    <item id="${escapeXml(item.id)}" href="${escapeXml(encodeURI(item.href))}" media-type="${item.mediaType}"${item.properties ? ` properties="${item.properties}"` : ''}/>`,
  );
  const spine = options.spine.map((id) => `    <itemref idref="${escapeXml(id)}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="kennung" xml:lang="${site.lang}" dir="ltr">`,
    '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">',
    ...metadata,
    '  </metadata>',
    '  <manifest>',
    ...manifest,
    '  </manifest>',
    '  <spine page-progression-direction="ltr">',
    ...spine,
    '  </spine>',
    '</package>',
    '',
  ].join('\n');
}
