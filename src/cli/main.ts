/**
 * The `charta` command line: parses argv into options and calls the core. Content problems print
 * like a compiler; operational failures as one sentence and what to do; stack traces only with
 * --debug.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { VFile } from 'vfile';
import { ChartaError, ContentError, ExitCode } from '../core/errors.js';
import { toolkitVersion } from '../core/toolkit.js';
import { defaultFormats, formats, type Format } from '../commands/formats.js';
import { countMessages, formatMessages, messagesAsJson } from '../core/messages.js';


function parseFormats(value: string): Format[] {
  const list = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of list) {
    if (!(formats as readonly string[]).includes(item)) throw new InvalidArgumentError(`unknown format "${item}"; choose from ${formats.join(', ')}`);
  }
  return [...new Set(list)] as Format[];
}

function printMessages(files: VFile[], cwd: string, json: boolean): void {
  if (json) {
    const { errors, warnings } = countMessages(files);
    process.stdout.write(`${JSON.stringify({ errors, warnings, messages: messagesAsJson(files, cwd) }, null, 2)}\n`);
    return;
  }
  for (const line of formatMessages(files, cwd)) process.stderr.write(`${line}\n`);
}

async function run(argv: string[]): Promise<number> {
  let debug = argv.includes('--debug');
  const program = new Command()
    .name('charta')
    .description('Builds the ITAS-Charta from charta/ into a PDF, an EPUB 3 and an HTML edition.')
    .version(toolkitVersion, '-v, --version')
    .option('--debug', 'print stack traces of failures')
    .showHelpAfterError()
    .exitOverride();

  let exitCode: number = ExitCode.ok;

  program
    .command('build')
    .description('build the editions into dist/')
    .addOption(new Option('-f, --format <list>', `editions to build, comma-separated (${formats.join(',')})`).argParser(parseFormats).default([...defaultFormats], defaultFormats.join(',')))
    .option('-o, --out <dir>', 'output folder', undefined)
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .option('--no-marking', 'build the clean edition without contribution marking')
    .option('--since <ref>', 'mark what changed since this version (a version of versionen, a git revision, or a folder)')
    .option('-q, --quiet', 'print only problems')
    .option('--no-cache', 'transform every chapter, without the cache in node_modules/.cache/charta')
    .action(async (options: { format: Format[]; out?: string; root: string; marking: boolean; since?: string; quiet?: boolean; cache: boolean }) => {
      const { build } = await import('../commands/build.js');
      const { createProgress } = await import('./progress.js');
      const progress = createProgress(process.stderr, { quiet: options.quiet });
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const started = performance.now();
      try {
        const result = await build({
          root: options.root,
          out: options.out,
          formats: options.format,
          marking: options.marking,
          since: options.since,
          cache: options.cache,
          signal: controller.signal,
          onProgress: (event) => progress.event(event),
        });
        progress.pause();
        printMessages(result.files, process.cwd(), false);
        for (const line of result.warnings) process.stderr.write(`${line}\n`);
        progress.summary(result.artefacts, performance.now() - started);
        for (const { format, error } of result.failures) {
          exitCode = Math.max(exitCode, failure(error, debug, `${format} edition not built`));
        }
      } finally {
        progress.pause();
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });

  program
    .command('check')
    .description('validate the sources, write nothing')
    .addOption(new Option('--format <format>', 'how to print the messages').choices(['text', 'json']).default('text'))
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .option('--no-cache', 'transform every chapter, without the cache in node_modules/.cache/charta')
    .action(async (options: { format: 'text' | 'json'; root: string; cache: boolean }) => {
      const { check } = await import('../commands/check.js');
      const files = await check(options.root, { cache: options.cache });
      printMessages(files, process.cwd(), options.format === 'json');
      const { errors, warnings } = countMessages(files);
      if (options.format === 'text') process.stderr.write(`${errors} errors, ${warnings} warnings\n`);
      if (errors > 0) exitCode = ExitCode.content;
    });

  program
    .command('diff')
    .description('list what changed between two versions, like a compiler (from and to: a version of versionen, a git revision or a folder)')
    .argument('<from>', 'the earlier version')
    .argument('[to]', 'the later version (default: the working tree)')
    .addOption(new Option('--format <format>', 'how to print the changes').choices(['text', 'json']).default('text'))
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .action(async (from: string, to: string | undefined, options: { format: 'text' | 'json'; root: string }) => {
      const { diff } = await import('../commands/diff.js');
      const { changesAsJson, formatChangeLines } = await import('../compare/report.js');
      const result = await diff(options.root, from, to);
      printMessages(result.files, process.cwd(), false);
      for (const line of result.warnings) process.stderr.write(`${line}\n`);
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(changesAsJson(result.changes), null, 2)}\n`);
      else for (const line of formatChangeLines(result.changes, process.cwd())) process.stdout.write(`${line}\n`);
    });

  program
    .command('stats')
    .description('print where the content comes from: passages, words and shares per source, whole and per part')
    .addOption(new Option('--format <format>', 'text table or JSON (shape documented in src/core/stats.ts)').choices(['text', 'json']).default('text'))
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .action(async (options: { format: 'text' | 'json'; root: string }) => {
      const { stats, statsAsJson, statsAsText } = await import('../commands/stats.js');
      const { files, charta } = await stats(options.root);
      const { errors, warnings } = countMessages(files);
      if (!charta || errors > 0) {
        printMessages(files, process.cwd(), options.format === 'json');
        if (options.format === 'text') process.stderr.write(`${errors} errors, ${warnings} warnings\n`);
        exitCode = ExitCode.content;
        return;
      }
      printMessages(files, process.cwd(), false);
      const output = options.format === 'json' ? JSON.stringify(statsAsJson(charta), null, 2) : statsAsText(charta).join('\n');
      process.stdout.write(`${output}\n`);
    });

  program
    .command('init')
    .description('create a new charta project with a small example that builds at once')
    .argument('<dir>', 'folder for the new project')
    .action(async (dir: string) => {
      const { initProject } = await import('../init/init-project.js');
      const made = await initProject(dir);
      process.stdout.write(`charta init: created ${made.length} files in ${dir}\n  Build it: charta build --root ${dir}   Preview it: charta dev --root ${dir}\n`);
    });

  const templates = program.command('templates').description("the project's own templates: which defaults it overrides, and a copy of one to change");
  templates
    .command('list')
    .description('list every template and stylesheet, and whether the project overrides the default')
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .action(async (options: { root: string }) => {
      const { listTemplates } = await import('../init/project-templates.js');
      for (const file of await listTemplates(options.root)) {
        const origin = file.origin === 'toolkit' ? 'default' : file.defaultPath ? 'project (overrides the default)' : 'project (its own)';
        process.stdout.write(`${file.name.padEnd(34)} ${origin}\n`);
      }
    });
  templates
    .command('copy')
    .description('copy a default into the project to change it, e.g. print/chapter or css/print.css')
    .argument('<name>', 'the template, relative to templates/')
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .action(async (name: string, options: { root: string }) => {
      const { copyTemplate } = await import('../init/project-templates.js');
      const target = await copyTemplate(options.root, name);
      process.stdout.write(`charta templates: copied the default to ${path.relative(process.cwd(), target) || target}\n`);
    });

  program
    .command('dev')
    .description('preview the HTML edition on localhost, rebuilt and reloaded on every change')
    .option('-p, --port <port>', 'port to serve on', (value) => Number.parseInt(value, 10), 4321)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--root <dir>', 'project folder with charta/ and templates/', process.cwd())
    .action(async (options: { port: number; host: string; root: string }) => {
      const { startDevServer } = await import('../dev/dev-server.js');
      const server = await startDevServer({
        root: options.root,
        port: options.port,
        host: options.host,
        onRebuild(report) {
          for (const line of report.messages) process.stderr.write(`${line}\n`);
          const what = report.changed.join(', ');
          const time = `${Math.round(report.milliseconds)} ms`;
          if (report.kind === 'failed') process.stderr.write(`charta dev: ${what}: ${report.errors} errors; still serving the last good build\n`);
          else process.stderr.write(`charta dev: ${report.kind === 'css' ? 'styles updated' : 'built'} in ${time} (${what})\n`);
        },
      });
      process.stdout.write(`charta dev: serving the HTML edition at ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });

  try {
    await program.parseAsync(argv, { from: 'node' });
    debug = Boolean(program.opts().debug) || debug;
    return exitCode;
  } catch (cause) {
    return failure(cause, debug);
  }
}

function failure(cause: unknown, debug: boolean, context?: string): number {
  const prefix = context ? `charta: ${context}: ` : 'charta: ';
  const error = cause as Error & { code?: string; exitCode?: number; files?: VFile[] };
  if (error.code?.startsWith('commander.')) {
    // Commander printed the problem (or the help or the version) already.
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? ExitCode.ok : ExitCode.environment;
  }
  if (error instanceof ContentError) {
    printMessages(error.files ?? [], process.cwd(), false);
    const { errors, warnings } = countMessages(error.files ?? []);
    process.stderr.write(`charta: build failed: ${errors} errors, ${warnings} warnings; dist/ was left as it was\n`);
    return ExitCode.content;
  }
  if (error instanceof ChartaError) {
    process.stderr.write(`${prefix}${error.message}\n`);
    if (error.hint) process.stderr.write(`  ${error.hint}\n`);
    if (debug) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  process.stderr.write(`${prefix}internal error: ${error?.message ?? String(cause)}\n`);
  process.stderr.write(debug ? `${error?.stack}\n` : '  Run again with --debug for the stack trace, and report it.\n');
  return ExitCode.environment;
}

// A reader that stops early (`charta templates list | head`) is no failure.
process.stdout.on('error', (cause: NodeJS.ErrnoException) => {
  if (cause.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw cause;
});
process.exitCode = await run(process.argv);
