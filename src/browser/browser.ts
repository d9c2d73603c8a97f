/**
 * The browser of a build: launched once, used for every page, closed once on every path (success,
 * failure, Ctrl-C). Puppeteer is imported here, when a PDF is asked for, never by the HTML build.
 * Every operation runs as a `step` with a timeout and the build's abort signal, so a hanging
 * browser becomes a clear error instead of a hanging build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page, PDFOptions } from 'puppeteer';
import { ChartaError, ExitCode } from '../core/errors.js';

export interface LaunchOptions {
  executablePath: string;
  /** Aborting closes the browser and fails the running step. */
  signal?: AbortSignal;
  /** How long one step may take, in milliseconds; `CHARTA_BROWSER_TIMEOUT` (seconds) or 120 s. */
  timeout?: number;
}

export interface BrowserSession {
  /** The browser's version, e.g. `Chrome/156.0.7779.0`. */
  readonly version: string;
  /** Milliseconds spent in each step so far, by the step's description: where the time goes. */
  readonly timings: Record<string, number>;
  /** Runs `action` with the session's timeout (or `timeout`) and abort signal. */
  step<T>(what: string, action: () => Promise<T>, timeout?: number): Promise<T>;
  /** Opens a page, hands it to `use` and closes it, whatever happens. */
  withPage<T>(use: (page: Page) => Promise<T>): Promise<T>;
  /** Closes the browser and removes its profile; safe to call twice. */
  close(): Promise<void>;
}

/** The flags that keep Chromium quiet and off the network. */
export const chromiumFlags = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--no-first-run',
  '--no-default-browser-check',
  '--mute-audio',
  // Text is laid out with the fonts' own metrics, the same in every run and on every machine.
  '--font-render-hinting=none',
];

/** The options of every print; the PDF's layout pass differs only in leaving out tags and outline. */
export const printOptions: PDFOptions = { preferCSSPageSize: true, printBackground: true, waitForFonts: true, timeout: 0 };

/** The default step timeout: `CHARTA_BROWSER_TIMEOUT` seconds, or two minutes. */
export function defaultTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.CHARTA_BROWSER_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 120_000;
}

/** Launches the browser; the caller must `close()` the session (see `withBrowser`). */
export async function launchBrowser(options: LaunchOptions): Promise<BrowserSession> {
  const timeout = options.timeout ?? defaultTimeout();
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) throw interrupted();
  const { default: puppeteer } = await import('puppeteer');
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'charta-chromium-'));
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let launching: Promise<Browser> | undefined;
  let closing: Promise<void> | undefined;

  const close = () =>
    (closing ??= (async () => {
      signal.removeEventListener('abort', onAbort);
      // Closing while the browser still starts (Ctrl-C, a timeout) waits for it, so it is not left behind.
      const browser = await launching?.catch(() => undefined);
      if (browser) {
        const child = browser.process();
        await within(browser.close(), 5_000).catch(() => child?.kill('SIGKILL'));
      } else if (launching) {
        // A failed launch kills Chromium without waiting for it; give its processes a moment to go.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
    })());
  const onAbort = () => void close();
  signal.addEventListener('abort', onAbort, { once: true });

  const timings: Record<string, number> = {};
  const step = async <T>(what: string, action: () => Promise<T>, limit = timeout): Promise<T> => {
    if (signal.aborted) throw interrupted();
    const started = performance.now();
    const running = action();
    let timer: NodeJS.Timeout | undefined;
    let stopListening = () => {};
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ChartaError(`Chromium did not finish ${what} within ${limit >= 1000 ? `${Math.round(limit / 1000)} s` : `${Math.round(limit)} ms`}`, ExitCode.environment, 'The browser hangs or the machine is overloaded; try again, or allow more time with CHARTA_BROWSER_TIMEOUT=<seconds>.')),
        limit,
      );
      const abort = () => reject(interrupted());
      signal.addEventListener('abort', abort, { once: true });
      stopListening = () => signal.removeEventListener('abort', abort);
    });
    try {
      return await Promise.race([running, failure]);
    } catch (cause) {
      running.catch(() => {});
      if (cause instanceof ChartaError) throw cause;
      if (signal.aborted) throw interrupted();
      throw new ChartaError(`Chromium failed while ${what}: ${(cause as Error).message}`, ExitCode.environment, undefined, { cause });
    } finally {
      clearTimeout(timer);
      stopListening();
      timings[what] = (timings[what] ?? 0) + performance.now() - started;
    }
  };

  try {
    launching = puppeteer.launch({
        executablePath: options.executablePath,
        headless: true,
        pipe: true,
        userDataDir,
        args: [...chromiumFlags, ...(isRoot ? ['--no-sandbox'] : [])],
        // Chromium's own temporary files (its singleton socket) go into the profile, so they go with it;
      // unless that makes the socket's path too long for the system (about 108 bytes).
      env: userDataDir.length <= 60 ? { ...process.env, TMPDIR: userDataDir } : process.env,
      handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      timeout,
      protocolTimeout: timeout,
    });
    const browser = await step('starting', () => launching!);
    const version = await step('reporting its version', () => browser.version());
    return {
      version,
      timings,
      step,
      async withPage(use) {
        const page = await step('opening a page', () => browser.newPage());
        try {
          return await use(page);
        } finally {
          await within(page.close(), 5_000).catch(() => {});
        }
      },
      close,
    };
  } catch (cause) {
    await close();
    if (cause instanceof ChartaError) throw cause;
    throw new ChartaError(`Chromium (${options.executablePath}) could not be started: ${(cause as Error).message}`, ExitCode.environment, undefined, { cause });
  }
}

/**
 * Launches the browser without waiting for it, so that it starts while the caller does other work
 * (a build loads its sources meanwhile, which takes about as long). The promise never counts as
 * unhandled: whoever awaits it gets the failure. The caller must close the session.
 */
export function startBrowser(options: LaunchOptions): Promise<BrowserSession> {
  const started = performance.now();
  const session = launchBrowser(options).then((launched) => {
    launched.timings['starting, in all'] = performance.now() - started;
    return launched;
  });
  session.catch(() => {});
  return session;
}

/** Closes a browser from `startBrowser` once it has started; one that failed to start has nothing to close. */
export async function closeStarted(starting: Promise<BrowserSession>): Promise<void> {
  await (await starting.catch(() => undefined))?.close();
}

/** Launches the browser, runs `use` with it and closes it on every path. */
export async function withBrowser<T>(options: LaunchOptions, use: (session: BrowserSession) => Promise<T>): Promise<T> {
  const session = await launchBrowser(options);
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

function interrupted(): ChartaError {
  return new ChartaError('The build was interrupted', ExitCode.interrupted);
}

function within<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${milliseconds} ms`)), milliseconds);
    }),
  ]).finally(() => clearTimeout(timer));
}
