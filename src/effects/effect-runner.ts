import type { PermitEvent } from '../../machines/process-types';
import type { CatalogItem } from '../catalog/types';
import type { CertificateStore } from '../certificates/certificate-store';
import type { CreditStore } from '../certificates/credit-store';
import { issueCertificateFor } from '../certificates/issue-certificate';
import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import type { PermitEngine } from '../engine/permit-engine';
import { isAppError } from '../errors';
import type { Mailer } from '../notifications/mailer';
import { statusChangedMail } from '../notifications/status-mail';
import type { ApplicationStore } from '../store/application-store';
import type { LeaseStore } from '../store/lease-store';

export interface EffectRunnerDeps {
  store: ApplicationStore;
  engine: PermitEngine;
  certificates: CertificateStore;
  credits: CreditStore;
  mailer: Mailer;
  leases: LeaseStore;
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
  async function applySystemEvent(appId: string, event: PermitEvent, details: ApplicationRecord['details'], done: (a: ApplicationRecord) => boolean) {
    for (let attempt = 0; attempt < 10; attempt++) {
      const app = await deps.store.get(appId);
      if (!app || done(app)) return;
      try {
        await deps.engine.apply(app, event, SYSTEM_ACTOR, { details });
        return;
      } catch (e) {
        if (isAppError(e) && e.code === 'VERSION_CONFLICT') continue;
        if (isAppError(e) && e.code === 'EVENT_NOT_ALLOWED') return;
        throw e;
      }
    }
    throw new Error(`could not apply ${event.type} to ${appId}: too many concurrent changes`);
  }

  const handlers: Record<string, (app: ApplicationRecord, effect: EffectRecord) => Promise<void>> = {
    async issueCertificate(app) {
      const cert = await issueCertificateFor(app, deps.itemOf(app.itemCode), {
        certificates: deps.certificates,
        nextSequence: deps.store.nextSequence,
        now: deps.now(),
      });
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
  };

  async function runOne(app: ApplicationRecord, effect: EffectRecord): Promise<void> {
    const leaseKey = `effect:${app.id}:${effect.id}`;
    if (!(await deps.leases.tryAcquire(leaseKey, 60_000, deps.now()))) return;
    try {
      const handler = handlers[effect.type];
      if (!handler) throw new Error(`no handler for effect ${effect.type}`);
      await handler(app, effect);
      await deps.store.completeEffect(app.id, effect.id);
    } catch (e) {
      const attempts = (app.effectAttempts?.[effect.id]?.attempts ?? 0) + 1;
      const lastError = e instanceof Error ? e.message : String(e);
      deps.log.warn({ applicationId: app.id, effect: effect.type, attempts, err: lastError }, 'effect failed');
      await deps.store.recordEffectFailure(app.id, effect.id, {
        attempts,
        lastError,
        nextAttemptAt: new Date(deps.now().getTime() + (attempts >= maxAttempts ? 365 * 86_400_000 : backoffMs(attempts))),
      });
    } finally {
      await deps.leases.release(leaseKey);
    }
  }

  const isDue = (app: ApplicationRecord, effect: EffectRecord) => {
    const attempt = app.effectAttempts?.[effect.id];
    return !attempt || attempt.nextAttemptAt.getTime() <= deps.now().getTime();
  };

  return {
    /** Runs every due effect of one application, including those its own effects add. */
    async runFor(appId: string): Promise<void> {
      const tried = new Set<string>();
      for (;;) {
        const app = await deps.store.get(appId);
        const effect = app?.outbox.find((e) => !tried.has(e.id) && isDue(app, e));
        if (!app || !effect) return;
        tried.add(effect.id);
        await runOne(app, effect);
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
