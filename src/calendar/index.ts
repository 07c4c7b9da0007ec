export { loadCalendars } from './load';
export { STATUTORY_RULES_SINCE, statutoryHolidays } from './statutory-holidays';
export { CalendarYearMissingError, WorkingCalendar, type CalendarResult, type WorkingCalendarOptions } from './working-calendar';
export type { CalendarYear, Holiday } from './types';
export * from './shanghai-time';
