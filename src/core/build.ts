/**
 * The whole build in one place: load and transform the sources, render each edition, emit them
 * into `dist/` atomically.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { createStaging } from '../emit/staging.js';
import { loadCharta } from '../load/load-charta.js';
import { ChartaError, ContentError, ExitCode } from './errors.js';
import { editionBuilders, type Format } from './formats.js';
import { countMessages } from './messages.js';

export interface BuildOptions {
  /** The project folder that holds `charta/` and `templates/`. */
  root: string;
  /** The output folder; `<root>/dist` by default. */
  out?: string;
  formats: readonly Format[];
  /** Mark contributions (default true). */
  marking?: boolean;
  signal?: AbortSignal;
  /** Told when a step starts, for progress displays. */
  onStep?(step: string): void;
}

export interface Artefact {
  format: Format;
  path: string;
  bytes: number;
  milliseconds: number;
}

export interface BuildResult {
  files: VFile[];
  artefacts: Artefact[];
}

/** Builds the editions. Throws ContentError (messages on `error.files`) or ChartaError. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const root = path.resolve(options.root);
  const out = path.resolve(options.out ?? path.join(root, 'dist'));
  assertProject(root);
  const signal = options.signal ?? new AbortController().signal;

  options.onStep?.('load');
  const builders = await Promise.all(options.formats.map(async (format) => ({ format, builder: await editionBuilders[format]() })));
  const missing = builders.find((entry) => typeof entry.builder === 'string');
  if (missing) throw new ChartaError(String(missing.builder), ExitCode.environment);

  const { charta, files } = await loadCharta({ root, marking: options.marking ?? true });
  if (!charta) throw Object.assign(new ContentError(countMessages(files).errors), { files });

  const staging = await createStaging(out);
  try {
    const artefacts = await Promise.all(
      builders.map(async ({ format, builder }) => {
        if (typeof builder === 'string') throw new ChartaError(builder);
        options.onStep?.(format);
        const started = performance.now();
        const name = await builder(charta, staging, { signal });
        return { format, name, milliseconds: performance.now() - started };
      }),
    );
    if (signal.aborted) throw new ChartaError('The build was interrupted', ExitCode.interrupted);
    const sizes = await Promise.all(artefacts.map(({ name }) => size(staging.pathOf(name))));
    await staging.commit();
    return {
      files,
      artefacts: artefacts.map(({ format, name, milliseconds }, index) => ({
        format,
        path: path.join(out, name),
        bytes: sizes[index]!,
        milliseconds,
      })),
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

async function size(target: string): Promise<number> {
  const info = await stat(target);
  if (!info.isDirectory()) return info.size;
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(path.join(entry.parentPath, entry.name))).size));
  return sizes.reduce((sum, n) => sum + n, 0);
}
