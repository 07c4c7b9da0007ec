import Joi from 'joi';
import { coveredJurisdictions, type Principal } from '../auth/access-policy';
import { jurisdictionCovers } from '../catalog/routing';
import { shanghaiDate } from '../calendar';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import type { Light } from '../engine/clock';
import { AppError } from '../errors';
import { factsOfRectification } from '../evaluations/evaluation-facts';
import type { RectificationRecord, RectificationStep, StaffSignature } from '../evaluations/rectification-store';
import type { Services } from '../services';
import { toRectificationView } from '../views/evaluation-view';

type Deps = Pick<Services, 'catalog' | 'now' | 'calendar' | 'evaluationReasons' | 'rectification' | 'rectifications' | 'evaluationFacts' | 'itemOf'>;
type Staff = Extract<Principal, { kind: 'staff' }>;

const text = (max: number) => Joi.string().trim().max(max).pattern(PRINTABLE_TEXT, 'printable text');
export const replyInputSchema = Joi.object<{ text: string }>({ text: text(2000).min(1).required().description('整改答复: what the office found and did') });
export const followUpInputSchema = Joi.object<{ reached: boolean; satisfied?: boolean; note: string }>({
  reached: Joi.boolean().required().description('回访: the applicant was reached'),
  satisfied: Joi.boolean().when('reached', { is: true, then: Joi.required(), otherwise: Joi.forbidden() }).description('Whether the applicant is satisfied with the rectification (only when reached)'),
  note: text(1000).allow('').default(''),
});

export const RECTIFICATION_LIST_STATUSES = ['open', 'closed'] as const;
export interface RectificationListQuery {
  status: (typeof RECTIFICATION_LIST_STATUSES)[number];
  light?: Light;
  limit: number;
}

// How long a step's claim may stay unwritten before it counts as left by a request that stopped.
const STOPPED_AFTER_MS = 30_000;

const signatureOf = (staff: Staff): StaffSignature => ({ username: staff.sub, name: staff.name });

/** The task, when the staff member's jurisdiction covers the responsible office; anyone else is told it does not exist. */
async function readableTask(services: Deps, staff: Staff, id: string): Promise<RectificationRecord> {
  const task = await services.rectifications.get(id);
  if (!task || !jurisdictionCovers(staff.jurisdiction, task.jurisdiction, services.catalog)) throw new AppError('NOT_FOUND', `整改任务不存在 / Rectification ${id} not found`);
  return task;
}

/**
 * One step of a task: claimed by an insert (two at once: one wins, the other gets 409), then written. A step whose writer
 * stopped after claiming it is finished from its claim by the next request for it.
 */
async function takeStep(services: Deps, staff: Staff, id: string, step: RectificationStep, apply: (task: RectificationRecord, data: Record<string, unknown>) => RectificationRecord, data: Record<string, unknown>) {
  const task = await readableTask(services, staff, id);
  const needs = step === 'reply' ? 'open' : 'replied';
  const done = step === 'reply' ? Boolean(task.reply) : Boolean(task.followUp);
  if (!done && task.status !== needs) {
    throw new AppError('PRECONDITION_FAILED', step === 'reply' ? `整改任务状态为 ${task.status}，不能答复 / The task is ${task.status}; it takes no reply` : '请先答复整改情况，再记录回访 / Record the reply before the call back', { status: task.status });
  }
  if (done || !(await services.rectifications.claim(id, step, data))) {
    // A claimant that has not written its step for a while has stopped: finish the step from its claim. A claim that fresh
    // belongs to a request still writing it, which must not be overtaken (its write could land after the next step).
    const [claimed, current] = await Promise.all([services.rectifications.claimed(id, step), services.rectifications.get(id)]);
    const written = step === 'reply' ? current?.reply : current?.followUp;
    const stopped = claimed && services.now().getTime() - new Date(claimed.at as Date).getTime() > STOPPED_AFTER_MS;
    if (stopped && current && !written) await finish(services, apply(current, claimed));
    throw new AppError('PRECONDITION_FAILED', step === 'reply' ? '该整改任务已答复 / The task was already replied to' : '该整改任务已回访并办结 / The task was already followed up and closed', { status: step === 'reply' ? 'replied' : 'closed' });
  }
  const next = apply(task, data);
  await finish(services, next);
  return toRectificationView(services, next);
}

async function finish(services: Deps, task: RectificationRecord) {
  await services.rectifications.save(task);
  const last = factsOfRectification(task).at(-1);
  if (last) await services.evaluationFacts.emit(last);
}

/** 整改答复: the responsible office replies to the low rating. */
export function replyToRectification(services: Deps, staff: Staff, id: string, input: { text: string }) {
  const at = services.now();
  return takeStep(services, staff, id, 'reply', (task, d) => ({
    ...task, status: 'replied', reply: { text: String(d.text), by: d.by as StaffSignature, at: new Date(d.at as Date), on: String(d.on) },
  }), { text: input.text, by: signatureOf(staff), at, on: shanghaiDate(at) });
}

/** 回访: the applicant was called back (reached or not, satisfied or not); this closes the task. */
export function followUpRectification(services: Deps, staff: Staff, id: string, input: { reached: boolean; satisfied?: boolean; note: string }) {
  const at = services.now();
  return takeStep(services, staff, id, 'follow-up', (task, d) => ({
    ...task,
    status: 'closed',
    closedOn: String(d.on),
    followUp: { reached: Boolean(d.reached), satisfied: (d.satisfied as boolean | null) ?? null, note: String(d.note), by: d.by as StaffSignature, at: new Date(d.at as Date), on: String(d.on) },
  }), { reached: input.reached, satisfied: input.satisfied ?? null, note: input.note, by: signatureOf(staff), at, on: shanghaiDate(at) });
}

/**
 * The rectifications of the reader's jurisdiction and those beneath it: the open ones (read from the small open view,
 * overdue first, then the nearest deadline) or the closed ones (each jurisdiction's log, newest closed first).
 */
export async function listRectifications(services: Deps, staff: Staff, query: RectificationListQuery) {
  const covered = new Set(coveredJurisdictions(staff.jurisdiction, services.catalog));
  const tasks = query.status === 'open'
    ? (await services.rectifications.listOpen()).filter((t) => covered.has(t.jurisdiction))
    : (await Promise.all([...covered].map((j) => services.rectifications.closedNewest(j, query.limit)))).flat();
  const views = tasks.map((t) => toRectificationView(services, t)).filter((v) => !query.light || v.light === query.light);
  views.sort(query.status === 'open'
    ? (a, b) => a.remainingWorkingDays - b.remainingWorkingDays || a.dueDate.localeCompare(b.dueDate)
    : (a, b) => (b.closedOn ?? '').localeCompare(a.closedOn ?? ''));
  return { items: views.slice(0, query.limit), total: views.length };
}
