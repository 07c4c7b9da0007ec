import { uploadRefusal, type Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationRecord, ClockRecord, TimerRecord } from '../engine/application-record';
import { viewClock, type ClockView, type Light } from '../engine/clock';
import { eventLabel } from '../events';
import * as S from '../../machines/statuses';
import { assistanceTimerName, INSPECTION_TIMER } from '../../machines/assistance-inspection';
import { statusLabel } from '../processes/statuses';
import type { Services } from '../services';
import type { EffectAttempt } from '../store/effect-attempt-store';
import { actionsFor, allowedShapes } from './actions-view';
import { chainView, listStep } from './chain-view';
import { chainEntryOf, INTERNAL_CHAIN_EVENTS } from '../auth/review-chain';
import { FINDING_LABELS, VERDICT_LABELS } from '../pre-reviews/pre-review-labels';
import { label } from '../i18n/labels';

export type ClockOrWarning = ClockView | { unavailable: string };

/** A clock as people read it; a due date in a year before 2025 with no loaded schedule is shown as unavailable, never guessed. */
export function clockView(services: Pick<Services, 'now' | 'calendar'>, clock: ClockRecord | undefined, item: CatalogItem): ClockOrWarning | null {
  if (!clock) return null;
  try {
    return viewClock(clock, shanghaiDate(services.now()), item.warningDays, services.calendar);
  } catch (e) {
    if ((e as { code?: string }).code === 'CALENDAR_YEAR_MISSING') return { unavailable: (e as Error).message };
    throw e;
  }
}

// Art. 32 intake period: yellow from the working day before it ends (local supervision rules warn one working day ahead).
const INTAKE_WARNING_DAYS = 1;

/**
 * Legal deadlines the process waits on (intake, supplement, correction, verification) with their light.
 * An overdue verification has fired but stays, red, until someone verifies (never silently dropped).
 */
function deadlinesOf(services: Services, app: ApplicationRecord, item: CatalogItem) {
  const now = services.now();
  const today = shanghaiDate(now);
  // 部门协查 and 现场核查 deadlines stay, red once fired, while their request or inspection is open, and only then.
  const own = ownDeadline(app);
  const awaited = (t: TimerRecord) => own(t) ??
    (t.status === 'pending' || (t.status === 'fired' && t.name === 'verification' && app.status === 'issued_pending_verification'));
  return app.timers.filter(awaited).map((t) => {
    const overdue = t.status === 'fired' || t.dueAt.getTime() <= now.getTime();
    // An inspection shows yellow from the day after its date until its result is late.
    const inspectionDate = t.name === INSPECTION_TIMER ? app.details.inspections?.at(-1)?.date : undefined;
    const light = overdue ? ('red' as const) : inspectionDate ? (today > inspectionDate ? ('yellow' as const) : ('green' as const)) : deadlineLight(services, t.dueDate, t.name === 'intake' ? INTAKE_WARNING_DAYS : item.warningDays);
    return { name: t.name, dueDate: t.dueDate, provisional: t.provisional ?? false, status: t.status, overdue, light };
  });
}

// Statuses of the review states, where requests and inspections are open (a cheap test: the work list reads every row).
const WHILE_REVIEWING = new Set([S.UNDER_REVIEW, S.ACCEPTED_DEFICIENT, S.SUSPENDED].map((x) => x.id));

/** Whether a request's or an inspection's timer is shown (its record open, the process still taking the event), or undefined for other timers. */
function ownDeadline(app: ApplicationRecord) {
  const reviewing = WHILE_REVIEWING.has(app.status);
  const open = new Set((app.details.assistance ?? []).filter((r) => r.status === 'open').map((r) => assistanceTimerName(r.id)));
  const inspecting = app.details.inspections?.at(-1)?.status === 'scheduled';
  return (t: TimerRecord): boolean | undefined => {
    if (t.name === INSPECTION_TIMER) return inspecting && t.status !== 'cancelled' && (reviewing || app.status === S.ISSUED_PENDING_VERIFICATION.id);
    if (t.name.startsWith('assistance-')) return open.has(t.name) && t.status !== 'cancelled' && reviewing;
    return undefined;
  };
}

// Yellow at or below the warning threshold (the item's, or the intake period's); a date before 2025 with no schedule cannot be counted, so it shows green.
function deadlineLight(services: Services, dueDate: string, warningDays: number): Light {
  try {
    return services.calendar.workingDaysBetween(shanghaiDate(services.now()), dueDate) <= warningDays ? 'yellow' : 'green';
  } catch (e) {
    if ((e as { code?: string }).code === 'CALENDAR_YEAR_MISSING') return 'green';
    throw e;
  }
}

const BRANCH_OUTCOME: Record<string, string> = { approve: 'approved', reject: 'rejected', return: 'returned' };

/** The event types the principal may send now (for integrators; the console reads `actions`). */
const allowedEvents = (services: Services, principal: Principal, app: ApplicationRecord): string[] => [...new Set(allowedShapes(services, principal, app).map((s) => s.type))];

