import { addCalendarDays, dayOfWeek, isValidDate } from './shanghai-time';
import { STATUTORY_RULES_SINCE, statutoryHolidays } from './statutory-holidays';
import type { CalendarYear, Holiday } from './types';

/** Options for {@link WorkingCalendar}. */
export interface WorkingCalendarOptions {
  /** Receives one message per year that is counted by the statutory rules alone (no official schedule loaded). */
  warn?: (msg: string) => void;
}

/**
 * Thrown for a date in a year before 2025 with no loaded schedule: the statutory rules of the 2024 revision
 * do not apply to it and the older ones are not implemented, so nothing can be said about it.
 */
export class CalendarYearMissingError extends Error {
  readonly code = 'CALENDAR_YEAR_MISSING';

  constructor(readonly year: number) {
    super(`no holiday schedule loaded for ${year}, and the statutory holiday rules counted without one apply only from ${STATUTORY_RULES_SINCE}; add config/calendars/${year}.json`);
    this.name = 'CalendarYearMissingError';
  }
}

/** A date the calendar computed, and whether it rests on a year with no official schedule (statutory holidays only). */
export interface CalendarResult {
  date: string;
  provisional: boolean;
}

interface YearDays {
  holidays: Set<string>;
  workingWeekends: Set<string>;
}

/** A year counted once: `upTo[i]` is the number of working days among its days 0…i (0 = Jan 1). */
interface YearCount {
  upTo: Int32Array;
  total: number;
}

const DAY_MS = 86_400_000;
// Day index within its year and the year of a YYYY-MM-DD date, without building strings day by day.
const dayOfYear = (date: string) => (Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) - Date.UTC(+date.slice(0, 4), 0, 1)) / DAY_MS;
const dateOf = (year: number, index: number) => {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1 + index);
  return d.toISOString().slice(0, 10);
};

