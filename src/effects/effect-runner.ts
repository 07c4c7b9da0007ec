import type { PermitEvent } from '../../machines/process-types';
import type { CatalogItem } from '../catalog/types';
import type { CertificateStore } from '../certificates/certificate-store';
import type { CreditStore } from '../certificates/credit-store';
import { issueCertificateFor } from '../certificates/issue-certificate';
import { withConflictRetry } from '../conflict-retry';
import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import type { PermitEngine } from '../engine/permit-engine';
import { isAppError, isStoreUnavailableError } from '../errors';
import type { Mailer } from '../notifications/mailer';
import type { DeadlineMove } from '../engine/recalculate-deadlines';
import { deadlineChangedMail, statusChangedMail } from '../notifications/status-mail';
import type { ApplicationStore } from '../store/application-store';
import { ROLL_FORWARD_AFTER_MS } from '../store/versioned-update';
import type { EffectAttempt, EffectAttemptStore } from '../store/effect-attempt-store';

export interface EffectRunnerDeps {
  store: ApplicationStore;
  engine: PermitEngine;
  certificates: CertificateStore;
  credits: CreditStore;
  mailer: Mailer;
  attempts: EffectAttemptStore;
  itemOf: (code: string) => CatalogItem;
  now: () => Date;
  log: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  maxAttempts?: number;
}

// Retry backoff: 1, 2, 4 … minutes, capped at an hour.
const backoffMs = (attempts: number) => Math.min(60, 2 ** (attempts - 1)) * 60_000;

export type EffectRunner = ReturnType<typeof createEffectRunner>;

/** Runs the outbox of saved applications: each effect at least once, idempotent, never blocking the others. */
export function createEffectRunner(deps: EffectRunnerDeps) {
  const maxAttempts = deps.maxAttempts ?? 8;

  /** Applies an engine event, re-reading on conflicts; an event the state no longer accepts was already applied. */
  const applySystemEvent = (appId: string, event: PermitEvent, details: ApplicationRecord['details'], done: (a: ApplicationRecord) => boolean) =>
    withConflictRetry(async () => {
      const app = await deps.store.get(appId);
      if (!app || done(app)) return;
      try {
        await deps.engine.apply(app, event, SYSTEM_ACTOR, { details });
      } catch (e) {
        if (!(isAppError(e) && e.code === 'EVENT_NOT_ALLOWED')) throw e;
      }
    }, { attempts: 10, exhausted: () => { throw new Error(`could not apply ${event.type} to ${appId}: too many concurrent changes`); } });

  const handlers: Record<string, (app: ApplicationRecord, effect: EffectRecord) => Promise<void>> = {
    async issueCertificate(app) {
      // A pledge found false before the certificate was made: nothing to issue.
      if (app.status === 'revoked') return;
      const cert = await issueCertificateFor(app, deps.itemOf(app.itemCode), {
        certificates: deps.certificates,
        nextSequence: deps.store.nextSequence,
        now: deps.now(),
      });
      // The revocation may have landed while the certificate was being made; it must not stay valid.
      if ((await deps.store.get(app.id))?.status === 'revoked') await handlers.revokeCertificate(app, { id: 'late-revocation', type: 'revokeCertificate', params: {}, createdAt: deps.now() });
      await applySystemEvent(app.id, { type: 'CERTIFICATE_ISSUED', certificateNo: cert.number }, { certificateNo: cert.number }, (a) => a.details.certificateNo === cert.number);
    },
    async revokeCertificate(app) {
      const cert = await deps.certificates.findByApplication(app.id);
      if (cert && cert.status !== 'revoked') {
        await deps.certificates.setStatus(cert.number, 'revoked', 'revoked', `撤销（告知承诺核查不实）/ revoked: ${app.details.verification?.findings ?? ''}`, deps.now());
      }
    },
    async recordCreditRecord(app, effect) {
      await deps.credits.record({
        uscc: app.applicant.uscc,
        kind: effect.params.kind as 'broken_promise' | 'false_commitment',
        applicationId: app.id,
        createdAt: deps.now(),
        note: app.applicationNo,
      });
    },
    async notifyApplicant(app, effect) {
      const mail = statusChangedMail(app, deps.itemOf(app.itemCode).name, String(effect.params.status), String(effect.params.event));
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
    },
    async notifyDeadlineChanged(app, effect) {
      const mail = deadlineChangedMail(app, deps.itemOf(app.itemCode).name, effect.params.moves as DeadlineMove[]);
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
    },
  };

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

  /** Runs attempt n of one effect; false when it is not settled afterwards. */
  async function attempt(app: ApplicationRecord, effect: EffectRecord, n: number): Promise<boolean> {
    const now = deps.now();
    const claim: EffectAttempt = { applicationId: app.id, effectId: effect.id, n, startedAt: now, leaseUntil: new Date(now.getTime() + 120_000), outcome: 'running', error: null, nextAttemptAt: null };
    if (!(await deps.attempts.claim(claim))) return false;
    try {
      const handler = handlers[effect.type];
      if (!handler) throw new Error(`no handler for effect ${effect.type}`);
      await handler(app, effect);
      await deps.attempts.finish(claim, 'done', null, null);
      return true;
    } catch (e) {
      // The store is gone: recording the failure would wait for it again; the claim's lease runs out and a sweep retries.
      if (isStoreUnavailableError(e)) throw e;
      const error = e instanceof Error ? e.message : String(e);
      const givenUp = n >= maxAttempts;
      deps.log.warn({ applicationId: app.id, effect: effect.type, attempt: n, givenUp, err: error }, 'effect failed');
      await deps.attempts.finish(claim, 'failed', error, givenUp ? null : new Date(deps.now().getTime() + backoffMs(n)));
      return givenUp;
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
    /** Runs every due effect of one application, including those its own effects add. */
    async runFor(appId: string): Promise<void> {
      const seen = new Set<number>();
      for (;;) {
        const entries = (await deps.store.pendingEffectEntries(appId)).filter((e) => !seen.has(e.version));
        if (!entries.length) return;
        for (const entry of entries) {
          seen.add(entry.version);
          let settled = true;
          for (const effect of entry.effects) {
            const decision = await decide(appId, effect, deps.now());
            if (decision === 'settled') continue;
            // Effects read the application as it is now (an earlier effect may have moved it on), never before their entry.
            const app = decision === 'wait' ? null : await caughtUp(appId, entry.version);
            if (!app) {
              if (decision !== 'wait' && entry.version === 1 && (await neverInserted(appId, effect))) continue;
              settled = false;
              continue;
            }
            if (!(await attempt(app, effect, decision as number))) settled = false;
          }
          if (settled) await deps.store.settleEffects(appId, entry.version);
        }
      }
    },
    /** Picks up effects left behind by a crash or a failure. */
    async sweep(limit = 100): Promise<number> {
      const ids = await deps.store.withPendingEffects(limit);
      for (const id of ids) await this.runFor(id);
      return ids.length;
    },
  };
}
