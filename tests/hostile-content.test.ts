/**
 * Hostile content: no edition ever contains executable script that came from the sources. The
 * HTML policy reports unsafe raw HTML as errors, so such a build stops; behind it, rehype-sanitize
 * with `sanitizeSchema` removes whatever is not on the allow-list, and these tests check that it
 * does so on its own, with the policy's errors ignored.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import rehypeSanitize from 'rehype-sanitize';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import yauzl from 'yauzl';
import { describe, expect, it } from 'vitest';
import type { Source } from '../src/load/schema.js';
import { createChapterProcessor } from '../src/transform/pipeline.js';
import { sanitizeSchema } from '../src/transform/rehype-html-policy.js';
import { copyProject, projectRoot, runCli, scriptsIn, tempOut } from './helpers.js';

/** Raw HTML and Markdown that try to run script, frame, restyle or load something. */
const attacks: Record<string, string> = {
  'script element': 'Text <script>alert(1)</script>.',
  'script block': '<script src="https://example.org/x.js"></script>',
  'script in upper case': '<SCRIPT>alert(1)</SCRIPT>',
  'image error handler': '<img src=x onerror=alert(1)>',
  'svg load handler': '<svg onload=alert(1)><circle r="1"/></svg>',
  'handler on allowed element': '<span onmouseover="alert(1)">x</span> <b onclick=alert(1)>b</b>',
  'details toggle': '<details open ontoggle=alert(1)><summary>x</summary></details>',
  'autofocus focus': '<input autofocus onfocus=alert(1)>',
  'javascript link': '<a href="javascript:alert(1)">x</a>',
  'javascript mixed case': '<a href="JaVaScRiPt:alert(1)">x</a>',
  'javascript with a tab': '<a href="java&#x09;script:alert(1)">x</a>',
  'javascript with entities': '<a href="&#106;avascript&#58;alert(1)">x</a>',
  'javascript with leading space': '<a href=" javascript:alert(1)">x</a>',
  'vbscript link': '<a href="vbscript:msgbox(1)">x</a>',
  'data link': '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  'markdown javascript link': '[x](javascript:alert(1))',
  'markdown autolink': '<javascript:alert(1)>',
  'markdown reference link': '[x][r]\n\n[r]: javascript:alert(1)',
  'markdown javascript image': '![Bild](javascript:alert(1))',
  'iframe': '<iframe src="https://example.org"></iframe>',
  'iframe srcdoc': '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  'object and embed': '<object data="x.swf"></object><embed src="x.swf">',
  'style element': '<style>body{display:none}</style>',
  'style attribute': '<div style="background:url(javascript:alert(1))">x</div>',
  'form action': '<form action="https://example.org"><button formaction="javascript:alert(1)">x</button></form>',
  'meta refresh': '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  'base href': '<base href="javascript:/">',
  'link stylesheet': '<link rel="stylesheet" href="https://example.org/x.css">',
  'template': '<template><script>alert(1)</script></template>',
  'noscript title': '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  'math mutation': '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  'comment trick': '<!--><script>alert(1)</script>-->',
  'remote image in raw HTML': '<img src="https://tracker.example/pixel.gif" alt="x">',
  'remote image in Markdown': '![Zählpixel](https://tracker.example/pixel.gif)',
  'inside a contribution': 'Text :beitrag[<img src=x onerror=alert(1)> und <script>alert(2)</script>]{quelle=forum}.',
  'inside a block contribution': ':::beitrag{quelle=forum}\n<iframe src="https://example.org"></iframe>\n\n<a href="javascript:alert(1)">x</a>\n:::',
  'in a table': '| a |\n| --- |\n| <img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a> |',
  'in a footnote': 'Text[^1]\n\n[^1]: <script>alert(1)</script> [x](javascript:alert(1))',
};

const sources: Source[] = [{ id: 'forum', bezeichnung: '1. Forum', kurz: 'Forum', farbe: '#b2182b', marker: '●' }];
const processor = createChapterProcessor({
  sources,
  events: [],
  topics: [],
  marking: true,
  chartaDir: path.join(projectRoot, 'charta'),
  chapterIdOf: () => undefined,
  self: () => 'test',
});

/** Elements that load, frame, style or submit: none may reach an edition. */
const forbidden = new Set(['script', 'iframe', 'frame', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'button', 'svg', 'math', 'template', 'video', 'audio', 'source']);

