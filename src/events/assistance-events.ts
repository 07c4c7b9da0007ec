import Joi from 'joi';
import { nextAssistanceId } from '../../machines/assistance-inspection';
import { AppError } from '../errors';
import type { AssistanceRequest, InspectionRecord } from '../engine/application-record';
import type { EventBody, EventContext, EventDefinition, Sender } from './event-definition';
import { badRequest, refuse } from './event-definition';
import { enumLabels, field, text } from './fields';
import { latestInspection } from './inspection-rules';
import { REVIEWERS } from './senders';

/** Requests one application may open, and inspections it may have: the record stays inside the application document. */
export const MAX_ASSISTANCE_REQUESTS = 20;
export const MAX_INSPECTIONS = 10;

const requestId = field(Joi.string().pattern(/^A\d{1,3}$/).example('A1').required(), { zh: '协查编号', en: 'Request' });
const day = Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').example('2026-03-10');
const fileId = Joi.string().pattern(/^[A-Za-z0-9:_-]{1,100}$/, 'file id').example('f-1b2c3d');

/** The inspectors record the result: any staff role of the routed body, and the check wants one of the named inspectors. */
const INSPECTOR: Sender = { roles: ['clerk', 'reviewer', 'province-reviewer'], roleText: 'a staff role (one of the inspectors)', at: 'routed' };

const requests = (ctx: Pick<EventContext, 'app'>): AssistanceRequest[] => ctx.app.details.assistance ?? [];

/** The open request the event names; 400 for an unknown id, 409 for one already answered or withdrawn. */
function openRequest(ctx: Pick<EventContext, 'app'>, event: EventBody): AssistanceRequest {
  const request = requests(ctx).find((r) => r.id === event.requestId);
  if (!request) throw badRequest('requestId', `未知协查编号 / Unknown assistance request ${String(event.requestId)}`);
  if (request.status !== 'open') refuse(`协查 ${request.id} 已${request.status === 'answered' ? '答复' : '撤回'} / Assistance request ${request.id} is already ${request.status}`);
  return request;
}

/** The application's requests with the one the event names changed. */
const changed = (ctx: Pick<EventContext, 'app'>, id: unknown, change: (r: AssistanceRequest) => AssistanceRequest) => ({
  assistance: requests(ctx).map((r) => (r.id === id ? change(r) : r)),
});

const openInspection = (ctx: Pick<EventContext, 'app'>): InspectionRecord | null => {
  const last = latestInspection(ctx);
  return last?.status === 'scheduled' ? last : null;
};

/** How the answer to a request is recorded: by the reviewer, or by the department through its link (`senderId` absent). */
export const recordAssistance = (ctx: EventContext, event: EventBody) =>
  changed(ctx, event.requestId, (r) => ({ ...r, status: 'answered', answer: { text: String(event.answer), by: ctx.by, channel: ctx.senderId ? 'recorded' : 'link', on: ctx.today } }));

