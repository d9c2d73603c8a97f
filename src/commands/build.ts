/**
 * The whole build in one place: load and transform the sources, render each edition, emit them
 * into `dist/` atomically.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { VFile } from 'vfile';
import type { Charta } from '../charta.js';
import { manifestEntry, mergeManifest } from '../emit/manifest.js';
import { createStaging } from '../emit/staging.js';
import { loadCharta } from '../load/load-charta.js';
import { ChartaError, ContentError, ExitCode } from '../core/errors.js';
import { startEdition, type Edition, type Format } from './formats.js';
import { countMessages } from '../core/messages.js';

export interface BuildOptions {
  /** The project folder that holds `charta/` and `templates/`. */
  root: string;
  /** The output folder; `<root>/dist` by default. */
  out?: string;
  formats: readonly Format[];
  /** Mark contributions (default true). */
  marking?: boolean;
  /**
   * Mark what changed since this earlier version: a `version` of `versionen`, a git revision, or a
   * folder with an earlier project (`charta build --since`). Ignored, once checked, without marking.
   */
  since?: string;
  /** Use the persistent cache of transformed chapters in node_modules/.cache/charta (default true; `--no-cache`). */
  cache?: boolean;
  signal?: AbortSignal;
  /** Told when a step starts and ends, for progress displays. */
  onProgress?(event: BuildEvent): void;
}

/** A step of a build: `load`, or the name of an edition. */
export type BuildEvent = { kind: 'start'; step: string } | { kind: 'end'; step: string; milliseconds: number };

export interface Artefact {
  format: Format;
  path: string;
  bytes: number;
  milliseconds: number;
}

export interface BuildResult {
  files: VFile[];
  /** Problems that did not stop the build and belong to no file of it: those of an earlier version, and of an edition (a print wider than its text block). */
  warnings: string[];
  artefacts: Artefact[];
  /**
   * Editions that failed while the others were built (a browser that is missing, crashes or
   * hangs stops the PDF, not the HTML and EPUB); their previous artefacts stay as they were.
   */
  failures: Array<{ format: Format; error: unknown }>;
}

/** Builds the editions. Throws ContentError (messages on `error.files`) or ChartaError. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = path.resolve(options.root);
  const out = path.resolve(options.out ?? path.join(root, 'dist'));
  assertProject(root);
  assertOutside(out, root);
  if (options.formats.includes('synopse') && (options.since === undefined || options.marking === false)) {
    const { synopseNeedsSince } = await import('../emit/synopse-pdf.js');
    throw synopseNeedsSince();
  }
  const signal = options.signal ?? new AbortController().signal;

  const loadStarted = performance.now();
  options.onProgress?.({ kind: 'start', step: 'load' });
  // Each edition is prepared first: the PDF's browser then starts while the sources load.
  const editions = await Promise.all(options.formats.map(async (format) => ({ format, edition: await startEdition[format]({ signal, out }) })));
  // Each edition is closed once: right after it is built, or at the end when it never was.
  const closing = new Map<Edition, Promise<void>>();
  const close = (edition: Edition | string) => {
    if (typeof edition !== 'string' && edition.close && !closing.has(edition)) closing.set(edition, edition.close().catch(() => {}));
  };
  try {
    // An edition that cannot be built here (no browser for the PDF) fails alone, after the others.
    if (editions.every((entry) => typeof entry.edition === 'string')) throw new ChartaError(String(editions[0]!.edition), ExitCode.environment);

    const { charta: loaded, files } = await loadCharta({ root, marking: options.marking ?? true, diskCache: options.cache ?? true });
    if (!loaded) throw Object.assign(new ContentError(countMessages(files).errors), { files });
    options.onProgress?.({ kind: 'end', step: 'load', milliseconds: performance.now() - loadStarted });
    const { charta, warnings } = options.since === undefined ? { charta: loaded, warnings: [] } : await since(loaded, options.since, options);
    const emitted = await emit(charta, files, editions, { ...options, out, root, signal, close });
    return { ...emitted, warnings: [...warnings, ...emitted.warnings] };
  } finally {
    for (const { edition } of editions) close(edition);
    await Promise.all(closing.values());
  }
}

/** The charta with what changed since `ref` marked; without marking, the ref is only checked. */
async function since(charta: Charta, ref: string, options: BuildOptions): Promise<{ charta: Charta; warnings: string[] }> {
  if (!charta.marking) {
    const { resolveEarlier } = await import('../load/earlier-sources.js');
    await resolveEarlier(charta.root, ref, charta.meta.versionen);
    return { charta, warnings: [] };
  }
  const started = performance.now();
  options.onProgress?.({ kind: 'start', step: 'compare' });
  const { compareWith } = await import('../compare/compare-with.js');
  const compared = await compareWith(charta, ref);
  options.onProgress?.({ kind: 'end', step: 'compare', milliseconds: performance.now() - started });
  return compared;
}

