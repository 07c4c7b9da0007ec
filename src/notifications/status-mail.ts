import type { ApplicationRecord } from '../engine/application-record';
import type { DeadlineMove } from '../engine/recalculate-deadlines';
import { eventLabel } from '../events';
import { DEADLINE_LABELS, label } from '../i18n/labels';
import { statusLabel } from '../processes/statuses';

/** The notice sent to the applicant's contact on every status change (zh-CN first, English beside it). */
export function statusChangedMail(app: ApplicationRecord, itemName: string, status: string, event: string) {
  const s = statusLabel(status);
  const e = eventLabel(event);
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

/** The notice that a provisional due date moved once the official holiday schedule was published (zh-CN first, English beside it). */
export function deadlineChangedMail(app: ApplicationRecord, itemName: string, moves: readonly DeadlineMove[]) {
  const subject = `【期限调整】${app.applicationNo} 办理期限已按正式节假日安排重新计算 / Application ${app.applicationNo}: deadline recalculated`;
  const text = [
    `${app.applicant.contact.name}：您好！`,
    '',
    `您单位（${app.applicant.name}）申请的“${itemName}”（申请编号 ${app.applicationNo}）此前的期限暂按法定节假日计算。国务院公布节假日安排后，期限重新计算如下：`,
    ...moves.map((m) => `  ${label(DEADLINE_LABELS, m.deadline).zh}：原 ${m.from}，现 ${m.to}${m.provisional ? '（仍为暂定）' : ''}`),
    `可凭申请编号和查询码在办件查询页面查看详细进度。`,
    '',
    `Dear ${app.applicant.contact.name},`,
    `the deadlines of application ${app.applicationNo} (${itemName}) of ${app.applicant.name} were provisional, counted on the statutory holidays only. The official holiday schedule is now published and they were recalculated:`,
    ...moves.map((m) => `  ${label(DEADLINE_LABELS, m.deadline).en}: was ${m.from}, now ${m.to}${m.provisional ? ' (still provisional)' : ''}`),
    'Look up the details with the application number and your query code on the status page.',
    '',
    `${app.routing.jurisdictionName} ${app.routing.department}`,
  ].join('\n');
  return { subject, text };
}
