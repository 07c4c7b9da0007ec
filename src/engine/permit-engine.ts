import { getNextTransitions, initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { processDefinitions, type ProcessDefinition } from '../../machines';
import type { PermitEvent } from '../../machines/process-types';
import type { WorkingCalendar } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import { withConflictRetry } from '../conflict-retry';
import { AppError } from '../errors';
import { probesOf, SYSTEM_EVENTS } from '../events';
import type { Actor, ApplicationRecord, TimerRecord } from './application-record';
import type { ApplicationRepository } from './application-repository';
import { itemForApplication, planChange, timelineEntry } from './plan-change';
import { mobileOf } from '../notifications/sms';

/** An event type with the payload fields its transitions depend on. */
export type EventShape = { type: string } & Record<string, unknown>;

export type NewApplication = Omit<
  ApplicationRecord,
  'processId' | 'machineVersion' | 'snapshot' | 'state' | 'status' | 'version' | 'clocks' | 'timers' | 'nextTimerAt' | 'timeline' | 'outbox' | 'createdAt' | 'updatedAt'
>;

export interface EngineDeps {
  store: ApplicationRepository;
  calendar: WorkingCalendar;
  itemOf: (code: string) => CatalogItem;
  now: () => Date;
  definitions?: ProcessDefinition[];
  /** 好差评 also after 受理 (EVALUATION_AT_ACCEPTANCE). */
  evaluationAtAcceptance?: boolean;
}

export type PermitEngine = ReturnType<typeof createPermitEngine>;

/** Steps persisted statecharts: pure `transition()`, then one compare-and-set save; effects run later from the outbox. */
export function createPermitEngine(deps: EngineDeps) {
  const definitions = deps.definitions ?? processDefinitions;

  const definition = (id: string, version?: number): ProcessDefinition => {
    const matching = definitions.filter((d) => d.id === id && (version === undefined || d.version === version));
    const found = matching.sort((a, b) => b.version - a.version)[0];
    if (!found) throw new Error(`Process definition ${id}${version ? ` v${version}` : ''} is not registered`);
    return found;
  };

  const snapshotOf = (app: ApplicationRecord): AnyMachineSnapshot => definition(app.processId, app.machineVersion).machine.resolveState(app.snapshot as never);

  /** Events the current state accepts (whoever sends them), one per payload shape that matters, e.g. each level of an opinion. */
  const acceptedShapes = (snapshot: AnyMachineSnapshot): EventShape[] => {
    const types = new Set(getNextTransitions(snapshot).map((t) => t.eventType).filter((t) => !t.startsWith('xstate.') && t !== '*'));
    return [...types].flatMap((type) => probesOf(type).map((probe) => ({ type, ...probe })).filter((shape) => snapshot.can(shape)));
  };
  const acceptedEvents = (snapshot: AnyMachineSnapshot): string[] => [...new Set(acceptedShapes(snapshot).map((s) => s.type))];

  const describeState = (snapshot: AnyMachineSnapshot): string => stateString(snapshot.value);

  const notAllowed = (app: ApplicationRecord, snapshot: AnyMachineSnapshot, type: string): AppError => {
    const accepted = acceptedEvents(snapshot).filter((t) => !SYSTEM_EVENTS.has(t));
    return new AppError(
      'EVENT_NOT_ALLOWED',
      `当前状态“${app.status}”不接受 ${type} / Event ${type} is not allowed in state ${app.state} (status ${app.status}); ` +
        (accepted.length ? `allowed events: ${accepted.join(', ')}` : 'no events are allowed now'),
      { state: app.state, status: app.status, event: type, allowedEvents: accepted },
    );
  };

  return {
    definition,
    snapshotOf,
    acceptedEvents: (app: ApplicationRecord) => acceptedEvents(snapshotOf(app)),
    acceptedShapes: (app: ApplicationRecord) => acceptedShapes(snapshotOf(app)),

    /** Throws EVENT_NOT_ALLOWED unless the current state accepts this event type (for some payload). */
    assertAccepts(app: ApplicationRecord, type: string): void {
      const snapshot = snapshotOf(app);
      if (snapshot.status === 'done' || !acceptedEvents(snapshot).includes(type)) throw notAllowed(app, snapshot, type);
    },

    /** Creates the application in the process's initial state. */
    async start(fields: NewApplication, item: CatalogItem, actor: Actor): Promise<ApplicationRecord> {
      const def = definition(item.process);
      const now = deps.now();
      const [snapshot, actions] = initialTransition(def.machine, {
        allowsDeficientAcceptance: item.allowsDeficientAcceptance,
        allowsCommitment: item.allowsCommitment,
        correctionRestartsClock: item.correctionRestartsClock,
        correctionDays: item.correctionDays,
        intakeDays: item.intakeDays,
        supplementDays: item.supplementDays,
        verificationDays: item.verificationDays,
        jointReview: item.jointReview,
        reviewSteps: item.reviewSteps,
        // Art. 9: a renewal that comes with the holder's declaration waits for the reviewer to confirm or refuse it first.
        declarationToConfirm: Boolean(fields.details.declaration && item.renewalWithoutReview),
        assistanceExcluded: item.assistanceTime === 'excluded',
        inspectionExcluded: item.siteInspection?.time === 'excluded',
        inspectionResultDays: item.siteInspection?.resultDays ?? 3,
      });
      const state = describeState(snapshot);
      const status = def.statusOf(snapshot.value, snapshot.context as never);
      const change = planChange({
        before: null,
        snapshot,
        persisted: def.machine.getPersistedSnapshot(snapshot),
        state,
        status,
        actions,
        event: { type: 'SUBMIT', channel: fields.channel },
        actor,
        note: '',
        item: itemForApplication(item, fields.details),
        calendar: deps.calendar,
        now,
        bySms: mobileOf(fields.applicant.contact) !== null,
        evaluationAtAcceptance: deps.evaluationAtAcceptance,
      });
      const record: ApplicationRecord = {
        ...fields,
        processId: def.id,
        machineVersion: def.version,
        version: 1,
        createdAt: now,
        ...(change.set as Pick<ApplicationRecord, 'snapshot' | 'state' | 'status' | 'clocks' | 'timers' | 'nextTimerAt' | 'updatedAt'>),
        timeline: change.timeline,
        outbox: change.outbox,
      };
      await deps.store.insert(record);
      return record;
    },

    /** Appends a fact to the timeline without a transition (an issued document): any state, final ones included. */
    async record(app: ApplicationRecord, fact: { event: string; note: string; data: Record<string, unknown> }, actor: Actor): Promise<ApplicationRecord> {
      const now = deps.now();
      const entry = timelineEntry(app.timeline, {
        seq: app.timeline.length + 1, at: now, actor, event: fact.event, from: app.state, to: app.state, fromStatus: app.status, toStatus: app.status, note: fact.note, data: fact.data,
      });
      const factVersions = [...(app.factVersions ?? []), app.version + 1];
      const version = await deps.store.compareAndSet(app.id, app.version, { set: { updatedAt: now, factVersions }, timeline: [entry], outbox: [] }, app);
      return { ...app, version, updatedAt: now, factVersions, timeline: [...app.timeline, entry] };
    },

    /**
     * Applies one event. Throws EVENT_NOT_ALLOWED naming the state and the accepted events,
     * or VERSION_CONFLICT when another writer got there first.
     */
    async apply(
      app: ApplicationRecord,
      event: PermitEvent | ({ type: string } & Record<string, unknown>),
      actor: Actor,
      options: { note?: string; details?: ApplicationRecord['details']; materials?: ApplicationRecord['materials']; firedTimerId?: string } = {},
    ): Promise<ApplicationRecord> {
      const def = definition(app.processId, app.machineVersion);
      const snapshot = snapshotOf(app);
      if (snapshot.status === 'done' || !snapshot.can(event as never)) throw notAllowed(app, snapshot, event.type);
      const [next, actions] = transition(def.machine, snapshot, event as never);
      const details = options.details ? { ...app.details, ...options.details } : app.details;
      const change = planChange({
        before: app,
        snapshot: next,
        persisted: def.machine.getPersistedSnapshot(next),
        state: describeState(next),
        status: def.statusOf(next.value, next.context as never),
        actions,
        event: event as { type: string } & Record<string, unknown>,
        actor,
        note: options.note ?? '',
        firedTimerId: options.firedTimerId,
        item: itemForApplication(deps.itemOf(app.itemCode), details),
        calendar: deps.calendar,
        now: deps.now(),
        bySms: mobileOf(app.applicant.contact) !== null,
        evaluationAtAcceptance: deps.evaluationAtAcceptance,
      });
      if (options.details) change.set.details = details;
      if (options.materials) change.set.materials = options.materials;
      const version = await deps.store.compareAndSet(app.id, app.version, change, app);
      return {
        ...app,
        ...change.set,
        version,
        timeline: [...app.timeline, ...change.timeline],
        outbox: [...app.outbox, ...change.outbox],
      } as ApplicationRecord;
    },
  };
}

/**
 * Fires every stored timer of one application that is due at `now`, each through the compare-and-set
 * path, so each fires once however many jobs run; returns the timers this call fired.
 */
export async function fireDueTimers(engine: PermitEngine, store: ApplicationRepository, appId: string, now: Date, actor: Actor): Promise<{ applicationNo: string | null; fired: TimerRecord[] }> {
  const fired: TimerRecord[] = [];
  let applicationNo: string | null = null;
  const fireAll = async () => {
    for (;;) {
      const app = await store.get(appId);
      const timer = app?.timers.filter((t) => t.status === 'pending' && t.dueAt.getTime() <= now.getTime()).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
      if (!app || !timer) return;
      applicationNo = app.applicationNo;
      if (engine.acceptedEvents(app).includes(timer.event)) {
        await engine.apply(app, { type: timer.event }, actor, { firedTimerId: timer.id });
        fired.push({ ...timer, status: 'fired' });
      } else {
        // The process moved on without cancelling it: retire the timer so it never fires late.
        const timers = app.timers.map((t) => (t.id === timer.id ? { ...t, status: 'cancelled' as const } : t));
        const pending = timers.filter((t) => t.status === 'pending').map((t) => t.dueAt.getTime());
        await store.compareAndSet(app.id, app.version, { set: { timers, nextTimerAt: pending.length ? new Date(Math.min(...pending)) : null }, timeline: [], outbox: [] }, app);
      }
    }
  };
  // After 20 lost races the timers stay pending and the next tick tries again.
  await withConflictRetry(fireAll, { attempts: 20, exhausted: () => undefined });
  return { applicationNo, fired };
}

/** A readable state path: `review.active`, or parallel regions joined with `,`. */
export function stateString(value: unknown, prefix = ''): string {
  if (typeof value === 'string') return prefix + value;
  return Object.entries(value as Record<string, unknown>)
    .map(([key, sub]) => stateString(sub, `${prefix}${key}.`))
    .join(',');
}
