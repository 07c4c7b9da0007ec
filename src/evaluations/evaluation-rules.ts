import { readFileSync } from 'node:fs';
import path from 'node:path';
import Joi from 'joi';
import type { Label } from '../i18n/labels';
import * as S from '../../machines/statuses';

/** 好差评 levels (GB/T 39734-2020): 5 非常满意 … 1 非常不满意; 1 and 2 need reasons and open a rectification (整改). */
export const LEVELS: Readonly<Record<number, Label>> = {
  5: { zh: '非常满意', en: 'Very satisfied' },
  4: { zh: '满意', en: 'Satisfied' },
  3: { zh: '基本满意', en: 'Fairly satisfied' },
  2: { zh: '不满意', en: 'Dissatisfied' },
  1: { zh: '非常不满意', en: 'Very dissatisfied' },
};
/** Levels at or below this are 差评: reasons are required and the office must rectify. */
export const LOW_LEVEL = 2;

/** The moments a service is rated: after 受理 (per setting) and after 办结. */
export const STAGES = ['acceptance', 'completion'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Readonly<Record<Stage, Label>> = {
  acceptance: { zh: '受理环节', en: 'Acceptance' },
  completion: { zh: '办结环节', en: 'Completion' },
};

/** What reaching a stage means to the applicant, as the invitation says it. */
export const STAGE_DONE: Readonly<Record<Stage, Label>> = {
  acceptance: { zh: '已受理', en: 'accepted' },
  completion: { zh: '已办结', en: 'concluded' },
};

// Every way an application is accepted, by the window or by law (Art. 32 视为受理).
const ACCEPTING_EVENTS = new Set(['ACCEPT', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'DEEMED_ACCEPTED']);

// 办结 is the decision the applicant was served with, granted or not: 已办结, 不予许可, 不予受理. A withdrawal is the applicant's
// own end, termination and revocation are not a service rendered to it: none of those is invited.
const CONCLUDED = new Set([S.COMPLETED, S.DENIED, S.NOT_ACCEPTED].map((s) => s.id));

/**
 * The stages a change reaches: acceptance on an accepting event (when the setting asks for it), completion on entering a
 * concluded status. The same rule plans the invitation and tells, from the timeline, when a stage was reached.
 */
export function stagesReached(change: { event: string; fromStatus: string; toStatus: string }, atAcceptance: boolean): Stage[] {
  const stages: Stage[] = [];
  if (atAcceptance && ACCEPTING_EVENTS.has(change.event) && change.fromStatus !== change.toStatus) stages.push('acceptance');
  if (CONCLUDED.has(change.toStatus) && !CONCLUDED.has(change.fromStatus)) stages.push('completion');
  return stages;
}

/** A reason a low rating gives, from `config/evaluation-reasons.json`. */
export interface EvaluationReason extends Label {
  code: string;
}

const reasonsSchema = Joi.object({
  reasons: Joi.array().min(1).unique('code').items(Joi.object({ code: Joi.string().pattern(/^[a-z_]{2,40}$/).required(), zh: Joi.string().min(2).required(), en: Joi.string().min(2).required() })).required(),
});

/** The fixed list of reasons for 不满意 and 非常不满意; a bad file stops the start, naming it. */
export function loadEvaluationReasons(configDir: string): EvaluationReason[] {
  const file = path.join(configDir, 'evaluation-reasons.json');
  const { value, error } = reasonsSchema.validate(JSON.parse(readFileSync(file, 'utf8')), { abortEarly: false });
  if (error) throw new Error(`${file}: ${error.details.map((d) => d.message).join('; ')}`);
  return value.reasons as EvaluationReason[];
}
