import type { EventDefinition } from './event-definition';

/** A document was issued: recorded beside the state (engine.record), with {documentId, kind, number, sha256, issuedAt}. */
export const DOCUMENT_ISSUED = 'DOCUMENT_ISSUED';

/** What the engine itself records: the submission, deadlines that pass, effects' results and recalculated deadlines. No person sends these. */
export const systemEvents: EventDefinition[] = [
  { type: 'SUBMIT', label: { zh: '提交申请', en: 'Application submitted' } },
  { type: 'CERTIFICATE_ISSUED', label: { zh: '证照已制发', en: 'Certificate issued' } },
  { type: DOCUMENT_ISSUED, label: { zh: '文书已制发', en: 'Document issued' } },
  { type: 'DEEMED_ACCEPTED', label: { zh: '受理期限届满未作决定，依《行政许可法》第三十二条视为受理', en: 'Deemed accepted: no decision within the intake period (Administrative Licensing Law, Art. 32)' } },
  { type: 'CORRECTION_DEADLINE_PASSED', label: { zh: '补正期限届满未补正', en: 'Correction deadline passed' } },
  { type: 'SUPPLEMENT_DEADLINE_PASSED', label: { zh: '容缺材料补交期限届满，终止办理', en: 'Supplement deadline passed, processing terminated' } },
  { type: 'VERIFICATION_DEADLINE_PASSED', label: { zh: '核查期限已到，待核查', en: 'Verification is overdue' } },
  { type: 'DEADLINE_RECALCULATED', label: { zh: '期限按正式公布的节假日安排重新计算', en: 'Deadline recalculated on the official holiday schedule' } },
];
