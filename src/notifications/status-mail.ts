import type { ApplicationRecord } from '../engine/application-record';
import { EVENT_LABELS, STATUS_LABELS, label } from '../i18n/labels';

/** The notice sent to the applicant's contact on every status change (zh-CN first, English beside it). */
export function statusChangedMail(app: ApplicationRecord, itemName: string, status: string, event: string) {
  const s = label(STATUS_LABELS, status);
  const e = label(EVENT_LABELS, event);
  const subject = `【办件通知】${app.applicationNo} ${s.zh} / Application ${app.applicationNo}: ${s.en}`;
  const text = [
    `${app.applicant.contact.name}：您好！`,
    '',
    `您单位（${app.applicant.name}）申请的“${itemName}”（申请编号 ${app.applicationNo}）状态已更新：${s.zh}。`,
    `办理环节：${e.zh}。`,
    `可凭申请编号和查询码在办件查询页面查看详细进度。`,
    '',
    `Dear ${app.applicant.contact.name},`,
    `the application ${app.applicationNo} (${itemName}) of ${app.applicant.name} is now: ${s.en} (${e.en}).`,
    'Look up the details with the application number and your query code on the status page.',
    '',
    `${app.routing.jurisdictionName} ${app.routing.department}`,
  ].join('\n');
  return { subject, text };
}
