/**
 * Faults of the browser: missing, crashing at start, hanging. Each gives one clear message within
 * a bounded time and a non-zero exit code, and the editions that need no browser are still built.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempOut } from './helpers.js';

let scripts: string;
beforeAll(async () => {
  scripts = await mkdtemp(path.join(tmpdir(), 'charta-fake-browser-'));
  for (const [name, body] of [
    ['crash.sh', '#!/bin/sh\necho "fake browser: segmentation fault" >&2\nexit 139\n'],
    ['hang.sh', '#!/bin/sh\nexec sleep 600\n'],
  ]) {
    await writeFile(path.join(scripts, name!), body!);
    await chmod(path.join(scripts, name!), 0o755);
  }
});
afterAll(() => rm(scripts, { recursive: true, force: true }));

describe('a build whose browser fails', () => {
  for (const [fault, browser] of [
    ['is missing', '/nonexistent/chromium'],
    ['crashes at start', 'crash.sh'],
    ['hangs', 'hang.sh'],
  ] as const) {
    it(`${fault}: says so, exits 2, and still builds HTML and EPUB`, async () => {
      const out = await tempOut();
      try {
        const started = Date.now();
        const result = await runCli(['build', '--out', out.out, '--quiet'], {
          env: { CHARTA_BROWSER: browser.startsWith('/') ? browser : path.join(scripts, browser), CHARTA_BROWSER_TIMEOUT: '4' },
        });
        expect(Date.now() - started).toBeLessThan(45_000);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/^charta: pdf edition not built: /m);
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(existsSync(path.join(out.out, 'html', 'index.html'))).toBe(true);
        expect(existsSync(path.join(out.out, 'charta.epub'))).toBe(true);
        expect(existsSync(path.join(out.out, 'charta.pdf'))).toBe(false);
      } finally {
        await out.remove();
      }
    });
  }
});
