/**
 * The search in the pages of the HTML edition (bundled into `js/suche.js`): the WAI-ARIA combobox
 * of the `<search>` element in the page header, its results by section grouped by chapter, and
 * the hits marked on the page a result opens (its address carries the query as `?suche=`).
 *
 * Nothing is fetched: the index is a classic script (`js/suche-index.js`) inserted on first use,
 * which works from `file://` as well as from a server. The query only ever reaches the page as
 * text (`textContent`, attributes, URL parameters), never as markup.
 */
import MiniSearch, { type AsPlainObject, type SearchResult } from 'minisearch';
import { isHit } from './german-terms.js';
import { indexGlobal, queryParameter, searchFiles, searchOptions, skippedSelector, type SearchDocument } from './search-options.js';

/** At most this many results are listed; the status says how many there are in all. */
const listed = 50;
/** A snippet is about this many characters, around the first hit. */
const snippetLength = 180;

/** The parts of the page the search works with (see templates/html/layout.mustache). */
interface Elements {
  search: HTMLElement;
  input: HTMLInputElement;
  status: HTMLElement;
  listbox: HTMLElement;
}

interface Result {
  id: number;
  url: string;
  chapter: string;
  heading: string;
  text: string;
  terms: Set<string>;
}

let loading: Promise<MiniSearch<SearchDocument>> | undefined;

/** The index, from `js/suche-index.js` under `root`, loaded once by a `<script>` element. */
function loadIndex(root: URL): Promise<MiniSearch<SearchDocument>> {
  loading ??= new Promise((resolve, reject) => {
    const global = globalThis as unknown as Record<string, AsPlainObject | undefined>;
    // The serialized index is only needed until MiniSearch has read it.
    const take = () => {
      const data = global[indexGlobal];
      delete global[indexGlobal];
      return data && MiniSearch.loadJS(data, searchOptions);
    };
    const ready = take();
    if (ready) {
      resolve(ready);
      return;
    }
    const script = document.createElement('script');
    script.src = new URL(searchFiles.index, root).href;
    script.addEventListener('load', () => {
      const index = take();
      if (index) resolve(index);
      else reject(new Error('The search index is empty'));
    });
    script.addEventListener('error', () => {
      loading = undefined;
      script.remove();
      reject(new Error('The search index could not be loaded'));
    });
    document.head.append(script);
  });
  return loading;
}

function search(index: MiniSearch<SearchDocument>, query: string): Result[] {
  return index.search(query).map((hit: SearchResult) => ({
    id: Number(hit.id),
    url: String(hit.url),
    chapter: String(hit.chapter),
    heading: String(hit.heading),
    text: String(hit.text),
    terms: new Set(hit.terms),
  }));
}

/** "3 Treffer", "Keine Treffer", and how many are listed when not all. */
export function countText(count: number): string {
  if (count === 0) return 'Keine Treffer';
  return count > listed ? `${count} Treffer, die ersten ${listed} angezeigt` : `${count} Treffer`;
}

const wordPattern = /[\p{L}\p{N}]+/gu;

/** Appends `text` to `parent`, each hit for `terms` in a `<mark>`; returns whether there was one. */
function appendMarked(parent: HTMLElement, text: string, terms: ReadonlySet<string>): boolean {
  let last = 0;
  let marked = false;
  for (const match of text.matchAll(wordPattern)) {
    if (!isHit(match[0], terms)) continue;
    if (match.index > last) parent.append(text.slice(last, match.index));
    const mark = document.createElement('mark');
    mark.textContent = match[0];
    parent.append(mark);
    last = match.index + match[0].length;
    marked = true;
  }
  if (last < text.length) parent.append(text.slice(last));
  return marked;
}

