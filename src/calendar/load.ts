import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Joi from 'joi';
import { dayOfWeek, isValidDate } from './shanghai-time';
import type { CalendarYear, Holiday } from './types';

// Custom rules read the file's own year, so they need the root object among the ancestors.
function rootOf(helpers: Joi.CustomHelpers): { year?: unknown; holidays?: unknown } {
  const ancestors = helpers.state.ancestors as unknown[];
  return ancestors[ancestors.length - 1] as { year?: unknown; holidays?: unknown };
}

const dateInYear = Joi.string().custom((value: string, helpers) => {
  if (!isValidDate(value)) return helpers.error('calendar.date');
  const { year } = rootOf(helpers);
  if (typeof year === 'number' && Number(value.slice(0, 4)) !== year) return helpers.error('calendar.year', { year });
  return value;
});

const holidaySchema = Joi.object<Holiday>({
  name: Joi.string().trim().min(1).required(),
  nameEn: Joi.string().trim().min(1).required(),
  from: dateInYear.required(),
  to: dateInYear.required().custom((value: string, helpers) => {
    const { from } = helpers.state.ancestors[0] as { from?: unknown };
    if (isValidDate(from) && value < from) return helpers.error('calendar.order', { from });
    return value;
  }),
});

const workingWeekendSchema = dateInYear.custom((value: string, helpers) => {
  const weekday = dayOfWeek(value);
  if (weekday !== 0 && weekday !== 6) return helpers.error('calendar.weekend');
  const { holidays } = rootOf(helpers);
  const clash = Array.isArray(holidays)
    ? holidays.find((h: { from?: unknown; to?: unknown }) => isValidDate(h?.from) && isValidDate(h?.to) && h.from <= value && value <= h.to)
    : undefined;
  if (clash) return helpers.error('calendar.clash', { holiday: `${clash.name} ${clash.from}..${clash.to}` });
  return value;
});

const calendarSchema = Joi.object<CalendarYear>({
  year: Joi.number().integer().min(1000).max(9999).required(),
  source: Joi.string().trim().min(1).required(),
  holidays: Joi.array().items(holidaySchema).required(),
  workingWeekends: Joi.array().items(workingWeekendSchema).unique().required(),
}).messages({
  'calendar.date': '{{#label}} must be a real date written YYYY-MM-DD',
  'calendar.year': '{{#label}} must be a date in {{#year}}',
  'calendar.order': '{{#label}} must not be before from ({{#from}})',
  'calendar.weekend': '{{#label}} must be a Saturday or Sunday (only weekend days are declared working days)',
  'calendar.clash': '{{#label}} must not also be a holiday ({{#holiday}})',
});

// `file` only names the file in error messages.
function parseCalendarYear(file: string, data: unknown): CalendarYear {
  const { error, value } = calendarSchema.validate(data, { abortEarly: false, errors: { wrap: { label: false } } });
  if (error) throw new Error(`${file}: ${error.details.map((d) => d.message).join('; ')}`);
  const stem = basename(file, '.json');
  if (/^\d{4}$/.test(stem) && Number(stem) !== value.year) {
    throw new Error(`${file}: year must match the file name (${stem}), got ${value.year}`);
  }
  return value;
}

/**
 * Reads and validates every `*.json` holiday schedule in `dir`, sorted by year.
 * Throws an Error naming the file and the offending field on the first bad file, or on two files for one year.
 */
export function loadCalendars(dir: string): CalendarYear[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const byYear = new Map<number, { file: string; calendar: CalendarYear }>();
  for (const name of files) {
    const file = join(dir, name);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file}: not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const calendar = parseCalendarYear(file, data);
    const earlier = byYear.get(calendar.year);
    if (earlier) throw new Error(`${file}: year ${calendar.year} is already defined in ${earlier.file}`);
    byYear.set(calendar.year, { file, calendar });
  }
  return [...byYear.values()].map((e) => e.calendar).sort((a, b) => a.year - b.year);
}
