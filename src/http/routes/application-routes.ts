import Joi from 'joi';
import { PRINTABLE_TEXT } from '../../domain/printable-text';
import { actorOf, sendEvent } from '../../use-cases/send-event';
import { eventDefinition } from '../../events';
import { EVENT_PAYLOADS, parseEventBody } from '../../use-cases/event-payloads';
import { LIST_ORDERS, listApplications, loadReadableApplication, type ListQuery } from '../../use-cases/read-applications';
import { applicationInputSchema, submitApplication } from '../../use-cases/submit-application';
import { submitFromPreReview } from '../../pre-reviews/from-pre-review';
import { toApplicationView, toListItem } from '../../views/application-view';
import { verifyTimeline } from '../../use-cases/verify-timeline';
import { listDocuments } from '../../use-cases/read-documents';
import { addInternalNote, listInternalNotes } from '../../use-cases/internal-notes';
import { ALL_STAFF } from '../authenticate';
import { E403_CHAIN, E404, E409, arr, bool, int, json, nullable, obj, ref, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

/** A complete window intake, shown in the API document. */
export const APPLICATION_EXAMPLE = {
  itemCode: '370000-AQ-XK-004',
  applicant: {
    name: '烟台市芝罘区安达化工贸易有限公司',
    uscc: '91370602MA3C4R1N3E',
    divisionCode: '370602',
    contact: { name: '王经理', phone: '0535-6612345', email: 'wang@anda-chem.example' },
  },
  materials: [{ code: 'M01', provided: true }, { code: 'M02', provided: true }],
  channel: 'window',
};

const listQuery = Joi.object<Omit<ListQuery, 'status'> & { status?: string | string[] }>({
  status: Joi.alternatives(Joi.string().max(40), Joi.array().max(20).items(Joi.string().max(40))).description('One status or several, comma-separated'),
  itemCode: Joi.string().max(40),
  uscc: Joi.string().max(18).description('An enterprise: all its applications, every status'),
  q: Joi.string().trim().min(1).max(200).pattern(PRINTABLE_TEXT, 'printable text').description('An application number, or an applicant name matched whole'),
  light: Joi.string().valid('green', 'yellow', 'red').description('Open work whose decision clock shows this light'),
  sort: Joi.string().valid(...LIST_ORDERS).default('newest').description('deadline: overdue first, then the nearest due date; the reader\'s own assigned cases come first either way'),
  waiting: Joi.string().valid('me').description('Open work waiting for the reader\'s step: a handler\'s cases, a chief\'s queue (unassigned) and checks, a leader\'s signatures, a reviewer\'s one-step reviews, the window\'s intake'),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
  limit: Joi.number().integer().min(1).max(200).default(50),
});
const noteBody = Joi.object<{ text: string }>({ text: Joi.string().trim().min(1).max(2000).pattern(PRINTABLE_TEXT, 'printable text').required() });
const byId = Joi.object<{ id: string }>({ id: Joi.string().required().description('Application id') });

// Each event body: its type, an optional version to compare against, and the payload the event takes.
const eventVariants = () => Object.fromEntries(Object.entries(EVENT_PAYLOADS).map(([type, payload]) => [type, Joi.object({
  type: Joi.string().valid(type).required().description(describeEvent(type)),
  expectedVersion: Joi.number().integer().min(1).description('Refuse with VERSION_CONFLICT unless the application is at this version'),
}).concat(payload)]));

// The event's button words and what it records, from its definition.
function describeEvent(type: string): string {
  const definition = eventDefinition(type)!;
  const action = definition.action?.label ?? definition.label;
  return `${action.zh} / ${action.en}`;
}

const applicationView = json(ref('Application'));

/** Applications (办件): intake at the window, the work list, one application, its events. */
export const applicationRoutes: RouteGroup = {
  base: '/applications',
  tag: 'applications',
  routes: [
    defineRoute({
      method: 'post',
      path: '/',
      summary: '窗口收件 / Window intake (clerk); returns the query code once',
      auth: ['clerk'],
      body: { name: 'ApplicationInput', what: 'application', schema: applicationInputSchema, example: APPLICATION_EXAMPLE },
      responses: { 201: json({ allOf: [ref('Application'), obj({ queryCode: str() })] }, 'Created') },
      handler: async ({ services, res, principal, body }) => {
        const actor = actorOf(principal);
        const { application, queryCode } = body.fromPreReview
          ? await submitFromPreReview(services, { principal }, { ...body, fromPreReview: body.fromPreReview }, () => actor, (input, made) => submitApplication(services, input, actor, made))
          : await submitApplication(services, body, actor);
        res.status(201).json({ ...toApplicationView(services, application, principal), queryCode });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/',
      summary: '工作清单 / Work list in the caller\'s jurisdiction: open work unless finished statuses are asked for',
      description: 'Without `status`, the open applications (办理中). Finished statuses (completed, denied, not_accepted, withdrawn, terminated, revoked) come after the open ones, newest finished first. `uscc` or `q` searches an enterprise\'s, a number\'s or a name\'s applications of every status.',
      auth: ALL_STAFF,
      query: listQuery,
      responses: { 200: json(obj({ items: arr(ref('ApplicationListItem')), total: int(), offset: int(), limit: int() })) },
      handler: async ({ services, res, principal, query: q }) => {
        const status = q.status === undefined ? undefined : (Array.isArray(q.status) ? q.status : q.status.split(','));
        const { items, total } = await listApplications(services, principal, { ...q, status });
        res.json({ items: items.map((app) => toListItem(services, app)), total, offset: q.offset, limit: q.limit });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id',
      summary: '申请详情 / One application (staff of its jurisdiction, or the enterprise holding its token)',
      auth: 'signed-in',
      params: byId,
      responses: { 200: applicationView, 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        const app = await loadReadableApplication(services, principal, params.id);
        res.json(toApplicationView(services, app, principal, await services.attempts.forApplication(app.id, app.outbox.map((e) => e.id))));
      },
    }),
    // Tamper evidence: admins check the hash chain of an application's timeline.
    defineRoute({
      method: 'get',
      path: '/:id/timeline/verify',
      summary: '办理过程防篡改校验 / Check the hash chain of the timeline (admin)',
      auth: ['admin'],
      params: byId,
      responses: { 200: json(obj({ valid: bool(), brokenAt: nullable(int('seq of the first entry that does not match')), entries: int() })), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        res.json(verifyTimeline(await loadReadableApplication(services, principal, params.id)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id/documents',
      summary: '行政许可文书 / The written instruments issued for an application, oldest first (each a PDF at `url`; issued a moment after the event that calls for it)',
      auth: 'signed-in',
      params: byId,
      responses: { 200: json(arr(ref('Document'))), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        res.json(await listDocuments(services, principal, params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:id/events',
      summary: '办理操作 / Send an event; `allowedEvents` lists what the caller may send now',
      auth: 'signed-in',
      params: byId,
      body: { name: 'Event', discriminator: 'type', variants: eventVariants, parse: parseEventBody },
      responses: { 200: applicationView, 403: E403_CHAIN, 404: E404, 409: E409 },
      handler: async ({ services, res, principal, params, body: { event, expectedVersion } }) => {
        const app = await sendEvent(services, principal, params.id, event, expectedVersion);
        res.json(toApplicationView(services, app, principal, await services.attempts.forApplication(app.id, app.outbox.map((e) => e.id))));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id/notes',
      summary: '内部意见 / The internal notes of an application, oldest first (staff of its jurisdiction only; never the applicant, never the status page)',
      auth: ALL_STAFF,
      params: byId,
      responses: { 200: json(arr(ref('InternalNote'))), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        res.json(await listInternalNotes(services, principal, params.id));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:id/notes',
      summary: '添加内部意见 / Add an internal note (staff of the application\'s jurisdiction)',
      auth: ALL_STAFF,
      params: byId,
      body: { name: 'InternalNoteInput', what: 'note', schema: noteBody, example: { text: '企业储存设施与周边居民区距离需现场复核。' } },
      responses: { 201: json(ref('InternalNote'), 'Created'), 404: E404 },
      handler: async ({ services, res, principal, params, body }) => {
        res.status(201).json(await addInternalNote(services, principal, params.id, body.text));
      },
    }),
  ],
};
