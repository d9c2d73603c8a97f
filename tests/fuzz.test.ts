/**
 * Property tests: random Markdown, built from arbitrary text and the pieces editors (and typos)
 * use, goes through the chapter processor; random YAML through `readYaml` with every schema.
 * Nothing may throw (problems are messages, each with a place), no run may take long, and every
 * chapter serialized as the EPUB writes it must be well-formed XML, checked by saxes, a
 * conforming XML parser (fast-xml-parser's validator accepts `&nbsp;`, control characters and
 * `<` in attribute values, all fatal to an EPUB reader). `FUZZ_SCALE=<n>` runs n times as many cases.
 */
import path from 'node:path';
import fc from 'fast-check';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { checkBlockNesting, checkTreeNesting } from '../src/load/markdown-nesting.js';
import { readYaml } from '../src/load/read-yaml.js';
import { yamlFiles, type Source } from '../src/load/schema.js';
import { toXhtml, xmlDocument } from '../src/render/epub/xhtml.js';
import { createChapterProcessor } from '../src/transform/pipeline.js';
import { projectRoot, xmlProblem } from './helpers.js';

/** `FUZZ_SCALE=20 npx vitest run tests/fuzz.test.ts` fuzzes twenty times longer. */
const scale = Number(process.env.FUZZ_SCALE ?? 1);

/** The longest a single run may take, far above the few milliseconds one needs. */
const runLimit = 2_000;

const sources: Source[] = [
  { id: 'forum', bezeichnung: '1. Forum', kurz: 'Forum', farbe: '#b2182b', marker: '●' },
  { id: 'kongress', bezeichnung: '1. Kongress', kurz: 'Kongress', farbe: '#2166ac', marker: '■' },
];
const chartaDir = path.join(projectRoot, 'charta');
const processor = createChapterProcessor({
  sources,
  events: [{ titel: 'Forum <b>', datum: '2023-05-16', art: 'Zukunftsforum', beschreibung: 'Text & mehr', quelle: 'forum' }],
  topics: [{ id: 'standort', titel: 'Standort', beschreibung: 'B', ziele: [{ titel: 'Z', ansaetze: ['a', { text: 't', quelle: 'kongress' }] }] }],
  marking: true,
  chartaDir,
  chapterIdOf: (file) => (file.endsWith('01-leitbild.md') ? 'vision-01-leitbild' : undefined),
  self: () => 'analyse-99-test',
});

const markdownPieces = [
  ':::beitrag{quelle=forum}\n', ':::beitrag{quelle=kongress}\n', ':::beitrag{quelle=nirgends}\n', '::::beitrag{quelle=forum}\n',
  ':::\n', '::::\n', ':beitrag[', ']{quelle=forum}', ']{quelle=', '{quelle=kongress}', ':beitrag[Text]{quelle=forum}',
  '::zeitleiste\n', '::themenfelder\n', '::unbekannt\n', ':::beitrag{quelle=forum\n',
  '#', '# ', '## ', '\n# Titel\n', '|', '| a | b |\n| --- | --- |\n', '[^1]', '[^1]: ', '[^x]:\n',
  '<span>', '</span>', '<div>', '</div>', '<abbr title="a<b">', '<script>', '<img src=x onerror=y>',
  '<a href="javascript:x">', '<details open>', '<br>', '<!--', '-->', '<![CDATA[', ']]>', '<?xml ?>',
  ':', '::', ':::', 'Mitarbeiter:innen ', '10:30 ', '\n', '\n\n', '- ', '1. ', '> ', '    ', '\t',
  '*', '**', '_', '~~', '`', '```\n', '[x](', ')', '[Leitbild](../02-vision/01-leitbild.md#x)', '](#oben)',
  '![Karte](../bilder/region.svg "Titel")', '![](https://example.org/x.png)', '<https://example.org>',
  '&amp;', '&nbsp;', '&#0;', '&#xD800;', '\u0000', '\u0001', '\u000b', '\r\n', '\r', '\uFFFE', '\uD800',
  '\u{1F600}', 'ß', '"', "'", '\\', '=', '{', '}', '[', ']',
];

const markdown = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...markdownPieces) }, { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) }), { maxLength: 80 })
  .map((parts) => parts.join(''));

const yamlPieces = [
  'quellen:', 'veranstaltungen:', 'themenfelder:', 'titel:', 'teile:', 'id:', 'farbe:', 'marker:', 'datum:', 'quelle:',
  'ziele:', 'ansaetze:', 'text:', 'art: Kongress', 'bezeichnung:', 'kurz:', ' ', '  ', '\t', '\n', '\n  - ', '\n    ',
  '- ', ': ', ':', '"', "'", '#', '&a ', '*a', '<<: *a', '[', ']', '{', '}', ',', '---\n', '...\n', '!!str ', '!foo ',
  '|\n', '>-\n', '"#b2182b"', '2023-13-45', '2023-05-16', '1.0', 'null', 'true', '~', '\uFEFF', '\r\n', '%YAML 1.2\n',
];

const yamlText = fc.oneof(
  fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...yamlPieces) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), { maxLength: 40 }).map((parts) => parts.join('')),
  // Well-formed YAML of arbitrary shape, with the schemas' keys here and there.
  fc.dictionary(fc.constantFrom('quellen', 'veranstaltungen', 'themenfelder', 'titel', 'id', 'x'), fc.jsonValue({ maxDepth: 4 })).map((value) => JSON.stringify(value)),
);


function expectPlaces(file: VFile): void {
  for (const message of file.messages) {
    expect(message.line, `${message.reason} (${message.ruleId}) has no place`).toBeGreaterThanOrEqual(1);
    expect(message.source).toBe('charta');
  }
}

describe('fuzzing', () => {
  it('the chapter transform never throws and always gives well-formed XHTML', async () => {
    await fc.assert(
      fc.asyncProperty(markdown, async (text) => {
        const file = new VFile({ path: path.join(chartaDir, '01-analyse', '99-test.md'), value: text });
        const started = performance.now();
        // As the loader does: the nesting limits first, then the transform.
        if (checkBlockNesting(file)) {
          const mdast = processor.parse(file);
          if (checkTreeNesting(mdast, file)) {
            const tree = await processor.run(mdast, file);
            const xml = xmlDocument(`<body xmlns="http://www.w3.org/1999/xhtml">${toXhtml(tree)}</body>`);
            const problem = xmlProblem(xml);
            expect(problem, `${problem}\n${xml}`).toBeUndefined();
          }
        }
        expect(performance.now() - started).toBeLessThan(runLimit);
        expectPlaces(file);
      }),
      { numRuns: 1000 * scale },
    );
  });

  it('reading YAML never throws: data that fits the schema, or errors with a place', () => {
    const schemas = Object.entries(yamlFiles);
    fc.assert(
      fc.property(yamlText, fc.constantFrom(...schemas), (text, [name, schema]) => {
        const file = new VFile({ path: path.join(chartaDir, name), value: text });
        const started = performance.now();
        const result = readYaml(file, schema);
        expect(performance.now() - started).toBeLessThan(runLimit);
        if (result) expect(schema.safeParse(result.data).success).toBe(true);
        else expect(file.messages.some((message) => message.fatal)).toBe(true);
        expectPlaces(file);
      }),
      { numRuns: 2000 * scale },
    );
  });
});
