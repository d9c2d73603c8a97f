/**
 * The comparison engine on fixture pairs: `tests/fixtures/compare/<case>/{earlier,later}/` are
 * two versions of a small project, `expected.json` the change list (`charta diff --format json`).
 * Run with UPDATE_FIXTURES=1 to write the expected lists after an intended change. Every marked
 * tree must serialize to well-formed XHTML, and every change's anchor must be in it once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapters, type Charta } from '../src/charta.js';
import type { Changes } from '../src/compare/changes.js';
import { compareChartas, type Comparison } from '../src/compare/compare-chartas.js';
import { changesAsJson, formatChangeLines, summaryLine } from '../src/compare/report.js';
import { loadCharta } from '../src/load/load-charta.js';
import { toXhtml, xmlDocument } from '../src/render/epub/xhtml.js';
import { projectRoot, xmlProblem } from './helpers.js';

const folder = path.join(projectRoot, 'tests', 'fixtures', 'compare');
const baseline = { label: '0.1', version: '0.1', date: '2026-01-01' };

async function load(root: string): Promise<Charta> {
  const { charta, files } = await loadCharta({ root });
  const errors = files.flatMap((file) => file.messages.filter((message) => message.fatal).map(String));
  expect(errors).toEqual([]);
  return charta!;
}

const results = new Map<string, { earlier: Charta; later: Charta; result: Comparison }>();

async function compareCase(name: string) {
  const cached = results.get(name);
  if (cached) return cached;
  const earlier = await load(path.join(folder, name, 'earlier'));
  const later = await load(path.join(folder, name, 'later'));
  const entry = { earlier, later, result: compareChartas(earlier, later, baseline) };
  results.set(name, entry);
  return entry;
}

function kinds(changes: Changes): string[] {
  return changes.chapters.flatMap((chapter) => chapter.changes.map((change) => `${change.kind} ${change.block}`));
}


/** Checks what every case must satisfy: valid XHTML, each anchor once, inputs untouched. */
function checkTrees(later: Charta, result: Comparison, before: Map<string, string>): void {
  const ids = new Map<string, number>();
  for (const [id, tree] of result.trees) {
    expect(xmlProblem(xmlDocument(`<body xmlns="http://www.w3.org/1999/xhtml">${toXhtml(tree)}</body>`)), id).toBeUndefined();
    visit(tree, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string') ids.set(node.properties.id, (ids.get(node.properties.id) ?? 0) + 1);
    });
  }
  for (const chapter of result.changes.chapters) {
    for (const change of chapter.changes) expect(ids.get(change.id), change.id).toBe(1);
  }
  for (const [id, count] of ids) expect(count, `id ${id} in the marked trees`).toBe(1);
  for (const chapter of chapters(later)) expect(toHtml(chapter.tree)).toBe(before.get(chapter.id));
}

describe('compare fixtures', () => {
  for (const name of readdirSync(folder)) {
    it(name, async () => {
      const earlier = await load(path.join(folder, name, 'earlier'));
      const later = await load(path.join(folder, name, 'later'));
      const before = new Map(chapters(later).map((chapter) => [chapter.id, toHtml(chapter.tree)]));
      const result = compareChartas(earlier, later, baseline);
      results.set(name, { earlier, later, result });
      checkTrees(later, result, before);
      const json = `${JSON.stringify(changesAsJson(result.changes), null, 2)}\n`;
      const expectedPath = path.join(folder, name, 'expected.json');
      if (process.env.UPDATE_FIXTURES || !existsSync(expectedPath)) await writeFile(expectedPath, json);
      expect(json).toBe(await readFile(expectedPath, 'utf8'));
    });
  }
});

