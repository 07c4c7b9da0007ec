import { CalendarYearMissingError, shanghaiDate, type WorkingCalendar } from '../calendar';
import type { CatalogItem, WaiverRoute } from '../catalog/types';
import type { ApplicationRecord } from '../engine/application-record';
import { dueDateOf } from '../engine/clock';
import { STAGES } from '../evaluations/evaluation-rules';
import { invitationOf, type EvaluationSettings } from '../evaluations/invitations';

/** The dimensions one count is kept under: the item, how it came in, what kind of business, which process ran it. */
export interface StatisticsDims {
  itemCode: string;
  /** window | online; `-` for counts that are not about an application (reminders). */
  channel: string;
  /** new | change (变更) | renewal (延续). */
  businessType: string;
  /** The statechart the application runs (its machine id). */
  process: string;
}

/** Counts kept per application (each counted once per metric, its id kept for the drill-down). */
export const APPLICATION_METRICS = [
  'received', 'accepted', 'notAccepted', 'approved', 'denied', 'completed', 'withdrawn', 'terminated', 'revoked',
  'decided', 'timed', 'onTime', 'legalOnTime', 'immediate', 'deficient', 'commitment', 'joint',
  'waivedDataSharing', 'waivedPledge', 'waivedDepartmentCheck',
] as const;
/** Counts of reminders sent (by ledger key), and of 好差评: invitations (from the application), ratings and rectifications (evaluation-counts.ts). */
export const OTHER_METRICS = [
  'remindersSent', 'smsRemindersSent',
  'invited', 'rated', 'rated1', 'rated2', 'rated3', 'rated4', 'rated5', 'rectificationsOpened', 'rectificationsClosed', 'rectificationsOnTime', 'followedUp',
] as const;
export const METRICS = [...APPLICATION_METRICS, ...OTHER_METRICS] as const;
export type Metric = (typeof METRICS)[number];

/** One thing to count: in a jurisdiction's day, under its dimensions, the id it is about (an application, a material of one, a reminder). */
export interface Fact {
  jurisdiction: string;
  day: string;
  dims: StatisticsDims;
  metric: Metric;
  id: string;
  /** `timed` only: the working days the decision clock ran (suspensions not counted), for the mean and p90. */
  workingDays?: number;
}

/** The cell of a day document the dimensions name ('|' joins them; none of them holds one). */
export const cellKey = (d: StatisticsDims): string => [d.itemCode, d.channel, d.businessType, d.process].join('|');

const WAIVED: Record<WaiverRoute, Metric> = { data_sharing: 'waivedDataSharing', pledge: 'waivedPledge', department_check: 'waivedDepartmentCheck' };
const ACCEPTANCE_EVENTS = new Set(['ACCEPT', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'DEEMED_ACCEPTED']);
// The status an application enters, as the figure it counts in; the first of the approval statuses counts as the approval.
const ENTERED: Record<string, Metric> = {
  not_accepted: 'notAccepted', approved: 'approved', approved_pending_supplement: 'approved', issued_pending_verification: 'approved',
  denied: 'denied', completed: 'completed', withdrawn: 'withdrawn', terminated: 'terminated', revoked: 'revoked',
};

/** The dimensions of an application, fixed at receipt (so every count of it lands in the same cell). */
export function dimsOf(app: Pick<ApplicationRecord, 'itemCode' | 'channel' | 'processId' | 'details'>): StatisticsDims {
  const businessType = app.details.changeOf ? 'change' : app.details.renewalOf ? 'renewal' : 'new';
  return { itemCode: app.itemCode, channel: app.channel, businessType, process: app.processId };
}

/**
 * Every count an application makes, read from its record (timeline, clocks, materials) and the item: the same
 * function keeps the counts as the engine writes and recounts them from the stored applications, so the two agree.
 * Days are Asia/Shanghai dates of the timeline entries; the jurisdiction is the routed body's.
 */
