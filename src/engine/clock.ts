import type { CalendarResult, WorkingCalendar } from '../calendar';
import type { ClockRecord } from './application-record';

export type Light = 'green' | 'yellow' | 'red';

/** What a person sees of a time limit (电子监察 红黄灯). */
export interface ClockView {
  limitWorkingDays: number;
  startedOn: string;
  dueDate: string;
  /** The due date rests on a year with no official holiday schedule yet (statutory holidays only). */
  provisional: boolean;
  remainingWorkingDays: number;
  paused: boolean;
  stopped: boolean;
  light: Light;
}

export const startClock = (limitWorkingDays: number, today: string): ClockRecord => ({
  limitWorkingDays,
  startedOn: today,
  extraWorkingDays: 0,
  pausedOn: null,
  stoppedOn: null,
});

export const pauseClock = (clock: ClockRecord, today: string): ClockRecord =>
  clock.pausedOn || clock.stoppedOn ? clock : { ...clock, pausedOn: today };

/** Working days spent paused are added to the limit, so the due date moves by exactly that much. */
export function resumeClock(clock: ClockRecord, today: string, calendar: WorkingCalendar): ClockRecord {
  if (!clock.pausedOn) return clock;
  const paused = Math.max(0, calendar.workingDaysBetween(clock.pausedOn, today));
  return { ...clock, pausedOn: null, extraWorkingDays: clock.extraWorkingDays + paused };
}

export const extendClock = (clock: ClockRecord, workingDays: number): ClockRecord => ({
  ...clock,
  extraWorkingDays: clock.extraWorkingDays + workingDays,
});

export const stopClock = (clock: ClockRecord, today: string): ClockRecord =>
  clock.stoppedOn ? clock : { ...clock, stoppedOn: today, pausedOn: null };

export function dueDateOf(clock: ClockRecord, calendar: WorkingCalendar): CalendarResult {
  return calendar.dueDate(clock.startedOn, clock.limitWorkingDays + clock.extraWorkingDays);
}

/** Records the due date on a running clock while it is provisional (and drops it once it is not), for the recalculation after a reload. */
export function markProvisional(clock: ClockRecord, calendar: WorkingCalendar): ClockRecord {
  const { provisionalDueDate: _old, ...rest } = clock;
  if (clock.stoppedOn) return rest;
  const due = dueDateOf(clock, calendar);
  return due.provisional ? { ...rest, provisionalDueDate: due.date } : rest;
}

/** The clock as of `today`: a paused or stopped clock is read at the day it paused or stopped. */
export function viewClock(clock: ClockRecord, today: string, warningDays: number, calendar: WorkingCalendar): ClockView {
  const { date: dueDate, provisional } = dueDateOf(clock, calendar);
  const asOf = clock.stoppedOn ?? clock.pausedOn ?? today;
  const remainingWorkingDays = calendar.workingDaysBetween(asOf, dueDate);
  const light: Light = remainingWorkingDays < 0 ? 'red' : remainingWorkingDays <= warningDays ? 'yellow' : 'green';
  return {
    limitWorkingDays: clock.limitWorkingDays,
    startedOn: clock.startedOn,
    dueDate,
    provisional,
    remainingWorkingDays,
    paused: clock.pausedOn !== null,
    stopped: clock.stoppedOn !== null,
    light,
  };
}