function assertDate(date: string): void {
  if (!isValidDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

function daysOf(holidays: readonly Holiday[], workingWeekends: readonly string[]): YearDays {
  const days = new Set<string>();
  for (const h of holidays) {
    for (let d = h.from; d <= h.to; d = addCalendarDays(d, 1)) days.add(d);
  }
  return { holidays: days, workingWeekends: new Set(workingWeekends) };
}

function officialYears(calendars: readonly CalendarYear[]): Map<number, YearDays> {
  const years = new Map<number, YearDays>();
  for (const c of calendars) {
    if (years.has(c.year)) throw new Error(`holiday schedule for ${c.year} given twice`);
    years.set(c.year, daysOf(c.holidays, c.workingWeekends));
  }
  return years;
}

/**
 * The legal working-day calendar of Administrative Licensing Law Art. 82: statutory holidays off, declared weekend
 * working days on. A year from 2025 without an official schedule is counted by the statutory rules alone
 * (weekends and the holidays the law fixes, no bridging or make-up days); every result touching it is provisional.
 */
export class WorkingCalendar {
  private official: Map<number, YearDays>;
  private readonly statutory = new Map<number, YearDays>();
  private readonly warnedYears = new Set<number>();
  // Working days counted per year once, so a clock is read in a few steps instead of one per day (work lists read thousands).
  private counts = new Map<number, YearCount>();

  constructor(calendars: readonly CalendarYear[], private readonly options: WorkingCalendarOptions = {}) {
    this.official = officialYears(calendars);
  }

  /** Replaces the official schedules (e.g. after config/calendars/<year>.json was added); a bad list leaves the old one. */
  reload(calendars: readonly CalendarYear[]): void {
    this.official = officialYears(calendars);
    this.warnedYears.clear();
    this.counts = new Map();
  }

  /** Years with a loaded official schedule, ascending. */
  loadedYears(): number[] {
    return [...this.official.keys()].sort((a, b) => a - b);
  }

  /** Whether dates in `year` are counted by the statutory rules alone, pending the official schedule. */
  isProvisionalYear(year: number): boolean {
    return !this.official.has(year) && year >= STATUTORY_RULES_SINCE;
  }

  /** Whether `date` is a working day; throws CalendarYearMissingError for an unloaded year before 2025. */
  isWorkingDay(date: string): boolean {
    assertDate(date);
    const weekend = [0, 6].includes(dayOfWeek(date));
    const days = this.yearDays(Number(date.slice(0, 4)));
    if (days.holidays.has(date)) return false;
    return !weekend || days.workingWeekends.has(date);
  }

  /** The date of the n-th working day after `from` (the day of the triggering event is not counted); n = 0 returns `from`. */
  addWorkingDays(from: string, n: number): string {
    assertDate(from);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working-day count must be a non-negative integer, got ${n}`);
    if (n === 0) return from;
    let year = Number(from.slice(0, 4));
    let index = dayOfYear(from);
    let left = n;
    for (;;) {
      const days = daysInYear(year);
      if (index < days - 1) {
        const count = this.countOf(year);
        const before = index >= 0 ? count.upTo[index] : 0;
        if (count.total - before >= left) {
          // The first day after `index` by which `left` more working days have passed.
          let lo = index + 1;
          let hi = days - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (count.upTo[mid] - before >= left) hi = mid;
            else lo = mid + 1;
          }
          return dateOf(year, lo);
        }
        left -= count.total - before;
      }
      year++;
      index = -1;
    }
  }

  /** {@link addWorkingDays} with whether the result is provisional (a day counted lies in a year with no official schedule). */
  dueDate(from: string, n: number): CalendarResult {
    const date = this.addWorkingDays(from, n);
    return { date, provisional: this.isProvisionalBetween(from, date) };
  }

  /** Number of working days d with from < d <= to, negated when to < from; inverse of addWorkingDays. */
  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    if (to < from) return -this.workingDaysBetween(to, from);
    if (to === from) return 0;
    const [fromYear, toYear] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
    // Days after `from` in its own year, whole years between, days up to `to` in its year: only years with a day counted are read.
    let count = 0;
    const fromIndex = dayOfYear(from);
    if (fromYear === toYear) return this.countOf(toYear).upTo[dayOfYear(to)] - this.countOf(fromYear).upTo[fromIndex];
    if (fromIndex < daysInYear(fromYear) - 1) count += this.countOf(fromYear).total - this.countOf(fromYear).upTo[fromIndex];
    for (let year = fromYear + 1; year < toYear; year++) count += this.countOf(year).total;
    return count + this.countOf(toYear).upTo[dayOfYear(to)];
  }

  private countOf(year: number): YearCount {
    let count = this.counts.get(year);
    if (!count) {
      const days = daysInYear(year);
      const upTo = new Int32Array(days);
      let total = 0;
      for (let i = 0; i < days; i++) {
        if (this.isWorkingDay(dateOf(year, i))) total++;
        upTo[i] = total;
      }
      this.counts.set(year, (count = { upTo, total }));
    }
    return count;
  }

  /** Whether any day d with min(a, b) < d <= max(a, b) lies in a year counted without its official schedule. */
  isProvisionalBetween(a: string, b: string): boolean {
    assertDate(a);
    assertDate(b);
    const [from, to] = a <= b ? [a, b] : [b, a];
    if (from === to) return false;
    for (let year = Number(addCalendarDays(from, 1).slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
      if (this.isProvisionalYear(year)) return true;
    }
    return false;
  }

  private yearDays(year: number): YearDays {
    const official = this.official.get(year);
    if (official) return official;
    if (year < STATUTORY_RULES_SINCE) throw new CalendarYearMissingError(year);
    if (!this.warnedYears.has(year)) {
      this.warnedYears.add(year);
      this.options.warn?.(`no official holiday schedule loaded for ${year}; counting weekends and the statutory holidays only, dates are provisional`);
    }
    let rules = this.statutory.get(year);
    if (!rules) this.statutory.set(year, (rules = daysOf(statutoryHolidays(year), [])));
    return rules;
  }
}

function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}
