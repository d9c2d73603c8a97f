// The synthetic publications of the bench: a copy of the project in the charta's shape whose
// every part has its chapters `times` times. Used by bench/run.js and bench/search-index.js.
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A copy of the project in `work/<times>x` whose every part has its chapters `times` times. */
export async function synthetic(work, times) {
  const dir = path.join(work, `${times}x`);
  await rm(dir, { recursive: true, force: true });
  await cp(path.join(root, 'charta'), path.join(dir, 'charta'), { recursive: true });
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
  for (const part of await readdir(path.join(dir, 'charta'), { withFileTypes: true })) {
    if (!part.isDirectory() || part.name === 'bilder') continue;
    const folder = path.join(dir, 'charta', part.name);
    const chapters = (await readdir(folder)).filter((name) => name.endsWith('.md'));
    for (let copy = 2; copy <= times; copy++) {
      for (const chapter of chapters) {
        const text = await readFile(path.join(folder, chapter), 'utf8');
        // The data blocks appear once; copies keep their text, links and marked passages.
        const body = text.replace(/^::(zeitleiste|themenfelder)\s*$/gm, '').replace(/^# (.*)$/m, `# $1 (${copy})`);
        await writeFile(path.join(folder, `${chapter.slice(0, -3)}-${String(copy).padStart(2, '0')}.md`), body);
      }
    }
  }
  return dir;
}