/** About `snippetLength` characters of `text` around its first hit, cut at spaces. */
export function snippetOf(text: string, terms: ReadonlySet<string>): string {
  let first = 0;
  for (const match of text.matchAll(wordPattern)) {
    if (isHit(match[0], terms)) {
      first = match.index;
      break;
    }
  }
  let start = Math.max(0, first - snippetLength / 3);
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + snippetLength);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '… ' : ''}${text.slice(start, end)}${end < text.length ? ' …' : ''}`;
}

/** The address of a result, with the query for the page to mark its hits. */
function resultHref(root: URL, result: Result, query: string): string {
  const url = new URL(result.url, root);
  url.searchParams.set(queryParameter, query);
  return url.href;
}

/** The combobox: typing searches, arrows move through the results, Enter opens, Escape closes. */
class Combobox {
  private results: Result[] = [];
  private options: HTMLAnchorElement[] = [];
  private active = -1;
  private generation = 0;

  constructor(
    private readonly elements: Elements,
    private readonly root: URL,
  ) {
    const { input, search } = elements;
    input.addEventListener('input', () => void this.update());
    input.addEventListener('focus', () => {
      void loadIndex(root).catch(() => undefined);
      if (input.value.trim()) void this.update();
    });
    input.addEventListener('keydown', (event) => this.onKey(event));
    search.addEventListener('focusout', (event) => {
      if (!(event.relatedTarget instanceof Node && search.contains(event.relatedTarget))) this.close();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
    document.addEventListener('pointerdown', (event) => {
      if (!(event.target instanceof Node && search.contains(event.target))) this.close();
    });
  }

  /** Searches for what the input holds and shows the results. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const query = this.elements.input.value.trim();
    if (!query) {
      this.results = [];
      this.render('');
      this.close();
      return;
    }
    let index: MiniSearch<SearchDocument>;
    try {
      this.elements.status.textContent ||= 'Die Suche wird geladen …';
      index = await loadIndex(this.root);
    } catch {
      this.elements.status.textContent = 'Die Suche konnte nicht geladen werden.';
      return;
    }
    if (generation !== this.generation) return;
    this.results = search(index, query);
    this.render(query);
    this.open();
  }

  private render(query: string): void {
    const { listbox, status } = this.elements;
    listbox.replaceChildren();
    this.options = [];
    this.active = -1;
    this.elements.input.removeAttribute('aria-activedescendant');
    status.textContent = query ? countText(this.results.length) : '';
    const groups = new Map<string, HTMLElement>();
    for (const result of this.results.slice(0, listed)) {
      let group = groups.get(result.chapter);
      if (!group) {
        group = document.createElement('div');
        group.className = 'suche__gruppe';
        group.setAttribute('role', 'group');
        const label = document.createElement('div');
        label.className = 'suche__kapitel';
        label.id = `suche-gruppe-${groups.size}`;
        label.setAttribute('role', 'presentation');
        label.textContent = result.chapter;
        group.setAttribute('aria-labelledby', label.id);
        group.append(label);
        listbox.append(group);
        groups.set(result.chapter, group);
      }
      const option = document.createElement('a');
      option.className = 'suche__option';
      option.id = `suche-option-${this.options.length}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.tabIndex = -1;
      option.href = resultHref(this.root, result, query);
      const title = document.createElement('span');
      title.className = 'suche__titel';
      appendMarked(title, result.heading, result.terms);
      const snippet = document.createElement('span');
      snippet.className = 'suche__auszug';
      appendMarked(snippet, snippetOf(result.text, result.terms), result.terms);
      option.append(title, snippet);
      option.addEventListener('mousedown', (event) => event.preventDefault());
      group.append(option);
      this.options.push(option);
    }
  }

  private open(): void {
    const { search, input, listbox } = this.elements;
    search.classList.add('suche--offen');
    const expanded = this.options.length > 0;
    listbox.hidden = !expanded;
    input.setAttribute('aria-expanded', String(expanded));
  }

  private close(): void {
    const { search, input, listbox } = this.elements;
    search.classList.remove('suche--offen');
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    this.select(-1);
  }

  private get expanded(): boolean {
    return this.elements.input.getAttribute('aria-expanded') === 'true';
  }

  private select(index: number): void {
    this.options[this.active]?.setAttribute('aria-selected', 'false');
    this.active = index;
    const option = this.options[index];
    if (!option) {
      this.elements.input.removeAttribute('aria-activedescendant');
      return;
    }
    option.setAttribute('aria-selected', 'true');
    this.elements.input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  }

  private onKey(event: KeyboardEvent): void {
    const count = this.options.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!this.expanded) {
          if (!this.elements.input.value.trim()) return;
          this.open();
        }
        if (count === 0) return;
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.select(this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count);
        break;
      }
      case 'Enter': {
        if (!this.expanded || count === 0) return;
        event.preventDefault();
        const option = this.options[Math.max(this.active, 0)]!;
        location.href = option.href;
        break;
      }
      case 'Escape': {
        event.preventDefault();
        if (this.expanded || this.elements.search.classList.contains('suche--offen')) this.close();
        else {
          this.elements.input.value = '';
          void this.update();
        }
        break;
      }
    }
  }
}

