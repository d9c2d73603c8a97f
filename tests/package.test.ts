/**
 * charta as another project installs it: the tarball `npm pack` makes, installed into an empty
 * folder as the README says, makes a new project and builds its three editions, and its API and
 * type declarations serve a TypeScript build script.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from './helpers.js';

const run = promisify(execFile);
let folder: string;
let tarball: string;
let app: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'charta-package-'));
  // `npm test` compiled the toolkit just before; packing runs no script again.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', folder], { cwd: projectRoot });
  tarball = path.join(folder, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
  app = path.join(folder, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: app, env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' }, timeout: 300_000 });
}, 360_000);
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('the package', () => {
  it('ships what runs, and no tests, fixtures or benchmark', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean).map((name) => name.replace(/^package\//, ''));
    for (const needed of ['bin/charta.js', 'build/bundle/main.js', 'build/index.js', 'build/index.d.ts', 'build/toolkit-id.txt', 'templates/css/print.css', 'templates/init/charta/charta.yaml', 'schemas/charta.schema.json', 'README.md', 'package.json']) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((name) => /^(tests|bench|src|scripts|charta|dist)\//.test(name) || name.endsWith('.map'))).toEqual([]);
  });

  it('installed from the tarball, makes a new project and builds its three editions with the system Chromium', async () => {
    await run('npx', ['charta', 'init', 'neu'], { cwd: app });
    const { stdout, stderr } = await run('npx', ['charta', 'build', '--root', 'neu'], { cwd: app, timeout: 180_000 });
    expect(stdout + stderr).toMatch(/Built 3 editions/);
    expect((await readdir(path.join(app, 'neu', 'dist'))).sort()).toEqual(['charta.epub', 'charta.pdf', 'html', 'manifest.json']);
  });

  it('brings a change to a default template to a project that overrides another one', async () => {
    // The project changes the chapter page; the layout around it stays the toolkit's.
    await run('npx', ['charta', 'templates', 'copy', 'html/chapter', '--root', 'neu'], { cwd: app });
    const own = path.join(app, 'neu', 'templates', 'html', 'chapter.mustache');
    await writeFile(own, (await readFile(own, 'utf8')).replace('<article', '<article data-eigene-vorlage="ja"'));
    // A new version of the toolkit changes its default layout.
    const layout = path.join(app, 'node_modules', 'charta', 'templates', 'html', 'layout.mustache');
    await writeFile(layout, (await readFile(layout, 'utf8')).replace('<body>', '<body data-neue-vorgabe="ja">'));
    await run('npx', ['charta', 'build', '--format', 'html', '--root', 'neu', '--quiet'], { cwd: app });
    const page = await readFile(path.join(app, 'neu', 'dist', 'html', 'einfuehrung-01-worum-es-geht.html'), 'utf8');
    expect(page).toContain('data-neue-vorgabe="ja"');
    expect(page).toContain('data-eigene-vorlage="ja"');
  });

  it('gives a build script `build` and `check`, with type declarations', async () => {
    await writeFile(
      path.join(app, 'skript.ts'),
      [
        "import { build, check, type BuildResult } from 'charta';",
        "const files = await check('neu');",
        "const result: BuildResult = await build({ root: 'neu', formats: ['html'], out: 'neu/vorschau' });",
        'console.log(JSON.stringify({ files: files.length, artefacts: result.artefacts.map((artefact) => artefact.format) }));',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, outDir: 'out' }, files: ['skript.ts'] }),
    );
    await run(path.join(projectRoot, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: app });
    const { stdout } = await run(process.execPath, [path.join('out', 'skript.js')], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({ files: 5, artefacts: ['html'] });
  });
});