/** 部门协查 (inter-department verification) and 现场核查 (site inspection), during review. */
export const assistanceEvents: EventDefinition[] = [
  {
    type: 'REQUEST_ASSISTANCE',
    label: { zh: '发起部门协查', en: 'Assistance requested from another department' },
    sentBy: REVIEWERS,
    payload: Joi.object({
      department: field(text(100).required(), { zh: '协查部门', en: 'Department' }, { 'x-default': { zh: '烟台市公安局', en: 'Yantai Public Security Bureau' } }),
      email: field(Joi.string().email({ tlds: false }).max(200).required(), { zh: '协查部门邮箱', en: 'Department e-mail' }),
      questions: field(text(4000).required(), { zh: '协查事项', en: 'What to confirm' }),
      workingDays: field(Joi.number().integer().min(1).max(60).required(), { zh: '答复期限（工作日）', en: 'Answer within (working days)' }, { 'x-default': 5 }),
    }),
    check: (ctx) => {
      if (requests(ctx).length >= MAX_ASSISTANCE_REQUESTS) refuse(`每件申请最多发起 ${MAX_ASSISTANCE_REQUESTS} 次协查 / At most ${MAX_ASSISTANCE_REQUESTS} assistance requests per application`);
    },
    // The id is the one the chart names the request's timer with (A1, A2, …).
    records: (ctx, event) => ({
      assistance: [...requests(ctx), {
        id: nextAssistanceId({ assistanceSeq: requests(ctx).length }),
        department: String(event.department), email: String(event.email), questions: String(event.questions), workingDays: Number(event.workingDays),
        requestedOn: ctx.today, by: ctx.by, status: 'open', reminders: [],
      }],
    }),
    action: {
      label: { zh: '部门协查', en: 'Request assistance' },
      order: 122,
      hint: { zh: '向其他部门发函协查（邮件附答复链接，无需账号）；本事项设定是否计入办理时限。', en: 'Ask another department to confirm facts (a mail with a link to answer, no account needed); the item sets whether the time counts.' },
    },
  },
  {
    type: 'RECORD_ASSISTANCE',
    label: { zh: '协查已答复', en: 'Assistance answered' },
    sentBy: REVIEWERS,
    payload: Joi.object({ requestId, answer: field(text(4000).required(), { zh: '协查答复', en: 'Answer' }) }),
    check: (ctx, event) => void openRequest(ctx, event),
    records: recordAssistance,
    action: { label: { zh: '登记协查答复', en: 'Record answer' }, order: 124, hint: { zh: '协查部门以其他方式答复时，由审查人员登记。', en: 'When the department answered otherwise, the reviewer records it.' }, choices: openRequestChoices },
  },
  {
    type: 'REMIND_ASSISTANCE',
    label: { zh: '催办协查', en: 'Assistance request reminded' },
    sentBy: REVIEWERS,
    payload: Joi.object({ requestId, note: field(text(500), { zh: '备注', en: 'Note' }) }),
    check: (ctx, event) => void openRequest(ctx, event),
    records: (ctx, event) => changed(ctx, event.requestId, (r) => ({ ...r, reminders: [...r.reminders, ctx.today].slice(-20) })),
    action: { label: { zh: '催办协查', en: 'Remind' }, order: 125, choices: openRequestChoices },
  },
  {
    type: 'WITHDRAW_ASSISTANCE',
    label: { zh: '撤回协查', en: 'Assistance request withdrawn' },
    sentBy: REVIEWERS,
    payload: Joi.object({ requestId, reason: field(text().required(), { zh: '理由', en: 'Reason' }) }),
    check: (ctx, event) => void openRequest(ctx, event),
    records: (ctx, event) => changed(ctx, event.requestId, (r) => ({ ...r, status: 'withdrawn', withdrawal: { reason: String(event.reason), on: ctx.today } })),
    action: { label: { zh: '撤回协查', en: 'Withdraw request' }, order: 126, choices: openRequestChoices },
  },
  { type: 'ASSISTANCE_DEADLINE_PASSED', label: { zh: '协查答复期限届满未答复', en: 'Assistance request overdue' } },
  {
    type: 'SCHEDULE_INSPECTION',
    label: { zh: '安排现场核查', en: 'Site inspection scheduled' },
    sentBy: REVIEWERS,
    payload: Joi.object({
      date: field(day.required(), { zh: '核查日期', en: 'Date' }),
      place: field(text(200).required(), { zh: '核查地点', en: 'Place' }),
      inspectors: field(Joi.array().items(Joi.string().pattern(/^[A-Za-z0-9._-]{1,64}$/, 'username').example('reviewer')).example(['reviewer', 'clerk']).min(2).max(10).unique().required(), { zh: '核查人员（至少两名，用户名）', en: 'Inspectors (two or more, usernames)' }),
      note: field(text(1000), { zh: '备注', en: 'Note' }),
    }),
    itemRefusal: (item) => (item.siteInspection ? null : `事项“${item.name}”未设定现场核查 / Item ${item.code} has no site inspection checklist`),
    check: async (ctx, event) => {
      if (String(event.date) < ctx.today) throw badRequest('date', `核查日期不能早于今天 / The inspection date ${String(event.date)} is before today ${ctx.today}`);
      if (openInspection(ctx)) refuse('已有待记录结果的现场核查 / An inspection is already scheduled and waits for its result');
      if ((ctx.app.details.inspections?.length ?? 0) >= MAX_INSPECTIONS) refuse(`每件申请最多 ${MAX_INSPECTIONS} 次现场核查 / At most ${MAX_INSPECTIONS} inspections per application`);
      // Inspectors are active staff whose jurisdiction covers the body the application is routed to.
      for (const username of event.inspectors as string[]) {
        const account = await ctx.staffOf?.(username);
        if (!account?.active || !account.coversRouting) throw badRequest('inspectors', `核查人员须为本机关在职工作人员：${username} / Inspector ${username} is not active staff of ${ctx.app.routing.jurisdiction}`);
      }
    },
    records: (ctx, event) => ({
      inspections: [...(ctx.app.details.inspections ?? []), {
        id: `I${(ctx.app.details.inspections?.length ?? 0) + 1}`, date: String(event.date), place: String(event.place), inspectors: [...(event.inspectors as string[])],
        note: String(event.note ?? ''), scheduledBy: ctx.by, scheduledOn: ctx.today, status: 'scheduled',
      }],
    }),
    action: {
      label: { zh: '安排现场核查', en: 'Schedule inspection' },
      order: 127,
      hint: { zh: '至少两名核查人员；企业将收到邮件通知。', en: 'At least two inspectors; the enterprise is told by mail.' },
      choices: ({ app }) => ({ place: { default: app.applicant.name } }),
    },
  },
  {
    type: 'RECORD_INSPECTION',
    label: { zh: '登记现场核查结果', en: 'Site inspection recorded' },
    sentBy: INSPECTOR,
    payload: Joi.object({
      points: field(Joi.array().min(1).max(50).items(Joi.object({
        code: field(Joi.string().pattern(/^[A-Za-z0-9_-]{1,20}$/).example('P1').required(), { zh: '核查要点', en: 'Point' }),
        result: field(Joi.string().valid('pass', 'fail', 'not_applicable').required(), { zh: '结果', en: 'Result' }, enumLabels({
          pass: { zh: '符合', en: 'Pass' }, fail: { zh: '不符合', en: 'Fail' }, not_applicable: { zh: '不适用', en: 'Not applicable' },
        })),
        note: field(text(1000), { zh: '说明', en: 'Note' }),
        photos: field(Joi.array().items(fileId).max(20), { zh: '照片（文件编号）', en: 'Photos (file ids)' }),
      })).required(), { zh: '逐项核查', en: 'Point by point' }),
      conclusion: field(Joi.string().valid('pass', 'fail').required(), { zh: '核查结论', en: 'Conclusion' }, enumLabels({ pass: { zh: '合格', en: 'Passed' }, fail: { zh: '不合格', en: 'Failed' } })),
      note: field(text(2000), { zh: '核查意见', en: 'Opinion' }),
    }),
    check: async (ctx, event) => {
      const inspection = openInspection(ctx);
      if (!inspection) refuse('没有待记录结果的现场核查 / No scheduled inspection waits for a result');
      if (!ctx.senderId || !inspection.inspectors.includes(ctx.senderId)) throw new AppError('FORBIDDEN', `只有核查人员可登记结果（${inspection.inspectors.join('、')}）/ Only the inspectors (${inspection.inspectors.join(', ')}) record the result`, { event: 'RECORD_INSPECTION' });
      if (ctx.today < inspection.date) refuse(`核查日期 ${inspection.date} 未到 / The inspection is on ${inspection.date}`);
      const points = event.points as { code: string; result: string; note?: string; photos?: string[] }[];
      const checklist = ctx.item.siteInspection?.checklist ?? [];
      const codes = points.map((p) => p.code);
      const missing = checklist.filter((c) => !codes.includes(c.code)).map((c) => c.code);
      const unknown = codes.filter((c, i) => !checklist.some((x) => x.code === c) || codes.indexOf(c) !== i);
      if (missing.length || unknown.length) throw badRequest('points', `须逐项记录核查要点 / Record each checklist point once: ${[...missing.map((c) => `missing ${c}`), ...unknown.map((c) => `unknown or repeated ${c}`)].join(', ')}`);
      const unexplained = points.filter((p) => p.result === 'fail' && !p.note).map((p) => p.code);
      if (unexplained.length) throw badRequest('points', `不符合的要点须写明说明 / A failed point needs a note: ${unexplained.join(', ')}`);
      for (const photo of points.flatMap((p) => p.photos ?? [])) {
        const file = await ctx.fileOf?.(photo);
        if (!file || file.applicationId !== ctx.app.id) throw badRequest('points', `照片须为本申请的文件 / Photo ${photo} is not a file of this application`);
      }
    },
    records: (ctx, event) => {
      const checklist = ctx.item.siteInspection?.checklist ?? [];
      const points = (event.points as { code: string; result: 'pass' | 'fail' | 'not_applicable'; note?: string; photos?: string[] }[])
        .map((p) => ({ code: p.code, text: checklist.find((c) => c.code === p.code)?.text ?? p.code, result: p.result, note: p.note ?? '', photos: p.photos ?? [] }));
      const result = { points, conclusion: event.conclusion as 'pass' | 'fail', note: String(event.note ?? ''), by: ctx.by, on: ctx.today };
      return { inspections: (ctx.app.details.inspections ?? []).map((i) => (i.status === 'scheduled' ? { ...i, status: 'recorded' as const, result } : i)) };
    },
    action: {
      label: { zh: '登记核查结果', en: 'Record inspection' },
      order: 128,
      hint: { zh: '逐项记录（符合/不符合/不适用），不符合须说明；不合格可不予许可，或整改后重新核查。', en: 'Point by point (pass/fail/not applicable, a failed point with a note); a failed inspection leads to a denial or a new inspection after rectification.' },
      choices: ({ item }) => ({
        points: { default: { zh: (item.siteInspection?.checklist ?? []).map((c) => ({ code: c.code, result: 'pass', note: c.text })), en: (item.siteInspection?.checklist ?? []).map((c) => ({ code: c.code, result: 'pass', note: c.textEn })) } },
        'points.code': { enum: (item.siteInspection?.checklist ?? []).map((c) => c.code), labels: Object.fromEntries((item.siteInspection?.checklist ?? []).map((c) => [c.code, { zh: `${c.code} ${c.text}`, en: `${c.code} ${c.textEn}` }])) },
      }),
    },
  },
  { type: 'INSPECTION_OVERDUE', label: { zh: '现场核查逾期未登记结果', en: 'Site inspection result overdue' } },
];

/** The open requests, for the forms that name one. */
function openRequestChoices({ app }: { app: { details: { assistance?: AssistanceRequest[] } } }) {
  const open = (app.details.assistance ?? []).filter((r) => r.status === 'open');
  return { requestId: { enum: open.map((r) => r.id), labels: Object.fromEntries(open.map((r) => [r.id, { zh: `${r.id} ${r.department}`, en: `${r.id} ${r.department}` }])), ...(open[0] ? { default: open[0].id } : {}) } };
}
