/**
 * The toolkit itself: the folder it is installed in (with its default `templates/`, `schemas/`
 * and `package.json`), its version, and the id of its compiled code. Every module finds these
 * here; the paths hold from `src/`, from `build/` and from the bundle in `build/bundle/`, all two
 * folders below the toolkit's root.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The toolkit's own folder. */
export const toolkitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The toolkit's version, from its package.json. */
export const toolkitVersion = (JSON.parse(readFileSync(path.join(toolkitRoot, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * A hash of the toolkit's sources and locked dependencies (`build/toolkit-id.txt`, written by
 * `npm run compile`); undefined where the toolkit was not compiled.
 */
export const toolkitId: string | undefined = (() => {
  try {
    return readFileSync(path.join(toolkitRoot, 'build', 'toolkit-id.txt'), 'utf8').trim();
  } catch {
    return undefined;
  }
})();
