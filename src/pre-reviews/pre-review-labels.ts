import type { Label } from '../i18n/labels';

// The words of a pre-review's statuses, verdicts and findings: the answer's validator, its form and every view read them here.
export const PRE_REVIEW_STATUS_LABELS = {
  submitted: { zh: '待预审', en: 'Awaiting pre-review' },
  answered: { zh: '已出具预审意见', en: 'Findings given' },
  converted: { zh: '已转正式申请', en: 'Formal application made' },
} as const satisfies Record<string, Label>;
export const VERDICT_LABELS = {
  ready: { zh: '材料基本齐备，可正式申请', en: 'Ready for the formal application' },
  needs_more: { zh: '需补充完善材料后再申请', en: 'Supply or revise materials first' },
} as const satisfies Record<string, Label>;
export const FINDING_LABELS = {
  sufficient: { zh: '齐备', en: 'Sufficient' },
  missing: { zh: '缺少', en: 'Missing' },
  to_be_revised: { zh: '需修改完善', en: 'To be revised' },
} as const satisfies Record<string, Label>;

export const PRE_REVIEW_EVENT_LABELS = {
  PRE_REVIEW_SUBMITTED: { zh: '提交预审', en: 'Pre-review submitted' },
  PRE_REVIEW_ANSWERED: { zh: '出具预审意见', en: 'Findings given' },
  PRE_REVIEW_CONVERTED: { zh: '转为正式申请', en: 'Formal application made' },
} as const satisfies Record<string, Label>;

export type MaterialFinding = keyof typeof FINDING_LABELS;
export type PreReviewVerdict = keyof typeof VERDICT_LABELS;