describe('what a reader sees as a change', () => {
  it('an inserted paragraph is one added block, with <ins> and its announcement', async () => {
    const { result } = await compareCase('insertion');
    expect(kinds(result.changes)).toEqual(['added paragraph']);
    const html = toHtml(result.trees.get('einfuehrung-01-worum-es-geht')!);
    expect(html).toContain('<p class="aenderung aenderung--added" id="aenderung-1"><ins datetime="2026-01-01"><span class="aenderung__hinweis">Eingefügt: </span>Neue Werke');
  });

  it('a deleted paragraph stays where it was, struck', async () => {
    const { result } = await compareCase('deletion');
    expect(kinds(result.changes)).toEqual(['removed paragraph']);
    const html = toHtml(result.trees.get('einfuehrung-01-worum-es-geht')!);
    const struck = html.indexOf('<span class="aenderung__hinweis">Gestrichen: </span>Die Region steht vor');
    expect(struck).toBeGreaterThan(html.indexOf('Diese Charta ist ein Beispiel.'));
    expect(struck).toBeLessThan(html.indexOf('Wer mitreden will'));
  });

  it('changed words are marked inside the block, folded into one change, announced once each', async () => {
    const { result } = await compareCase('changed-words');
    const [change] = result.changes.chapters[0]!.changes;
    // The two unchanged words between the changes are struck and inserted too: 4 and 4.
    expect(change).toMatchObject({ kind: 'changed', block: 'paragraph', wordsAdded: 4, wordsRemoved: 4, place: { file: 'charta/01-einfuehrung/01-worum-es-geht.md', line: 5, column: 1 } });
    const html = toHtml(result.trees.get('einfuehrung-01-worum-es-geht')!);
    // "tiefgreifenden Wandel der Industrie" -> "raschen Wandel der Automobilindustrie": the two
    // unchanged words between the changes fold into them.
    expect(html).toContain('vor einem <del datetime="2026-01-01"><span class="aenderung__hinweis">Gestrichen: </span>tiefgreifenden Wandel der Industrie</del><ins datetime="2026-01-01"><span class="aenderung__hinweis">Eingefügt: </span>raschen Wandel der Automobilindustrie</ins>, der viele');
    expect(html.match(/aenderung__hinweis/g)).toHaveLength(2);
  });

  it('a moved paragraph is moved, not removed and added, within a chapter and to another', async () => {
    const within = await compareCase('moved-within-chapter');
    expect(kinds(within.result.changes)).toEqual(['moved paragraph']);
    expect(within.result.changes.chapters[0]!.changes[0]!.movedFrom).toBeUndefined();
    const across = await compareCase('moved-to-other-chapter');
    expect(kinds(across.result.changes)).toEqual(['moved paragraph']);
    expect(across.result.changes.chapters[0]!.changes[0]).toMatchObject({
      chapterId: 'ziele-01-unsere-ziele',
      movedFrom: { chapterTitle: 'Worum es geht', place: { file: 'charta/01-einfuehrung/01-worum-es-geht.md', line: 5 } },
    });
    expect(toHtml(across.result.trees.get('ziele-01-unsere-ziele')!)).toContain('<span class="aenderung__herkunft">verschoben aus „Worum es geht“</span>');
    // At the old place, nothing: the chapter it left has no marked tree.
    expect(across.result.trees.has('einfuehrung-01-worum-es-geht')).toBe(false);
  });

  it('a paragraph moved and edited is moved, its changed words marked', async () => {
    const { result } = await compareCase('moved-and-edited');
    expect(result.changes.chapters.flatMap((chapter) => chapter.changes).map((change) => [change.kind, change.wordsAdded, change.wordsRemoved])).toEqual([['moved', 2, 1]]);
    const html = toHtml(result.trees.get('ziele-01-unsere-ziele')!);
    expect(html).toContain('<p class="aenderung aenderung--moved" id="aenderung-1"><span class="aenderung__herkunft">verschoben aus „Worum es geht“</span> Die Region');
    expect(html).toContain('der <del datetime="2026-01-01"><span class="aenderung__hinweis">Gestrichen: </span>viele</del><ins datetime="2026-01-01"><span class="aenderung__hinweis">Eingefügt: </span>fast alle</ins> Betriebe');
  });

  it('a split paragraph is the first part changed and the second added', async () => {
    const { result } = await compareCase('split-paragraph');
    expect(kinds(result.changes)).toEqual(['changed paragraph', 'added paragraph']);
  });

  it('a renamed chapter file with the same title is the same chapter, renamed', async () => {
    const { result } = await compareCase('renamed-chapter');
    expect(result.changes.chapters).toEqual([
      expect.objectContaining({ status: 'renamed', path: 'charta/01-einfuehrung/02-worum-es-geht.md', earlierPath: 'charta/01-einfuehrung/01-worum-es-geht.md', changes: [] }),
    ]);
  });

  it('a changed topic and goal in themen.yaml point at the YAML file', async () => {
    const { result } = await compareCase('changed-topic-and-goal');
    const changes = result.changes.chapters.flatMap((chapter) => chapter.changes);
    expect(changes.map((change) => [change.kind, change.block, `${change.place.file}:${change.place.line}`])).toEqual([
      ['changed', 'topic', 'charta/themen.yaml:5'],
      ['changed', 'goal', 'charta/themen.yaml:16'],
      ['added', 'approach', 'charta/themen.yaml:18'],
    ]);
    expect(changes[2]!.source).toBe('forum');
    expect(result.changes.newContributions).toEqual(new Map([['forum', 1]]));
  });

  it('renumbered footnotes and reflowed lines are no change', async () => {
    for (const name of ['renumbered-footnotes', 'reflowed-lines']) {
      const { result } = await compareCase(name);
      expect(result.changes.chapters, name).toEqual([]);
      expect(result.trees.size, name).toBe(0);
      expect(summaryLine(result.changes)).toBe('No changes since 0.1.');
    }
  });

  it('a new marked passage is new and marked, and counts as a new contribution', async () => {
    const { result } = await compareCase('new-marked-passage');
    const changes = result.changes.chapters.flatMap((chapter) => chapter.changes);
    expect(changes.map((change) => [change.kind, change.block, change.source])).toEqual([
      // The words are the same, newly marked: no change of text, but a new contribution.
      ['added', 'contribution', 'tour'],
    ]);
    expect(result.changes.newContributions).toEqual(new Map([['tour', 2]]));
    const html = toHtml(result.trees.get('einfuehrung-01-worum-es-geht')!);
    expect(html).toContain('<div class="beitrag beitrag--tour beitrag--block" data-quelle="tour"><p class="beitrag__kopf">');
    expect(html).toContain('<p class="aenderung aenderung--added" id="aenderung-1"><ins datetime="2026-01-01"><span class="aenderung__hinweis">Eingefügt: </span>Auf der Zukunfts-Tour');
  });

  it('a block rewritten entirely is replaced: the old struck, then the new inserted', async () => {
    const { result } = await compareCase('replaced-block');
    expect(kinds(result.changes)).toEqual(['replaced paragraph']);
    const html = toHtml(result.trees.get('ziele-01-unsere-ziele')!);
    expect(html).toMatch(/<p class="aenderung aenderung--replaced" id="aenderung-1"><del [^>]*><span class="aenderung__hinweis">Gestrichen: <\/span>Die Ziele sind bewusst[^<]*<\/del><\/p>\s*<p class="aenderung aenderung--replaced"><span class="aenderung__vermerk">neu gefasst<\/span> <ins [^>]*><span class="aenderung__hinweis">Eingefügt: <\/span>Ab 2025/);
  });

  it('a chapter with every word changed is replaced block by block, not confetti', async () => {
    const { result } = await compareCase('every-word-changed');
    const list = kinds(result.changes);
    // The title keeps one of its two words ("Unsere Ziele" -> "Unsere Vorhaben"): changed.
    expect(list.filter((kind) => kind.startsWith('changed'))).toEqual(['changed heading']);
    expect(list).toContain('replaced paragraph');
    expect(list).toContain('replaced list-item');
    const html = toHtml(result.trees.get('ziele-01-unsere-ziele')!);
    expect(html).not.toMatch(/<\/ins> \S+ <del/);
  });

  it('a split chapter: the blocks in the new chapter are moved from the old one', async () => {
    const { result } = await compareCase('split-chapter');
    const added = result.changes.chapters.find((chapter) => chapter.status === 'added')!;
    expect(added.changes.map((change) => `${change.kind} ${change.block}`)).toEqual(['added heading', 'moved paragraph', 'moved table-row', 'moved table-row', 'moved table-row']);
    expect(added.changes[1]!.movedFrom?.chapterTitle).toBe('Unsere Ziele');
  });

  it('a removed chapter is announced where it stood; a new one is one change, all inserted', async () => {
    const { result } = await compareCase('removed-and-added-chapter');
    expect(result.changes.chapters.map((chapter) => [chapter.status, chapter.title, chapter.changes.map((change) => change.kind)])).toEqual([
      ['removed', 'Unsere Ziele', ['removed']],
      ['added', 'Ausblick', ['added']],
    ]);
    expect(result.changes.summary).toMatchObject({ chaptersAdded: 1, chaptersRemoved: 1, added: 1, removed: 1 });
    expect(toHtml(result.trees.get('einfuehrung-01-worum-es-geht')!)).toContain('<span class="aenderung__hinweis">Gestrichen: </span>Kapitel „Unsere Ziele“</del> <span class="aenderung__vermerk">entfällt</span>');
    const removedRows = result.changes.synopsis.find((chapter) => chapter.title === 'Unsere Ziele')!.rows;
    expect(removedRows.every((row) => row.kind === 'removed' && row.earlier && !row.later)).toBe(true);
  });
});

