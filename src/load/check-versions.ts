/**
 * The version history of `charta.yaml` (`versionen`), checked where the schema cannot: each
 * version once, oldest first, the newest the charta's own `version`, and every older one with a
 * `stand` that git can read safely.
 */
import { error } from '../core/messages.js';
import type { YamlSource } from './read-yaml.js';
import { standPattern } from './identifiers.js';
import type { Metadata } from './schema.js';

type Place = ReturnType<YamlSource<Metadata>['placeOf']>;

/** Records an error on `meta.file` for each problem of `versionen`; nothing when it is absent. */
export function checkVersions(meta: YamlSource<Metadata>): void {
  const versions = meta.data.versionen;
  if (!versions || versions.length === 0) return;
  const at = (...path: Array<string | number>): Place => meta.placeOf(['versionen', ...path]);
  const seen = new Map<string, number>();
  versions.forEach((entry, index) => {
    const first = seen.get(entry.version);
    if (first !== undefined) {
      error(meta.file, `Version "${entry.version}" is listed twice in \`versionen\` (first as entry ${first + 1})`, at(index, 'version'), 'duplicate-version');
    } else {
      seen.set(entry.version, index);
    }
    const before = versions[index - 1];
    // ISO dates compare as text; a month alone (2023-06) counts as its first day.
    if (before && entry.datum < before.datum) {
      error(meta.file, `Version "${entry.version}" is dated ${entry.datum}, before version "${before.version}" (${before.datum}): list the versions oldest first`, at(index, 'datum'), 'version-order');
    }
    const newest = index === versions.length - 1;
    if (entry.stand === undefined) {
      if (!newest) {
        error(meta.file, `Version "${entry.version}" has no \`stand\`: name the git commit or tag that holds its sources`, at(index), 'missing-stand');
      }
    } else if (!standPattern.test(entry.stand)) {
      const why = entry.stand.startsWith('-') ? 'starts with "-" and would be read as an option' : 'has characters other than letters, digits and . _ / -';
      error(meta.file, `\`stand\` "${entry.stand}" ${why}: write a commit hash or a tag name`, at(index, 'stand'), 'bad-stand');
    }
  });
  const newest = versions.at(-1)!;
  if (meta.data.version !== newest.version) {
    error(meta.file, `\`version\` is "${meta.data.version}", but the newest entry of \`versionen\` is "${newest.version}": they must be the same`, meta.placeOf(['version']), 'version-not-newest');
  }
}
