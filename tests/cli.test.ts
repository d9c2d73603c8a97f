/**
 * The command line as a user meets it: version, help, usage errors, `check` with text and JSON.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyProject, projectRoot, runCli } from './helpers.js';

describe('charta', () => {
  it('prints its version and help', async () => {
    const version = await runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('build');
    expect(help.stdout).toContain('check');
  });

  it('refuses an unknown edition with exit code 2', async () => {
    const result = await runCli(['build', '--format', 'docx']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown format "docx"');
  });

  it('says clearly when it is not run in a charta project', async () => {
    const result = await runCli(['check', '--root', path.join(projectRoot, 'tests')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^charta: There is no charta\/ folder in /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('passes `check` on the charta, writing nothing', async () => {
    const result = await runCli(['check']);
    expect(result.stderr).toBe('0 errors, 0 warnings\n');
    expect(result.code).toBe(0);
  });

  it('reports problems as JSON for machines', async () => {
    const project = await copyProject();
    try {
      await writeFile(path.join(project.root, 'charta', '02-vision', '09-test.md'), '# Test\n\nText :beitrag[x]{quelle=nirgends}.\n');
      const result = await runCli(['check', '--format', 'json'], { cwd: project.root });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { errors: number; messages: Array<Record<string, unknown>> };
      expect(report.errors).toBe(1);
      expect(report.messages).toContainEqual(
        expect.objectContaining({ file: 'charta/02-vision/09-test.md', line: 3, column: 6, severity: 'error', ruleId: 'unknown-source' }),
      );
    } finally {
      await project.remove();
    }
  });

  it('scaffolds a new project with `init` that builds at once, from inside its folder', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'charta-init-'));
    try {
      const dir = path.join(parent, 'neue-charta');
      const init = await runCli(['init', dir]);
      expect(init.code).toBe(0);
      const build = await runCli(['build', '--format', 'html'], { cwd: dir });
      expect(build.stderr).not.toMatch(/error|warning/);
      expect(build.code).toBe(0);
      const page = await readFile(path.join(dir, 'dist', 'html', 'einfuehrung-01-worum-es-geht.html'), 'utf8');
      expect(page).toContain('data-quelle="forum"');
      expect(page).toContain('Teilnehmer:innen');
      const again = await runCli(['init', dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('already holds a charta project');
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('gives every new project its own identifier, and `check` warns of the example’s', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'charta-init-'));
    try {
      const identifiers: string[] = [];
      for (const name of ['eins', 'zwei']) {
        expect((await runCli(['init', path.join(parent, name)])).code).toBe(0);
        const yaml = await readFile(path.join(parent, name, 'charta', 'charta.yaml'), 'utf8');
        identifiers.push(/^kennung: (.*)$/m.exec(yaml)![1]!);
        const check = await runCli(['check', '--root', path.join(parent, name)]);
        expect(check.stderr).toContain('0 errors, 0 warnings');
      }
      for (const identifier of identifiers) expect(identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(identifiers[0]).not.toBe(identifiers[1]);
      expect(identifiers).not.toContain('urn:uuid:00000000-0000-4000-8000-000000000000');

      const yamlPath = path.join(parent, 'eins', 'charta', 'charta.yaml');
      const yaml = await readFile(yamlPath, 'utf8');
      await writeFile(yamlPath, yaml.replace(identifiers[0]!, 'urn:uuid:00000000-0000-4000-8000-000000000000'));
      const line = yaml.split('\n').findIndex((text) => text.startsWith('kennung:')) + 1;
      const check = await runCli(['check', '--root', path.join(parent, 'eins')]);
      expect(check.code).toBe(0);
      expect(check.stdout + check.stderr).toMatch(new RegExp(`charta\\.yaml:${line}:10 +warning +The identifier is the example's .*\\(example-identifier\\)`));
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});
