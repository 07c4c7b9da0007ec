import Joi from 'joi';
import type { Label } from '../i18n/labels';
import type { EventDefinition } from './event-definition';
import { enumLabels, field, reviewLevel, text } from './fields';
import { AT_WINDOW, CITY_OPINION, PROVINCE_OPINION } from './senders';

const LEVELS = ['city', 'province'];
const levelField = field(reviewLevel.required(), { zh: '联审分支', en: 'Branch' }, enumLabels({ city: { zh: '市级', en: 'city' }, province: { zh: '省级', en: 'province' } }));
const OPINIONS: Record<string, Label> = { approve: { zh: '同意', en: 'Approve' }, return: { zh: '退回修改', en: 'Return for rework' }, reject: { zh: '不同意', en: 'Reject' } };

/** 省市联审: city and province review in parallel; each gives its opinion, a returned branch is reworked alone. */
export const jointReviewEvents: EventDefinition[] = [
  {
    type: 'REVIEW_OPINION',
    label: { zh: '出具审查意见', en: 'Review opinion given' },
    sentBy: (event) => (event.level === 'province' ? PROVINCE_OPINION : CITY_OPINION),
    payload: Joi.object({
      level: levelField,
      opinion: field(Joi.string().valid(...Object.keys(OPINIONS)).required(), { zh: '审查意见', en: 'Opinion' }, { ...enumLabels(OPINIONS), 'x-widget': 'radio' }),
      note: field(text().required(), { zh: '意见说明', en: 'Opinion note' }),
    }),
    // Each branch takes its own level's opinion, and each opinion leads elsewhere.
    probes: LEVELS.flatMap((level) => Object.keys(OPINIONS).map((opinion) => ({ level, opinion, note: '' }))),
    records: ({ app, by, today }, event) => ({ opinions: { ...(app.details.opinions ?? {}), [String(event.level)]: { opinion: String(event.opinion), note: String(event.note), by, on: today } } }),
    action: { label: { zh: '出具联审意见', en: 'Give review opinion' }, order: 100 },
  },
  {
    type: 'SUBMIT_REWORK',
    label: { zh: '退回事项已重新提交', en: 'Returned part resubmitted' },
    sentBy: AT_WINDOW,
    payload: Joi.object({ level: levelField, note: field(text(500), { zh: '备注', en: 'Note' }) }),
    probes: LEVELS.map((level) => ({ level })),
    action: { label: { zh: '退回事项重新提交', en: 'Resubmit returned part' }, order: 80 },
  },
];
