import { Router } from 'express';
import Joi from 'joi';
import { isValidDate } from '../../calendar';
import { AppError } from '../../errors';
import { allStatuses } from '../../processes/statuses';
import type { Services } from '../../services';
import { reloadCalendars } from '../../use-cases/recalculate-deadlines';
import { staffWith } from '../authenticate';
import { validate } from '../validate';

const dueDateQuery = Joi.object({
  from: Joi.string().custom((v: string, h) => (isValidDate(v) ? v : h.message({ custom: '"from" must be a real date YYYY-MM-DD' }))).required(),
  workingDays: Joi.number().integer().min(0).max(1000).required(),
});

/** The public catalog (实施清单) and the legal calendar; reloading the calendars is for admins. */
export function catalogRoutes(services: Services): Router {
  const router = Router();

  router.get('/catalog/items', (_req, res) => {
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
        process: item.process,
        allowsDeficientAcceptance: item.allowsDeficientAcceptance,
        allowsCommitment: item.allowsCommitment,
        jointReview: item.jointReview,
        materials: item.materials.map((m) => ({ code: m.code, name: m.name, nameEn: m.nameEn, core: m.core, original: m.original, waivable: m.waivable })),
      })),
      // The statuses an application of these items can have, read from the process charts, so the consoles keep no list of their own.
      statuses: allStatuses().map((s) => ({ status: s.id, label: s.label, short: s.short })),
    });
  });

  router.get('/catalog/jurisdictions', (_req, res) => {
    res.json({ items: services.catalog.jurisdictions });
  });

  router.get('/calendar/due-date', (req, res) => {
    const { from, workingDays } = validate<{ from: string; workingDays: number }>(dueDateQuery, req.query, 'query');
    // Only a count that runs past 9999-12-31 (not writable as YYYY-MM-DD) makes the calendar throw a RangeError.
    let due;
    try {
      due = services.calendar.dueDate(from, workingDays);
    } catch (e) {
      if (e instanceof RangeError) throw new AppError('VALIDATION_FAILED', '期限超出 9999-12-31 / The due date would fall after 9999-12-31', [{ field: 'workingDays', message: e.message }]);
      throw e;
    }
    res.json({ from, workingDays, dueDate: due.date, provisional: due.provisional });
  });

  router.post('/calendar/reload', async (req, res) => {
    staffWith(req, ['admin']);
    const run = await reloadCalendars(services, services.now());
    res.json({ loadedYears: services.calendar.loadedYears(), ...run });
  });

  return router;
}
