import { create as contentDisposition } from 'content-disposition';
import Joi from 'joi';
import { isValidDate } from '../../calendar';
import { APPLICATION_METRICS, type Metric } from '../../statistics/facts';
import { statisticsCsv, statisticsXlsx } from '../../statistics/export';
import { applicationsBehind, MAX_RANGE_DAYS, readStatistics, type StatisticsQuery } from '../../use-cases/read-statistics';
import { ALL_STAFF } from '../authenticate';
import { arr, int, json, nullable, obj, pageOf, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';
import { LEVELS } from '../../evaluations/evaluation-rules';

type Schema = Record<string, unknown>;
// One entry per rating level of the one definition (5 非常满意 … 1 非常不满意).
const perLevel = (schema: () => Schema) => obj(Object.fromEntries(Object.keys(LEVELS).map((level) => [level, schema()])));

const day = (name: string, example: string) =>
  Joi.string().custom((v: string, h) => (isValidDate(v) ? v : h.message({ custom: `"${name}" must be a real date YYYY-MM-DD` })))
    .required().meta({ format: 'date' }).description(`${name === 'from' ? 'First' : 'Last'} day of the range (Asia/Shanghai), YYYY-MM-DD`).example(example);

const code = (what: string) => Joi.string().pattern(/^[A-Za-z0-9_-]{1,40}$/, what);
const rangeFields = {
  from: day('from', '2026-03-01'),
  to: day('to', '2026-03-31'),
  jurisdiction: Joi.string().pattern(/^\d{6}$/, 'division code').description('Whose figures (and those beneath it); the reader\'s own when left out. Outside the reader\'s jurisdiction: 403'),
  itemCode: code('item code').description('Only this item'),
  channel: Joi.string().valid('window', 'online').description('Only applications that came in this way'),
  businessType: Joi.string().valid('new', 'change', 'renewal').description('新办, 变更 or 延续'),
  process: code('process id').description('Only applications of this process (machine id)'),
};
const statisticsQuery = Joi.object<StatisticsQuery & { format: 'json' | 'csv' | 'xlsx' }>({
  ...rangeFields,
  format: Joi.string().valid('json', 'csv', 'xlsx').default('json').description('json, or an export: csv (UTF-8 with BOM) or xlsx (one sheet per table)'),
});
const drillQuery = Joi.object<StatisticsQuery & { metric: Metric; offset: number; limit: number }>({
  ...rangeFields,
  metric: Joi.string().valid(...APPLICATION_METRICS).required().description('The figure whose applications to list'),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
  limit: Joi.number().integer().min(1).max(200).default(50),
});

const rate = nullable({ type: 'number', description: 'Share of the decided, 0–1; null with none decided' } as Schema);
const figures: Record<string, Schema> = {
  received: int(), accepted: int(), notAccepted: int(), approved: int(), denied: int(), completed: int(), withdrawn: int(), terminated: int(), revoked: int(),
  decided: int('Approved or denied in the range'), timed: int('The decided whose working days the calendar could count (the base of the rates and times)'), onTime: int(), onTimeRate: rate, legalOnTime: int(), legalOnTimeRate: rate,
  workingDaysMean: nullable({ type: 'number' }), workingDaysP90: nullable(int()), immediate: int('即办件: decided the day received'),
  compression: nullable({ type: 'number', description: '1 − Σ promised / Σ legal limit over the applications received' }),
  deficient: int('容缺受理'), commitment: int('告知承诺'), joint: int('省市联审'),
  waived: int(), waivedDataSharing: int(), waivedPledge: int(), waivedDepartmentCheck: int(), itemsWithWaivers: int(),
  remindersSent: int('Expiry reminders and cancellation notices mailed'), smsRemindersSent: int('The same by SMS'),
  evaluations: obj({
    invited: int('好差评: stages reached (each an invitation to rate)'), ratedCount: int(), activeRatingRate: nullable({ type: 'number', description: '主动评价率: ratings over invitations' } as Schema),
    byLevel: perLevel(int), satisfactionRate: nullable({ type: 'number', description: '满意率: levels 4 and 5 over all ratings' } as Schema),
    rectificationsOpened: int(), rectificationsClosed: int(), rectificationsOnTime: int('Closed by their deadline'), rectificationsOnTimeRate: rate, followedUp: int('Closed with the applicant reached (回访)'), followUpRate: rate,
  }),
};
const lights = { overdueNow: int('电子监察: open, decision clock red'), yellowNow: int('Open, decision clock yellow') };
const statisticsView = obj({
  from: str(), to: str(), jurisdiction: str(), jurisdictions: arr(str()), asOf: str(),
  levels: { ...perLevel(() => obj({ zh: str(), en: str() })), description: 'The names of the rating levels' },
  catalogWaivers: obj({ items: int('Catalog items with a waivable material'), materials: int('Waivable materials'), byRoute: obj({ data_sharing: int(), pledge: int(), department_check: int() }) }, [], '减证便民 as the catalog sets it, whatever was received'),
  totals: obj({ ...figures, ...lights }),
  byItem: arr(obj({ itemCode: str(), itemName: str(), legalLimitDays: int(), promisedLimitDays: int(), ...figures, ...lights })),
  byJurisdiction: arr(obj({ jurisdiction: str(), name: str(), ...figures, ...lights })),
  byChannel: arr(obj({ channel: str(), ...figures })),
  byBusinessType: arr(obj({ businessType: str(), ...figures })),
  byProcess: arr(obj({ process: str(), ...figures })),
  byDay: arr(obj({ day: str(), ...figures })),
});
const binary = (type: string) => ({ [type]: { schema: str(undefined, { format: 'binary' }) } });

/** 监管统计: the kept counts of a range, their exports and the applications behind a figure. */
export const statisticsRoutes: RouteGroup = {
  base: '/statistics',
  tag: 'statistics',
  routes: [
    defineRoute({
      method: 'get',
      path: '/',
      summary: '监管统计 / Supervision statistics of a range: totals and the same figures by item, jurisdiction, channel, business type, process and day',
      description: `Counted as the engine writes, per jurisdiction and Shanghai day: a request reads one small document per jurisdiction and day of the range (at most ${MAX_RANGE_DAYS} days), never the applications; the now-figures (overdueNow, yellowNow) come from the open work. A reader sees their jurisdiction and those beneath it; any other is 403. \`format=csv\` or \`xlsx\` sends the same tables as a file.`,
      auth: ALL_STAFF,
      query: statisticsQuery,
      responses: { 200: { ...json(statisticsView), content: { ...json(statisticsView).content, ...binary('text/csv'), ...binary('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') } } },
      handler: async ({ services, res, principal, query: { format, ...query } }) => {
        const view = await readStatistics(services, principal, query);
        if (format === 'json') return void res.json(view);
        const name = `statistics-${view.jurisdiction}-${view.from}-${view.to}.${format}`;
        res.setHeader('Content-Disposition', contentDisposition(name));
        res.setHeader('Cache-Control', 'private, no-cache');
        if (format === 'csv') return void res.type('text/csv; charset=utf-8').send(statisticsCsv(view));
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').end(await statisticsXlsx(view));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/applications',
      summary: '统计穿透 / The applications behind one figure, a page at a time (newest day first)',
      description: 'Reads the day documents of the range for the ids behind the figure, then only the applications of the page, by `_id`.',
      auth: ALL_STAFF,
      query: drillQuery,
      responses: { 200: pageOf('ApplicationListItem', { metric: str() }) },
      handler: async ({ services, res, principal, query }) => {
        res.json(await applicationsBehind(services, principal, query));
      },
    }),
  ],
};
