import Joi from 'joi';
import { isValidDate } from '../../calendar';
import { AppError } from '../../errors';
import { allStatuses } from '../../processes/statuses';
import { reloadCalendars } from '../../use-cases/recalculate-deadlines';
import { PROVISIONAL, arr, bool, date, error, int, json, obj, ref, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

const dueDateQuery = Joi.object<{ from: string; workingDays: number }>({
  from: Joi.string().custom((v: string, h) => (isValidDate(v) ? v : h.message({ custom: '"from" must be a real date YYYY-MM-DD' })))
    .required().meta({ format: 'date' }).description('The triggering day (not counted), YYYY-MM-DD').example('2026-03-02'),
  workingDays: Joi.number().integer().min(0).max(1000).required(),
});

/** The public catalog (实施清单) and the legal calendar; reloading the calendars is for admins. */
export const catalogRoutes: RouteGroup = {
  base: '/',
  tag: 'catalog',
  routes: [
    defineRoute({
      method: 'get',
      path: '/catalog/items',
      summary: '事项清单 / The item catalog (实施清单)',
      auth: 'public',
      responses: { 200: json(obj({ items: arr(ref('CatalogItem')), statuses: arr(obj({ status: str(), label: ref('Label'), short: ref('Label') })) })) },
      handler: ({ services, res }) => {
        res.json({
          items: services.catalog.items.map((item) => ({
            code: item.code,
            name: item.name,
            nameEn: item.nameEn,
            type: item.type,
            legalBasis: item.legalBasis,
            level: item.level,
            department: item.department,
            legalLimitDays: item.legalLimitDays,
            promisedLimitDays: item.promisedLimitDays,
            intakeDays: item.intakeDays,
            validityMonths: item.validityMonths,
            renewalWindowMonths: item.renewalWindowMonths,
            cancelExpiredAfterDays: item.cancelExpiredAfterDays ?? null,
            changeableFields: item.changeableFields,
            changeLimitDays: item.changeLimitDays,
            renewalWithoutReview: item.renewalWithoutReview,
            process: item.process,
            allowsDeficientAcceptance: item.allowsDeficientAcceptance,
            allowsCommitment: item.allowsCommitment,
            jointReview: item.jointReview,
            reviewSteps: item.reviewSteps,
            reviewStepShares: item.reviewStepShares,
            preReview: item.preReview,
            assistanceTime: item.assistanceTime ?? 'counted',
            siteInspection: item.siteInspection ?? null,
            materials: item.materials.map((m) => ({ code: m.code, name: m.name, nameEn: m.nameEn, core: m.core, original: m.original, waivable: m.waivable })),
          })),
          // The statuses an application of these items can have, read from the process charts, so the consoles keep no list of their own.
          statuses: allStatuses().map((s) => ({ status: s.id, label: s.label, short: s.short })),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/catalog/jurisdictions',
      summary: '辖区 / Jurisdictions served',
      auth: 'public',
      responses: { 200: json(obj({ items: arr(ref('Jurisdiction')) })) },
      handler: ({ services, res }) => {
        res.json({ items: services.catalog.jurisdictions });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/calendar/due-date',
      summary: '按工作日计算期限 / Due date after N working days (Art. 82)',
      auth: 'public',
      query: dueDateQuery,
      responses: {
        200: json(obj({ from: date(), workingDays: int(), dueDate: date(), provisional: PROVISIONAL }, ['from', 'workingDays', 'dueDate', 'provisional'])),
        422: error('2025 年以前且未加载节假日安排的年份 / CALENDAR_YEAR_MISSING: a year before 2025 with no loaded schedule'),
      },
      handler: ({ services, res, query: { from, workingDays } }) => {
        // Only a count that runs past 9999-12-31 (not writable as YYYY-MM-DD) makes the calendar throw a RangeError.
        let due;
        try {
          due = services.calendar.dueDate(from, workingDays);
        } catch (e) {
          if (e instanceof RangeError) throw new AppError('VALIDATION_FAILED', '期限超出 9999-12-31 / The due date would fall after 9999-12-31', [{ field: 'workingDays', message: e.message }]);
          throw e;
        }
        res.json({ from, workingDays, dueDate: due.date, provisional: due.provisional });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/calendar/reload',
      summary: '重新加载节假日安排并重算暂定期限 / Reload config/calendars and recalculate provisional deadlines (admin)',
      description: 'Reads config/calendars/<year>.json again (a bad file is refused and the schedules in use are kept), then recomputes every running clock and pending timer of open applications whose due date was provisional. A date that moves gets a DEADLINE_RECALCULATED timeline entry with both dates and a notice to the applicant; nothing that was not provisional is touched. Other running processes use the new file after a restart.',
      auth: ['admin'],
      responses: {
        200: json(obj({
          loadedYears: arr(int()),
          officialYears: arr(int()),
          applications: int('Open applications looked at'),
          moved: arr(obj({ applicationId: str(), applicationNo: str(), moves: arr(obj({ deadline: str(undefined, { example: 'decision' }), kind: str(undefined, { enum: ['clock', 'timer'] }), from: date(), to: date(), provisional: bool('Still provisional (reaches another unpublished year)') })) })),
          confirmed: int('Provisional dates that stayed the same and are now official'),
          failures: arr(obj({ applicationId: str(), error: str() })),
        })),
        409: error('节假日安排文件有误 / PRECONDITION_FAILED: a calendar file is invalid (named in the message); nothing changed'),
      },
      handler: async ({ services, res }) => {
        const run = await reloadCalendars(services, services.now());
        res.json({ loadedYears: services.calendar.loadedYears(), ...run });
      },
    }),
  ],
};
