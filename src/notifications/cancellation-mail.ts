import type { Label } from '../i18n/labels';

/** What a cancellation notice (注销通知) says; dates are YYYY-MM-DD in Asia/Shanghai. */
export interface CancellationMailInput {
  holderName: string;
  certificateNumber: string;
  itemName: string;
  itemNameEn: string;
  validUntil: string | null;
  /** The day it was cancelled. */
  on: string;
  reason: Label;
  /** The holder asked for it (依申请注销): no remedies to state. */
  onRequest: boolean;
  note: string;
  office: { zh: string; en: string };
}

/** The notice to the holder that a certificate was cancelled (Art. 70): Chinese first, then English. */
export function cancellationMail(input: CancellationMailInput): { subject: string; text: string } {
  const subject = `【证照注销通知】${input.certificateNumber} 已注销（${input.reason.zh}）/ Licence ${input.certificateNumber} has been cancelled (${input.reason.en})`;
  const validity = input.validUntil ? `，有效期至 ${input.validUntil}` : '';
  const text = [
    `${input.holderName}：您好！`,
    '',
    `贵单位持有的“${input.itemName}”（证照编号 ${input.certificateNumber}${validity}）已于 ${input.on} 依照《中华人民共和国行政许可法》第七十条予以注销。注销事由：${input.reason.zh}。`,
    ...(input.note ? [`说明：${input.note}`] : []),
    '注销后该证照不再有效，不能延续；如需继续从事相关活动，请重新申请许可。',
    ...(input.onRequest ? [] : ['如不服本决定，可自收到本通知之日起六十日内申请行政复议，或者六个月内依法提起行政诉讼。']),
    `如有疑问，请联系${input.office.zh}。`,
    '',
    `Dear ${input.holderName},`,
    `your ${input.itemNameEn} (certificate ${input.certificateNumber}${input.validUntil ? `, valid until ${input.validUntil}` : ''}) was cancelled on ${input.on} under Article 70 of the Administrative Licensing Law. Reason: ${input.reason.en}.`,
    ...(input.note ? [`Note: ${input.note}`] : []),
    'A cancelled certificate is no longer valid and cannot be renewed; to continue the licensed activity, apply for a new licence.',
    ...(input.onRequest ? [] : ['You may apply for administrative reconsideration within 60 days of receiving this notice, or bring an administrative lawsuit within 6 months.']),
    `Questions: ${input.office.en}.`,
    '',
    input.office.zh,
  ].join('\n');
  return { subject, text };
}
