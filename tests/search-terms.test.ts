/**
 * The search's German terms and its index, without a browser: folding, stemming, compounds, the
 * options shared by the build and the page, and the documents taken from the real charta.
 */
import vm from 'node:vm';
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Charta } from '../src/charta.js';
import { loadCharta } from '../src/load/load-charta.js';
import { htmlAddresses } from '../src/render/html/render-html.js';
import { countText, snippetOf } from '../src/search/browser-search.js';
import { compoundTails, foldWord, indexTerms, isHit, searchTerm, tokenize, vocabularyOf } from '../src/search/german-terms.js';
import { searchDocuments } from '../src/search/search-documents.js';
import { buildSearchIndex, searchIndexScript } from '../src/search/search-index.js';
import { indexGlobal, searchOptions, type SearchDocument } from '../src/search/search-options.js';
import { projectRoot } from './helpers.js';

describe('German terms', () => {
  it('splits words at everything but letters and digits', () => {
    expect(tokenize('Die ITAS-Kongresse, Bürger:innen und jede:r – seit 2023!')).toEqual(['Die', 'ITAS', 'Kongresse', 'Bürger', 'innen', 'und', 'jede', 'r', 'seit', '2023']);
  });

  it('folds umlauts, their spellings with e and without, and ß alike', () => {
    const term = searchTerm('Südwestsachsen');
    expect(term).toBe('sudwestsachs');
    expect(searchTerm('Suedwestsachsen')).toBe(term);
    expect(searchTerm('Sudwestsachsen')).toBe(term);
    expect(searchTerm('SÜDWESTSACHSEN')).toBe(term);
    expect(searchTerm('Straße')).toBe(searchTerm('Strasse'));
    expect(searchTerm('Mobilität')).toBe(searchTerm('Mobilitaet'));
    expect(searchTerm('Größe')).toBe(searchTerm('Groesse'));
    expect(searchTerm('Öffentlichkeit')).toBe(searchTerm('Oeffentlichkeit'));
    // Composed and decomposed umlauts are one word.
    expect(searchTerm('Mobilita\u0308t')).toBe(searchTerm('Mobilität'));
  });

  it('keeps "ue" after "q" as it is', () => {
    expect(foldWord('Quelle')).toBe('quelle');
    expect(foldWord('Bequemlichkeit')).toBe('bequemlichkeit');
    // A real "ue" is folded too, on both sides alike: the word still finds itself.
    expect(foldWord('Feuer')).toBe('feür');
    expect(searchTerm('Feuer')).toBe(searchTerm('feuer'));
  });

  it('reduces inflected forms to one stem (Snowball German)', () => {
    expect(searchTerm('Regionen')).toBe(searchTerm('Region'));
    expect(searchTerm('Unternehmens')).toBe(searchTerm('Unternehmen'));
    expect(searchTerm('Fahrzeuge')).toBe(searchTerm('Fahrzeug'));
    expect(searchTerm('Industrien')).toBe(searchTerm('Industrie'));
    expect(searchTerm('Beschäftigten')).toBe(searchTerm('Beschäftigte'));
    expect(searchTerm('Region')).not.toBe(searchTerm('Rechnung'));
  });

  it('leaves out stopwords and single letters', () => {
    for (const word of ['und', 'der', 'Die', 'für', 'fuer', 'über', 'r', 'a']) expect(searchTerm(word), word).toBeNull();
    expect(searchTerm('Ziel')).toBe('ziel');
  });

  it('finds the tails of compounds that are words of the text', () => {
    const vocabulary = vocabularyOf(['Die Industrie der Region und ihr Leitbild.']);
    expect(vocabulary.has('industri')).toBe(true);
    expect(compoundTails(foldWord('Zulieferindustrie'), vocabulary)).toEqual(['industri']);
    expect(compoundTails(foldWord('Textilindustrie'), vocabulary)).toEqual(['industri']);
    expect(compoundTails(foldWord('Automobilindustrien'), vocabulary)).toEqual(['industri']);
    expect(compoundTails(foldWord('Industrieregion'), vocabulary)).toEqual(['region']);
    expect(compoundTails(foldWord('Zukunftsbild'), vocabulary)).toEqual([]);
    // The part before a tail has at least four letters: no "ver|band", no "be|reich".
    expect(compoundTails(foldWord('Verband'), vocabularyOf(['Band']))).toEqual([]);
    // A tail the text never uses as a word is no tail.
    expect(compoundTails(foldWord('Zulieferindustrie'), vocabularyOf(['Region']))).toEqual([]);
    const terms = indexTerms(vocabulary);
    // Only nouns (capitalized) are split, and only into the text's nouns.
    expect(terms('industriepolitische')).toEqual([searchTerm('industriepolitische')]);
    expect([...vocabularyOf(['Vier Felder. Wir intensivieren das: Dort steht ein Tisch, nicht vier.'])].sort()).toEqual(['feld', 'tisch']);
    expect(indexTerms(vocabularyOf(['Der Tisch.']))('Schreibtisch')).toEqual(['schreibtisch', 'tisch']);
    expect(indexTerms(vocabularyOf(['Der Tisch.']))('politische')).toEqual(['polit']);
    expect(terms('Textilindustrie')).toEqual(['textilindustri', 'industri']);
    expect(terms('Industrie')).toEqual(['industri']);
    expect(terms('und')).toBeNull();
  });

  it('tells a hit by the terms a search matched', () => {
    const terms = new Set(['industri']);
    expect(isHit('Industrie', terms)).toBe(true);
    expect(isHit('Zulieferindustrie', terms)).toBe(true);
    expect(isHit('INDUSTRIEN', terms)).toBe(true);
    expect(isHit('Region', terms)).toBe(false);
    expect(isHit('und', terms)).toBe(false);
    expect(isHit('Schreibtisch', new Set(['tisch']))).toBe(true);
    expect(isHit('politische', new Set(['tisch']))).toBe(false);
  });
});

