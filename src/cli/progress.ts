/**
 * Progress of a build on the terminal: one live line (step, editions, elapsed time) on an
 * interactive terminal; plain lines when the output is not a terminal or CI=true; nothing but
 * problems with --quiet. A summary of the artefacts at the end.
 */
import type { Artefact, BuildEvent } from '../commands/build.js';

export interface Progress {
  event(event: BuildEvent): void;
  /** Clears the live line before other output. */
  pause(): void;
  summary(artefacts: readonly Artefact[], milliseconds: number): void;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The progress display that suits `stream` and the environment. */
export function createProgress(stream: NodeJS.WriteStream, options: { quiet?: boolean }): Progress {
  if (options.quiet) return { event() {}, pause() {}, summary() {} };
  const live = stream.isTTY === true && !process.env.CI && process.env.TERM !== 'dumb';
  return live ? liveProgress(stream) : plainProgress(stream);
}

/** Progress lines on `stream` (stderr), the summary on stdout. */
function plainProgress(stream: NodeJS.WriteStream): Progress {
  return {
    event(event) {
      if (event.kind === 'end') stream.write(`charta: ${event.step} done in ${Math.round(event.milliseconds)} ms\n`);
    },
    pause() {},
    summary: (artefacts, milliseconds) => process.stdout.write(summaryText(artefacts, milliseconds)),
  };
}

function liveProgress(stream: NodeJS.WriteStream): Progress {
  const started = performance.now();
  const running = new Set<string>();
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const steps = [...running].join(', ') || 'finishing';
    stream.write(`\r\x1b[2K${frames[frame++ % frames.length]} charta: ${steps}  ${seconds} s`);
  };
  const clear = () => stream.write('\r\x1b[2K');
  return {
    event(event) {
      if (event.kind === 'start') running.add(event.step);
      else running.delete(event.step);
      timer ??= setInterval(draw, 80);
      timer.unref();
      draw();
    },
    pause() {
      if (timer) clearInterval(timer);
      timer = undefined;
      clear();
    },
    summary(artefacts, milliseconds) {
      this.pause();
      process.stdout.write(summaryText(artefacts, milliseconds));
    },
  };
}

function summaryText(artefacts: readonly Artefact[], milliseconds: number): string {
  const lines = artefacts.map(
    (artefact) => `  ${artefact.format.padEnd(5)} ${artefact.path}  ${humanSize(artefact.bytes).padStart(8)}  ${Math.round(artefact.milliseconds)} ms`,
  );
  return `Built ${artefacts.length} ${artefacts.length === 1 ? 'edition' : 'editions'} in ${(milliseconds / 1000).toFixed(2)} s:\n${lines.join('\n')}\n`;
}

function humanSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}