/** Builds the editions into a staging folder and commits them to `out` together. */
async function emit(
  charta: Charta,
  files: VFile[],
  editions: ReadonlyArray<{ format: Format; edition: Edition | string }>,
  options: BuildOptions & { out: string; root: string; signal: AbortSignal; close(edition: Edition | string): void },
): Promise<BuildResult> {
  const { out, signal } = options;
  const staging = await createStaging(out);
  try {
    const settled = await Promise.allSettled(
      editions.map(async ({ format, edition }) => {
        if (typeof edition === 'string') throw new ChartaError(edition);
        options.onProgress?.({ kind: 'start', step: format });
        const started = performance.now();
        try {
          const { name, about, warnings } = await edition.build(charta, staging);
          const milliseconds = performance.now() - started;
          options.onProgress?.({ kind: 'end', step: format, milliseconds });
          return { format, name, about, milliseconds, warnings: warnings ?? [] };
        } catch (cause) {
          options.onProgress?.({ kind: 'end', step: `${format} failed`, milliseconds: performance.now() - started });
          throw cause;
        } finally {
          // The browser closes while the other editions are built and the manifest is written.
          options.close(edition);
        }
      }),
    );
    if (signal.aborted) throw new ChartaError('The build was interrupted', ExitCode.interrupted);
    const artefacts = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failures = settled.flatMap((result, index) => (result.status === 'rejected' ? [{ format: editions[index]!.format, error: result.reason as unknown }] : []));
    if (artefacts.length === 0) throw failures[0]!.error;
    const entries = await Promise.all(artefacts.map(async ({ format, name, about }) => ({ ...(await manifestEntry(format, staging.pathOf(name), name)), ...about })));
    const meta = charta.meta;
    await staging.writeFile('manifest.json', await mergeManifest(out, { title: meta.titel, version: meta.version, date: meta.datum }, options.root, entries));
    await staging.commit();
    return {
      files,
      artefacts: artefacts.map(({ format, name, milliseconds }, index) => ({
        format,
        path: path.join(out, name),
        bytes: entries[index]!.bytes,
        milliseconds,
      })),
      failures,
      warnings: artefacts.flatMap((artefact) => artefact.warnings),
    };
  } catch (cause) {
    await staging.discard();
    throw cause;
  }
}

/** Fails with a clear message when `root` is not a charta project. */
export function assertProject(root: string): void {
  if (!existsSync(path.join(root, 'charta'))) {
    throw new ChartaError(`There is no charta/ folder in ${root}`, ExitCode.environment, 'Run charta inside a charta project, or name it with --root <dir>.');
  }
}

/** Fails when `out` lies in the sources or the templates: a build never writes there. */
function assertOutside(out: string, root: string): void {
  for (const folder of ['charta', 'templates']) {
    const relative = path.relative(path.join(root, folder), out);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
      throw new ChartaError(`The output folder ${out} lies inside ${folder}/, which a build never writes into`, ExitCode.environment, 'Choose another folder with --out.');
    }
  }
}
