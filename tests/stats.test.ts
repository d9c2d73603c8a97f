/**
 * "Woher kommen die Inhalte dieser Charta?": the contribution figures counted by hand on a tiny
 * project, the same figures from `charta stats`, the chart as well-formed SVG, and the section in
 * the legend of every edition. Run `npm run compile` first: the CLI tests run bin/charta.js.
 */
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceCounts, type Charta } from '../src/charta.js';
import type { StatsJson } from '../src/commands/stats.js';
import { loadCharta } from '../src/load/load-charta.js';
import { contributionChart, patternName } from '../src/render/contribution-chart.js';
import { renderEpub } from '../src/render/epub/render-epub.js';
import { renderHtml } from '../src/render/html/render-html.js';
import { renderPrint } from '../src/render/print/render-print.js';
import { contributionStats, countWords, type ScopeFigures } from '../src/stats/contribution-stats.js';
import { projectRoot, runCli, xmlProblem } from './helpers.js';

/**
 * Two parts, two sources. Counted by hand (labels, "Themenfeld 1:", "Ziel 1.1:",
 * "Handlungsansätze:", "Fußnoten" and the note's number are the toolkit's, not counted):
 *   part 1: "Erstes Kapitel" 2, "Die Region braucht E-Mobilität und gute Arbeit." 7, "Im Satz" 2,
 *           "für alle." 2, "Eine Fußnote." 2 = 15 unmarked; forum 4 ("Mehr Zusammenarbeit der
 *           Betriebe."), tour 2 ("neue Ideen"): 21 words.
 *   part 2: "Zweites Kapitel" 2, "Bildung für alle" 3, "Beschäftigte lernen Neues." 3, "Nah am
 *           Betrieb" 3, "Workshops anbieten." 2 = 13 unmarked; forum 3 ("Lernen im Betrieb."): 16 words.
 */
const fixture: Record<string, string> = {
  'charta.yaml': `titel: Kleine Charta
version: "0.1"
datum: 2026-01-01
sprache: de
kennung: urn:uuid:5b0c7a7e-2d1f-4c53-9a0e-4f2f6c1d9e21
autor: Netz
herausgeber: Netz
beschreibung: Eine kleine Charta zum Zählen.
schlagwoerter: [Test]
partner:
  - name: Erster Partner
    kurz: EP
foerderung: Gefördert.
kontakt:
  web: https://example.org
rueckmeldung: https://example.org/rueckmeldung
rechte: © 2026 Netz.
teile:
  - id: eins
    titel: Erster Teil
    ordner: 01-eins
  - id: zwei
    titel: Zweiter Teil
    ordner: 02-zwei
`,
  'quellen.yaml': `quellen:
  - id: forum
    bezeichnung: 1. Zukunftsforum der Region
    kurz: Forum
    farbe: "#b2182b"
    marker: "●"
  - id: tour
    bezeichnung: Zukunfts-Tour durch die Region
    kurz: Tour
    farbe: "#2166ac"
    marker: "★"
`,
  'veranstaltungen.yaml': 'veranstaltungen: []\n',
  'themen.yaml': `themenfelder:
  - id: bildung
    titel: Bildung für alle
    beschreibung: Beschäftigte lernen Neues.
    ziele:
      - titel: Nah am Betrieb
        ansaetze:
          - Workshops anbieten.
          - text: Lernen im Betrieb.
            quelle: forum
`,
  '01-eins/01-a.md': `# Erstes Kapitel

Die Region braucht E-Mobilität und gute Arbeit.

:::beitrag{quelle=forum}
Mehr Zusammenarbeit der Betriebe.
:::

Im Satz :beitrag[neue Ideen]{quelle=tour} für alle.[^1]

[^1]: Eine Fußnote.
`,
  '02-zwei/01-b.md': `# Zweites Kapitel

::themenfelder
`,
};

