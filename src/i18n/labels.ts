/** What clerks and enterprises read: Chinese first, English beside it. */
export interface Label {
  zh: string;
  en: string;
}

export const STATUS_LABELS: Record<string, Label> = {
  submitted: { zh: '已提交，待受理', en: 'Submitted, awaiting acceptance' },
  correction_required: { zh: '需补正材料', en: 'Correction required' },
  not_accepted: { zh: '不予受理', en: 'Not accepted' },
  under_review: { zh: '审查中', en: 'Under review' },
  accepted_deficient: { zh: '容缺受理，审查中', en: 'Accepted with missing materials, under review' },
  suspended: { zh: '中止（特别程序）', en: 'Suspended (special procedure)' },
  approved_pending_supplement: { zh: '已准予许可，待补齐材料后发证', en: 'Approved, certificate waits for the missing materials' },
  approved: { zh: '准予许可', en: 'Approved' },
  issued_pending_verification: { zh: '已发证（告知承诺），待核查', en: 'Issued on commitment, verification pending' },
  denied: { zh: '不予许可', en: 'Denied' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  completed: { zh: '已办结', en: 'Completed' },
  terminated: { zh: '终止办理', en: 'Terminated' },
  revoked: { zh: '许可已撤销', en: 'Licence revoked' },
};

/** What each event means, in the words of a plain-language timeline. */
export const EVENT_LABELS: Record<string, Label> = {
  SUBMIT: { zh: '提交申请', en: 'Application submitted' },
  ACCEPT: { zh: '窗口受理', en: 'Accepted at the window' },
  REQUEST_CORRECTION: { zh: '一次性告知补正材料', en: 'One-time correction notice issued' },
  SUBMIT_CORRECTION: { zh: '已提交补正材料', en: 'Correction submitted' },
  REJECT: { zh: '不予受理', en: 'Not accepted' },
  APPROVE: { zh: '审查通过，准予许可', en: 'Approved' },
  DENY: { zh: '不予许可', en: 'Denied' },
  WITHDRAW: { zh: '申请已撤回', en: 'Withdrawn' },
  ACCEPT_WITH_DEFICIENCY: { zh: '容缺受理', en: 'Accepted with missing secondary materials' },
  SUPPLEMENT: { zh: '补齐容缺材料', en: 'Missing materials supplied' },
  ACCEPT_ON_COMMITMENT: { zh: '告知承诺审批，当场准予许可', en: 'Approved on the applicant\'s pledge' },
  VERIFY_PASSED: { zh: '承诺事项核查通过', en: 'Verification passed' },
  VERIFY_FAILED: { zh: '核查发现承诺不实，撤销许可', en: 'Verification failed, licence revoked' },
  SUSPEND: { zh: '进入特别程序（中止计时）', en: 'Suspended for a special procedure' },
  RESUME: { zh: '特别程序结束，恢复计时', en: 'Resumed' },
  EXTEND: { zh: '延长审查期限', en: 'Time limit extended' },
  REVIEW_OPINION: { zh: '出具审查意见', en: 'Review opinion given' },
  SUBMIT_REWORK: { zh: '退回事项已重新提交', en: 'Returned part resubmitted' },
  CERTIFICATE_ISSUED: { zh: '证照已制发', en: 'Certificate issued' },
  CORRECTION_DEADLINE_PASSED: { zh: '补正期限届满未补正', en: 'Correction deadline passed' },
  SUPPLEMENT_DEADLINE_PASSED: { zh: '容缺材料补交期限届满，终止办理', en: 'Supplement deadline passed, processing terminated' },
  VERIFICATION_DEADLINE_PASSED: { zh: '核查期限已到，待核查', en: 'Verification is overdue' },
  DEADLINE_RECALCULATED: { zh: '期限按正式公布的节假日安排重新计算', en: 'Deadline recalculated on the official holiday schedule' },
};

/** The time limits and deadlines of an application (clocks and timers), as a notice names them. */
export const DEADLINE_LABELS: Record<string, Label> = {
  decision: { zh: '办理时限', en: 'decision time limit' },
  city: { zh: '市级审查时限', en: 'city review time limit' },
  province: { zh: '省级审查时限', en: 'provincial review time limit' },
  correction: { zh: '补正期限', en: 'correction deadline' },
  supplement: { zh: '容缺材料补交期限', en: 'deadline for the missing materials' },
  verification: { zh: '承诺事项核查期限', en: 'verification deadline' },
};

export const label = (table: Record<string, Label>, key: string): Label => table[key] ?? { zh: key, en: key };
