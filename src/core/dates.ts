import type { Charta } from '../charta.js';
import { ChartaError, ExitCode } from './errors.js';

/**
 * Dates: the German forms the charta writes, and the time of an edition. German dates: `2023-05-16` -> "16. Mai 2023", `2022-08` -> "August 2022",
 * a range in one month -> "24.–30. April 2024".
 */

const monthNames = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

interface Parts {
  year: number;
  month: number;
  day?: number;
}

function parts(iso: string): Parts {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year ?? 0, month: month ?? 1, day };
}

/** One date, or a range from `from` to `to`. */
export function formatDate(from: string, to?: string): string {
  const a = parts(from);
  const one = (p: Parts) => `${p.day ? `${p.day}. ` : ''}${monthNames[p.month - 1]} ${p.year}`;
  if (!to) return one(a);
  const b = parts(to);
  if (a.day && b.day && a.year === b.year && a.month === b.month) return `${a.day}.–${b.day}. ${monthNames[a.month - 1]} ${a.year}`;
  return `${one(a)} – ${one(b)}`;
}

/**
 * The time of the edition: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds set it)
 * when given, otherwise the charta's date at midnight UTC. Never the clock, so that two builds of
 * the same sources give the same bytes.
 */
export function editionTime(charta: Charta, env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH?.trim();
  if (epoch) {
    if (!/^\d+$/.test(epoch) || !Number.isSafeInteger(Number(epoch) * 1000)) {
      throw new ChartaError(`SOURCE_DATE_EPOCH is "${epoch}", not a number of seconds since 1970`, ExitCode.environment, 'Set it to an integer such as 1763596800, or unset it to use the date in charta.yaml.');
    }
    return new Date(Number(epoch) * 1000);
  }
  const [year = '1970', month = '01', day = '01'] = charta.meta.datum.split('-');
  return new Date(`${year}-${month}-${day}T00:00:00Z`);
}
