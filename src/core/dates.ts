/**
 * German dates as the charta writes them: `2023-05-16` -> "16. Mai 2023", `2022-08` -> "August 2022",
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
