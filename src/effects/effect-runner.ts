import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import { isAppError, isStoreUnavailableError } from '../errors';
import type { ApplicationStore } from '../store/application-store';
import { ROLL_FORWARD_AFTER_MS } from '../store/versioned-update';
import type { EffectAttempt, EffectAttemptStore } from '../store/effect-attempt-store';
import { UNCHANGED, type EffectHandler } from './handlers';
import type { QuietGate } from './quiet-gate';

export interface EffectRunnerDeps {
  store: Pick<ApplicationStore, 'get' | 'compareAndSet' | 'pendingEffectEntries' | 'settleEffects' | 'withPendingEffects'>;
  attempts: EffectAttemptStore;
  /** What each effect type does (./handlers.ts); the runner only decides when to run it. */
  handlers: Record<string, EffectHandler>;
  /** The domain clock: what the effects record (a job run as of another day, `--now`, records that day). */
  now: () => Date;
  /** The machine's clock for leases and retry backoff: a process run as of another day still retries in minutes, and a lease it takes expires for everyone else. */
  clock?: () => Date;
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  maxAttempts?: number;
  /** Effect types a request does not wait for: run by this process after it (and by the sweep), see handlers.ts. */
  deferred?: ReadonlySet<string>;
  /** When deferred effects may run: once the serving process is quiet (./quiet-gate.ts); at once without it. */
  quiet?: QuietGate;
}

// Retry backoff: 1, 2, 4 … minutes, capped at an hour.
const backoffMs = (attempts: number) => Math.min(60, 2 ** (attempts - 1)) * 60_000;

export type EffectRunner = ReturnType<typeof createEffectRunner>;

