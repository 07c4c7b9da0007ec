import type { ApplicationRecord } from '../engine/application-record';
import type { Label } from '../i18n/labels';

/** 好差评: the invitation to rate the service of one stage, once per invitation (zh-CN first, English beside it). */
export function evaluationInvitationMail(app: ApplicationRecord, itemName: string, done: Label, expiresOn: string, statusUrl: string) {
  const subject = `【服务评价】${app.applicationNo} 请对本次政务服务作出评价 / Application ${app.applicationNo}: please rate our service`;
  const text = [
    `${app.applicant.contact.name}：您好！`,
    '',
    `您单位（${app.applicant.name}）申请的“${itemName}”（申请编号 ${app.applicationNo}）${done.zh}。`,
    `请于 ${expiresOn} 前凭申请编号和查询码在办件查询页面对本次服务作出评价（非常满意、满意、基本满意、不满意、非常不满意）：`,
    statusUrl,
    '对“不满意”“非常不满意”的评价，我们将在规定期限内整改并回访。逾期未评价的，视为未评价。',
    '',
    `Dear ${app.applicant.contact.name},`,
    `application ${app.applicationNo} (${itemName}) of ${app.applicant.name} is ${done.en}.`,
    `Please rate our service by ${expiresOn} on the status page, with the application number and your query code:`,
    statusUrl,
    'A dissatisfied rating is rectified within a set time and we call you back. Without a rating by then, none is counted.',
    '',
    `${app.routing.jurisdictionName} ${app.routing.department}`,
  ].join('\n');
  return { subject, text };
}