/** Marks in `container` every word that is a hit for `terms`; returns the marks. */
function markHits(container: HTMLElement, terms: ReadonlySet<string>): HTMLElement[] {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest(skippedSelector) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
  const marks: HTMLElement[] = [];
  for (const text of texts) {
    const value = text.data;
    const holder = document.createElement('span');
    if (!appendMarked(holder, value, terms)) continue;
    for (const mark of holder.querySelectorAll('mark')) {
      mark.className = 'suchtreffer';
      marks.push(mark);
    }
    text.replaceWith(...holder.childNodes);
  }
  return marks;
}

/** Removes the marks, keeping their text. */
function unmark(marks: readonly HTMLElement[]): void {
  for (const mark of marks) {
    const parent = mark.parentNode;
    mark.replaceWith(...mark.childNodes);
    parent?.normalize();
  }
}

/** The page's address without the query parameter, where the browser allows changing it. */
function dropQueryFromAddress(): void {
  try {
    const url = new URL(location.href);
    url.searchParams.delete(queryParameter);
    history.replaceState(history.state, '', url.href);
  } catch {
    // Some browsers refuse to change a file:// address; the marks are gone all the same.
  }
}

/** On a page opened from a result: marks the query's hits and offers to clear them. */
async function markPage(root: URL, query: string): Promise<void> {
  const article = document.querySelector<HTMLElement>('main .kapitel');
  const main = document.querySelector<HTMLElement>('main');
  if (!article || !main) return;
  const results = search(await loadIndex(root), query);
  const here = new URL(location.href);
  here.search = '';
  here.hash = '';
  const onThisPage = results.filter((result) => {
    const url = new URL(result.url, root);
    url.hash = '';
    return url.href === here.href;
  });
  const terms = new Set((onThisPage.length > 0 ? onThisPage : results).flatMap((result) => [...result.terms]));
  const marks = markHits(article, terms);
  if (marks.length === 0) return;

  const bar = document.createElement('div');
  bar.className = 'suchmarkierung';
  const text = document.createElement('p');
  text.className = 'suchmarkierung__text';
  text.append(`${marks.length === 1 ? 'Ein Treffer' : `${marks.length} Treffer`} für „`);
  const shown = document.createElement('strong');
  shown.textContent = query;
  text.append(shown, '“ markiert.');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'suchmarkierung__aufheben';
  button.textContent = 'Markierung aufheben';
  button.addEventListener('click', () => {
    unmark(marks);
    bar.remove();
    dropQueryFromAddress();
    main.focus();
  });
  bar.append(text, button);
  main.prepend(bar);
  // The marks split text nodes; bring the section the address names back into view.
  if (location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
}

/** Starts the search in this page; `root` is the edition's folder. */
export function startSearch(root: URL): void {
  const search = document.querySelector<HTMLElement>('search.suche');
  const input = search?.querySelector<HTMLInputElement>('.suche__eingabe');
  const status = search?.querySelector<HTMLElement>('.suche__status');
  const listbox = search?.querySelector<HTMLElement>('.suche__treffer');
  if (!search || !input || !status || !listbox) return;
  search.hidden = false;
  new Combobox({ search, input, status, listbox }, root);
  const query = new URLSearchParams(location.search).get(queryParameter)?.trim();
  if (query) {
    input.value = query;
    void markPage(root, query).catch(() => undefined);
  }
}
