import { createHash } from 'node:crypto';
import Joi from 'joi';
import type { EventDefinition } from './event-definition';
import { badRequest, refuse } from './event-definition';
import { enumLabels, field, isoInstant, signedNow, text } from './fields';
import { AT_WINDOW, REVIEWERS } from './senders';

/** 告知承诺制: decided and issued on the applicant's written pledge, verified afterwards (核查). */
export const commitmentEvents: EventDefinition[] = [
  {
    type: 'ACCEPT_ON_COMMITMENT',
    label: { zh: '告知承诺审批，当场准予许可', en: 'Approved on the applicant\'s pledge' },
    sentBy: AT_WINDOW,
    payload: Joi.object({
      pledge: Joi.object({
        textVersion: field(Joi.string().pattern(/^[A-Za-z0-9._-]{1,32}$/).required(), { zh: '承诺书版本', en: 'Pledge text version' }),
        signedBy: field(text(100).required(), { zh: '承诺书签署人', en: 'Pledge signed by' }),
        signedAt: field(isoInstant.required(), { zh: '签署时间', en: 'Signed at' }, signedNow),
      }).required(),
    }),
    itemRefusal: (item) => (item.allowsCommitment ? null : `事项“${item.name}”不适用告知承诺制 / Item ${item.code} is not eligible for commitment-based approval`),
    check: async ({ app, pledgeText, creditKinds }, event) => {
      const pledge = event.pledge as { textVersion: string };
      if (!pledgeText(pledge.textVersion)) throw badRequest('pledge.textVersion', `未知承诺书版本 / Unknown pledge text version ${pledge.textVersion}`);
      const credit = await creditKinds(app.applicant.uscc);
      if (credit.includes('false_commitment')) refuse('申请人有虚假承诺记录，不适用告知承诺制 / The applicant has a false-commitment record and cannot use commitment-based approval');
    },
    // The pledge is kept with a hash of the very text that was signed.
    records: ({ pledgeText }, event) => {
      const pledge = event.pledge as { textVersion: string; signedBy: string; signedAt: string };
      const textHash = createHash('sha256').update(pledgeText(pledge.textVersion) ?? '').digest('hex');
      return { pledge: { ...pledge, textHash } };
    },
    action: {
      label: { zh: '告知承诺受理', en: 'Accept on commitment' },
      order: 30,
      hint: { zh: '书面告知申请人许可条件和虚假承诺的法律责任，申请人签署承诺书后当场准予许可，事后核查。', en: 'Tell the applicant the conditions and the liability for a false pledge; approve on the signed pledge and verify afterwards.' },
      choices: ({ app, pledges }) => ({
        'pledge.textVersion': { enum: [...pledges.keys()], descriptions: Object.fromEntries(pledges) },
        'pledge.signedBy': { default: app.applicant.contact?.name ?? '' },
      }),
    },
  },
  {
    type: 'VERIFY_PASSED',
    label: { zh: '承诺事项核查通过', en: 'Verification passed' },
    sentBy: REVIEWERS,
    payload: Joi.object({
      method: field(Joi.string().valid('written', 'online', 'site_visit', 'public_notice').required(), { zh: '核查方式', en: 'Method' }, enumLabels({
        written: { zh: '书面核查', en: 'Written' },
        online: { zh: '网上核查', en: 'Online' },
        site_visit: { zh: '现场核查', en: 'Site visit' },
        public_notice: { zh: '公示', en: 'Public notice' },
      })),
      note: field(text(), { zh: '备注', en: 'Note' }),
    }),
    records: ({ today }, event) => ({ verification: { outcome: 'passed', method: String(event.method), note: String(event.note ?? ''), on: today } }),
    action: { label: { zh: '核查通过', en: 'Verification passed' }, order: 150, style: 'primary' },
  },
  {
    type: 'VERIFY_FAILED',
    label: { zh: '核查发现承诺不实，撤销许可', en: 'Verification failed, licence revoked' },
    sentBy: REVIEWERS,
    payload: Joi.object({ findings: field(text().required(), { zh: '核查发现', en: 'Findings' }) }),
    records: ({ today }, event) => ({ verification: { outcome: 'failed', findings: String(event.findings), on: today } }),
    action: {
      label: { zh: '核查不实', en: 'Verification failed' },
      order: 160,
      style: 'danger',
      hint: { zh: '核查不实将撤销许可并记入信用记录。', en: 'A failed verification revokes the licence and makes a credit record.' },
    },
  },
];
