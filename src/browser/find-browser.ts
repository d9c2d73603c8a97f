/**
 * Finds the Chrome or Chromium that prints the PDF, in this order: an explicit path, the
 * environment (`CHARTA_BROWSER`, then puppeteer's `PUPPETEER_EXECUTABLE_PATH`), the browser
 * puppeteer downloaded, the system's Chrome or Chromium. A path that was named but does not work
 * is an error rather than a reason to look elsewhere: whoever named it meant that browser.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ChartaError, ExitCode } from '../core/errors.js';

/** Where the executable came from, for messages. */
export type BrowserOrigin = 'option' | 'CHARTA_BROWSER' | 'PUPPETEER_EXECUTABLE_PATH' | 'puppeteer' | 'system';

export interface FoundBrowser {
  executablePath: string;
  origin: BrowserOrigin;
}

export interface Options {
  /** A path that takes precedence over everything else. */
  executablePath?: string;
  /** The environment to read; `process.env` by default. */
  env?: NodeJS.ProcessEnv;
  /** The platform whose usual places are searched; `process.platform` by default. */
  platform?: NodeJS.Platform;
  /** The path of puppeteer's own browser, if it has one; asked of puppeteer by default. */
  puppeteerPath?: () => Promise<string | undefined>;
  /** The system's places to look; `systemCandidates(platform, env)` by default. */
  candidates?: readonly string[];
}

/** How to get a browser, said in every "no browser" message. */
const howToGet =
  'install Chromium with `apt-get install chromium` (or `npm run setup`), or set CHARTA_BROWSER to a Chrome or Chromium executable';

/** Finds the browser or throws a one-line ChartaError (exit code 2) that says how to get one. */
export async function findBrowser(options: Options = {}): Promise<FoundBrowser> {
  const env = options.env ?? process.env;
  const named: Array<[BrowserOrigin, string | undefined]> = [
    ['option', options.executablePath],
    ['CHARTA_BROWSER', env.CHARTA_BROWSER],
    ['PUPPETEER_EXECUTABLE_PATH', env.PUPPETEER_EXECUTABLE_PATH],
  ];
  for (const [origin, candidate] of named) {
    if (!candidate) continue;
    if (isExecutable(candidate)) return { executablePath: candidate, origin };
    const what = origin === 'option' ? `the browser ${candidate}` : `${origin}=${candidate}`;
    throw new ChartaError(`No browser to print the PDF: ${what} does not exist or cannot be run; ${howToGet}.`, ExitCode.environment);
  }
  const own = await (options.puppeteerPath ?? puppeteerBrowser)();
  if (own && isExecutable(own)) return { executablePath: own, origin: 'puppeteer' };
  const system = (options.candidates ?? systemCandidates(options.platform ?? process.platform, env)).find(isExecutable);
  if (system) return { executablePath: system, origin: 'system' };
  throw new ChartaError(`No Chrome or Chromium found to print the PDF: ${howToGet}.`, ExitCode.environment);
}

/** The browser puppeteer downloaded on install, if it did. */
async function puppeteerBrowser(): Promise<string | undefined> {
  try {
    const { default: puppeteer } = await import('puppeteer');
    return puppeteer.executablePath();
  } catch {
    return undefined;
  }
}

/** The usual places of Chrome and Chromium on `platform`, most likely first. */
export function systemCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    const apps = ['Google Chrome.app/Contents/MacOS/Google Chrome', 'Chromium.app/Contents/MacOS/Chromium', 'Google Chrome Canary.app/Contents/MacOS/Google Chrome Canary'];
    const roots = ['/Applications', env.HOME ? path.join(env.HOME, 'Applications') : undefined].filter((root): root is string => Boolean(root));
    return roots.flatMap((root) => apps.map((app) => path.join(root, app)));
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    const apps = ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe', 'Microsoft\\Edge\\Application\\msedge.exe'];
    return roots.flatMap((root) => apps.map((app) => path.win32.join(root, app)));
  }
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const fixed = ['/usr/bin', '/usr/local/bin', '/snap/bin'].flatMap((dir) => names.map((name) => path.join(dir, name)));
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((dir) => names.map((name) => path.join(dir, name)));
  return [...new Set([...fixed, ...onPath])];
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (process.platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to print with, or a one-line message saying how to get one. */
export async function findPdfBrowser(): Promise<string | { problem: string }> {
  try {
    return (await findBrowser()).executablePath;
  } catch (cause) {
    if (cause instanceof ChartaError) return { problem: cause.message };
    throw cause;
  }
}
