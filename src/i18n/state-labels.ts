import type { Label } from './labels';

/** What each state of a process diagram is called; keyed by state path, unknown states show their key. */
export const STATE_LABELS: Record<string, Label> = {
  intake: { zh: '受理审查', en: 'Intake' },
  correctionRequired: { zh: '补正材料', en: 'Correction' },
  review: { zh: '审查', en: 'Review' },
  'review.active': { zh: '审查中', en: 'Reviewing' },
  'review.suspended': { zh: '中止（特别程序）', en: 'Suspended' },
  jointReview: { zh: '省市联审', en: 'Joint review' },
  'jointReview.city': { zh: '市级审查', en: 'City branch' },
  'jointReview.province': { zh: '省级审查', en: 'Province branch' },
  'jointReview.city.reviewing': { zh: '市级审查中', en: 'City reviewing' },
  'jointReview.city.returned': { zh: '市级退回修改', en: 'Returned by city' },
  'jointReview.city.approved': { zh: '市级通过', en: 'City approved' },
  'jointReview.province.reviewing': { zh: '省级审查中', en: 'Province reviewing' },
  'jointReview.province.returned': { zh: '省级退回修改', en: 'Returned by province' },
  'jointReview.province.approved': { zh: '省级通过', en: 'Province approved' },
  approvedPendingSupplement: { zh: '已准予，待补齐材料', en: 'Approved, awaiting materials' },
  approved: { zh: '准予许可，制证中', en: 'Approved, issuing certificate' },
  issuedPendingVerification: { zh: '已发证，待核查', en: 'Issued, verification pending' },
  completed: { zh: '已办结', en: 'Completed' },
  denied: { zh: '不予许可', en: 'Denied' },
  notAccepted: { zh: '不予受理', en: 'Not accepted' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  terminated: { zh: '终止办理', en: 'Terminated' },
  revoked: { zh: '许可已撤销', en: 'Licence revoked' },
};
