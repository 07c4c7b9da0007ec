import Joi from 'joi';
import type { ApplicationRecord, ReviewChainRecord } from '../engine/application-record';
import type { Label } from '../i18n/labels';
import { badRequest, refuse, type EventDefinition } from './event-definition';
import { enumLabels, field, text } from './fields';
import { CHIEFS, HANDLERS, LEADERS } from './senders';
import { refuseDecisionBeforeInspection } from './inspection-rules';

type Step = keyof ReviewChainRecord['actors'];

const DECISIONS: Record<string, Label> = { approve: { zh: '拟准予许可', en: 'Propose to approve' }, deny: { zh: '拟不予许可', en: 'Propose to deny' } };
const AGREEMENT: Record<string, Label> = { true: { zh: '同意', en: 'Agree' }, false: { zh: '不同意，退回承办人', en: 'Disagree: back to the handler' } };

/** The chain as recorded so far, with `by` added to the actors of `step`. */
export function chainWith(app: ApplicationRecord, step: Step | null, by: string): ReviewChainRecord {
  const chain = app.details.reviewChain ?? { actors: {} };
  if (!step) return chain;
  const acted = chain.actors[step] ?? [];
  return { ...chain, actors: { ...chain.actors, [step]: acted.includes(by) ? acted : [...acted, by] } };
}

/** 承办 → 审核 → 签发 and 分办: the handler proposes, the chief checks and assigns, the leader returns a case (the leader's decision is APPROVE/DENY). */
export const chainEvents: EventDefinition[] = [
  {
    type: 'ASSIGN',
    label: { zh: '分办', en: 'Assigned to a handler' },
    sentBy: CHIEFS,
    payload: Joi.object({
      handler: field(Joi.string().pattern(/^[a-z0-9][a-z0-9._-]{1,39}$/).required(), { zh: '承办人（账号）', en: 'Handler (username)' }),
      reason: field(text(500), { zh: '改派理由', en: 'Reason for reassigning' }),
    }),
    // The handler is an active reviewer or chief of the body the application is routed to; a reassignment says why.
    check: async ({ app, staffAccount }, event) => {
      const account = await staffAccount(String(event.handler));
      if (!account || !account.active || !['reviewer', 'chief'].includes(account.role) || account.jurisdiction !== app.routing.jurisdiction) {
        throw badRequest('handler', `承办人须为 ${app.routing.jurisdiction} 的在职审查人员 / The handler must be an active reviewer or chief of ${app.routing.jurisdiction}: ${String(event.handler)}`);
      }
      const current = app.details.reviewChain?.assignment;
      if (current?.handler === account.username) refuse(`已分办给 ${account.username} / Already assigned to ${account.username}`);
      if (current && !event.reason) throw badRequest('reason', '改派须写明理由 / A reassignment needs a reason');
    },
    records: async ({ app, by, today, staffAccount }, event) => {
      const account = (await staffAccount(String(event.handler)))!;
      const assignment = { handler: account.username, handlerName: account.name, by, on: today, ...(event.reason ? { reason: String(event.reason) } : {}) };
      return { reviewChain: { ...chainWith(app, null, ''), assignment } };
    },
    action: { label: { zh: '分办', en: 'Assign' }, order: 85, hint: { zh: '指定承办人；改派须写明理由。', en: 'Name the handler; a reassignment needs a reason.' } },
  },
  {
    type: 'PROPOSE',
    label: { zh: '承办人提出审查意见', en: 'Handler\'s proposal' },
    sentBy: HANDLERS,
    payload: Joi.object({
      decision: field(Joi.string().valid(...Object.keys(DECISIONS)).required(), { zh: '拟办意见', en: 'Proposed decision' }, { ...enumLabels(DECISIONS), 'x-widget': 'radio' }),
      opinion: field(text().required(), { zh: '审查意见', en: 'Opinion' }),
    }),
    // 现场核查: an approval is not proposed before a required inspection has a (passed) result.
    check: (ctx, event) => refuseDecisionBeforeInspection(ctx, event as { decision?: unknown }),
    records: ({ app, byId, by, today }, event) => ({
      reviewChain: { ...chainWith(app, 'handling', byId), proposal: { decision: event.decision as 'approve' | 'deny', opinion: String(event.opinion), by, on: today } },
    }),
    action: { label: { zh: '提出审查意见', en: 'Propose' }, order: 86, style: 'primary', hint: { zh: '承办人审查后提出拟办意见，报审核。', en: 'The handler examines and proposes a decision.' } },
  },
  {
    type: 'CHECK',
    label: { zh: '科室负责人审核', en: 'Checked by the section chief' },
    sentBy: CHIEFS,
    payload: Joi.object({
      agree: field(Joi.boolean().required(), { zh: '审核意见', en: 'Check' }, { ...enumLabels(AGREEMENT), 'x-widget': 'radio' }),
      note: field(text().required(), { zh: '审核说明', en: 'Note' }),
    }),
    probes: [{ agree: true, note: '' }, { agree: false, note: '' }],
    records: ({ app, byId, by, today }, event) => ({
      reviewChain: { ...chainWith(app, 'checking', byId), check: { agree: event.agree === true, note: String(event.note), by, on: today } },
    }),
    action: { label: { zh: '审核', en: 'Check' }, order: 87, style: 'primary', hint: { zh: '同意则报领导签发；不同意退回承办人重新审查。', en: 'Agree: on to the leader; disagree: back to the handler.' } },
  },
  {
    type: 'RETURN_TO_HANDLER',
    label: { zh: '退回承办人', en: 'Returned to the handler' },
    sentBy: LEADERS,
    payload: Joi.object({ reason: field(text().required(), { zh: '退回理由', en: 'Reason' }) }),
    records: ({ app, byId, by, today }, event) => ({
      reviewChain: { ...chainWith(app, 'signing', byId), returned: { reason: String(event.reason), by, on: today } },
    }),
    action: { label: { zh: '退回承办人', en: 'Return to the handler' }, order: 115 },
  },
];
