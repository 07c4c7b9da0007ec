import type { Mailer } from '../notifications/mailer';
import type { SmsSender } from '../notifications/sms';
import type { ReminderAttempt, ReminderRecord, ReminderStore } from './reminder-store';

export interface ReminderOutboxDeps {
  reminders: ReminderStore;
  mailer: Mailer;
  /** Sends the entries of channel `sms`. */
  sms: SmsSender;
  now: () => Date;
  log: { warn: (obj: object, msg: string) => void };
  maxAttempts?: number;
  /** Whether the certificate was cancelled (注销): its expiry reminders are dropped, not sent. */
  isCancelled?: (certificateNumber: string) => Promise<boolean>;
  /** How long a claimed attempt may take before another runner may try again (and so resend). */
  leaseMs?: number;
  /** 监管统计: counts a reminder once it is recorded as sent (a failure is logged; the recount repairs it). */
  countSent?: (reminder: ReminderRecord, sentAt: Date) => Promise<void>;
}

export type DeliveryOutcome = 'sent' | 'failed' | 'given_up' | 'busy' | 'waiting' | 'dropped';

/** Why an expiry reminder of a cancelled certificate was not sent, as its ledger entry records it. */
export const DROPPED_FOR_CANCELLATION = '证照已注销，提醒不再发送 / certificate cancelled; reminder not sent';

// Retry backoff: 5, 10, 20 … minutes, capped at 6 hours; ten attempts span about a day.
const backoffMs = (attempts: number) => Math.min(360, 5 * 2 ** (attempts - 1)) * 60_000;

export type ReminderOutbox = ReturnType<typeof createReminderOutbox>;

/**
 * Delivers queued reminders: each attempt is claimed by insert, sent with the ledger's fixed Message-ID,
 * then recorded. A runner that dies after sending and before recording leaves a running attempt; once
 * its lease has run out the next attempt sends again, the same message, at most once per such crash.
 */
export function createReminderOutbox(deps: ReminderOutboxDeps) {
  const maxAttempts = deps.maxAttempts ?? 10;
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const { reminders } = deps;
  const limitOf = (reminder: ReminderRecord) => maxAttempts + (reminder.extraAttempts ?? 0);
  const counted = (reminder: ReminderRecord, sentAt: Date) =>
    (deps.countSent?.(reminder, sentAt) ?? Promise.resolve()).catch((e: unknown) => deps.log.warn({ reminder: reminder.key, err: e instanceof Error ? e.message : String(e) }, 'reminder not counted in the statistics; the recount adds it'));

  /** What to do with a reminder now: record what an attempt already settled, wait, or try attempt n. */
  async function decide(reminder: ReminderRecord, now: Date): Promise<DeliveryOutcome | number> {
    const latest = await reminders.latestAttempt(reminder.key);
    if (!latest) return 1;
    if (latest.outcome === 'done') {
      // The attempt finished but its runner stopped before updating the outbox entry.
      await reminders.recordDelivery(reminder.key, { state: 'sent', attempts: latest.n, sentAt: latest.startedAt, smtpMessageId: latest.smtpMessageId, nextAttemptAt: null, lastError: null });
      await counted(reminder, latest.startedAt);
      return 'sent';
    }
    if (latest.outcome === 'running' && latest.leaseUntil > now) return 'busy';
    if (latest.n >= limitOf(reminder)) {
      await reminders.recordDelivery(reminder.key, { state: 'given_up', attempts: latest.n, nextAttemptAt: null, lastError: latest.error ?? 'attempt did not finish' });
      return 'given_up';
    }
    if (latest.outcome === 'failed' && latest.nextAttemptAt && latest.nextAttemptAt > now) {
      // The entry missed its failure record (its runner stopped); bring it in line so it stops being due.
      await reminders.recordDelivery(reminder.key, { state: 'failed', attempts: latest.n, nextAttemptAt: latest.nextAttemptAt, lastError: latest.error });
      return 'waiting';
    }
    return latest.n + 1;
  }

  async function attempt(reminder: ReminderRecord, n: number): Promise<DeliveryOutcome> {
    const startedAt = deps.now();
    const claim: ReminderAttempt = { key: reminder.key, n, startedAt, leaseUntil: new Date(startedAt.getTime() + leaseMs), outcome: 'running', error: null, smtpMessageId: null, nextAttemptAt: null };
    if (!(await reminders.claimAttempt(claim))) return 'busy';
    try {
      const info = reminder.channel === 'sms'
        ? await deps.sms.send({ to: reminder.to, text: reminder.text, messageId: reminder.messageId, template: reminder.template ?? reminder.kind ?? 'reminder', params: reminder.params ?? {} })
        : await deps.mailer.send({ to: reminder.to, subject: reminder.subject, text: reminder.text, messageId: reminder.messageId });
      await reminders.finishAttempt(claim, { outcome: 'done', error: null, smtpMessageId: info.messageId, nextAttemptAt: null });
      const sentAt = deps.now();
      await reminders.recordDelivery(reminder.key, { state: 'sent', attempts: n, sentAt, smtpMessageId: info.messageId, nextAttemptAt: null, lastError: null });
      await counted(reminder, sentAt);
      return 'sent';
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const givenUp = n >= limitOf(reminder);
      const nextAttemptAt = givenUp ? null : new Date(deps.now().getTime() + backoffMs(n));
      deps.log.warn({ reminder: reminder.key, attempt: n, givenUp, err: error }, 'reminder delivery failed');
      await reminders.finishAttempt(claim, { outcome: 'failed', error, smtpMessageId: null, nextAttemptAt });
      await reminders.recordDelivery(reminder.key, { state: givenUp ? 'given_up' : 'failed', attempts: n, nextAttemptAt, lastError: error });
      return givenUp ? 'given_up' : 'failed';
    }
  }

  return {
    /** One delivery step for one reminder. */
    async deliver(reminder: ReminderRecord): Promise<DeliveryOutcome> {
      const decision = await decide(reminder, deps.now());
      if (typeof decision !== 'number') return decision;
      // Queued before the certificate was cancelled, or by a run that read it just before: never sent.
      if (reminder.kind !== 'cancellation' && (await deps.isCancelled?.(reminder.certificateNumber))) {
        await reminders.drop(reminder.key, DROPPED_FOR_CANCELLATION);
        return 'dropped';
      }
      return attempt(reminder, decision);
    },
    /** Delivers every reminder due now; counts the outcomes. */
    async deliverDue(batch = 200): Promise<Record<DeliveryOutcome, number>> {
      const counts: Record<DeliveryOutcome, number> = { sent: 0, failed: 0, given_up: 0, busy: 0, waiting: 0, dropped: 0 };
      // Each entry is tried once per run. Entries another runner holds stay due, so the next read asks for
      // more rather than skipping a count (which would skip due entries once the other runner settles some).
      const visited = new Set<string>();
      for (;;) {
        const due = (await reminders.due(deps.now(), batch + visited.size)).filter((r) => !visited.has(r.key));
        if (!due.length) return counts;
        for (const reminder of due) {
          visited.add(reminder.key);
          counts[await this.deliver(reminder)]++;
        }
      }
    },
  };
}
