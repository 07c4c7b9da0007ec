import { addCalendarDays, addMonths, shanghaiDate } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationRecord } from '../engine/application-record';
import type { CertificateRecord, CertificateStore } from './certificate-store';

/** Last day of validity: issued 2026-11-27 for 36 months → valid until 2029-11-26. */
export function validUntilOf(issuedOn: string, validityMonths: number | null): string | null {
  return validityMonths ? addCalendarDays(addMonths(issuedOn, validityMonths), -1) : null;
}

/** Issues the certificate of an approved application once; a retry returns the one already issued. */
export async function issueCertificateFor(
  app: ApplicationRecord,
  item: CatalogItem,
  deps: { certificates: CertificateStore; nextSequence: (key: string) => Promise<number>; now: Date },
): Promise<CertificateRecord> {
  const existing = await deps.certificates.findByApplication(app.id);
  if (existing) return existing;
  const issuedOn = shanghaiDate(deps.now);
  const year = issuedOn.slice(0, 4);
  const seq = await deps.nextSequence(`certificate:${item.certificatePrefix}:${year}`);
  return deps.certificates.insertOnce({
    number: `${item.certificatePrefix}-${year}-${String(seq).padStart(6, '0')}`,
    applicationId: app.id,
    itemCode: item.code,
    itemName: item.name,
    holder: { name: app.applicant.name, uscc: app.applicant.uscc, email: app.applicant.contact.email },
    department: app.routing.department,
    jurisdiction: app.routing.jurisdiction,
    issuedOn,
    validUntil: validUntilOf(issuedOn, item.validityMonths),
    status: 'valid',
    history: [{ at: deps.now, action: 'issued', note: app.applicationNo }],
    version: 1,
  });
}