async function makeProject(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'charta-stats-'));
  await cp(path.join(projectRoot, 'templates'), path.join(root, 'templates'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, 'charta', name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return root;
}

async function load(root: string): Promise<Charta> {
  const { charta, files } = await loadCharta({ root });
  expect(files.flatMap((file) => file.messages.filter((message) => message.fatal).map(String))).toEqual([]);
  return charta!;
}

function figure(scope: ScopeFigures, id: string) {
  return scope.sources.find((source) => source.id === id)!;
}

function expectWhole(scope: ScopeFigures): void {
  if (scope.words === 0) return;
  const tenths = [...scope.sources.map((source) => source.percent), scope.unmarked.percent].reduce((sum, value) => sum + Math.round(value * 10), 0);
  expect(tenths).toBe(1000);
  expect(scope.sources.reduce((sum, source) => sum + source.words, scope.unmarked.words)).toBe(scope.words);
  expect(scope.sources.reduce((sum, source) => sum + source.share, scope.unmarked.share)).toBeCloseTo(1, 5);
}


let root: string;
let charta: Charta;
let real: Charta;
beforeAll(async () => {
  root = await makeProject(fixture);
  charta = await load(root);
  real = await load(projectRoot);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('counting words', () => {
  it('counts runs of letters and digits, umlauts and inner hyphens included', () => {
    expect(countWords('E-Mobilität, Klein- und Mittelbetriebe; 2035 ü')).toBe(6);
    expect(countWords('Kon\u00adgress – „Südwestsachsen“ (ITAS)…')).toBe(3);
    expect(countWords(' — · [●] ')).toBe(0);
  });
});

describe('the contribution figures', () => {
  it('are those counted by hand, without the labels of the marking', () => {
    const stats = contributionStats(charta);
    expect(stats.words).toBe(37);
    expect(stats.passages).toBe(3);
    expect(figure(stats, 'forum')).toEqual({ id: 'forum', passages: 2, words: 7, share: 0.189189, percent: 18.9 });
    expect(figure(stats, 'tour')).toEqual({ id: 'tour', passages: 1, words: 2, share: 0.054054, percent: 5.4 });
    expect(stats.unmarked).toEqual({ words: 28, share: 0.756757, percent: 75.7 });
    const [one, two] = stats.parts;
    expect(one).toMatchObject({ id: 'eins', number: 1, title: 'Erster Teil', words: 21, passages: 2, unmarked: { words: 15, percent: 71.4 } });
    expect(figure(one!, 'forum')).toMatchObject({ passages: 1, words: 4, percent: 19.1 });
    expect(figure(one!, 'tour')).toMatchObject({ passages: 1, words: 2, percent: 9.5 });
    // 18.75 and 81.25 both round half: the tenth left over goes to the first.
    expect(two).toMatchObject({ id: 'zwei', words: 16, passages: 1, unmarked: { words: 13, percent: 81.2 } });
    expect(figure(two!, 'forum')).toMatchObject({ passages: 1, words: 3, percent: 18.8 });
    expect(figure(two!, 'tour')).toMatchObject({ passages: 0, words: 0, share: 0, percent: 0 });
  });

  for (const [name, get] of [['the fixture', () => charta], ['the real charta', () => real]] as const) {
    it(`add up in ${name}: shares to 100 %, parts to the whole, passages to the legend's count`, () => {
      const stats = contributionStats(get());
      expect(stats.words).toBeGreaterThan(0);
      for (const scope of [stats, ...stats.parts]) expectWhole(scope);
      expect(stats.parts.reduce((sum, part) => sum + part.words, 0)).toBe(stats.words);
      expect(stats.parts.reduce((sum, part) => sum + part.passages, 0)).toBe(stats.passages);
      expect(stats.parts.reduce((sum, part) => sum + part.unmarked.words, 0)).toBe(stats.unmarked.words);
      for (const source of stats.sources) {
        expect(stats.parts.reduce((sum, part) => sum + figure(part, source.id).words, 0)).toBe(source.words);
        expect(stats.parts.reduce((sum, part) => sum + figure(part, source.id).passages, 0)).toBe(source.passages);
      }
      const counted = new Map(sourceCounts(get(), false).map((source) => [source.id, source.count]));
      expect(new Map(stats.sources.map((source) => [source.id, source.passages]))).toEqual(counted);
    });
  }

  it('mark nothing in the clean edition', async () => {
    const { charta: clean } = await loadCharta({ root, marking: false });
    const stats = contributionStats(clean!);
    expect(stats.words).toBe(37);
    expect(stats.passages).toBe(0);
    expect(stats.unmarked).toEqual({ words: 37, share: 1, percent: 100 });
  });
});

describe('the chart', () => {
  it('is well-formed SVG with a title, a description, a pattern and the marker of each source', () => {
    const svg = contributionChart(contributionStats(real), { id: 'herkunft', sources: real.sources, tableId: 'herkunft-tabelle' });
    expect(xmlProblem(svg)).toBeUndefined();
    const tree = fromHtml(svg, { fragment: true, space: 'svg' });
    const root = select('svg', tree)!;
    expect(root.properties).toMatchObject({ role: 'img', ariaLabelledBy: ['herkunft-titel'], ariaDescribedBy: ['herkunft-beschreibung'] });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(toString(select('title', tree)!)).toBe('Woher die Wörter der Charta kommen');
    expect(toString(select('desc', tree)!)).toContain('Tabelle unter dem Diagramm');
    const used = sourceCounts(real);
    expect(used.length).toBeGreaterThanOrEqual(5);
    const texts = selectAll('text', tree).map((node) => toString(node));
    const registry = real.sources.map((source) => source.id);
    for (const source of used) {
      // Patterns are drawn as shapes (Chromium would print an SVG <pattern> as a bitmap).
      const patterned = selectAll(`svg.herkunft__muster[data-quelle="${source.id}"]`, tree);
      // Its segments in the bars and its bar in the key.
      expect(patterned.length, source.id).toBeGreaterThan(1);
      expect(patterned[0]!.properties.className).toContain(`herkunft__muster--${patternName(registry.indexOf(source.id))}`);
      expect(select('path, circle', patterned[0]!), `the pattern of ${source.id} draws over its colour`).toBeDefined();
      expect(texts).toContain(source.marker);
      expect(texts).toContain(source.kurz);
    }
    expect(new Set(used.map((source) => patternName(registry.indexOf(source.id)))).size).toBe(used.length);
    expect(texts).toContain('ohne Markierung');
  });

  it('prefixes every id, so two charts on one page do not clash', () => {
    const stats = contributionStats(charta);
    const ids = (svg: string) => [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!);
    const first = ids(contributionChart(stats, { id: 'eins', sources: charta.sources }));
    const second = ids(contributionChart(stats, { id: 'zwei', sources: charta.sources }));
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(first.every((id) => id.startsWith('eins-'))).toBe(true);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    // The same figures, the same chart.
    expect(contributionChart(stats, { id: 'eins', sources: charta.sources })).toBe(contributionChart(stats, { id: 'eins', sources: charta.sources }));
  });
});

describe('the legend of every edition', () => {
  function expectSection(markup: string, edition: string): void {
    const tree = fromHtml(markup);
    const section = select('section.herkunft', tree);
    expect(section, edition).toBeDefined();
    expect(toString(select('h2', section!)!)).toBe('Woher kommen die Inhalte dieser Charta?');
    expect(select('.herkunft__diagramm > svg.herkunft__svg[role="img"]', section!), edition).toBeDefined();
    const table = select('table.herkunft__tabelle', section!)!;
    expect(table.properties.id).toBe('herkunft-tabelle');
    expect(toString(select('caption', table)!)).toContain('je Quelle');
    expect(selectAll('thead th[scope="col"]', table)).toHaveLength(4);
    const groups = selectAll('tbody', table);
    expect(groups.map((group) => toString(select('th[scope="rowgroup"]', group)!))).toEqual(['Gesamte Charta', 'Teil 1: Erster Teil', 'Teil 2: Zweiter Teil']);
    const cells = (row: Parameters<typeof selectAll>[1]) => selectAll('th, td', row).map((cell) => toString(cell).trim());
    expect(selectAll('tr', groups[0]!).map(cells)).toEqual([
      ['Gesamte Charta', '3', '37', '100,0\u00a0%'],
      ['● 1. Zukunftsforum der Region', '2', '7', '18,9\u00a0%'],
      ['★ Zukunfts-Tour durch die Region', '1', '2', '5,4\u00a0%'],
      ['ohne Markierung', '', '28', '75,7\u00a0%'],
    ]);
    // A part lists the sources it has passages of.
    expect(selectAll('tr', groups[2]!).map(cells)).toEqual([
      ['Teil 2: Zweiter Teil', '1', '16', '100,0\u00a0%'],
      ['● 1. Zukunftsforum der Region', '1', '3', '18,8\u00a0%'],
      ['ohne Markierung', '', '13', '81,2\u00a0%'],
    ]);
    expect(toString(select('.herkunft__einleitung', section!)!)).toContain('Die Charta umfasst 37 Wörter. 9 davon (24,3\u00a0%) stehen in den 3 markierten Passagen');
  }

  it('has the chart and the table in the HTML edition, with a narrow chart for phones whose ids do not clash', async () => {
    const files = await renderHtml(charta);
    const page = String(files.find((file) => file.path === 'legende.html')!.contents);
    expectSection(page, 'html');
    const tree = fromHtml(page);
    expect(selectAll('.herkunft__diagramm--breit > svg, .herkunft__diagramm--schmal > svg', tree)).toHaveLength(2);
    expect(select('.herkunft__diagramm--schmal > svg', tree)!.properties.viewBox).toMatch(/^0 0 360 /);
    const ids = selectAll('[id]', tree).map((node) => String(node.properties.id));
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('has them in the EPUB, well-formed, with the legend declared as a document with SVG', async () => {
    const files = await renderEpub(charta, { modified: new Date('2026-01-01T00:00:00Z') });
    const legend = String(files.find((file) => file.path === 'EPUB/legende.xhtml')!.contents);
    expect(xmlProblem(legend)).toBeUndefined();
    expectSection(legend, 'epub');
    const opf = String(files.find((file) => file.path === 'EPUB/package.opf')!.contents);
    expect(opf).toMatch(/<item id="legende" href="legende\.xhtml" media-type="application\/xhtml\+xml" properties="svg"\/>/);
  });

  it('has them in the print document', async () => {
    const document = await renderPrint(charta);
    expectSection(document.html(), 'pdf');
  });

  it('leaves them out of the clean edition', async () => {
    const { charta: clean } = await loadCharta({ root, marking: false });
    const files = await renderHtml(clean!);
    expect(files.some((file) => file.path === 'legende.html')).toBe(false);
    expect((await renderPrint(clean!)).html()).not.toContain('herkunft');
  });
});

describe('charta stats', () => {
  it('prints the figures as a table', async () => {
    const result = await runCli(['stats', '--root', root]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Kleine Charta: 37 words, 3 marked passages, 24.3 % of the words in them');
    expect(lines).toContain('Whole charta');
    expect(lines).toContain('Part 2: Zweiter Teil');
    expect(lines.map((line) => line.trim().replace(/\s+/g, ' '))).toEqual(
      expect.arrayContaining(['● Forum 2 7 18.9 %', '★ Tour 1 2 5.4 %', 'without marking 28 75.7 %', 'total 3 37 100.0 %', '★ Tour 0 0 0.0 %']),
    );
  });

  it('prints the same figures as JSON', async () => {
    const result = await runCli(['stats', '--format', 'json', '--root', root]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as StatsJson;
    const stats = contributionStats(charta);
    expect(Object.keys(json)).toEqual(['words', 'passages', 'sources', 'unmarked', 'parts']);
    expect(json.words).toBe(37);
    expect(json.unmarked).toEqual(stats.unmarked);
    expect(json.sources[0]).toEqual({ id: 'forum', name: '1. Zukunftsforum der Region', short: 'Forum', marker: '●', passages: 2, words: 7, share: 0.189189, percent: 18.9 });
    expect(json.parts.map((part) => Object.keys(part))).toEqual([0, 1].map(() => ['id', 'number', 'title', 'words', 'passages', 'sources', 'unmarked']));
    expect(json.parts[1]!.sources.map((source) => [source.id, source.words, source.percent])).toEqual([['forum', 3, 18.8], ['tour', 0, 0]]);
  });

  it('exits 1 with the messages when the sources have errors', async () => {
    const broken = await makeProject({ ...fixture, '02-zwei/01-b.md': '# Zweites Kapitel\n\n:beitrag[Text]{quelle=niemand}\n' });
    try {
      const text = await runCli(['stats', '--root', broken]);
      expect(text.code).toBe(1);
      expect(text.stdout).toBe('');
      expect(text.stderr).toContain('charta/02-zwei/01-b.md:3:1  error  Unknown contribution source "niemand"  (unknown-source)');
      expect(text.stderr).toMatch(/1 errors, \d+ warnings\n$/);
      const json = await runCli(['stats', '--format', 'json', '--root', broken]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ errors: 1, messages: [expect.objectContaining({ ruleId: 'unknown-source', line: 3 })] });
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it('says so when there is no charta', async () => {
    const result = await runCli(['stats', '--root', path.join(root, 'charta')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('There is no charta/ folder');
  });
});
