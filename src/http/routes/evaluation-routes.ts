import Joi from 'joi';
import { evaluate, evaluationInputSchema, listEvaluations } from '../../use-cases/evaluate';
import { RECTIFICATION_LIST_STATUSES, followUpInputSchema, followUpRectification, listRectifications, replyInputSchema, replyToRectification, type RectificationListQuery } from '../../use-cases/rectify';
import { ALL_STAFF } from '../authenticate';
import { E404, arr, error, int, json, obj, ref } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

const byId = Joi.object<{ id: string }>({ id: Joi.string().max(200).required().description('Application id') });
const byTaskId = Joi.object<{ id: string }>({ id: Joi.string().max(200).required().description('Rectification id, `<applicationId>:<stage>`') });
const E409_EVALUATION = error('ALREADY_EVALUATED: already rated at that stage (the first rating stays); PRECONDITION_FAILED: the stage is not reached yet, its rating period ended, or it is not rated here');
const E409_STEP = error('PRECONDITION_FAILED: the step was already taken (a second reply or call back), or the reply must come first');
// Who records the office's answer and the call back: staff of the responsible office or above (not only its reviewers).
const OFFICE_STAFF = ['clerk', 'reviewer', 'chief', 'leader', 'admin'] as const;

/** 好差评: the applicant, or the window for it, rates each stage of an application once. */
export const evaluationRoutes: RouteGroup = {
  base: '/applications',
  tag: 'evaluations',
  routes: [
    defineRoute({
      method: 'post',
      path: '/:id/evaluations',
      summary: '好差评 / Rate the service of a stage once: the enterprise holding the application\'s token (online) or a window clerk of the application (window)',
      description: 'Levels: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. Levels 1 and 2 need `reasons` and open a rectification (整改) for the office the application is routed to. One rating per application and stage: a second, also one sent at the same moment, is a 409 `ALREADY_EVALUATED`. Allowed from the day the stage is reached until its invitation expires (EVALUATION_WINDOW_DAYS).',
      auth: 'signed-in',
      params: byId,
      body: { name: 'EvaluationInput', what: 'evaluation', schema: evaluationInputSchema, example: { level: 2, comment: '补正材料说明不清，跑了两次。', reasons: ['repeat_visits', 'unclear_requirements'], stage: 'completion' } },
      responses: { 201: json(ref('Evaluation'), 'Created'), 404: E404, 409: E409_EVALUATION },
      handler: async ({ services, res, principal, params, body }) => {
        res.status(201).json(await evaluate(services, principal, params.id, body));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/:id/evaluations',
      summary: '评价情况 / Each rated stage of an application: invitation date, last day to rate, state (open, rated, not_rated, not_reached) and the rating; the levels and reasons to choose from',
      auth: 'signed-in',
      params: byId,
      responses: { 200: json(ref('Evaluations')), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        res.json(await listEvaluations(services, principal, params.id));
      },
    }),
  ],
};

const listQuery = Joi.object<RectificationListQuery>({
  status: Joi.string().valid(...RECTIFICATION_LIST_STATUSES).default('open').description('open: not yet closed by a call back (overdue first); closed: newest closed first'),
  light: Joi.string().valid('green', 'yellow', 'red').description('Only tasks with this light (a closed task keeps the light it closed with)'),
  limit: Joi.number().integer().min(1).max(200).default(50),
});

/** 整改: the tasks low ratings open for the responsible office, its reply and the call back (回访) that closes each. */
export const rectificationRoutes: RouteGroup = {
  base: '/rectifications',
  tag: 'evaluations',
  routes: [
    defineRoute({
      method: 'get',
      path: '/',
      summary: '整改任务 / Rectifications of the caller\'s jurisdiction and those beneath it, with their lights',
      auth: ALL_STAFF,
      query: listQuery,
      responses: { 200: json(obj({ items: arr(ref('Rectification')), total: int('open: every open task that matches; closed: among the newest `limit` of each jurisdiction') })) },
      handler: async ({ services, res, principal, query }) => {
        res.json(await listRectifications(services, principal, query));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:id/reply',
      summary: '整改答复 / The office\'s reply to a low rating (staff of the responsible office or above)',
      auth: OFFICE_STAFF,
      params: byTaskId,
      body: { name: 'RectificationReply', what: 'reply', schema: replyInputSchema, example: { text: '已约谈窗口人员，补正通知书改为逐项列明材料要求。' } },
      responses: { 200: json(ref('Rectification')), 404: E404, 409: E409_STEP },
      handler: async ({ services, res, principal, params, body }) => {
        res.json(await replyToRectification(services, principal, params.id, body));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/:id/follow-up',
      summary: '回访 / The call back to the applicant after the reply; closes the task',
      auth: OFFICE_STAFF,
      params: byTaskId,
      body: { name: 'RectificationFollowUp', what: 'follow-up', schema: followUpInputSchema, example: { reached: true, satisfied: true, note: '电话回访，企业认可整改结果。' } },
      responses: { 200: json(ref('Rectification')), 404: E404, 409: E409_STEP },
      handler: async ({ services, res, principal, params, body }) => {
        res.json(await followUpRectification(services, principal, params.id, body));
      },
    }),
  ],
};
