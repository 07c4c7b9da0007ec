import Joi from 'joi';
import type { MaterialReview } from '../engine/application-record';
import type { EventDefinition } from './event-definition';
import { badRequest, materialLabel } from './event-definition';
import { enumLabels, field, materialCode, text } from './fields';
import { MATERIAL_REVIEWERS } from './senders';

/** The verdicts of a material review, as the console names them. */
export const MATERIAL_VERDICTS = {
  accepted: { zh: '合格', en: 'Accepted' },
  needs_correction: { zh: '需补正', en: 'Needs correction' },
} as const;

/** Review per material (材料审查): each mark is a timeline entry; the last mark of a material stands in the details. */
export const materialEvents: EventDefinition[] = [
  {
    type: 'MARK_MATERIAL',
    label: { zh: '材料审查', en: 'Material reviewed' },
    sentBy: MATERIAL_REVIEWERS,
    payload: Joi.object({
      material: field(materialCode.required(), { zh: '材料', en: 'Material' }),
      verdict: field(Joi.string().valid(...Object.keys(MATERIAL_VERDICTS)).required(), { zh: '审查结论', en: 'Verdict' }, enumLabels(MATERIAL_VERDICTS)),
      reason: field(text(500), { zh: '理由（需补正时必填）', en: 'Reason (required for a correction)' }),
    }),
    check: ({ item }, event) => {
      if (!item.materials.some((m) => m.code === event.material)) throw badRequest('material', `事项 ${item.code} 无此材料 / Item ${item.code} has no material ${String(event.material)}`);
      if (event.verdict === 'needs_correction' && !event.reason) throw badRequest('reason', '需补正的材料须写明理由 / A material that needs correction needs a reason');
    },
    records: ({ app, today, by }, event) => ({
      materialReviews: {
        ...app.details.materialReviews,
        [String(event.material)]: { verdict: event.verdict as MaterialReview['verdict'], reason: String(event.reason ?? ''), by, on: today },
      },
    }),
    action: {
      label: { zh: '审查材料', en: 'Review a material' },
      order: 35,
      hint: { zh: '逐项审查材料：合格，或需补正并写明理由；补正告知书按“需补正”的材料预填。', en: 'Mark each material accepted, or needing correction with a reason; the correction notice is pre-filled from the marks.' },
      choices: ({ app, item }) => ({
        material: { enum: app.materials.map((m) => m.code), labels: Object.fromEntries(app.materials.map((m) => [m.code, materialLabel(item, m.code)])) },
      }),
    },
  },
];
