/**
 * Runs git, never through a shell: the arguments go to git as they are, so no reference or path
 * can be read as shell syntax.
 */
import { execFile } from 'node:child_process';
import { ChartaError, ExitCode } from '../core/errors.js';

/** git ended with an exit code other than 0. */
export class GitFailure extends Error {
  override name = 'GitFailure';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${exitCode ?? 'killed'}): ${stderr.split('\n')[0] ?? ''}`);
  }
}

export interface GitOptions {
  /** The folder git runs in. */
  cwd: string;
  /** Written to git's standard input, which is then closed. */
  input?: string;
  /** The largest output accepted (bytes); 16 MiB by default. */
  maxBuffer?: number;
}

/**
 * git's environment: no prompt for credentials, no optional locks (nothing written into the
 * repository, not even a refreshed index), and no pager.
 */
const environment = (): NodeJS.ProcessEnv => ({ ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' });

/**
 * Runs `git <args>` in `options.cwd` and resolves its standard output as bytes. Rejects with a
 * `GitFailure` when git fails, and with a `ChartaError` when git is not installed.
 */
export function runGit(args: readonly string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd: options.cwd, env: environment(), encoding: 'buffer', maxBuffer: options.maxBuffer ?? 16 * 1024 * 1024, windowsHide: true },
      (failure, stdout, stderr) => {
        if (!failure) return resolve(stdout);
        if ((failure as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(new ChartaError('git is not installed, or not on the PATH: an earlier version in git cannot be read without it', ExitCode.environment, 'Install git, or name a folder that holds the earlier project instead.'));
        }
        reject(new GitFailure(args, typeof failure.code === 'number' ? failure.code : null, stderr.toString('utf8')));
      },
    );
    // git may end before it has read all its input (a failed command): that is no error of ours.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** Runs `git <args>` and resolves its output as text without the final line end. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await runGit(args, options)).toString('utf8').replace(/\n$/, '');
}
