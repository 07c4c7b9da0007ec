import { addCalendarDays } from '../calendar';
import type { CertificateRecord } from '../certificates/certificate-store';
import { longestLead } from '../certificates/reminder-plan';
import { validUntilOf } from '../certificates/issue-certificate';
import type { Services } from '../services';

// A fixed-seed generator, so every run stores the same spread of dates and statuses.
export function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Inserts `count` certificates with insertMany in batches: about 70 % valid with their last day spread
 * over the next validity period (a few already a day or two past it, as the first run of a day finds
 * them), 25 % expired in earlier years, 5 % revoked. Returns inserts per second.
 */
export async function seedCertificates(services: Services, count: number, today: string, onProgress?: (done: number) => void): Promise<number> {
  const items = services.catalog.items.filter((i) => i.validityMonths);
  // Through the store's bulk path, so the claims and day logs the reminder job reads are written as in production.
  const random = mulberry32(20260302);
  const batchSize = 2000;
  const started = performance.now();
  for (let from = 0; from < count; from += batchSize) {
    const batch: CertificateRecord[] = [];
    for (let i = from; i < Math.min(count, from + batchSize); i++) {
      const item = items[i % items.length];
      const periodDays = Math.round(item.validityMonths! * 30.4);
      const kind = i % 20 === 0 ? 'revoked' : random() < 0.26 ? 'expired' : 'valid';
      // Valid ones were issued within about one validity period; expired ones a period earlier.
      const age = Math.floor(random() * periodDays) + (kind === 'expired' ? periodDays + 5 : 0);
      const issuedOn = addCalendarDays(today, -age);
      const division = ['370602', '370611', '370612', '370613', '370683', '370685'][i % 6];
      batch.push({
        number: `${item.certificatePrefix}-${issuedOn.slice(0, 4)}-B${String(i).padStart(7, '0')}`,
        applicationId: `bench-application-${i}`,
        itemCode: item.code,
        itemName: item.name,
        holder: { name: `烟台压测企业${i}有限公司`, uscc: `91${division}BENCH${String(i).padStart(7, '0')}`, email: `holder${i}@bench.example` },
        department: '应急管理局',
        jurisdiction: '370600',
        issuedOn,
        validFrom: issuedOn,
        validUntil: validUntilOf(issuedOn, item.validityMonths),
        status: kind as CertificateRecord['status'],
        renewalOf: null,
        supersededBy: null,
        history: [{ at: new Date(`${issuedOn}T09:00:00+08:00`), action: 'issued', note: `bench ${i}` }],
        version: 1,
      });
    }
    await services.certificates.insertMany(batch);
    onProgress?.(Math.min(count, from + batchSize));
  }
  return count / ((performance.now() - started) / 1000);
}

/** The range of last days an hourly reminder run reads once it has run before: yesterday's lapsed ones to expire, then the reminder window. */
export function reminderRange(services: Services, today: string) {
  return { from: addCalendarDays(today, -1), to: addCalendarDays(today, longestLead(services.catalog.items)) };
}

export type ReminderRange = ReturnType<typeof reminderRange>;

export interface SelectionResult {
  ms: number;
  certificates: number;
}

/** The reminder job's selection: its range scan of the certificate store, every page read to the end, nothing written. */
export async function jobSelection(services: Services, range: ReminderRange): Promise<SelectionResult> {
  const started = performance.now();
  let certificates = 0;
  for await (const page of services.certificates.scanValidUntil(range.from, range.to)) certificates += page.length;
  return { ms: performance.now() - started, certificates };
}

/** The raw query that selects the same certificates: one find on {status, validUntil} with the driver, drained. */
export async function rawSelection(services: Services, range: ReminderRange): Promise<SelectionResult> {
  const started = performance.now();
  let certificates = 0;
  const cursor = services.store.model.db.collection('certificates').find({ status: 'valid', validUntil: { $gte: range.from, $lte: range.to } }).batchSize(1000);
  for await (const _doc of cursor) certificates++;
  return { ms: performance.now() - started, certificates };
}
