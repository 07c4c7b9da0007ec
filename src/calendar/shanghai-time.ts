// Whole dates are 'YYYY-MM-DD' strings, computed as UTC midnights so no local offset can shift them.
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Asia/Shanghai has had no DST since 1991, so a fixed offset is exact for every date we handle.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

// setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
function utcDate(year: number, monthIndex: number, day: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d;
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function parts(date: string): [number, number, number] {
  if (!isValidDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
  const [, y, m, d] = DATE_PATTERN.exec(date)!;
  return [Number(y), Number(m), Number(d)];
}

/** True when `s` is a real calendar date written as 'YYYY-MM-DD' (e.g. '2025-02-29' is false). */
export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_PATTERN.exec(s);
  if (!m) return false;
  return format(utcDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === s;
}

/** Day of the week of a 'YYYY-MM-DD' date: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  const [y, m, d] = parts(date);
  return utcDate(y, m - 1, d).getUTCDay();
}

/** The date `n` calendar days after `date` (negative `n` goes back). */
export function addCalendarDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer, got ${n}`);
  const [y, m, d] = parts(date);
  return format(utcDate(y, m - 1, d + n));
}

/** The date `n` months after `date`, clamped to the last day of the target month (2025-01-31 + 1 = 2025-02-28). */
export function addMonths(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`month count must be an integer, got ${n}`);
  const [y, m, d] = parts(date);
  const lastDay = utcDate(y, m - 1 + n + 1, 0).getUTCDate();
  return format(utcDate(y, m - 1 + n, Math.min(d, lastDay)));
}

/** The Asia/Shanghai calendar date of an instant (2025-09-30T17:00:00Z → '2025-10-01'). */
export function shanghaiDate(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid Date');
  return format(new Date(instant.getTime() + SHANGHAI_OFFSET_MS));
}

/** The instant a date begins in Asia/Shanghai (00:00 +08:00). */
export function startOfShanghaiDay(date: string): Date {
  const [y, m, d] = parts(date);
  return new Date(utcDate(y, m - 1, d).getTime() - SHANGHAI_OFFSET_MS);
}

/** The instant a date ends in Asia/Shanghai: 00:00 +08:00 of the next day. A limit expires at this instant of its last working day. */
export function endOfShanghaiDay(date: string): Date {
  return startOfShanghaiDay(addCalendarDays(date, 1));
}
