import { addCalendarDays, dayOfWeek, isValidDate } from './shanghai-time';
import type { CalendarYear } from './types';

/** Options for {@link WorkingCalendar}. */
export interface WorkingCalendarOptions {
  /** Treat Mon–Fri as working days in a year with no loaded schedule, instead of throwing. */
  allowWeekdayFallback: boolean;
  /** Receives one message per missing year when the fallback is used. */
  warn: (msg: string) => void;
}

/** Thrown when a date falls in a year with no loaded schedule and the weekday fallback is off. */
export class CalendarYearMissingError extends Error {
  readonly code = 'CALENDAR_YEAR_MISSING';

  constructor(readonly year: number) {
    super(`no holiday schedule loaded for ${year}; add config/calendars/${year}.json or allow the weekday fallback`);
    this.name = 'CalendarYearMissingError';
  }
}

interface YearDays {
  holidays: Set<string>;
  workingWeekends: Set<string>;
}

function assertDate(date: string): void {
  if (!isValidDate(date)) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(date)}`);
}

/** The legal working-day calendar of Administrative Licensing Law Art. 82: statutory holidays off, declared weekend working days on. */
export class WorkingCalendar {
  private readonly years = new Map<number, YearDays>();
  private readonly warnedYears = new Set<number>();

  constructor(calendars: readonly CalendarYear[], private readonly options: WorkingCalendarOptions) {
    for (const c of calendars) {
      if (this.years.has(c.year)) throw new Error(`holiday schedule for ${c.year} given twice`);
      const holidays = new Set<string>();
      for (const h of c.holidays) {
        for (let d = h.from; d <= h.to; d = addCalendarDays(d, 1)) holidays.add(d);
      }
      this.years.set(c.year, { holidays, workingWeekends: new Set(c.workingWeekends) });
    }
  }

  /** Years with a loaded schedule, ascending. */
  loadedYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Whether `date` is a working day; throws CalendarYearMissingError for an unloaded year unless the fallback is allowed. */
  isWorkingDay(date: string): boolean {
    assertDate(date);
    const weekend = [0, 6].includes(dayOfWeek(date));
    const days = this.yearDays(Number(date.slice(0, 4)));
    if (!days) return !weekend;
    if (days.holidays.has(date)) return false;
    return !weekend || days.workingWeekends.has(date);
  }

  /** The date of the n-th working day after `from` (the day of the triggering event is not counted); n = 0 returns `from`. */
  addWorkingDays(from: string, n: number): string {
    assertDate(from);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working-day count must be a non-negative integer, got ${n}`);
    let date = from;
    for (let counted = 0; counted < n; ) {
      date = addCalendarDays(date, 1);
      if (this.isWorkingDay(date)) counted++;
    }
    return date;
  }

  /** Number of working days d with from < d <= to, negated when to < from; inverse of addWorkingDays. */
  workingDaysBetween(from: string, to: string): number {
    assertDate(from);
    assertDate(to);
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let date = addCalendarDays(from, 1); date <= to; date = addCalendarDays(date, 1)) {
      if (this.isWorkingDay(date)) count++;
    }
    return count;
  }

  // Undefined means "use plain weekdays", reached only after the fallback was allowed and warned about.
  private yearDays(year: number): YearDays | undefined {
    const days = this.years.get(year);
    if (days) return days;
    if (!this.options.allowWeekdayFallback) throw new CalendarYearMissingError(year);
    if (!this.warnedYears.has(year)) {
      this.warnedYears.add(year);
      this.options.warn(`no holiday schedule loaded for ${year}; counting Monday to Friday as working days`);
    }
    return undefined;
  }
}
