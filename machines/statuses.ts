import type { Label, StatusFact } from './process-types';

const status = (id: string, label: Label, short: Label = label, settled = false): StatusFact => ({ id, label, short, ...(settled ? { settled } : {}) });

// The statuses a person reads; state nodes name theirs in `meta.status`, and every list and label table is read from the charts.
export const SUBMITTED = status('submitted', { zh: '已提交，待受理', en: 'Submitted, awaiting acceptance' }, { zh: '已提交，待受理', en: 'Submitted' });
export const CORRECTION_REQUIRED = status('correction_required', { zh: '需补正材料', en: 'Correction required' });
export const NOT_ACCEPTED = status('not_accepted', { zh: '不予受理', en: 'Not accepted' });
export const UNDER_REVIEW = status('under_review', { zh: '审查中', en: 'Under review' });
export const ACCEPTED_DEFICIENT = status('accepted_deficient', { zh: '容缺受理，审查中', en: 'Accepted with missing materials, under review' }, { zh: '容缺受理，审查中', en: 'Accepted with missing materials' });
export const SUSPENDED = status('suspended', { zh: '中止（特别程序）', en: 'Suspended (special procedure)' }, { zh: '中止（特别程序）', en: 'Suspended' });
export const APPROVED_PENDING_SUPPLEMENT = status('approved_pending_supplement', { zh: '已准予许可，待补齐材料后发证', en: 'Approved, certificate waits for the missing materials' }, { zh: '已准予，待补齐材料', en: 'Approved, awaiting materials' });
export const APPROVED = status('approved', { zh: '准予许可', en: 'Approved' });
// Settled: a renewal in this status no longer waits for a decision (the certificate is issued).
export const ISSUED_PENDING_VERIFICATION = status('issued_pending_verification', { zh: '已发证（告知承诺），待核查', en: 'Issued on commitment, verification pending' }, { zh: '已发证，待核查', en: 'Issued, verification pending' }, true);
export const DENIED = status('denied', { zh: '不予许可', en: 'Denied' });
export const WITHDRAWN = status('withdrawn', { zh: '已撤回', en: 'Withdrawn' });
export const COMPLETED = status('completed', { zh: '已办结', en: 'Completed' });
export const TERMINATED = status('terminated', { zh: '终止办理', en: 'Terminated' });
export const REVOKED = status('revoked', { zh: '许可已撤销', en: 'Licence revoked' }, { zh: '许可已撤销', en: 'Revoked' });
