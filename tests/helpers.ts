/**
 * What the tests share: running the real CLI, and copies of the real project to break or build.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin/charta.js` with `args` in `cwd` (the project root by default). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin', 'charta.js'), ...args],
      { cwd: options.cwd ?? projectRoot, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** A temporary copy of the project's charta/ and templates/, removed by the returned function. */
export async function copyProject(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'charta-test-'));
  await cp(path.join(projectRoot, 'charta'), path.join(root, 'charta'), { recursive: true });
  await cp(path.join(projectRoot, 'templates'), path.join(root, 'templates'), { recursive: true });
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

/** A fresh temporary output folder. */
export async function tempOut(): Promise<{ out: string; remove: () => Promise<void> }> {
  const out = await mkdtemp(path.join(tmpdir(), 'charta-out-'));
  return { out, remove: () => rm(out, { recursive: true, force: true }) };
}
