/**
 * An earlier version of the sources, as `--since <ref>` and `charta diff <from>` name it: a
 * version of `versionen` (its `stand`), any git revision, or a folder holding an earlier project.
 * Git is run without a shell and the revision is read into memory; nothing is written anywhere.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Charta } from '../charta.js';
import { ChartaError, ExitCode } from '../core/errors.js';
import { messagesAsJson } from '../core/messages.js';
import { createGitReader } from './git-reader.js';
import { GitFailure, gitText } from './git.js';
import { loadCharta } from './load-charta.js';
import type { VersionEntry } from './schema.js';
import { diskReader, type SourceReader } from './source-reader.js';

/** The earlier sources a reference names, ready for `loadCharta`. */
export interface EarlierSources {
  /** How messages and pages name it: the version ("1.0"), the tag or short hash, or the folder's name. */
  label: string;
  /** The full commit hash, when the sources come from git. */
  revision?: string;
  /** The project root to load with: the folder for a folder reference, else the project root itself. */
  root: string;
  /** Reads the earlier `charta/` (from git, in memory; or from the folder on disk). */
  reader: SourceReader;
  /** The entry of `versionen` the reference names (by name, or by its `stand`), if any. */
  entry?: VersionEntry;
}

export interface ResolveOptions {
  /** The folder a relative folder reference starts from; the process's working folder by default. */
  cwd?: string;
}

const usage = ExitCode.environment;
const refHint = 'Name a version listed in `versionen` of charta.yaml (e.g. 1.0), a git commit or tag, or a folder that holds an earlier project with its charta/.';
const shallowHint = (ref: string) =>
  `CI checkouts are often shallow (a depth of 1) and lack older commits. Fetch the whole history with \`git fetch --unshallow\` (or \`--tags\` for tags), or just that revision with \`git fetch --depth=1 origin ${ref}\`; with actions/checkout set \`fetch-depth: 0\`.`;

/**
 * Finds the earlier sources `ref` names, for the project at `root` with the version history
 * `versions`. Fails with a `ChartaError` (exit 2) and a clear sentence when `ref` looks like an
 * option, names nothing, names a folder without `charta/`, or names a revision this clone lacks.
 */
export async function resolveEarlier(root: string, ref: string, versions: readonly VersionEntry[] | undefined, options: ResolveOptions = {}): Promise<EarlierSources> {
  root = path.resolve(root);
  if (ref.startsWith('-')) {
    throw new ChartaError(`"${ref}" looks like an option, not a version, a git revision or a folder`, usage, `${refHint} A folder whose name starts with "-" can be written ./${ref}.`);
  }
  // eslint-disable-next-line no-control-regex
  if (ref.trim() === '' || /[\u0000-\u001f\u007f]/.test(ref)) {
    throw new ChartaError(`${ref.trim() === '' ? 'An empty reference' : `"${JSON.stringify(ref).slice(1, -1)}"`} names no earlier version`, usage, refHint);
  }

  const entry = versions?.find((candidate) => candidate.version === ref);
  if (entry) {
    if (!entry.stand) {
      const newest = versions!.at(-1) === entry;
      throw new ChartaError(
        newest ? `Version ${ref} is this version, the working tree itself: there is nothing earlier to compare with` : `Version ${ref} has no \`stand\` in charta.yaml`,
        usage,
        newest ? 'Name an earlier version of `versionen`.' : 'Give it the commit or tag that holds its sources as `stand`.',
      );
    }
    const git = await gitContext(root);
    if (!git.ok) throw new ChartaError(`Version ${ref} is stored as git revision "${entry.stand}", but ${root} is not in a git repository`, usage, `${git.reason}. Run charta inside the repository's clone, or name a folder that holds version ${ref}.`);
    const commit = await verifyCommit(root, entry.stand);
    if (!commit) {
      if (await isShallow(root)) throw new ChartaError(`Version ${ref} is stored as revision "${entry.stand}", which this shallow clone does not have`, usage, shallowHint(entry.stand));
      throw new ChartaError(`Version ${ref} is stored as revision "${entry.stand}", which this repository does not have`, usage, 'Fetch it (`git fetch --tags`, or `git fetch origin <commit>`), or correct `stand` in charta.yaml.');
    }
    return fromGit(root, git.prefix, commit, ref, entry);
  }

  const folder = path.resolve(options.cwd ?? process.cwd(), ref);
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || ref.startsWith('.') || path.isAbsolute(ref);
  if (looksLikePath && (await isDirectory(folder))) return fromFolder(folder);

  const git = await gitContext(root);
  const commit = git.ok ? await verifyCommit(root, ref) : undefined;
  if (git.ok && commit) {
    const named = await versionWithStand(root, versions, commit);
    const label = named?.version ?? (/^[0-9a-f]{4,40}$/i.test(ref) ? await gitText(['rev-parse', '--short', commit], { cwd: root }) : ref);
    return fromGit(root, git.prefix, commit, label, named);
  }
  if (await isDirectory(folder)) return fromFolder(folder);
  if (git.ok && (await isShallow(root))) {
    throw new ChartaError(`"${ref}" names no version, folder or revision in this shallow clone: the revision may lie in the history it lacks`, usage, shallowHint(ref));
  }
  const listed = versions?.length ? ` (charta.yaml lists ${versions.map((item) => item.version).join(', ')})` : '';
  const gitPart = git.ok ? 'nor a revision in this git repository' : `and ${root} is not in a git repository`;
  throw new ChartaError(`"${ref}" names nothing: it is neither a version of \`versionen\`${listed}, nor a folder, ${gitPart}`, usage, git.ok ? refHint : `${refHint} (${git.reason})`);
}