export function factsOf(app: ApplicationRecord, item: CatalogItem, calendar: WorkingCalendar, evaluation: EvaluationSettings): Fact[] {
  const dims = dimsOf(app);
  const jurisdiction = app.routing.jurisdiction;
  const facts: Fact[] = [];
  const add = (metric: Metric, at: Date, id = app.id, workingDays?: number) =>
    facts.push({ jurisdiction, day: shanghaiDate(at), dims, metric, id, ...(workingDays === undefined ? {} : { workingDays }) });
  const received = shanghaiDate(app.createdAt);
  add('received', app.createdAt);
  const seen = new Set<Metric>();
  for (const entry of app.timeline) {
    if (ACCEPTANCE_EVENTS.has(entry.event) && !seen.has('accepted')) {
      seen.add('accepted');
      add('accepted', entry.at);
      if (entry.event === 'ACCEPT_WITH_DEFICIENCY') add('deficient', entry.at);
      if (entry.event === 'ACCEPT_ON_COMMITMENT') add('commitment', entry.at);
      if (entry.to.startsWith('jointReview')) add('joint', entry.at);
      // 减证便民: a material the item lets the bureau obtain itself (data sharing, pledge, another department) that the applicant did not supply.
      // As at acceptance (the day it is counted), whatever was supplied since (补齐, SUPPLEMENT): so a recount counts what the engine counted then.
      const suppliedSince = new Set(app.timeline.filter((t) => t.seq > entry.seq && t.event === 'SUPPLEMENT').flatMap((t) => (t.data?.materials as string[] | undefined) ?? []));
      for (const m of item.materials) {
        if (m.waivable && !app.materials.some((x) => x.code === m.code && x.provided && !suppliedSince.has(x.code))) add(WAIVED[m.waivable], entry.at, `${app.id}:${m.code}`);
      }
    }
    const metric = entry.toStatus !== entry.fromStatus ? ENTERED[entry.toStatus] : undefined;
    if (!metric || seen.has(metric)) continue;
    seen.add(metric);
    add(metric, entry.at);
    if ((metric === 'approved' || metric === 'denied') && !seen.has('decided')) {
      seen.add('decided');
      if (shanghaiDate(entry.at) === received) add('immediate', entry.at);
      const used = workingDaysUsed(app, entry.at, calendar);
      add('decided', entry.at);
      // A decision in a year whose holidays are not loaded (before 2025) cannot be timed in working days: decided, not timed, never guessed.
      if (!used) continue;
      add('timed', entry.at, app.id, used.workingDays);
      if (used.onTime) add('onTime', entry.at);
      const legalLimit = (app.details.changeOf ? item.changeLimitDays : item.legalLimitDays) + (app.details.extension?.workingDays ?? 0);
      if (used.workingDays <= legalLimit) add('legalOnTime', entry.at);
    }
  }
  // 好差评: each stage reached is an invitation to rate it (the same rule that planned the invitation), for the rate of active rating.
  for (const stage of STAGES) {
    const invitation = invitationOf(app, stage, evaluation);
    if (invitation) add('invited', invitation.invitedAt, `invited:${app.id}:${stage}`);
  }
  return facts;
}

/**
 * Working days the decision clock ran until the decision (paused days left out: they were added to its limit), and
 * whether the decision came by the clock's due date (the promised limit, extensions included).
 */
function workingDaysUsed(app: ApplicationRecord, decidedAt: Date, calendar: WorkingCalendar): { workingDays: number; onTime: boolean } | null {
  try {
    return countUsed(app, shanghaiDate(decidedAt), calendar);
  } catch (e) {
    if (e instanceof CalendarYearMissingError) return null;
    throw e;
  }
}

function countUsed(app: ApplicationRecord, day: string, calendar: WorkingCalendar): { workingDays: number; onTime: boolean } {
  const clock = app.clocks.decision;
  if (!clock) return { workingDays: Math.max(0, calendar.workingDaysBetween(shanghaiDate(app.createdAt), day)), onTime: true };
  const due = dueDateOf(clock, calendar).date;
  const asOf = clock.stoppedOn && clock.stoppedOn <= day ? clock.stoppedOn : day;
  const remaining = calendar.workingDaysBetween(asOf, due);
  return { workingDays: Math.max(0, clock.limitWorkingDays + clock.extraWorkingDays - remaining), onTime: remaining >= 0 };
}
