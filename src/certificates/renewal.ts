import { addCalendarDays, addMonths } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import { settledStatuses } from '../processes/statuses';
import type { ApplicationStore } from '../store/application-store';
import type { CertificateRecord, CertificateStore } from './certificate-store';

// Statuses after which a renewal application no longer waits for a decision (issued, refused or ended), read from the charts.
const SETTLED_STATUSES = settledStatuses();

export type RenewalInProgress = Pick<ApplicationRecord, 'id' | 'applicationNo' | 'status'>;

/** First day a renewal (延续) may be applied for: `months` before the certificate expires (the day after its last day). */
export function renewalOpensOn(validUntil: string, months: number | null): string | null {
  return months ? addMonths(addCalendarDays(validUntil, 1), -months) : null;
}

/** Renewal applications still waiting for a decision, by the certificate they renew. */
export async function renewalsInProgress(store: ApplicationStore, certificateNumbers: string[]): Promise<Map<string, RenewalInProgress>> {
  const open = new Map<string, RenewalInProgress>();
  for (const app of await store.renewalsOf(certificateNumbers)) {
    if (!SETTLED_STATUSES.has(app.status)) open.set(app.renewalOf!, { id: app.id, applicationNo: app.applicationNo, status: app.status });
  }
  return open;
}

/** Change (变更) applications still waiting for a decision, by the certificate they change. */
export async function changesInProgress(store: ApplicationStore, certificateNumbers: string[]): Promise<Map<string, RenewalInProgress>> {
  const open = new Map<string, RenewalInProgress>();
  for (const app of await store.changesOf(certificateNumbers)) {
    if (!SETTLED_STATUSES.has(app.status)) open.set(app.changeOf!, { id: app.id, applicationNo: app.applicationNo, status: app.status });
  }
  return open;
}

/**
 * Checks that `number` may be renewed by this applicant for this item today: same holder and item,
 * still valid, inside the item's renewal window, and no other renewal waiting.
 */
export async function assertRenewable(
  deps: { certificates: CertificateStore; store: ApplicationStore },
  item: CatalogItem,
  uscc: string,
  number: string,
  today: string,
): Promise<CertificateRecord> {
  const cert = await deps.certificates.find(number);
  if (!cert || cert.holder.uscc !== uscc) {
    throw invalid(`该申请人名下无证照 ${number} / No certificate ${number} held by ${uscc}`);
  }
  if (cert.itemCode !== item.code) {
    throw invalid(`证照 ${number} 属于事项 ${cert.itemCode}，不能按 ${item.code} 延续 / Certificate ${number} is for item ${cert.itemCode}, not ${item.code}`);
  }
  const opensOn = cert.validUntil ? renewalOpensOn(cert.validUntil, item.renewalWindowMonths) : null;
  if (!cert.validUntil || !opensOn) throw invalid(`事项 ${item.code} 不设延续 / Item ${item.code} has no renewal`);
  if (cert.status !== 'valid' || cert.validUntil < today) {
    const status = cert.validUntil < today && cert.status === 'valid' ? 'expired' : cert.status;
    throw refused(`证照 ${number} 状态为 ${status}，不能延续 / Certificate ${number} is ${status} and cannot be renewed`, { status });
  }
  if (today < opensOn) {
    throw refused(`证照 ${number} 自 ${opensOn} 起方可申请延续（有效期至 ${cert.validUntil}）/ Renewal of ${number} opens on ${opensOn} (valid until ${cert.validUntil})`, { opensOn, validUntil: cert.validUntil });
  }
  const changing = (await changesInProgress(deps.store, [number])).get(number);
  if (changing) {
    throw refused(`证照 ${number} 有变更申请 ${changing.applicationNo} 在办 / A change of ${number} is in progress: ${changing.applicationNo}`, { applicationNo: changing.applicationNo });
  }
  const pending = (await renewalsInProgress(deps.store, [number])).get(number);
  if (pending) {
    throw refused(`证照 ${number} 已有延续申请 ${pending.applicationNo} 在办 / A renewal of ${number} is already in progress: ${pending.applicationNo}`, { applicationNo: pending.applicationNo });
  }
  return cert;
}

const invalid = (message: string) => new AppError('VALIDATION_FAILED', message, [{ field: 'renewalOf', message }]);
const refused = (message: string, details: Record<string, unknown>) => new AppError('PRECONDITION_FAILED', message, details);
