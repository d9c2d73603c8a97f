/**
 * The print edition puts every chapter into one document, so an id must be unique across all of
 * them: each chapter's ids get the chapter's id as a prefix. The ids also name the PDF's
 * destinations, so they are kept to ASCII letters, digits and hyphens (`für` becomes `fuer`).
 */

const transliteration: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ẞ: 'SS' };

/** `text` as an ASCII id: umlauts spelled out, other accents dropped, the rest as hyphens. */
export function asciiId(text: string): string {
  const spelled = text.replace(/[äöüßÄÖÜẞ]/g, (letter) => transliteration[letter] ?? letter);
  return (
    spelled
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'id'
  );
}

/** Hands out the document's ids: the same answer for the same question, never one twice. */
export class PrintIds {
  readonly #byKey = new Map<string, string>();
  readonly #used = new Set<string>();

  /** The id of a part of the document itself (cover, contents, a part's title page). */
  reserve(name: string): string {
    return this.#claim(`\u0000${name}`, asciiId(name));
  }

  /** The print id of the element with id `id` in chapter `chapterId`. */
  of(chapterId: string, id: string): string {
    return this.#claim(`${chapterId}\u0000${id}`, `${asciiId(chapterId)}--${asciiId(id)}`);
  }

  #claim(key: string, wanted: string): string {
    const known = this.#byKey.get(key);
    if (known) return known;
    let id = wanted;
    for (let n = 2; this.#used.has(id); n++) id = `${wanted}-${n}`;
    this.#used.add(id);
    this.#byKey.set(key, id);
    return id;
  }
}
