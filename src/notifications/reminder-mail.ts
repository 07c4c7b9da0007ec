/** What an expiry reminder says; every date is a YYYY-MM-DD date in Asia/Shanghai. */
export interface ReminderMailInput {
  holderName: string;
  certificateNumber: string;
  itemName: string;
  itemNameEn: string;
  /** Last day of validity. */
  validUntil: string;
  daysLeft: number;
  today: string;
  /** First day a renewal may be applied for; null when the item has no renewal. */
  renewalOpensOn: string | null;
  office: { zh: string; en: string };
}

export function whenZh(daysLeft: number): string {
  if (daysLeft === 0) return '今日到期';
  if (daysLeft === 1) return '明日到期';
  return `还有 ${daysLeft} 天到期`;
}

function whenEn(daysLeft: number): string {
  if (daysLeft === 0) return 'expires today';
  if (daysLeft === 1) return 'expires tomorrow';
  return `expires in ${daysLeft} days`;
}

function renewalZh(input: ReminderMailInput): string {
  if (!input.renewalOpensOn) return '本证照不设延续；有效期届满后如需继续从事相关活动，请重新申请许可。';
  const from = input.today >= input.renewalOpensOn ? `现已可以申请延续（自 ${input.renewalOpensOn} 起受理）` : `自 ${input.renewalOpensOn} 起可以申请延续`;
  return `${from}，请在 ${input.validUntil} 前通过政务服务中心窗口或网上办理提交延续申请，并注明原证照编号 ${input.certificateNumber}。`;
}

function renewalEn(input: ReminderMailInput): string {
  if (!input.renewalOpensOn) return 'This licence cannot be renewed; to continue the licensed activity after it expires, apply for a new licence.';
  const from = input.today >= input.renewalOpensOn ? `Renewal is open now (since ${input.renewalOpensOn})` : `Renewal opens on ${input.renewalOpensOn}`;
  return `${from}: apply for renewal at the service-centre window or online before ${input.validUntil}, quoting the certificate number ${input.certificateNumber}.`;
}

/** The expiry reminder (临期证照提醒) to the holder's contact: Chinese first, then English. */
export function expiryReminderMail(input: ReminderMailInput): { subject: string; text: string } {
  const subject = `【证照到期提醒】${input.certificateNumber} ${whenZh(input.daysLeft)}（有效期至 ${input.validUntil}）/ Licence ${input.certificateNumber} ${whenEn(input.daysLeft)}`;
  const text = [
    `${input.holderName}：您好！`,
    '',
    `贵单位持有的“${input.itemName}”（证照编号 ${input.certificateNumber}）有效期至 ${input.validUntil}，${whenZh(input.daysLeft)}。`,
    renewalZh(input),
    `如有疑问，请联系${input.office.zh}。`,
    '',
    `Dear ${input.holderName},`,
    `your ${input.itemNameEn} (certificate ${input.certificateNumber}) is valid until ${input.validUntil} and ${whenEn(input.daysLeft)}.`,
    renewalEn(input),
    `Questions: ${input.office.en}.`,
    '',
    input.office.zh,
  ].join('\n');
  return { subject, text };
}