/** The earlier charta, what it is, and its problems as warning lines that name it. */
export interface LoadedEarlier {
  /** Undefined when the earlier YAML files no longer load; `warnings` then say why. */
  charta?: Charta;
  baseline: {
    label: string;
    /** The earlier `version`, from its charta.yaml, else from the matching entry of `versionen`, else the label. */
    version: string;
    /** The earlier `datum` (ISO), found the same way; undefined when neither has one. */
    date?: string;
    /** The full commit hash, when the sources come from git. */
    revision?: string;
  };
  /** Every message of the earlier load, as a warning line: `1.0 (3f2a9c1): charta/x.yaml:4:3  warning  …  (rule)`. */
  warnings: string[];
  /**
   * Reads the earlier sources, e.g. the images of `charta.assets`, whose paths are those of the
   * working tree (for git) and may not exist on disk.
   */
  reader: SourceReader;
}

/**
 * Resolves `ref` (see `resolveEarlier`, whose errors it throws) and loads the earlier charta with
 * the same loader, leniently: its own problems become warnings and do not stop anything.
 */
export async function loadEarlier(root: string, ref: string, versions: readonly VersionEntry[] | undefined, options: ResolveOptions & { marking?: boolean } = {}): Promise<LoadedEarlier> {
  const earlier = await resolveEarlier(root, ref, versions, options);
  const { charta, files } = await loadCharta({ root: earlier.root, reader: earlier.reader, marking: options.marking ?? true, lenient: true });
  const short = earlier.revision?.slice(0, 7);
  const name = short && !earlier.label.startsWith(short) ? `${earlier.label} (${short})` : earlier.label;
  const warnings = messagesAsJson(files, earlier.root).map(
    (message) => `${name}: ${message.file}${message.line ? `:${message.line}:${message.column ?? 1}` : ''}  warning  ${message.message}  (${message.ruleId ?? 'charta'})`,
  );
  const written = charta ? { version: charta.meta.version, date: charta.meta.datum } : versionAndDate(files[0] ? String(files[0].value) : '');
  return {
    charta,
    baseline: {
      label: earlier.label,
      version: written.version ?? earlier.entry?.version ?? earlier.label,
      date: written.date ?? earlier.entry?.datum,
      revision: earlier.revision,
    },
    warnings,
    reader: earlier.reader,
  };
}

/** `version` and `datum` of a charta.yaml that may not satisfy the schema (or not parse at all). */
function versionAndDate(text: string): { version?: string; date?: string } {
  try {
    const doc = parseDocument(text, { schema: 'core', prettyErrors: false });
    if (doc.errors.length > 0) return {};
    const text_ = (key: string) => {
      const value: unknown = doc.get(key);
      return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    };
    return { version: text_('version'), date: text_('datum') };
  } catch {
    return {};
  }
}

async function fromGit(root: string, prefix: string, commit: string, label: string, entry: VersionEntry | undefined): Promise<EarlierSources> {
  const chartaPath = `${prefix}charta`;
  const reader = await createGitReader({ cwd: root, commit, chartaPath, chartaDir: path.join(root, 'charta') });
  if (reader.fileCount === 0) {
    throw new ChartaError(`Revision ${label} (${commit.slice(0, 7)}) has no ${chartaPath}/ folder`, usage, 'Name a revision that holds the charta\'s sources.');
  }
  return { label, revision: commit, root, reader, entry };
}

async function fromFolder(folder: string): Promise<EarlierSources> {
  if (!(await isDirectory(path.join(folder, 'charta')))) {
    throw new ChartaError(`The folder ${folder} has no charta/ folder: it holds no earlier project`, usage, 'Name the folder that holds the earlier charta/ (the project folder, not charta/ itself).');
  }
  return { label: path.basename(folder), root: folder, reader: diskReader };
}

async function isDirectory(folder: string): Promise<boolean> {
  try {
    return (await stat(folder)).isDirectory();
  } catch {
    return false;
  }
}

/** Where `root` lies in its git repository (`--show-prefix`, e.g. `site/`), or why it is none. */
async function gitContext(root: string): Promise<{ ok: true; prefix: string } | { ok: false; reason: string }> {
  try {
    return { ok: true, prefix: await gitText(['rev-parse', '--show-prefix'], { cwd: root }) };
  } catch (cause) {
    if (!(cause instanceof GitFailure)) throw cause;
    const said = cause.stderr.split('\n')[0]?.replace(/^fatal: /, '') ?? '';
    return { ok: false, reason: said ? `git says: ${said}` : 'git finds no repository there' };
  }
}

/** The full hash of the commit `ref` names, or undefined when it names none here. */
async function verifyCommit(root: string, ref: string): Promise<string | undefined> {
  try {
    const commit = await gitText(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root });
    return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch (cause) {
    if (cause instanceof GitFailure) return undefined;
    throw cause;
  }
}

async function isShallow(root: string): Promise<boolean> {
  try {
    return (await gitText(['rev-parse', '--is-shallow-repository'], { cwd: root })) === 'true';
  } catch (cause) {
    if (cause instanceof GitFailure) return false;
    throw cause;
  }
}

/** The entry of `versions` whose `stand` is `commit`, if any. */
async function versionWithStand(root: string, versions: readonly VersionEntry[] | undefined, commit: string): Promise<VersionEntry | undefined> {
  for (const entry of versions ?? []) {
    if (entry.stand && !entry.stand.startsWith('-') && (await verifyCommit(root, entry.stand)) === commit) return entry;
  }
  return undefined;
}
