/**
 * The transform stage on fixture folders: `tests/fixtures/transform/<case>/input.md` must give
 * `expected.html`. Run with UPDATE_FIXTURES=1 to write the expected output after an intended change.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { createChapterProcessor } from '../src/transform/pipeline.js';
import type { Source } from '../src/load/schema.js';
import { projectRoot } from './helpers.js';

const folder = path.join(projectRoot, 'tests', 'fixtures', 'transform');

const sources: Source[] = [
  { id: 'forum', bezeichnung: '1. Forum', kurz: 'Forum', farbe: '#b2182b', marker: '●' },
  { id: 'kongress', bezeichnung: '1. Kongress', kurz: 'Kongress', farbe: '#2166ac', marker: '■' },
];

async function transform(name: string) {
  const inputPath = path.join(folder, name, 'input.md');
  const file = new VFile({ path: inputPath, value: await readFile(inputPath, 'utf8') });
  const processor = createChapterProcessor({
    sources,
    events: [],
    topics: [],
    marking: name !== 'clean-edition',
    chartaDir: path.join(folder, name),
    chapterIdOf: () => undefined,
    self: () => name,
  });
  const tree = await processor.run(processor.parse(file), file);
  return { html: `${toHtml(tree)}\n`, file };
}

describe('transform fixtures', () => {
  for (const name of readdirSync(folder)) {
    it(name, async () => {
      const { html, file } = await transform(name);
      expect(file.messages.filter((message) => message.fatal).map(String)).toEqual([]);
      const expectedPath = path.join(folder, name, 'expected.html');
      if (process.env.UPDATE_FIXTURES || !existsSync(expectedPath)) await writeFile(expectedPath, html);
      expect(html).toBe(await readFile(expectedPath, 'utf8'));
    });
  }
});

describe('contribution marking', () => {
  it('keeps colon words, times and unregistered directives as text', async () => {
    const { html } = await transform('colon-words');
    expect(html).toContain('Die Mitarbeiter:innen und Bürger:innen treffen sich um 10:30 Uhr; das Verhältnis ist 2:1.');
    expect(html).toContain('Teilnehmer:innen<sup>');
    expect(html).toContain(':unbekannt[Text]');
    expect(html).toContain('::fremd');
  });

  it('marks an inline passage with its source, marker and label', async () => {
    const { html, file } = await transform('inline-contribution');
    expect(html).toContain('<span class="beitrag beitrag--forum beitrag--inline" data-quelle="forum">mehr Kooperation zwischen Zulieferern');
    expect(html).toContain('<span class="beitrag__quelle"> [<span class="beitrag__marker" aria-hidden="true">●</span> Forum]</span>');
    expect(file.data.contributions).toEqual(new Map([['forum', 1]]));
  });

  it('drops the marking but keeps the text in the clean edition', async () => {
    const { html, file } = await transform('clean-edition');
    expect(html).not.toContain('beitrag');
    expect(html).toContain('Die Teilnehmer:innen forderten Weiterbildung.');
    expect(file.data.contributions).toBeUndefined();
  });

  it('makes a figure with its caption from an image alone in a paragraph', async () => {
    const { html } = await transform('figure');
    expect(html).toContain('<figure class="abbildung"><img src="bilder/bild.svg" alt="Schema der Region mit fünf Stationen"><figcaption>Die Stationen der Tour</figcaption></figure>');
  });
});
