/**
 * What the tests share: running the real CLI, and copies of the real project to break or build.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'hast';
import { SaxesParser } from 'saxes';
import { visit } from 'unist-util-visit';

/** The repository root. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CliResult {
  /** The exit code; -1 when the process was ended by a signal. */
  code: number;
  /** The signal that ended the process (a crash, or the timeout), if any. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  milliseconds: number;
}

/**
 * Runs `bin/charta.js` with `args` in `cwd` (the project root by default). With `timeout`, the
 * process is killed after that many milliseconds (and `signal` says so).
 */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(projectRoot, 'bin', 'charta.js'), ...args],
      { cwd: options.cwd ?? projectRoot, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeout ?? 0, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const signal = error?.signal ?? null;
        const code = !error ? 0 : typeof error.code === 'number' ? error.code : signal ? -1 : 1;
        resolve({ code, signal, stdout, stderr, milliseconds: performance.now() - started });
      },
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

/**
 * Whatever in a page could run script: script elements, event handlers, `javascript:` addresses.
 * `own` names the edition's own scripts (by their `src`), which are not reported.
 */
export function scriptsIn(tree: Root, own: readonly string[] = []): string[] {
  const found: string[] = [];
  visit(tree, 'element', (node) => {
    if (node.tagName === 'script' && !(node.children.length === 0 && own.includes(String(node.properties.src)))) found.push('<script>');
    for (const [key, value] of Object.entries(node.properties)) {
      if (/^on/i.test(key)) found.push(`${node.tagName} ${key}`);
      if (/^\s*javascript:/i.test(String(value).replace(/[\t\n\r]/g, ''))) found.push(`${node.tagName} ${key}=${String(value)}`);
    }
  });
  return found;
}

/**
 * `charta.yaml`'s text without its `versionen` list and with this `version` and `datum`: the real
 * charta as a test's own version, whose history the test writes itself.
 */
export function asVersion(chartaYaml: string, version: string, datum: string): string {
  return chartaYaml
    .replace(/^versionen:\n(?:[ \t].*\n|\n)*/m, '')
    .replace(/^version: .*$/m, `version: "${version}"`)
    .replace(/^datum: .*$/m, `datum: ${datum}`);
}

/**
 * The axe-core violations of the page open in `page`, by the rules for WCAG 2.0–2.2 A and AA and
 * axe's best-practice rules (landmarks, one `h1`, all content in landmarks…), each as
 * `rule: [targets]`; empty when there are none. Every test that runs axe asks the same rules.
 */
export async function axeViolations(page: import('puppeteer').Page): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((violation) => `${violation.id}: ${JSON.stringify(violation.nodes.slice(0, 3).map((node) => node.target))}`);
  });
}
let axeSource: string | undefined;

/** Whether `xml` is well-formed (namespaces too), by a conforming parser: its first problem, or undefined. */
export function xmlProblem(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true });
  let problem: string | undefined;
  parser.on('error', (error) => {
    problem ??= error.message;
  });
  parser.write(xml).close();
  return problem;
}

/**
 * The internal links of a PDF page with the words inside each link's box, in the page's order.
 * Chromium leaves an empty, zero-height link where an entry's box moved to the next page: left out.
 */
export async function pdfLinks(page: import('pdfjs-dist/types/src/display/api.js').PDFPageProxy): Promise<Array<{ words: string[]; dest: unknown }>> {
  const content = await page.getTextContent();
  const links = (await page.getAnnotations()).filter((annotation) => annotation.subtype === 'Link' && annotation.dest && annotation.rect[3] - annotation.rect[1] > 1);
  return links.map((link) => {
    const [x1, y1, x2, y2] = link.rect as number[];
    const words = content.items
      .filter((item) => 'str' in item && item.str.trim() && item.transform[4] >= x1! - 1 && item.transform[4] <= x2! + 1 && item.transform[5] >= y1! - 1 && item.transform[5] <= y2! + 1)
      .map((item) => ('str' in item ? item.str.trim() : ''));
    return { words, dest: link.dest as unknown };
  });
}