/** The staff (or owning enterprise) view of an application: whitelisted fields only. */
export function toApplicationView(services: Services, app: ApplicationRecord, principal: Principal, attempts: EffectAttempt[] = []) {
  const item = services.itemOf(app.itemCode);
  // After the join a branch reads as its last opinion left it; a branch cut short by the other's rejection reads closed.
  const branchState = (level: 'city' | 'province') =>
    ((app.snapshot as { value?: { jointReview?: Record<string, string> } }).value?.jointReview?.[level]) ??
    (app.clocks[level] ? (BRANCH_OUTCOME[app.details.opinions?.[level]?.opinion ?? ''] ?? 'closed') : null);
  return {
    id: app.id,
    applicationNo: app.applicationNo,
    itemCode: app.itemCode,
    itemName: item.name,
    processId: app.processId,
    machineVersion: app.machineVersion,
    status: app.status,
    statusLabel: statusLabel(app.status),
    state: app.state,
    version: app.version,
    allowedEvents: allowedEvents(services, principal, app),
    // What the console offers: each event with its labels and the JSON Schema of its form.
    actions: actionsFor(services, principal, app),
    // Whether this reader may upload files to the materials now (the console's upload buttons).
    mayUpload: uploadRefusal(principal, app, services.catalog) === null,
    applicant: app.applicant,
    materials: app.materials.map((m) => {
      const spec = item.materials.find((x) => x.code === m.code);
      return { code: m.code, name: spec?.name ?? m.code, nameEn: spec?.nameEn, core: spec?.core ?? false, waivable: spec?.waivable ?? null, provided: m.provided };
    }),
    channel: app.channel,
    routing: app.routing,
    intake: { jurisdiction: app.intake.jurisdiction, by: { kind: app.intake.by.kind, name: app.intake.by.name } },
    clock: clockView(services, app.clocks.decision, item),
    branches: item.jointReview
      ? Object.fromEntries((['city', 'province'] as const).map((level) => [level, {
        state: branchState(level),
        opinion: app.details.opinions?.[level] ?? null,
        clock: clockView(services, app.clocks[level], item),
      }]))
      : null,
    deadlines: deadlinesOf(services, app, item),
    // The review chain is the office's internal work: staff read it, the applicant reads the decision.
    chain: principal.kind === 'staff' ? chainView(services, app, item) : null,
    details: principal.kind === 'staff' ? app.details : publicDetails(app.details),
    // 容缺预审: the findings of the pre-review it was made from, for its reviewers.
    preReview: preReviewOf(app, item),
    certificateNo: app.details.certificateNo ?? null,
    timeline: app.timeline.filter((t) => principal.kind === 'staff' || !INTERNAL_CHAIN_EVENTS.has(t.event)).map((t) => ({
      seq: t.seq,
      at: t.at,
      date: shanghaiDate(new Date(t.at)),
      actor: { kind: t.actor.kind, name: t.actor.name, role: t.actor.role },
      event: t.event,
      label: eventLabel(t.event),
      from: t.from,
      to: t.to,
      fromStatus: t.fromStatus,
      toStatus: t.toStatus,
      note: t.note,
      data: t.data,
    })),
    effects: effectsView(app, attempts),
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

// What the applicant reads of the details: everything but the office's review chain (assignments, proposals, checks).
function publicDetails({ reviewChain: _internal, ...details }: ApplicationRecord['details']): ApplicationRecord['details'] {
  return details;
}

/** Each side effect of the application and how it went: pending, done, failed (retrying) or given up. */
function effectsView(app: ApplicationRecord, attempts: EffectAttempt[]) {
  return app.outbox.map((effect) => {
    const tries = attempts.filter((a) => a.effectId === effect.id);
    const last = tries.at(-1);
    const status = !last ? 'pending' : last.outcome === 'done' ? 'done' : last.outcome === 'failed' && !last.nextAttemptAt ? 'given_up' : last.outcome === 'failed' ? 'retrying' : 'running';
    return { id: effect.id, type: effect.type, status, attempts: tries.length, lastError: last?.error ?? null };
  });
}

/** One row of the work list. */
export function toListItem(services: Services, app: ApplicationRecord) {
  const item = services.itemOf(app.itemCode);
  return {
    id: app.id,
    applicationNo: app.applicationNo,
    itemCode: app.itemCode,
    itemName: item.name,
    applicantName: app.applicant.name,
    uscc: app.applicant.uscc,
    status: app.status,
    statusLabel: statusLabel(app.status),
    clock: clockView(services, app.clocks.decision, item),
    deadlines: deadlinesOf(services, app, item),
    // 承办 → 审核 → 签发: the step waiting, whose case it is, and the step's own light.
    step: listStep(services, chainEntryOf(app), item),
    routing: app.routing,
    version: app.version,
    createdAt: app.createdAt,
  };
}

/** The pre-review an application was made from, its findings named as the catalog names the materials and worded as people read them. */
function preReviewOf(app: ApplicationRecord, item: CatalogItem) {
  const pre = app.details.fromPreReview;
  if (!pre) return null;
  return {
    ...pre,
    verdictLabel: label(VERDICT_LABELS, pre.verdict),
    findings: pre.findings.map((f) => {
      const m = item.materials.find((x) => x.code === f.material);
      return { ...f, name: m?.name ?? f.material, nameEn: m?.nameEn ?? f.material, label: label(FINDING_LABELS, f.finding) };
    }),
  };
}
