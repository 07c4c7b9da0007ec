import Joi from 'joi';
import type { EventDefinition } from './event-definition';
import { field, text } from './fields';
import { REVIEWERS } from './senders';

const noReview = (item: { renewalWithoutReview: unknown; name: string; code: string }) =>
  item.renewalWithoutReview ? null : `事项“${item.name}”不适用延续不再审查 / Item ${item.code} has no renewal without re-review`;

/** 安全生产许可证条例 Art. 9: the reviewer answers the holder's declaration on a renewal (no fatal accident, law-abiding). */
export const renewalEvents: EventDefinition[] = [
  {
    type: 'CONFIRM_DECLARATION',
    label: { zh: '确认延续承诺，不再审查，准予延续', en: 'Declaration confirmed: renewed without re-review' },
    sentBy: REVIEWERS,
    payload: Joi.object({ note: field(text(), { zh: '备注', en: 'Note' }) }),
    itemRefusal: noReview,
    records: ({ app, today, by }, event) => ({
      declaration: { ...app.details.declaration!, outcome: 'confirmed', by, on: today },
      decision: { outcome: 'approved', on: today, note: String(event.note ?? '') },
    }),
    action: {
      label: { zh: '确认承诺，准予延续', en: 'Confirm declaration' },
      order: 85,
      style: 'primary',
      hint: { zh: '有效期内未发生死亡事故、严格遵守有关安全生产法律法规的，经同意，不再审查，有效期延期 3 年。', en: 'No fatal accident and law-abiding during the validity: with consent, renewed for the same period without a new review.' },
    },
  },
  {
    type: 'REFUSE_DECLARATION',
    label: { zh: '不予确认延续承诺，转入审查', en: 'Declaration refused: normal review' },
    sentBy: REVIEWERS,
    payload: Joi.object({ reason: field(text().required(), { zh: '不予确认的理由', en: 'Reason' }) }),
    itemRefusal: noReview,
    records: ({ app, today, by }, event) => ({ declaration: { ...app.details.declaration!, outcome: 'refused', reason: String(event.reason), by, on: today } }),
    action: { label: { zh: '不予确认，转入审查', en: 'Refuse declaration' }, order: 86, hint: { zh: '写明理由；申请按一般程序审查。', en: 'Give the reason; the application is reviewed as usual.' } },
  },
];