const documents: SearchDocument[] = [
  { id: 0, url: 'a.html', chapter: 'A', heading: 'Die Industrie', text: 'Die Industrie der Region Südwestsachsen steht vor dem Wandel.' },
  { id: 1, url: 'b.html#textil', chapter: 'B', heading: 'Textil', text: 'Die Textilindustrie prägte die Städte; heute die Zulieferindustrie.' },
  { id: 2, url: 'b.html#mobil', chapter: 'B', heading: 'Mobilität', text: 'Regionen brauchen Mobilitätskonzepte und Transformation.' },
  { id: 3, url: 'c.html', chapter: 'C', heading: 'Ausblick', text: 'Nichts davon hier.' },
];

describe('the index with the shared options', () => {
  const index = buildSearchIndex(documents);
  const ids = (query: string) => index.search(query).map((result) => result.id).sort();

  it('finds folded umlauts, stems and compounds', () => {
    expect(ids('Suedwestsachsen')).toEqual([0]);
    expect(ids('Sudwestsachsen')).toEqual([0]);
    expect(ids('Industrie')).toEqual([0, 1]);
    expect(ids('Industrien')).toEqual([0, 1]);
    expect(ids('Region')).toEqual([0, 2]);
    expect(ids('Städte')).toEqual([1]);
    expect(ids('Staedte')).toEqual([1]);
  });

  it('finds prefixes while typing, one typo, and every word of a query', () => {
    expect(ids('Zuliefer')).toEqual([1]);
    expect(ids('Mobil')).toEqual([2]);
    expect(ids('Transfromation')).toEqual([2]);
    expect(ids('Industrie Region')).toEqual([0]);
    expect(ids('Industrie Ausblick')).toEqual([]);
    expect(ids('Quantencomputer')).toEqual([]);
  });

  it('counts a hit in the heading more', () => {
    expect(index.search('Industrie')[0]!.id).toBe(0);
  });

  it('loads in a page from the classic script, with the same results', () => {
    const script = searchIndexScript(index);
    expect(script).toMatch(new RegExp(`^// .*\\nglobalThis\\.${indexGlobal} = \\{`));
    const page = vm.createContext({});
    vm.runInContext(script, page);
    const loaded = MiniSearch.loadJS(page[indexGlobal], searchOptions);
    for (const query of ['Industrie', 'Suedwestsachsen', 'Zuliefer', 'Transfromation', 'Regionen']) {
      expect(loaded.search(query).map((result) => [result.id, result.terms]), query).toEqual(index.search(query).map((result) => [result.id, result.terms]));
    }
    expect(loaded.search('Textil')[0]).toMatchObject({ url: 'b.html#textil', chapter: 'B', heading: 'Textil' });
  });
});

describe('the page side', () => {
  it('counts in German', () => {
    expect(countText(0)).toBe('Keine Treffer');
    expect(countText(1)).toBe('1 Treffer');
    expect(countText(3)).toBe('3 Treffer');
    expect(countText(120)).toBe('120 Treffer, die ersten 50 angezeigt');
  });

  it('cuts a snippet around the first hit, at spaces', () => {
    const text = `${'Wort '.repeat(60)}die Zulieferindustrie der Region ${'Ende '.repeat(60)}`.trim();
    const snippet = snippetOf(text, new Set(['industri']));
    expect(snippet).toMatch(/^… (Wort )+die Zulieferindustrie der Region (Ende )+…$/);
    expect(snippet.length).toBeLessThan(200);
    expect(snippetOf('Kurz und gut.', new Set(['nichts']))).toBe('Kurz und gut.');
  });
});

describe('the documents of the real charta', () => {
  let charta: Charta;
  let all: SearchDocument[];
  beforeAll(async () => {
    charta = (await loadCharta({ root: projectRoot })).charta!;
    all = searchDocuments(charta, htmlAddresses);
  });

  it('are the sections of every chapter, addressed by their headings', () => {
    const chapters = charta.parts.flatMap((part) => part.chapters);
    expect(all.length).toBeGreaterThan(chapters.length * 2);
    for (const chapter of chapters) {
      const own = all.filter((document) => document.url.startsWith(`${chapter.id}.html`));
      expect(own[0], chapter.id).toMatchObject({ url: `${chapter.id}.html`, chapter: chapter.title });
      for (const document of own.slice(1)) {
        const id = decodeURIComponent(document.url.split('#')[1]!);
        expect(chapter.headings.some((heading) => heading.id === id && heading.text === document.heading), document.url).toBe(true);
      }
    }
    expect(new Set(all.map((document) => document.id)).size).toBe(all.length);
  });

  it('hold the text, not the marking’s labels nor the footnote numbers', () => {
    const text = all.map((document) => document.text).join('\n');
    expect(text).toContain('Die heimische Zulieferindustrie bei der Weiterentwicklung ihrer Geschäftsmodelle');
    expect(text).not.toMatch(/Beitrag aus:|[●▲◆■]|\[ *Antrag BMWK\]/);
    expect(text).not.toContain('↑');
  });

  it('put a footnote into the section that refers to it', () => {
    const section = all.find((document) => document.url === 'aktivitaeten-04-angebote.html#%C3%B6ffentlichkeitsarbeit' || document.url === 'aktivitaeten-04-angebote.html#öffentlichkeitsarbeit');
    expect(section?.text).toContain('Dort findet sich auch der Überblick über Veranstaltungen');
  });
});
