/**
 * Every write of the scale bench's seeding, and only through the service's own store objects, so whatever
 * the stores maintain besides the document (number index, journal, derived views) is written as in production.
 */
import type { AuditRecord } from '../../audit/audit-store';
import type { CertificateRecord } from '../../certificates/certificate-store';
import type { ReminderRecord } from '../../certificates/reminder-store';
import type { ApplicationRecord } from '../../engine/application-record';
import type { Services } from '../../services';
import type { Fact } from '../../statistics/facts';

/** Stores applications in bulk with their number, logs, a journal entry per version and the open-work entry. */
export async function persistApplications(services: Services, records: ApplicationRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) await services.store.insertMany(records.slice(i, i + BATCH));
}

/** Stores certificates in bulk with their application claims and logs. */
export async function persistCertificates(services: Services, records: CertificateRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) await services.certificates.insertMany(records.slice(i, i + BATCH));
}

/** Enters reminders in the ledger in bulk, with the queue of unsent ones. */
export async function persistReminders(services: Services, records: ReminderRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) await services.reminders.queueMany(records.slice(i, i + BATCH));
}

/** Appends audit entries in bulk. */
export async function persistAudit(services: Services, records: AuditRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += BATCH) await services.audit.recordMany(records.slice(i, i + BATCH));
}

// Documents written per bulk call: large enough to amortise a round trip, small enough for one message.
const BATCH = 500;

/** Counts the seeded applications' and sent reminders' facts into the statistics days, as the service's effects and outbox do one by one. */
export async function persistStatistics(services: Services, facts: Fact[]): Promise<void> {
  await services.statistics.count(facts, { parallel: 8 });
}
