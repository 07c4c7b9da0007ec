import Joi from 'joi';
import type { EventDefinition } from './event-definition';
import { badRequest, materialLabel, materialName } from './event-definition';
import { field, materialCode, text } from './fields';
import { refuseDecisionBeforeInspection } from './inspection-rules';
import { APPLICANT_OR_WINDOW, AT_WINDOW, DECIDERS, REVIEWERS } from './senders';

const note = (max = 2000) => field(text(max), { zh: '备注', en: 'Note' });
const reason = field(text().required(), { zh: '理由', en: 'Reason' });

/** The events of the standard licence process (行政许可一般程序): intake, correction, decision, suspension, extension, withdrawal. */
export const standardEvents: EventDefinition[] = [
  {
    type: 'ACCEPT',
    label: { zh: '窗口受理', en: 'Accepted at the window' },
    sentBy: AT_WINDOW,
    payload: Joi.object({}),
    action: { label: { zh: '受理', en: 'Accept' }, order: 10, style: 'primary', hint: { zh: '材料齐全、符合法定形式，予以受理。', en: 'Materials complete and in the legal form: accept.' } },
  },
  {
    type: 'REQUEST_CORRECTION',
    label: { zh: '一次性告知补正材料', en: 'One-time correction notice issued' },
    sentBy: AT_WINDOW,
    payload: Joi.object({
      items: field(Joi.array().min(1).max(50).items(Joi.object({
        material: field(materialCode, { zh: '材料', en: 'Material' }, { 'x-emptyLabel': { zh: '其他（非材料事项）', en: 'Other' } }),
        description: field(text(500).required(), { zh: '补正内容', en: 'What to correct' }),
      })).required(), { zh: '补正事项', en: 'Items to correct' }, { 'x-addLabel': { zh: '添加一项', en: 'Add an item' } }),
    }),
    check: ({ item }, event) => {
      const unknown = (event.items as { material?: string }[]).map((i) => i.material).filter((code) => code && !item.materials.some((m) => m.code === code));
      if (unknown.length) throw badRequest('items', `未知材料 / Unknown material code(s): ${unknown.join(', ')}`);
    },
    records: ({ app, today }, event) => ({ correction: { items: event.items as { material?: string; description: string }[], requestedOn: today, round: (app.details.correction?.round ?? 0) + 1 } }),
    action: {
      label: { zh: '一次性告知补正', en: 'Request correction' },
      order: 40,
      hint: { zh: '一次性列明需要补正的全部内容；告知书可打印。', en: 'List everything to correct at once; the notice can be printed.' },
      // 一次性告知: the materials the review marked for correction, with their reasons, then the missing core materials.
      choices: ({ app, item }) => {
        const marked = Object.entries(app.details.materialReviews ?? {}).filter(([, r]) => r.verdict === 'needs_correction');
        const missingCore = app.materials.filter((m) => !m.provided && item.materials.find((s) => s.code === m.code)?.core && !marked.some(([code]) => code === m.code));
        const rows = (lang: 'zh' | 'en', ask: string) => [
          ...marked.map(([code, r]) => ({ material: code, description: r.reason })),
          ...missingCore.map((m) => ({ material: m.code, description: `${ask}${materialName(item, m.code)[lang]}` })),
        ];
        return {
          'items.material': { enum: app.materials.map((m) => m.code), labels: Object.fromEntries(app.materials.map((m) => [m.code, materialLabel(item, m.code)])) },
          ...(marked.length || missingCore.length ? { items: { default: { zh: rows('zh', '请提交：'), en: rows('en', 'Please supply: ') } } } : {}),
        };
      },
    },
  },
  {
    type: 'SUBMIT_CORRECTION',
    label: { zh: '已提交补正材料', en: 'Correction submitted' },
    sentBy: APPLICANT_OR_WINDOW,
    payload: Joi.object({ note: note(500) }),
    action: { label: { zh: '登记补正材料', en: 'Record correction' }, order: 70, hint: { zh: '申请人已按告知书补正材料。', en: 'The applicant has corrected as notified.' } },
  },
  {
    type: 'REJECT',
    label: { zh: '不予受理', en: 'Not accepted' },
    sentBy: AT_WINDOW,
    payload: Joi.object({ reason: field(text().required(), { zh: '不予受理理由', en: 'Reason for refusal' }) }),
    records: (_ctx, event) => ({ refusalReason: String(event.reason) }),
    action: {
      label: { zh: '不予受理', en: 'Refuse' },
      order: 50,
      style: 'danger',
      hint: { zh: '写明不予受理的理由；不属于本机关职权的，告知向哪个机关申请。', en: 'Give the reason; if another body is competent, name it.' },
    },
  },
  {
    type: 'APPROVE',
    label: { zh: '审查通过，准予许可', en: 'Approved' },
    sentBy: DECIDERS,
    payload: Joi.object({ note: note() }),
    // 现场核查: an item that requires it is approved only on a passed inspection.
    check: (ctx) => refuseDecisionBeforeInspection(ctx),
    records: ({ today }, event) => ({ decision: { outcome: 'approved', on: today, note: String(event.note ?? '') } }),
    action: { label: { zh: '准予许可', en: 'Approve' }, order: 90, style: 'primary', hint: { zh: '审查通过，准予许可。', en: 'Review passed: approve.' } },
  },
  {
    type: 'DENY',
    label: { zh: '不予许可', en: 'Denied' },
    sentBy: DECIDERS,
    payload: Joi.object({ reason }),
    records: ({ today }, event) => ({ decision: { outcome: 'denied', on: today, note: String(event.reason) } }),
    action: { label: { zh: '不予许可', en: 'Deny' }, order: 110, style: 'danger' },
  },
  {
    type: 'WITHDRAW',
    label: { zh: '申请已撤回', en: 'Withdrawn' },
    sentBy: APPLICANT_OR_WINDOW,
    payload: Joi.object({ reason }),
    records: ({ today }, event) => ({ withdrawal: { reason: String(event.reason), on: today } }),
    action: { label: { zh: '撤回申请', en: 'Withdraw' }, order: 170, style: 'danger' },
  },
  {
    type: 'SUSPEND',
    label: { zh: '进入特别程序（中止计时）', en: 'Suspended for a special procedure' },
    sentBy: REVIEWERS,
    payload: Joi.object({
      reason: field(text().required(), { zh: '特别程序事由（听证、检验、专家评审等）', en: 'Reason (hearing, testing, expert review…)' }),
      expectedWorkingDays: field(Joi.number().integer().min(1).max(365).required(), { zh: '预计所需工作日', en: 'Expected working days' }, { 'x-default': 10 }),
    }),
    records: ({ today }, event) => ({ suspension: { reason: String(event.reason), expectedWorkingDays: Number(event.expectedWorkingDays), since: today } }),
    action: { label: { zh: '中止（特别程序）', en: 'Suspend' }, order: 120 },
  },
  {
    type: 'RESUME',
    label: { zh: '特别程序结束，恢复计时', en: 'Resumed' },
    sentBy: REVIEWERS,
    payload: Joi.object({ note: note(500) }),
    action: { label: { zh: '恢复计时', en: 'Resume' }, order: 130, hint: { zh: '特别程序结束，恢复计时。', en: 'Special procedure over: resume the clock.' } },
  },
  {
    type: 'EXTEND',
    label: { zh: '延长审查期限', en: 'Time limit extended' },
    sentBy: REVIEWERS,
    payload: Joi.object({ reason }),
    records: ({ today, item }, event) => ({ extension: { reason: String(event.reason), workingDays: item.extensionDays, on: today } }),
    action: { label: { zh: '延长期限', en: 'Extend' }, order: 140 },
  },
];
