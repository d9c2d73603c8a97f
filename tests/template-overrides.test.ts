/**
 * Templates as defaults with overrides: a project's `templates/` holds only what it changes, the
 * rest comes from the toolkit, file by file; its tokens.css sets only the tokens it changes;
 * `charta templates list|copy`; `charta check` on overrides that no longer fit their defaults.
 * (That a change to a toolkit default reaches such a project is shown on an installed toolkit,
 * in package.test.ts.)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot, runCli, tempOut } from './helpers.js';

let parent: string;
let project: string;
let out: { out: string; remove: () => Promise<void> };

beforeEach(async () => {
  parent = await mkdtemp(path.join(tmpdir(), 'charta-overrides-'));
  project = path.join(parent, 'projekt');
  expect((await runCli(['init', project])).code).toBe(0);
  out = await tempOut();
});
afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
  await out.remove();
});

const build = async (format = 'html,epub') => {
  const result = await runCli(['build', '--format', format, '--root', project, '--out', out.out, '--quiet']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
};
const page = () => readFile(path.join(out.out, 'html', 'einfuehrung-01-worum-es-geht.html'), 'utf8');

describe('templates as defaults with overrides', () => {
  it('starts a project with an empty templates/ but its README, and builds it from the defaults', async () => {
    const list = await runCli(['templates', 'list', '--root', project]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(line).toMatch(/ default$/);
    await build();
    expect(await page()).toContain('<main id="inhalt"');
    expect(await readFile(path.join(out.out, 'html', 'css', 'print.css'), 'utf8').catch(() => '')).toBe('');
    expect(await readFile(path.join(out.out, 'html', 'css', 'html.css'), 'utf8')).toBe(await readFile(path.join(projectRoot, 'templates', 'css', 'html.css'), 'utf8'));
    expect(await readFile(path.join(project, 'templates', 'README.md'), 'utf8')).toContain('charta templates copy');
  });

  it('uses the project’s file where it has one and the defaults for the rest, file by file', async () => {
    const copy = await runCli(['templates', 'copy', 'html/chapter', '--root', project]);
    expect(copy.code).toBe(0);
    const own = path.join(project, 'templates', 'html', 'chapter.mustache');
    const text = await readFile(own, 'utf8');
    expect(text.split('\n')[0]).toMatch(/^\{\{! charta: copied from the default html\/chapter\.mustache of charta \S+ \(sha256 [0-9a-f]{16}\)/);
    expect(text.split('\n').slice(1).join('\n')).toBe(await readFile(path.join(projectRoot, 'templates', 'html', 'chapter.mustache'), 'utf8'));
    await writeFile(own, text.replace('<article', '<article data-eigene-vorlage="ja"'));
    await build();
    const html = await page();
    expect(html).toContain('data-eigene-vorlage="ja"');
    // The layout around it is still the default's, and the copy's first line leaves nothing.
    expect(html).toContain('class="seitennav"');
    expect(html).not.toContain('charta: copied from');
    const list = await runCli(['templates', 'list', '--root', project]);
    expect(list.stdout).toMatch(/^html\/chapter\.mustache +project \(overrides the default\)$/m);
    expect(list.stdout).toMatch(/^html\/layout\.mustache +default$/m);
    // A second copy would overwrite the designer's work.
    const again = await runCli(['templates', 'copy', 'html/chapter', '--root', project]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has templates/html/chapter.mustache');
  });

  it('adds the project’s tokens.css to the default tokens', async () => {
    expect((await runCli(['templates', 'copy', 'css/tokens.css', '--root', project])).code).toBe(0);
    const own = path.join(project, 'templates', 'css', 'tokens.css');
    await writeFile(own, `${await readFile(own, 'utf8')}:root { --farbe-akzent: #7a1f5c; }\n`);
    await build();
    const served = await readFile(path.join(out.out, 'html', 'css', 'tokens.css'), 'utf8');
    const defaults = await readFile(path.join(projectRoot, 'templates', 'css', 'tokens.css'), 'utf8');
    expect(served.startsWith(defaults)).toBe(true);
    expect(served.trimEnd().endsWith(':root { --farbe-akzent: #7a1f5c; }')).toBe(true);
    // The EPUB carries the same.
    const check = await runCli(['check', '--root', project]);
    expect(check.stderr).toContain('0 errors, 0 warnings');
  });

  it('has check warn of overrides that no longer fit their defaults, at their place', async () => {
    await runCli(['templates', 'copy', 'print/chapter', '--root', project]);
    await runCli(['templates', 'copy', 'css/tokens.css', '--root', project]);
    const chapter = path.join(project, 'templates', 'print', 'chapter.mustache');
    const text = await readFile(chapter, 'utf8');
    await writeFile(chapter, text.replace(/sha256 [0-9a-f]{16}/, 'sha256 0000000000000000').replace('{{{titleHtml}}}', '{{{titleHtml}}}\n{{> verschwunden}}'));
    const tokens = path.join(project, 'templates', 'css', 'tokens.css');
    await writeFile(tokens, `${await readFile(tokens, 'utf8')}:root { --gibt-es-nicht: 1px; }\n`);
    // A partial of the project's own is no problem.
    await mkdir(path.join(project, 'templates', 'html'), { recursive: true });
    await writeFile(path.join(project, 'templates', 'html', 'chapter.mustache'), '{{> eigener-teil}}\n');
    await writeFile(path.join(project, 'templates', 'html', 'eigener-teil.mustache'), '<article>{{{bodyHtml}}}</article>\n');
    const check = await runCli(['check', '--root', project]);
    expect(check.code).toBe(0);
    const output = check.stdout + check.stderr;
    const line = text.split('\n').findIndex((entry) => entry === '{{{titleHtml}}}') + 2;
    expect(output).toMatch(/templates\/print\/chapter\.mustache:1:1 +warning +The default print\/chapter\.mustache has changed since this copy was made .*\(template-default-changed\)/);
    expect(output).toMatch(new RegExp(`templates/print/chapter\\.mustache:${line}:1 +warning +Includes the partial "verschwunden", which print/ no longer has .*\\(template-partial-gone\\)`));
    expect(output).toMatch(/templates\/css\/tokens\.css:\d+:9 +warning +Sets the token --gibt-es-nicht, which the default tokens do not have .*\(template-unknown-token\)/);
    expect(output).not.toContain('eigener-teil');
    expect(check.stderr).toContain('0 errors, 3 warnings');
  });

  it('refuses a default that does not exist, naming those that do', async () => {
    const copy = await runCli(['templates', 'copy', 'print/gibt-es-nicht', '--root', project]);
    expect(copy.code).toBe(2);
    expect(copy.stderr).toContain('There is no default template print/gibt-es-nicht');
    expect(copy.stderr).toContain('print/chapter');
  });
});
