import { createHash } from 'node:crypto';
import type { AnyMachineSnapshot } from 'xstate';
import type { ChainStep, ClockName } from '../../machines/process-types';
import { addCalendarDays, endOfShanghaiDay, shanghaiDate, type WorkingCalendar } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { Actor, ApplicationDetails, ApplicationRecord, ClockRecord, EffectRecord, TimelineEntry, TimerRecord } from './application-record';
import * as clocks from './clock';
import { instrumentsIssuedBy } from '../documents/instruments';
import { canonicalJson } from './canonical-json';
import type { ApplicationChange } from './application-repository';
import { stagesReached } from '../evaluations/evaluation-rules';

/** An action XState returned from a transition: a name and its resolved params. */
export interface PlannedAction {
  type: string;
  params?: unknown;
}

/** Actions that leave the process: run after the save, from the outbox. */
const OUTBOX_ACTIONS = new Set(['issueCertificate', 'revokeCertificate', 'recordCreditRecord', 'requestAssignment', 'mailDepartment', 'mailApplicant']);

export interface PlanInput {
  before: Pick<ApplicationRecord, 'state' | 'status' | 'clocks' | 'timers' | 'timeline' | 'version'> | null;
  snapshot: AnyMachineSnapshot;
  persisted: unknown;
  state: string;
  status: string;
  actions: PlannedAction[];
  event: { type: string } & Record<string, unknown>;
  actor: Actor;
  note: string;
  /** The stored timer this event comes from; it is marked fired in the same save. */
  firedTimerId?: string;
  item: CatalogItem;
  calendar: WorkingCalendar;
  now: Date;
  /** The applicant's contact has a mobile: each status notice also goes by SMS, as an effect of its own so each is sent once. */
  bySms?: boolean;
  /** 好差评 also after 受理 (setting EVALUATION_AT_ACCEPTANCE), beside the invitation after 办结. */
  evaluationAtAcceptance?: boolean;
}

/**
 * The item as it times this application: a change (变更) is decided within the item's `changeLimitDays`, a renewal on a
 * declaration not refused (Art. 9) within its `renewalWithoutReview` limit; every other one within `promisedLimitDays`.
 */
export function itemForApplication(item: CatalogItem, details: ApplicationDetails): CatalogItem {
  if (details.changeOf) return { ...item, promisedLimitDays: item.changeLimitDays };
  if (details.declaration && details.declaration.outcome !== 'refused' && item.renewalWithoutReview) {
    return { ...item, promisedLimitDays: item.renewalWithoutReview.promisedLimitDays };
  }
  return item;
}

/** The limit in working days of each named clock, from the item's catalog settings. */
export function clockLimit(item: CatalogItem, clock: ClockName): number {
  if (clock === 'city') return item.jointCityLimitDays;
  if (clock === 'province') return item.jointProvinceLimitDays;
  if (clock !== 'decision') return chainStepDays(item, clock);
  return item.promisedLimitDays;
}

/** A chain step's share of the promised limit in working days (at least one); a 2-step chain has no check, its second share is the leader's. */
export function chainStepDays(item: CatalogItem, step: ChainStep): number {
  const steps = item.reviewSteps === 3 ? ['handling', 'checking', 'signing'] : ['handling', 'signing'];
  const share = item.reviewStepShares?.[steps.indexOf(step)] ?? 0;
  return Math.max(1, Math.round((item.promisedLimitDays * share) / 100));
}

/**
 * Turns one transition into the document change that records it: the snapshot, clocks,
 * timers, a timeline entry and the outbox of effects, all saved in one compare-and-set.
 */
