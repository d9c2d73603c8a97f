/**
 * What a renderer returns: the files of an edition, in memory, for the emit stage to write.
 */
export interface EditionFile {
  /** The path inside the edition, with `/` separators. */
  path: string;
  contents: string | Uint8Array;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** The HTTP content type of an edition file, by its name's ending. */
export function contentTypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && contentTypes[name.slice(dot).toLowerCase()]) || 'application/octet-stream';
}
