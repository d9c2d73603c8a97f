/**
 * Operational failures: one error class with an exit code, printed as one clear sentence and
 * what to do, never a stack trace unless `--debug`. Content problems are vfile messages instead.
 */

/** Exit codes of the CLI. */
export const ExitCode = {
  ok: 0,
  /** The sources have errors. */
  content: 1,
  /** Wrong usage, or the environment lacks something (browser, writable folder). */
  environment: 2,
  /** Interrupted by a signal. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class ChartaError extends Error {
  override name = 'ChartaError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.environment,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when the sources have errors; the messages are on the files. */
export class ContentError extends ChartaError {
  override name = 'ContentError';
  /** The files, with their messages. */
  files?: import('vfile').VFile[];
  constructor(count: number) {
    super(`${count} ${count === 1 ? 'error' : 'errors'} in the sources`, ExitCode.content);
  }
}
