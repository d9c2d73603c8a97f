/**
 * The data of the YAML files as the persistent cache kept it (`chapter-store.ts`), as if read now.
 * Their places are found by parsing a file again, and the parser (`read-yaml.js`, with the yaml
 * library) is loaded only for that: a load whose four files come from the cache without a problem
 * never loads it. A place asked before it is loaded stands in until `placeMessages`.
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { error, warn } from '../core/messages.js';
import type { YamlSource } from './read-yaml.js';

type Parser = typeof import('./read-yaml.js');
let parser: Parser | undefined;

/** The parser of YAML sources, loaded on first use. */
export async function yamlParser(): Promise<Parser> {
  return (parser ??= await import('./read-yaml.js'));
}

/** The kept sources of one load, and the places asked of them before the parser was there. */
export function keptYamlSources() {
  const standIns = new Map<Point, { file: VFile; path: ReadonlyArray<string | number> }>();
  const places = new Map<VFile, (path: ReadonlyArray<string | number>) => Position | Point>();
  const placeIn = (loaded: Parser, file: VFile, path: ReadonlyArray<string | number>) => {
    let placeOf = places.get(file);
    if (!placeOf) places.set(file, (placeOf = loaded.placesOf(String(file.value))));
    return placeOf(path);
  };
  return {
    /** `data`, validated from `file` by an earlier load, with places as `readYaml` gives them. */
    source<T>(file: VFile, data: T): YamlSource<T> {
      const placeOf = (path: ReadonlyArray<string | number>): Position | Point => {
        if (parser) return placeIn(parser, file, path);
        const standIn: Point = { line: 1, column: 1 };
        standIns.set(standIn, { file, path });
        return standIn;
      };
      return { file, data, placeOf };
    },
    /**
     * Gives the messages made with a stand-in their real places (messages are printed sorted by
     * place, so each is made again). The chapter transforms record places in the chapters' data:
     * they load the parser before they start (`yamlParser`).
     */
    async placeMessages(): Promise<void> {
      if (standIns.size === 0) return;
      const loaded = await yamlParser();
      for (const file of new Set([...standIns.values()].map((standIn) => standIn.file))) {
        const standing = file.messages.filter((message) => standIns.has(message.place as Point));
        file.messages = file.messages.filter((message) => !standing.includes(message));
        for (const message of standing) {
          const { path } = standIns.get(message.place as Point)!;
          (message.fatal ? error : warn)(file, message.reason, placeIn(loaded, file, path), message.ruleId ?? 'charta');
        }
      }
      standIns.clear();
    },
  };
}
