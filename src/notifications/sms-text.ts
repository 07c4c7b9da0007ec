import type { DeadlineMove } from '../engine/recalculate-deadlines';
import { DEADLINE_LABELS, label } from '../i18n/labels';
import { statusLabel } from '../processes/statuses';
import type { CancellationMailInput } from './cancellation-mail';
import { whenZh, type ReminderMailInput } from './reminder-mail';
import type { OutgoingSms } from './sms';

// SMS are Chinese only, unlike mails: they go to mainland mobile numbers (+86) only, a Chinese SMS is billed per
// 70 characters (67 per part of a longer one), so English beside it would double its cost, and the carriers
// send only texts of a registered template under the platform's signature (【签名】, which the gateway adds).
// The mail carries the full notice in both languages; the SMS points to it and to the status page.

/** What a notice puts into an SMS; the sender adds the number and the messageId. */
export type SmsBody = Pick<OutgoingSms, 'text' | 'template' | 'params'>;

/** The status-change notice: application number, new status, and the public status page (the query code stays off the SMS). */
export function statusChangedSms(applicationNo: string, status: string, statusUrl: string): SmsBody {
  const s = statusLabel(status).zh;
  return {
    template: 'status_changed',
    params: { applicationNo, status: s, url: statusUrl },
    text: `您的办件（申请编号 ${applicationNo}）状态已更新：${s}。凭申请编号和查询码查看进度：${statusUrl}`,
  };
}

/** The notice that provisional due dates moved on the official holiday schedule. */
export function deadlineChangedSms(applicationNo: string, moves: readonly DeadlineMove[], statusUrl: string): SmsBody {
  const dates = moves.map((m) => `${label(DEADLINE_LABELS, m.deadline).zh}改为 ${m.to}`).join('，');
  return {
    template: 'deadline_changed',
    params: { applicationNo, dates, url: statusUrl },
    text: `您的办件（申请编号 ${applicationNo}）期限已按国务院节假日安排重新计算：${dates}。查看进度：${statusUrl}`,
  };
}

/** The expiry reminder (临期证照提醒). */
export function expiryReminderSms(input: Pick<ReminderMailInput, 'certificateNumber' | 'itemName' | 'validUntil' | 'daysLeft' | 'today' | 'renewalOpensOn'>): SmsBody {
  const when = whenZh(input.daysLeft);
  const renewal = !input.renewalOpensOn ? '本证照不设延续，如需继续经营请重新申请许可。' : input.today >= input.renewalOpensOn ? '请及时申请延续。' : `自 ${input.renewalOpensOn} 起可申请延续。`;
  return {
    template: 'certificate_expiry',
    params: { certificateNumber: input.certificateNumber, itemName: input.itemName, validUntil: input.validUntil, when },
    text: `您单位的“${input.itemName}”（证照编号 ${input.certificateNumber}）有效期至 ${input.validUntil}，${when}。${renewal}`,
  };
}

/** The notice of a cancellation (注销). */
export function cancellationSms(input: Pick<CancellationMailInput, 'certificateNumber' | 'itemName' | 'on' | 'reason'>): SmsBody {
  return {
    template: 'certificate_cancelled',
    params: { certificateNumber: input.certificateNumber, itemName: input.itemName, on: input.on, reason: input.reason.zh },
    text: `您单位的“${input.itemName}”（证照编号 ${input.certificateNumber}）已于 ${input.on} 注销（${input.reason.zh}），详见邮件通知。`,
  };
}

/** 好差评: the invitation to rate the service, with the last day and the status page where the rating is given. */
export function evaluationInvitationSms(applicationNo: string, done: string, expiresOn: string, statusUrl: string): SmsBody {
  return {
    template: 'evaluation_invitation',
    params: { applicationNo, done, expiresOn, url: statusUrl },
    text: `您的办件（申请编号 ${applicationNo}）${done}，请于 ${expiresOn} 前对本次服务作出评价：${statusUrl}`,
  };
}