/** What in `tree` could run script or load from elsewhere. */
function dangers(tree: Root): string[] {
  const found = scriptsIn(tree);
  visit(tree, 'element', (node: Element) => {
    if (forbidden.has(node.tagName)) found.push(`<${node.tagName}>`);
    if (node.properties.style !== undefined) found.push(`${node.tagName} style`);
    if (node.properties.srcDoc !== undefined) found.push(`${node.tagName} srcdoc`);
    const href = node.properties.href;
    if (typeof href === 'string' && /^[^/?#]*:/.test(href) && !/^(https?|mailto|tel):/i.test(href)) found.push(`${node.tagName} href=${href}`);
    const src = node.properties.src;
    if (src !== undefined && !/^bilder\/[^/]+$/.test(String(src))) found.push(`${node.tagName} src=${String(src)}`);
  });
  return found;
}

async function transform(markdown: string): Promise<{ html: string; file: VFile }> {
  const file = new VFile({ path: path.join(projectRoot, 'charta', '01-analyse', '99-test.md'), value: `# Test\n\n${markdown}\n` });
  const tree = await processor.run(processor.parse(file), file);
  return { html: toHtml(tree), file };
}

describe('the transform, with the policy’s errors ignored', () => {
  for (const [name, markdown] of Object.entries(attacks)) {
    it(`leaves nothing that runs or loads: ${name}`, async () => {
      const { html, file } = await transform(markdown);
      // The serialized markup, read back as a browser would, is what counts.
      expect(dangers(fromHtml(html, { fragment: true })), html).toEqual([]);
      expect(html).not.toMatch(/<script/i);
      // And the editor hears about it (all but the noscript trick, which is only text in the end).
      if (name !== 'noscript title') expect(file.messages.filter((message) => message.fatal).length, name).toBeGreaterThan(0);
    });
  }

  it('keeps text that only talks about HTML, as text', async () => {
    const { html, file } = await transform('Schreiben Sie nie `<script>alert(1)</script>` oder \\<iframe\\>; auch &lt;b onclick="x"&gt; ist Text.');
    expect(file.messages).toEqual([]);
    expect(html).toContain('<code>&#x3C;script>alert(1)&#x3C;/script></code>');
    expect(html).toContain('&#x3C;iframe>');
    expect(html).toContain('&#x3C;b onclick="x">');
    expect(dangers(fromHtml(html, { fragment: true }))).toEqual([]);
  });
});

describe('the sanitizer on its own', () => {
  const sanitize = unified().use(rehypeSanitize, sanitizeSchema);
  for (const [name, markdown] of Object.entries(attacks)) {
    it(`removes what the allow-list does not name: ${name}`, async () => {
      const tree = await sanitize.run(fromHtml(markdown, { fragment: true }));
      expect(dangers(fromHtml(toHtml(tree), { fragment: true }))).toEqual([]);
    });
  }
});

describe('a build with hostile content', () => {
  it('stops at the policy’s errors and writes no edition', async () => {
    const project = await copyProject();
    const out = await tempOut();
    try {
      await writeFile(path.join(project.root, 'charta', '01-analyse', '99-test.md'), `# Test\n\n${Object.values(attacks).join('\n\n')}\n`);
      const result = await runCli(['build', '--format', 'html,epub', '--out', out.out], { cwd: project.root });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('charta/01-analyse/99-test.md:3:6  error  `<script>` is not allowed in the sources  (unsafe-html)');
      expect(result.stderr).toMatch(/unsafe-url/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(await readdir(out.out)).toEqual([]);
    } finally {
      await Promise.all([project.remove(), out.remove()]);
    }
  });

  it('writes text that looks like HTML as text, in the HTML and the EPUB edition', async () => {
    const project = await copyProject();
    const out = await tempOut();
    try {
      const chapter = '# Test\n\nIm Quelltext steht `<script>alert(1)</script>`, im Text \\<img src=x onerror=alert(2)\\>.\n';
      await writeFile(path.join(project.root, 'charta', '01-analyse', '99-test.md'), chapter);
      const events = path.join(project.root, 'charta', 'veranstaltungen.yaml');
      const yaml = await readFile(events, 'utf8');
      await writeFile(events, yaml.replace('titel: Gründung von ITAS', 'titel: "Gründung von ITAS <script>alert(3)</script><img src=x onerror=alert(4)>"'));
      const result = await runCli(['build', '--format', 'html,epub', '--out', out.out, '--quiet'], { cwd: project.root });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);

      const pages: Array<[string, string]> = [];
      for (const name of await readdir(path.join(out.out, 'html'))) {
        if (name.endsWith('.html')) pages.push([name, await readFile(path.join(out.out, 'html', name), 'utf8')]);
      }
      for (const [name, data] of await unzip(await readFile(path.join(out.out, 'charta.epub')))) {
        if (name.endsWith('.xhtml')) pages.push([name, data.toString('utf8')]);
      }
      expect(pages.length).toBeGreaterThan(20);
      for (const [name, markup] of pages) {
        // The templates' own <link> and <meta> are fine; script of any kind, or frames, are not.
        const tree = fromHtml(markup);
        // The HTML edition's one script is its own search.
        expect(scriptsIn(tree, ['js/suche.js']), name).toEqual([]);
        visit(tree, 'element', (node: Element) => {
          expect(['iframe', 'object', 'embed', 'form', 'base'], name).not.toContain(node.tagName);
        });
      }
      const all = pages.map(([, markup]) => markup).join('\n');
      expect(all).toContain('&#x3C;script>alert(1)&#x3C;/script>');
      expect(all).toMatch(/&(#x3C;|lt;)script>alert\(3\)/);

      // The search index holds the text as data: running it only assigns its one global.
      const index = await readFile(path.join(out.out, 'html', 'js', 'suche-index.js'), 'utf8');
      const calls: unknown[] = [];
      const page = vm.createContext({ alert: (value: unknown) => calls.push(value) });
      vm.runInContext(index, page);
      expect(Object.keys(page)).toEqual(['alert', '__chartaSuchindex']);
      expect(calls).toEqual([]);
      expect(JSON.stringify(page.__chartaSuchindex)).toContain('<script>alert(1)</script>');
    } finally {
      await Promise.all([project.remove(), out.remove()]);
    }
  });
});

async function unzip(bytes: Buffer): Promise<Array<[string, Buffer]>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries: Array<[string, Buffer]> = [];
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    entries.push([entry.fileName, Buffer.concat(chunks)]);
  }
  return entries;
}
