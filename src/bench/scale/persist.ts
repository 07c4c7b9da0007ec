/**
 * Every write of the scale bench's seeding, and only through the service's own store objects, so whatever
 * the stores maintain besides the document (number index, journal, derived views) is written as in production.
 * TODO(lead): switch each function to the stores' bulk `insertMany` methods once they exist; callers stay the same.
 */
import type { AuditRecord } from '../../audit/audit-store';
import type { CertificateRecord } from '../../certificates/certificate-store';
import type { ReminderRecord } from '../../certificates/reminder-store';
import type { ApplicationRecord } from '../../engine/application-record';
import type { Services } from '../../services';

/** How many writes are in flight at once: enough to keep the store busy, few enough to leave the machine usable. */
export const PERSIST_CONCURRENCY = 8;

async function eachBounded<T>(records: T[], write: (record: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records.length) await write(records[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(PERSIST_CONCURRENCY, records.length) }, worker));
}

/** Stores applications as new ones are stored (number index, journal entry, document). */
export function persistApplications(services: Services, records: ApplicationRecord[]): Promise<void> {
  return eachBounded(records, (r) => services.store.insert(r));
}

/** Stores certificates; the unique index on the application keeps one per application. */
export function persistCertificates(services: Services, records: CertificateRecord[]): Promise<void> {
  return eachBounded(records, async (r) => {
    const stored = await services.certificates.insertOnce(r);
    if (stored.number !== r.number) throw new Error(`certificate ${r.number} collided with ${stored.number}`);
  });
}

/** Enters reminders in the ledger (one per key). */
export function persistReminders(services: Services, records: ReminderRecord[]): Promise<void> {
  return eachBounded(records, async (r) => {
    if (!(await services.reminders.queueOnce(r))) throw new Error(`reminder ${r.key} was already in the ledger`);
  });
}

/** Appends audit entries. */
export function persistAudit(services: Services, records: AuditRecord[]): Promise<void> {
  return eachBounded(records, (r) => services.audit.record(r));
}