/** Runs the outbox of saved applications: claims each effect with a lease, records its attempts and backs off after failures; each effect at least once, never blocking the others. */
export function createEffectRunner(deps: EffectRunnerDeps) {
  const maxAttempts = deps.maxAttempts ?? 8;
  const clock = deps.clock ?? (() => new Date());
  const deferred = deps.deferred ?? new Set<string>();
  // Applications with deferred effects to run, oldest first (with when they were queued), run one at a time in the background.
  const waiting = new Map<string, number>();
  let pump: Promise<void> | null = null;
  // drain() (shutdown, tests) runs what waits without waiting for quiet.
  let draining = false;

  type Decision = 'settled' | 'wait' | number;

  /** What to do with an effect now: it is settled (done or given up), someone is on it, or attempt n is due. */
  async function decide(appId: string, effect: EffectRecord, now: Date): Promise<Decision> {
    const latest = await deps.attempts.latest(appId, effect.id);
    if (!latest) return 1;
    if (latest.outcome === 'done') return 'settled';
    if (latest.outcome === 'running' && latest.leaseUntil > now) return 'wait';
    if (latest.n >= maxAttempts) return 'settled';
    if (latest.outcome === 'failed' && latest.nextAttemptAt && latest.nextAttemptAt > now) return 'wait';
    return latest.n + 1;
  }

  /** Runs attempt n of one effect: whether it is settled afterwards, and whether the application may have changed. */
  async function attempt(app: ApplicationRecord, effect: EffectRecord, n: number): Promise<{ settled: boolean; unchanged: boolean }> {
    const now = clock();
    const claim: EffectAttempt = { applicationId: app.id, effectId: effect.id, n, startedAt: now, leaseUntil: new Date(now.getTime() + 120_000), outcome: 'running', error: null, nextAttemptAt: null };
    if (!(await deps.attempts.claim(claim))) return { settled: false, unchanged: false };
    try {
      const handler = deps.handlers[effect.type];
      if (!handler) throw new Error(`no handler for effect ${effect.type}`);
      const result = await handler(app, effect);
      await deps.attempts.finish(claim, 'done', null, null);
      return { settled: true, unchanged: result === UNCHANGED };
    } catch (e) {
      // The store is gone: recording the failure would wait for it again; the claim's lease runs out and a sweep retries.
      if (isStoreUnavailableError(e)) throw e;
      const error = e instanceof Error ? e.message : String(e);
      const givenUp = n >= maxAttempts;
      deps.log.warn({ applicationId: app.id, effect: effect.type, attempt: n, givenUp, err: error }, 'effect failed');
      await deps.attempts.finish(claim, 'failed', error, givenUp ? null : new Date(clock().getTime() + backoffMs(n)));
      return { settled: givenUp, unchanged: false };
    }
  }

  /**
   * The application once it holds journal entry `version`. A writer that died (e.g. the store was killed)
   * between claiming the entry and writing the document leaves it behind; its effects must not act on the
   * state before it (a certificate whose CERTIFICATE_ISSUED the old state refuses would never be recorded).
   * Claiming that same version again is the store's way to roll an abandoned claim forward: the claim is
   * taken, so nothing new is written, and a claim older than the roll-forward delay is completed from the journal.
   */
  async function caughtUp(appId: string, version: number): Promise<ApplicationRecord | null> {
    const app = await deps.store.get(appId);
    if (!app || app.version >= version) return app;
    try {
      // updatedAt gives the store the domain clock the claim was made on (job --now runs on another one).
      await deps.store.compareAndSet(appId, version - 1, { set: { updatedAt: deps.now() }, timeline: [], outbox: [] });
    } catch (e) {
      if (!(isAppError(e) && e.code === 'VERSION_CONFLICT')) throw e;
    }
    const after = await deps.store.get(appId);
    return after && after.version >= version ? after : null;
  }

  // A submission whose writer died after its journal entry and before the document: the client got an error
  // and the application does not exist, so its effects (the "received" mail) have nothing to act on.
  async function neverInserted(appId: string, effect: EffectRecord): Promise<boolean> {
    const old = deps.now().getTime() - new Date(effect.createdAt).getTime() > ROLL_FORWARD_AFTER_MS;
    return old && !(await deps.store.get(appId));
  }

  return {
    /**
     * Runs every due effect of one application, including those its own effects add. `known` is the application
     * as its writer just saved it; returned is the application as it now is when no effect may have changed it
     * (so the caller need not read it again), else null.
     */
    async runFor(appId: string, known?: ApplicationRecord, options: { deferred?: 'skip' | 'only' | 'include' } = {}): Promise<ApplicationRecord | null> {
      const mode = options.deferred ?? 'skip';
      const seen = new Set<number>();
      let fresh = known ?? null;
      let left = false;
      for (;;) {
        const entries = (await deps.store.pendingEffectEntries(appId)).filter((e) => !seen.has(e.version));
        if (!entries.length) {
          if (left) this.runLater(appId);
          return fresh;
        }
        for (const entry of entries) {
          seen.add(entry.version);
          let settled = true;
          for (const effect of entry.effects) {
            // A request leaves the deferred effects; the run after it takes only those, so it never holds up the next request's own.
            if (mode === 'skip' && deferred.has(effect.type)) {
              left = true;
              settled = false;
              continue;
            }
            const decision = await decide(appId, effect, clock());
            if (mode === 'only' && !deferred.has(effect.type) && decision !== 'settled') {
              settled = false;
              continue;
            }
            if (decision === 'settled') continue;
            const app = decision === 'wait' ? null : fresh && fresh.version >= entry.version ? fresh : await caughtUp(appId, entry.version);
            if (!app) {
              if (decision !== 'wait' && entry.version === 1 && (await neverInserted(appId, effect))) continue;
              settled = false;
              continue;
            }
            const result = await attempt(app, effect, decision as number);
            if (!result.settled) settled = false;
            fresh = result.unchanged ? app : null;
          }
          if (settled) await deps.store.settleEffects(appId, entry.version);
        }
      }
    },
    /** Runs the deferred effects of the application after the current request, when the process is quiet; a failure is left to the sweep. */
    runLater(appId: string): void {
      // Queued again while its run is under way: that run may have read the queue before this request's entry, so it runs once more.
      if (!waiting.has(appId)) waiting.set(appId, Date.now());
      pump ??= (async () => {
        while (waiting.size) {
          const [id, since] = waiting.entries().next().value as [string, number];
          await new Promise((resolve) => setImmediate(resolve));
          if (!draining && deps.quiet) await deps.quiet.whenQuiet(since, () => draining);
          waiting.delete(id);
          await this.runFor(id, undefined, { deferred: 'only' }).catch((err: unknown) =>
            deps.log.warn({ applicationId: id, err: err instanceof Error ? err.message : String(err) }, 'deferred effects failed; the sweep retries them'));
        }
      })().finally(() => {
        pump = null;
      });
    },
    /** Runs at once, and waits for, the deferred effects this process has queued. */
    async drain(): Promise<void> {
      draining = true;
      try {
        while (pump) await pump;
      } finally {
        draining = false;
      }
    },
    /** Picks up effects left behind by a crash or a failure, deferred ones included. */
    async sweep(limit = 100): Promise<number> {
      const ids = await deps.store.withPendingEffects(limit);
      for (const id of ids) await this.runFor(id, undefined, { deferred: 'include' });
      return ids.length;
    },
  };
}
