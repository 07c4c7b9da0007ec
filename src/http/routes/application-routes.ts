import { Router } from 'express';
import Joi from 'joi';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import { actorOf, sendEvent } from '../../use-cases/send-event';
import { parseEventBody } from '../../use-cases/event-payloads';
import { LIST_ORDERS, listApplications, loadReadableApplication, type ListQuery } from '../../use-cases/read-applications';
import { submitApplication, type SubmitApplicationInput } from '../../use-cases/submit-application';
import type { Services } from '../../services';
import { toApplicationView, toListItem } from '../../views/application-view';
import { verifyTimeline } from '../../use-cases/verify-timeline';
import { ALL_STAFF, principalOf, staffWith } from '../authenticate';
import { validate } from '../validate';

const safeText = (max: number) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');

export const applicationBodySchema = Joi.object({
  itemCode: Joi.string().max(40).required(),
  applicant: Joi.object({
    name: safeText(200).required(),
    uscc: Joi.string().max(18).required(),
    divisionCode: Joi.string().pattern(/^\d{6}$/).required(),
    contact: Joi.object({
      name: safeText(100).required(),
      phone: Joi.string().pattern(/^[0-9+\- ]{5,20}$/).required(),
      email: Joi.string().email({ tlds: false }).max(254).required(),
    }).required(),
  }).required(),
  materials: Joi.array().max(100).items(Joi.object({ code: Joi.string().max(32).required(), provided: Joi.boolean().required() })).required(),
  channel: Joi.string().valid('window', 'online').required(),
  renewalOf: Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'certificate number'),
});

export const listQuery = Joi.object({
  status: Joi.alternatives(Joi.string().max(40), Joi.array().max(20).items(Joi.string().max(40))),
  itemCode: Joi.string().max(40),
  uscc: Joi.string().max(18),
  q: safeText(200),
  light: Joi.string().valid('green', 'yellow', 'red'),
  sort: Joi.string().valid(...LIST_ORDERS).default('newest'),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
  limit: Joi.number().integer().min(1).max(200).default(50),
});

export function applicationRoutes(services: Services): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const clerk = staffWith(req, ['clerk']);
    const input = validate<SubmitApplicationInput>(applicationBodySchema, req.body, 'application');
    const { application, queryCode } = await submitApplication(services, input, actorOf(clerk));
    res.status(201).json({ ...toApplicationView(services, application, clerk), queryCode });
  });

  router.get('/', async (req, res) => {
    const principal = staffWith(req, ALL_STAFF);
    const q = validate<Omit<ListQuery, 'status'> & { status?: string | string[] }>(listQuery, req.query, 'query');
    const status = q.status === undefined ? undefined : (Array.isArray(q.status) ? q.status : q.status.split(','));
    const { items, total } = await listApplications(services, principal, { ...q, status });
    res.json({ items: items.map((app) => toListItem(services, app)), total, offset: q.offset, limit: q.limit });
  });

  router.get('/:id', async (req, res) => {
    const principal = principalOf(req);
    const app = await loadReadableApplication(services, principal, req.params.id);
    res.json(toApplicationView(services, app, principal, await services.attempts.forApplication(app.id, app.outbox.map((e) => e.id))));
  });

  // Tamper evidence: admins check the hash chain of an application's timeline.
  router.get('/:id/timeline/verify', async (req, res) => {
    const admin = staffWith(req, ['admin']);
    res.json(verifyTimeline(await loadReadableApplication(services, admin, req.params.id)));
  });

  router.post('/:id/events', async (req, res) => {
    const principal = principalOf(req);
    const { event, expectedVersion } = parseEventBody(req.body);
    const app = await sendEvent(services, principal, req.params.id, event, expectedVersion);
    res.json(toApplicationView(services, app, principal, await services.attempts.forApplication(app.id, app.outbox.map((e) => e.id))));
  });

  return router;
}
