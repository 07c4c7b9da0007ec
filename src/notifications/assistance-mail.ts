import type { ApplicationRecord, AssistanceRequest, InspectionRecord } from '../engine/application-record';

const office = (app: ApplicationRecord) => `${app.routing.jurisdictionName} ${app.routing.department}`;

/** 部门协查: the request (or a reminder) to another department, with the link that answers it without an account. */
export function assistanceMail(app: ApplicationRecord, itemName: string, request: AssistanceRequest, link: string, dueDate: string, kind: 'request' | 'reminder') {
  const reminder = kind === 'reminder';
  const subject = `【${reminder ? '协查催办' : '部门协查'}】${app.applicationNo} ${app.applicant.name} / ${reminder ? 'Reminder: ' : ''}Assistance request ${request.id} on application ${app.applicationNo}`;
  const text = [
    `${request.department}：`,
    '',
    `${reminder ? '此前发出的协查尚未答复，特此催办。' : ''}我局在办理“${itemName}”（申请编号 ${app.applicationNo}，申请人 ${app.applicant.name}，统一社会信用代码 ${app.applicant.uscc}）时，请贵单位协助核实以下事项：`,
    '',
    request.questions,
    '',
    `请于 ${dueDate} 前通过以下链接答复（无需账号，链接仅用于本次协查，到期失效）：`,
    link,
    '',
    `To ${request.department}: ${reminder ? 'this is a reminder of an unanswered request. ' : ''}while deciding application ${app.applicationNo} (${itemName}) of ${app.applicant.name}, we ask you to confirm the facts above.`,
    `Please answer by ${dueDate} through the link (no account needed; it serves this request only and expires with it).`,
    '',
    office(app),
  ].join('\n');
  return { subject, text };
}

/** 现场核查: the enterprise is told when and where the inspectors come. */
export function inspectionMail(app: ApplicationRecord, itemName: string, inspection: InspectionRecord) {
  const subject = `【现场核查通知】${app.applicationNo} ${inspection.date} / Site inspection of application ${app.applicationNo} on ${inspection.date}`;
  const text = [
    `${app.applicant.contact.name}：您好！`,
    '',
    `您单位（${app.applicant.name}）申请的“${itemName}”（申请编号 ${app.applicationNo}）需进行现场核查：`,
    `  日期：${inspection.date}`,
    `  地点：${inspection.place}`,
    `  核查人员：${inspection.inspectors.length} 名（到场时出示执法证件）`,
    ...(inspection.note ? [`  说明：${inspection.note}`] : []),
    '请安排熟悉情况的人员在场配合。',
    '',
    `Dear ${app.applicant.contact.name},`,
    `application ${app.applicationNo} (${itemName}) of ${app.applicant.name} needs a site inspection on ${inspection.date} at ${inspection.place}, by ${inspection.inspectors.length} inspectors. Please have someone who knows the site present.`,
    '',
    office(app),
  ].join('\n');
  return { subject, text };
}
