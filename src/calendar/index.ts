export { loadCalendars } from './load';
export { CalendarYearMissingError, WorkingCalendar, type WorkingCalendarOptions } from './working-calendar';
export type { CalendarYear, Holiday } from './types';
export * from './shanghai-time';