describe('the Synopse rows', () => {
  it('condense unchanged blocks and show each side of a changed one', async () => {
    const { result } = await compareCase('changed-words');
    const [chapter] = result.changes.synopsis;
    expect(chapter!.rows.map((row) => [row.kind, row.count])).toEqual([
      ['unchanged', 2],
      ['changed', undefined],
      ['unchanged', expect.any(Number)],
    ]);
    const row = chapter!.rows[1]!;
    expect(row.changeId).toBe('aenderung-1');
    const earlier = toHtml({ type: 'root', children: row.earlier! } as Root);
    const later = toHtml({ type: 'root', children: row.later! } as Root);
    expect(earlier).toContain('<del datetime="2026-01-01"><span class="aenderung__hinweis">Gestrichen: </span>tiefgreifenden Wandel der Industrie</del>, der');
    expect(earlier).not.toContain('<ins');
    expect(later).toContain('<ins datetime="2026-01-01"><span class="aenderung__hinweis">Eingefügt: </span>raschen Wandel der Automobilindustrie</ins>, der');
    expect(later).not.toContain('<del');
  });

  it('give list items and table rows their container, without ids', async () => {
    const { result } = await compareCase('every-word-changed');
    const rows = result.changes.synopsis[0]!.rows;
    const html = rows.flatMap((row) => [...(row.earlier ?? []), ...(row.later ?? [])]).map((node) => toHtml(node)).join('\n');
    expect(html).toMatch(/^<ul><li>/m);
    expect(html).toMatch(/^<table><tbody><tr>/m);
    expect(html).not.toMatch(/ id="/);
  });
});

describe('charta diff output', () => {
  it('gives JSON with a change per entry, places relative to the project', async () => {
    const { result } = await compareCase('moved-to-other-chapter');
    const json = changesAsJson(result.changes);
    expect(json.summary.moved).toBe(1);
    expect(json.changes).toEqual([
      expect.objectContaining({ kind: 'moved', block: 'paragraph', file: 'charta/02-ziele/01-unsere-ziele.md', line: 5, column: 1, chapter: 'Unsere Ziele', earlier: { file: 'charta/01-einfuehrung/01-worum-es-geht.md', line: 5, column: 1 } }),
    ]);
  });

  it('prints a line per change like a compiler, and a summary', async () => {
    const { result } = await compareCase('changed-words');
    const root = path.join(folder, 'changed-words', 'later');
    expect(formatChangeLines(result.changes, root)).toEqual([
      // Both texts from shortly before their first difference, cut at about 60 characters.
      'charta/01-einfuehrung/01-worum-es-geht.md:5:1  changed   „…Region steht vor einem tiefgreifenden Wandel der Industrie,…“ → „…Region steht vor einem raschen Wandel der Automobilindustri…“',
      '1 change in 1 chapter: 1 changed; 4 words added, 4 removed',
    ]);
  });
});

describe('scale', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'charta-compare-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds 10,000 small changes among 20,000 paragraphs', async () => {
    const earlierRoot = path.join(dir, 'earlier');
    const laterRoot = path.join(dir, 'later');
    for (const root of [earlierRoot, laterRoot]) await cp(path.join(folder, 'insertion', 'earlier'), root, { recursive: true });
    const paragraphs = (changed: boolean) =>
      Array.from({ length: 20 }, (_, chapter) => {
        const lines = [`# Kapitel ${chapter + 1}`];
        for (let i = 0; i < 1000; i++) {
          const n = chapter * 1000 + i;
          const word = changed && i % 2 === 0 ? 'geänderte' : 'bisherige';
          lines.push(`Absatz ${n} beschreibt die ${word} Lage im Ort ${n} mit einigen Worten mehr.`);
        }
        return lines.join('\n\n');
      });
    for (const [root, changed] of [[earlierRoot, false], [laterRoot, true]] as const) {
      await rm(path.join(root, 'charta', '02-ziele'), { recursive: true, force: true });
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.join(root, 'charta', '02-ziele'));
      const texts = paragraphs(changed);
      for (const [index, text] of texts.entries()) await writeFile(path.join(root, 'charta', '02-ziele', `${String(index + 1).padStart(2, '0')}-kapitel.md`), `${text}\n`);
    }
    const earlier = await load(earlierRoot);
    const later = await load(laterRoot);
    const { changes, trees } = compareChartas(earlier, later, baseline);
    expect(changes.summary).toMatchObject({ changed: 10_000, added: 0, removed: 0, moved: 0, replaced: 0, wordsAdded: 10_000, wordsRemoved: 10_000 });
    expect(trees.size).toBe(20);
  }, 120_000);
});
