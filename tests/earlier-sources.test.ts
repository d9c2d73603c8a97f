/**
 * Reading an earlier version of the sources: by version name, commit, short hash, tag or folder,
 * from git repositories made here in a temporary folder; the usage errors a bad reference gets;
 * an earlier version whose problems become warnings; and nothing written anywhere.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapters } from '../src/charta.js';
import { ChartaError } from '../src/core/errors.js';
import { loadEarlier, resolveEarlier } from '../src/load/earlier-sources.js';
import { loadCharta } from '../src/load/load-charta.js';
import type { VersionEntry } from '../src/load/schema.js';
import { createGitReader } from '../src/load/git-reader.js';
import { diskReader } from '../src/load/source-reader.js';
import { asVersion, copyProject } from './helpers.js';

const run = promisify(execFile);
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.org',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.org',
  GIT_AUTHOR_DATE: '2024-06-06T12:00:00Z',
  GIT_COMMITTER_DATE: '2024-06-06T12:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  // `git status` here must not refresh the index either.
  GIT_OPTIONAL_LOCKS: '0',
};

/** Runs git in `cwd` for the test's own setup, with a fixed identity. */
async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: gitEnv });
  return stdout.trim();
}

async function commitAll(cwd: string, message: string): Promise<string> {
  await git(cwd, 'add', '-A');
  await git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

const leitbild = path.join('charta', '02-vision', '01-leitbild.md');
const oldSentence = 'Ein Satz, den es nur in Version 1.0 gab.';

/** charta.yaml of version 2.0, with the history naming `stand` for 1.0. */
async function makeVersion2(chartaDir: string, stand: string): Promise<VersionEntry[]> {
  const file = path.join(chartaDir, 'charta.yaml');
  const text = asVersion(await readFile(file, 'utf8'), '2.0', '2024-06-06');
  const versions: VersionEntry[] = [
    { version: '1.0', datum: '2023-06-08', stand, notiz: 'Erste Fassung' },
    { version: '2.0', datum: '2024-06-06' },
  ];
  const history = `versionen:\n  - version: "1.0"\n    datum: 2023-06-08\n    stand: ${stand}\n    notiz: Erste Fassung\n  - version: "2.0"\n    datum: 2024-06-06\n`;
  await writeFile(file, `${text.trimEnd()}\n${history}`);
  return versions;
}

/** A project in a git repository: 1.0 committed (and tagged v1.0), then 2.0 committed. */
async function makeRepository(subfolder = '') {
  const project = await copyProject();
  const repo = project.root;
  const root = path.join(repo, subfolder);
  if (subfolder) {
    await mkdir(root, { recursive: true });
    await run('mv', [path.join(repo, 'charta'), path.join(repo, 'templates'), root]);
  }
  await git(repo, 'init', '-q');
  const chapter = path.join(root, leitbild);
  const meta = path.join(root, 'charta', 'charta.yaml');
  await writeFile(meta, asVersion(await readFile(meta, 'utf8'), '1.0', '2023-06-08'));
  await writeFile(chapter, `${(await readFile(chapter, 'utf8')).trimEnd()}\n\n${oldSentence}\n`);
  const first = await commitAll(repo, 'Version 1.0');
  await git(repo, 'tag', 'v1.0');
  await writeFile(chapter, (await readFile(chapter, 'utf8')).replace(`\n${oldSentence}\n`, ''));
  const versions = await makeVersion2(path.join(root, 'charta'), first);
  const second = await commitAll(repo, 'Version 2.0');
  return { repo, root, first, second, versions, remove: project.remove };
}

/** Every path under `folder` with its size and modification time, to see that nothing changed. */
async function snapshot(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const lines = await Promise.all(
    entries.map(async (entry) => {
      const at = path.join(entry.parentPath, entry.name);
      const info = await stat(at);
      return `${path.relative(folder, at)} ${info.size} ${info.mtimeMs}`;
    }),
  );
  return lines.sort();
}

/** The text of the earlier Leitbild chapter. */
function leitbildText(charta: Awaited<ReturnType<typeof loadEarlier>>['charta']): string {
  const chapter = chapters(charta!).find((item) => item.path === leitbild);
  return String(chapter?.file.value ?? '');
}

async function rejection(promise: Promise<unknown>): Promise<ChartaError> {
  const failure = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(failure).toBeInstanceOf(ChartaError);
  expect((failure as ChartaError).exitCode).toBe(2);
  return failure as ChartaError;
}

describe('earlier sources from git', () => {
  let repository: Awaited<ReturnType<typeof makeRepository>>;
  beforeAll(async () => {
    repository = await makeRepository();
  });
  afterAll(() => repository.remove());

  it('by version name: the stand of that version, read from git', async () => {
    const { root, first, versions } = repository;
    const earlier = await loadEarlier(root, '1.0', versions);
    expect(earlier.warnings).toEqual([]);
    expect(earlier.baseline).toEqual({ label: '1.0', version: '1.0', date: '2023-06-08', revision: first });
    expect(leitbildText(earlier.charta)).toContain(oldSentence);
    expect(earlier.charta!.meta.versionen).toBeUndefined();
    // The working tree is 2.0, without the sentence.
    expect(await readFile(path.join(root, leitbild), 'utf8')).not.toContain(oldSentence);
  });

  it('by commit, short hash and tag', async () => {
    const { root, first } = repository;
    const short = first.slice(0, 7);
    const byCommit = await resolveEarlier(root, first, undefined);
    expect(byCommit).toMatchObject({ label: short, revision: first, root });
    expect(byCommit.reader).not.toBe(diskReader);
    expect(await resolveEarlier(root, short, undefined)).toMatchObject({ label: short, revision: first });
    expect(await resolveEarlier(root, 'v1.0', undefined)).toMatchObject({ label: 'v1.0', revision: first });
    expect(await resolveEarlier(root, 'HEAD~1', undefined)).toMatchObject({ label: 'HEAD~1', revision: first });
    const byTag = await loadEarlier(root, 'v1.0', undefined);
    expect(leitbildText(byTag.charta)).toContain(oldSentence);
    expect(byTag.baseline).toMatchObject({ label: 'v1.0', version: '1.0', revision: first });
  });

  it('names a revision by its version when a stand of versionen is that commit', async () => {
    const { root, first, versions } = repository;
    expect(await resolveEarlier(root, first, versions)).toMatchObject({ label: '1.0', revision: first, entry: versions[0] });
    expect(await resolveEarlier(root, 'v1.0', versions)).toMatchObject({ label: '1.0', revision: first });
  });

  it('the earlier images are looked for in git, not on disk', async () => {
    const { root } = repository;
    const image = path.join(root, 'charta', 'bilder', 'region.svg');
    const saved = await readFile(image);
    await unlink(image);
    try {
      const earlier = await loadEarlier(root, 'v1.0', undefined);
      expect(earlier.warnings).toEqual([]);
      expect(earlier.charta!.assets.size).toBe(1);
      const current = await loadCharta({ root });
      expect(current.files.flatMap((file) => file.messages.map((message) => message.ruleId))).toContain('missing-image');
    } finally {
      await writeFile(image, saved);
    }
  });

  it('refuses references that look like options, and ones that name nothing', async () => {
    const { root, versions } = repository;
    for (const ref of ['-x', '--help', '--output=/tmp/x', '-']) {
      const failure = await rejection(resolveEarlier(root, ref, versions));
      expect(failure.message).toBe(`"${ref}" looks like an option, not a version, a git revision or a folder`);
      expect(failure.hint).toContain('./');
    }
    const nothing = await rejection(resolveEarlier(root, 'gibt-es-nicht', versions));
    expect(nothing.message).toBe('"gibt-es-nicht" names nothing: it is neither a version of `versionen` (charta.yaml lists 1.0, 2.0), nor a folder, nor a revision in this git repository');
    await rejection(resolveEarlier(root, '', versions));
    await rejection(resolveEarlier(root, 'HEAD\nx', versions));
    await rejection(resolveEarlier(root, 'HEAD:charta', versions));
    const itself = await rejection(resolveEarlier(root, '2.0', versions));
    expect(itself.message).toContain('the working tree itself');
  });

  it('a version whose stand the repository lacks', async () => {
    const { root } = repository;
    const failure = await rejection(resolveEarlier(root, '0.9', [{ version: '0.9', datum: '2023-01-01', stand: 'v0.9' }, { version: '2.0', datum: '2024-06-06' }]));
    expect(failure.message).toBe('Version 0.9 is stored as revision "v0.9", which this repository does not have');
  });

  it('writes nothing: not into the repository, not into its .git', async () => {
    const { repo, root, versions } = repository;
    const before = await snapshot(repo);
    await loadEarlier(root, '1.0', versions);
    await loadEarlier(root, 'v1.0', versions);
    await rejection(resolveEarlier(root, 'gibt-es-nicht', versions));
    expect(await snapshot(repo)).toEqual(before);
    expect(await git(repo, 'status', '--porcelain', '--ignored')).toBe('');
  });
});

describe('earlier sources elsewhere', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const remove of cleanup) await remove();
  });

  it('by folder, relative to the working folder or absolute', async () => {
    const current = await copyProject();
    const earlierProject = await copyProject();
    cleanup.push(current.remove, earlierProject.remove);
    const folder = path.join(current.root, 'charta-1.0');
    await run('mv', [earlierProject.root, folder]);
    const earlierMeta = path.join(folder, 'charta', 'charta.yaml');
    await writeFile(earlierMeta, asVersion(await readFile(earlierMeta, 'utf8'), '1.0', '2023-06-08'));
    const chapter = path.join(folder, leitbild);
    await writeFile(chapter, `${await readFile(chapter, 'utf8')}\n${oldSentence}\n`);
    const relative = await resolveEarlier(current.root, './charta-1.0', undefined, { cwd: current.root });
    expect(relative).toEqual({ label: 'charta-1.0', root: folder, reader: diskReader });
    const earlier = await loadEarlier(current.root, folder, undefined);
    expect(earlier.baseline).toEqual({ label: 'charta-1.0', version: '1.0', date: '2023-06-08', revision: undefined });
    expect(leitbildText(earlier.charta)).toContain(oldSentence);
    // A plain name is a folder too, when git knows no such revision (here: no git at all).
    expect(await resolveEarlier(current.root, 'charta-1.0', undefined, { cwd: current.root })).toMatchObject({ label: 'charta-1.0', root: folder });
  });

  it('a folder without charta/, and a project outside git', async () => {
    const project = await copyProject();
    cleanup.push(project.remove);
    await mkdir(path.join(project.root, 'leer'));
    const empty = await rejection(resolveEarlier(project.root, './leer', undefined, { cwd: project.root }));
    expect(empty.message).toBe(`The folder ${path.join(project.root, 'leer')} has no charta/ folder: it holds no earlier project`);
    const noGit = await rejection(resolveEarlier(project.root, 'HEAD', undefined, { cwd: project.root }));
    expect(noGit.message).toBe(`"HEAD" names nothing: it is neither a version of \`versionen\`, nor a folder, and ${project.root} is not in a git repository`);
    const version = await rejection(resolveEarlier(project.root, '1.0', [{ version: '1.0', datum: '2023-06-08', stand: 'v1.0' }, { version: '2.0', datum: '2024-06-06' }]));
    expect(version.message).toBe(`Version 1.0 is stored as git revision "v1.0", but ${project.root} is not in a git repository`);
  });

  it('a shallow clone that lacks the revision says how to fetch it', async () => {
    const repository = await makeRepository();
    cleanup.push(repository.remove);
    const parent = await mkdtemp(path.join(tmpdir(), 'charta-shallow-'));
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    const clone = path.join(parent, 'clone');
    await git(parent, 'clone', '-q', '--depth', '1', `file://${repository.repo}`, clone);
    expect(await git(clone, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const byVersion = await rejection(resolveEarlier(clone, '1.0', repository.versions));
    expect(byVersion.message).toBe(`Version 1.0 is stored as revision "${repository.first}", which this shallow clone does not have`);
    expect(byVersion.hint).toContain('git fetch --unshallow');
    expect(byVersion.hint).toContain(`git fetch --depth=1 origin ${repository.first}`);
    expect(byVersion.hint).toContain('CI checkouts are often shallow');
    const byCommit = await rejection(resolveEarlier(clone, repository.first, undefined));
    expect(byCommit.message).toContain('shallow clone');
    expect(byCommit.hint).toContain('git fetch --unshallow');
    // What the clone has can be read.
    expect((await resolveEarlier(clone, 'HEAD', undefined)).revision).toBe(repository.second);
  });

  it('a project root in a subfolder of the repository', async () => {
    const repository = await makeRepository(path.join('site', 'ausgabe'));
    cleanup.push(repository.remove);
    const earlier = await loadEarlier(repository.root, '1.0', repository.versions);
    expect(earlier.warnings).toEqual([]);
    expect(earlier.baseline.revision).toBe(repository.first);
    expect(leitbildText(earlier.charta)).toContain(oldSentence);
    expect(chapters(earlier.charta!)[0]!.file.path).toBe(path.join(repository.root, 'charta', '01-analyse', '01-vorwort.md'));
    expect(await git(repository.repo, 'status', '--porcelain', '--ignored')).toBe('');
  });

  it('an earlier version whose YAML no longer parses: warnings, no charta', async () => {
    const repository = await makeRepository();
    cleanup.push(repository.remove);
    const { repo, root } = repository;
    const meta = path.join(root, 'charta', 'charta.yaml');
    const good = await readFile(meta, 'utf8');
    await writeFile(meta, good.replace('titel: Charta', 'titel: "Charta'));
    const broken = await commitAll(repo, 'broken');
    await writeFile(meta, good);
    await commitAll(repo, 'fixed');
    const short = broken.slice(0, 7);
    const earlier = await loadEarlier(root, broken, [{ version: '1.5', datum: '2024-01-01', stand: broken }, { version: '2.0', datum: '2024-06-06' }]);
    expect(earlier.charta).toBeUndefined();
    expect(earlier.baseline).toEqual({ label: '1.5', version: '1.5', date: '2024-01-01', revision: broken });
    expect(earlier.warnings.length).toBeGreaterThan(0);
    for (const line of earlier.warnings) expect(line).toMatch(new RegExp(`^1\\.5 \\(${short}\\): charta/charta\\.yaml:\\d+:\\d+  warning  .+  \\(yaml-[a-z-]+\\)$`));
  });

  it('an earlier version with content errors still loads; its problems are warnings naming it', async () => {
    const repository = await makeRepository();
    cleanup.push(repository.remove);
    const { repo, root } = repository;
    const chapter = path.join(root, leitbild);
    const good = await readFile(chapter, 'utf8');
    await writeFile(chapter, `${good}\n:beitrag[Ein alter Satz]{quelle=gibt-es-nicht}\n`);
    // A chapter that is a link out of charta/: refused, as on disk.
    await symlink('/etc/hostname', path.join(root, 'charta', '02-vision', '09-link.md'));
    const old = await commitAll(repo, 'with problems');
    await writeFile(chapter, good);
    await unlink(path.join(root, 'charta', '02-vision', '09-link.md'));
    await commitAll(repo, 'fixed');
    const short = old.slice(0, 7);
    const earlier = await loadEarlier(root, old, undefined);
    expect(earlier.charta).toBeDefined();
    expect(earlier.baseline).toEqual({ label: short, version: '2.0', date: '2024-06-06', revision: old });
    const line = good.trimEnd().split('\n').length + 2;
    expect(earlier.warnings).toEqual([
      `${short}: charta/02-vision/01-leitbild.md:${line}:1  warning  Unknown contribution source "gibt-es-nicht"  (unknown-source)`,
      `${short}: charta/02-vision/09-link.md:1:1  warning  File is a symbolic link to a place outside charta/: copy the file in instead  (source-outside)`,
    ]);
    expect(leitbildText(earlier.charta)).toContain('Ein alter Satz');
  });

  it('the git reader serves the tree as the file system would, links followed inside it', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'charta-links-'));
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    await git(parent, 'init', '-q');
    const charta = path.join(parent, 'charta');
    await mkdir(path.join(charta, 'teil'), { recursive: true });
    await writeFile(path.join(charta, 'teil', 'a.md'), '# A\n');
    await symlink('a.md', path.join(charta, 'teil', 'b.md'));
    await symlink('teil', path.join(charta, 'ordner'));
    await symlink('../../draussen.md', path.join(charta, 'teil', 'c.md'));
    await symlink('fehlt.md', path.join(charta, 'teil', 'd.md'));
    const commit = await commitAll(parent, 'links');
    // Served at another place than the repository's: nothing is read from disk.
    const chartaDir = path.join(parent, 'anderswo', 'charta');
    const reader = await createGitReader({ cwd: parent, commit, chartaPath: 'charta', chartaDir });
    const at = (...parts: string[]) => path.join(chartaDir, ...parts);
    expect(reader.fileCount).toBe(5);
    expect(await reader.readdir(chartaDir)).toEqual(['ordner', 'teil']);
    expect(await reader.readdir(at('ordner'))).toEqual(['a.md', 'b.md', 'c.md', 'd.md']);
    expect((await reader.readFile(at('ordner', 'b.md'))).toString()).toBe('# A\n');
    expect(await reader.realpath(at('ordner', 'b.md'))).toBe(at('teil', 'a.md'));
    expect(reader.realpathSync(at('teil', 'c.md'))).toBe(path.join(parent, 'anderswo', 'draussen.md'));
    expect((await reader.stat(at('teil', 'a.md'))).isFile()).toBe(true);
    expect((await reader.stat(at('teil'))).isFile()).toBe(false);
    expect(reader.existsSync(at('teil', 'd.md'))).toBe(false);
    expect(reader.existsSync(at('teil', 'a.md', 'x'))).toBe(false);
    await expect(reader.stat(at('teil', 'd.md'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(reader.readFile(at('teil'))).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(reader.readdir(at('teil', 'a.md'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(reader.readFile(path.join(parent, 'charta', 'teil', 'a.md'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a revision without charta/', async () => {
    const parent = await mkdtemp(path.join(tmpdir(), 'charta-empty-repo-'));
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    await git(parent, 'init', '-q');
    await writeFile(path.join(parent, 'README.md'), 'nichts\n');
    const commit = await commitAll(parent, 'no charta');
    const failure = await rejection(resolveEarlier(parent, 'HEAD', undefined));
    expect(failure.message).toBe(`Revision HEAD (${commit.slice(0, 7)}) has no charta/ folder`);
  });
});

describe('versionen in charta.yaml', () => {
  it('a valid history loads without messages', async () => {
    const project = await copyProject();
    try {
      const versions = await makeVersion2(path.join(project.root, 'charta'), 'v1.0');
      const { charta, files } = await loadCharta({ root: project.root });
      expect(files.flatMap((file) => file.messages.map(String))).toEqual([]);
      expect(charta!.meta.versionen).toEqual(versions);
    } finally {
      await project.remove();
    }
  });
});
