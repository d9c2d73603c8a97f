/**
 * Chapters transformed in worker threads beside the main thread, when there are enough of them
 * to repay a worker's start (its own copy of the pipeline's modules): parsing Markdown is most of
 * a large charta's load, and each chapter's transform depends only on the chapter and the context.
 * Only for sources read from the disk; where the worker's module is missing (the TypeScript
 * sources run directly, as in the tests), everything stays on the main thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Transformed } from './transform-chapter.js';

/** What a worker is sent: the context as text, and its chapters. */
export interface WorkerInput {
  sources: { path: string; text: string };
  events: { path: string; text: string };
  topics: { path: string; text: string };
  marking: boolean;
  chartaDir: string;
  chapterIds: Array<[string, string]>;
  chapters: Array<{ path: string; text: string }>;
}

/** Below this many chapters to transform, the main thread does them alone. */
export const minChaptersForWorkers = 32;

const workerFile = new URL('./transform-worker.js', import.meta.url);

/** How many workers to start for `chapters` chapters: none when too few, or when there is one core. */
export function workersFor(chapters: number): number {
  if (chapters < minChaptersForWorkers || !existsSync(fileURLToPath(workerFile))) return 0;
  return Math.min(3, availableParallelism() - 1, Math.floor(chapters / (minChaptersForWorkers / 2)) - 1);
}

/**
 * Starts a worker on `input`; resolves with each chapter's transform (`refused` where the chapter
 * could not be transformed), or rejects when the worker fails.
 */
export function transformInWorker(input: WorkerInput): Promise<Array<Transformed & { refused?: boolean }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile, { workerData: input });
    worker.once('message', (results: Array<Transformed & { refused?: boolean }>) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The transform worker stopped (exit code ${code})`)));
  });
}