export function planChange(input: PlanInput): ApplicationChange {
  const { before, item, calendar, now } = input;
  const today = shanghaiDate(now);
  const version = before?.version ?? 0;
  let clockSet: Partial<Record<ClockName, ClockRecord>> = { ...(before?.clocks ?? {}) };
  let timers: TimerRecord[] = (before?.timers ?? []).map((t) => (t.id === input.firedTimerId && t.status === 'pending' ? { ...t, status: 'fired' } : { ...t }));
  const outbox: EffectRecord[] = [];

  const onClock = (params: unknown, fn: (c: ClockRecord, name: ClockName) => ClockRecord) => {
    const name = ((params as { clock?: ClockName } | undefined)?.clock ?? 'decision') as ClockName;
    const current = clockSet[name];
    if (current) clockSet = { ...clockSet, [name]: fn(current, name) };
  };
  const addEffect = (type: string, params: Record<string, unknown>) =>
    outbox.push({ id: `${version + 1}-${outbox.length + 1}-${type}`, type, params, createdAt: now });

  // Clocks continued by this transition: the entry of the state they belong to starts them no more.
  const continued = new Set<ClockName>();

  for (const action of input.actions) {
    const params = action.params;
    switch (action.type) {
      case 'startClock': {
        const name = ((params as { clock?: ClockName } | undefined)?.clock ?? 'decision') as ClockName;
        if (!continued.has(name)) clockSet = { ...clockSet, [name]: clocks.startClock(clockLimit(item, name), today) };
        break;
      }
      // The days it stood stopped are added to its limit, as a pause's are.
      case 'continueClock': {
        const name = (params as { clock: ClockName }).clock;
        const c = clockSet[name];
        if (c?.stoppedOn) {
          clockSet = { ...clockSet, [name]: clocks.resumeClock({ ...c, pausedOn: c.stoppedOn, stoppedOn: null }, today, calendar) };
          continued.add(name);
        }
        break;
      }
      case 'restartClock':
        onClock(params, (_c, name) => clocks.startClock(clockLimit(item, name), today));
        break;
      case 'pauseClock':
        onClock(params, (c) => clocks.pauseClock(c, today));
        break;
      case 'resumeClock':
        onClock(params, (c) => clocks.resumeClock(c, today, calendar));
        break;
      // The same start, the limit the item now sets (a refused Art. 9 declaration goes back to the normal promise).
      case 'resetClockLimit':
        onClock(params, (c, name) => ({ ...c, limitWorkingDays: clockLimit(item, name) }));
        break;
      case 'extendClock':
        onClock(params, (c) => clocks.extendClock(c, item.extensionDays));
        break;
      case 'stopClock':
        onClock(params, (c) => clocks.stopClock(c, today));
        break;
      case 'startTimer': {
        const p = params as { name: string; event: string; days: number; basis: 'working' | 'natural'; from?: string };
        const from = p.from ?? today;
        timers = timers.map((t) => (t.name === p.name && t.status === 'pending' ? { ...t, status: 'cancelled' } : t));
        const id = `${p.name}-${version + 1}`;
        if (p.basis === 'working') {
          const due = calendar.dueDate(from, p.days);
          timers.push({ id, name: p.name, event: p.event, dueAt: endOfShanghaiDay(due.date), dueDate: due.date, status: 'pending', countedFrom: from, workingDays: p.days, provisional: due.provisional });
        } else {
          const dueDate = addCalendarDays(from, p.days);
          timers.push({ id, name: p.name, event: p.event, dueAt: endOfShanghaiDay(dueDate), dueDate, status: 'pending' });
        }
        break;
      }
      case 'cancelTimer': {
        const p = params as { name: string; drop?: boolean };
        const cancels = (t: TimerRecord) => t.name === p.name && t.status === 'pending';
        timers = p.drop ? timers.filter((t) => !cancels(t)) : timers.map((t) => (cancels(t) ? { ...t, status: 'cancelled' } : t));
        break;
      }
      // The material review and 分办 change no clock or timer: the verdict and the assignment are what the events record in the details.
      // An overdue request or inspection changes nothing either: the fired timer and the timeline entry are the record.
      case 'noteMaterialReview':
      case 'noteAssignment':
      case 'noteOverdue':
        break;
      default:
        if (!OUTBOX_ACTIONS.has(action.type)) throw new Error(`No implementation for machine action ${action.type}`);
        addEffect(action.type, (params as Record<string, unknown> | undefined) ?? {});
    }
  }

  // A finished process has no running clock and no deadline left to fire.
  if (input.snapshot.status === 'done') {
    for (const name of Object.keys(clockSet) as ClockName[]) clockSet[name] = clocks.stopClock(clockSet[name]!, today);
    timers = timers.map((t) => (t.status === 'pending' ? { ...t, status: 'cancelled' } : t));
  }
  for (const name of Object.keys(clockSet) as ClockName[]) clockSet[name] = clocks.markProvisional(clockSet[name]!, calendar);
  const fromStatus = before?.status ?? '';
  // Each written instrument the transition calls for is issued after the save (documents/instruments.ts says which).
  for (const kind of instrumentsIssuedBy({ event: input.event.type, fromStatus, toStatus: input.status })) addEffect('issueDocument', { kind, event: input.event.type });
  if (input.status !== fromStatus) {
    addEffect('notifyApplicant', { status: input.status, event: input.event.type });
    if (input.bySms) addEffect('smsApplicant', { status: input.status, event: input.event.type });
    // 监管统计: every status change may add counts (received, accepted, decided…); the effect reads them from the application.
    addEffect('countStatistics', { status: input.status });
  }
  // 好差评: the applicant is invited to rate once the stage is reached, by mail and (with a mobile) by SMS, each once.
  for (const stage of stagesReached({ event: input.event.type, fromStatus, toStatus: input.status }, input.evaluationAtAcceptance ?? false)) {
    addEffect('inviteEvaluation', { stage });
    if (input.bySms) addEffect('smsEvaluationInvitation', { stage });
  }

  const pending = timers.filter((t) => t.status === 'pending').map((t) => t.dueAt.getTime());
  const entry = timelineEntry(before?.timeline ?? [], {
    seq: (before?.timeline.length ?? 0) + 1,
    at: now,
    actor: input.actor,
    event: input.event.type,
    from: before?.state ?? '',
    to: input.state,
    fromStatus,
    toStatus: input.status,
    note: input.note,
    data: eventData(input.event),
  });

  return {
    set: {
      snapshot: input.persisted,
      state: input.state,
      status: input.status,
      clocks: clockSet,
      timers,
      nextTimerAt: pending.length ? new Date(Math.min(...pending)) : null,
      updatedAt: now,
    },
    timeline: [entry],
    outbox,
  };
}

/** Chains each entry to the one before it, so an edited or removed entry breaks the chain. */
export function timelineEntry(previous: TimelineEntry[], entry: Omit<TimelineEntry, 'hash'>): TimelineEntry {
  const prevHash = previous.at(-1)?.hash ?? '';
  return { ...entry, hash: hashEntry(prevHash, entry) };
}

export function hashEntry(prevHash: string, entry: Omit<TimelineEntry, 'hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(entry)).digest('hex');
}

/** The event's payload as the timeline keeps it (everything but its type). */
function eventData(event: { type: string } & Record<string, unknown>): Record<string, unknown> | undefined {
  const { type: _type, ...data } = event;
  return Object.keys(data).length ? data : undefined;
}
