import { addCalendarDays, addMonths, shanghaiDate } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ApplicationRecord } from '../engine/application-record';
import { mobileOf } from '../notifications/sms';
import { HOLDER_FIELD } from './change';
import { licenceFieldsFor } from './licence-id';
import type { CertificateRecord, CertificateStore } from './certificate-store';

/** Last day of validity: issued 2026-11-27 for 36 months → valid until 2029-11-26. */
export function validUntilOf(issuedOn: string, validityMonths: number | null): string | null {
  return validityMonths ? addCalendarDays(addMonths(issuedOn, validityMonths), -1) : null;
}

/** The certificate a renewal continues, when it can still be continued (not revoked, cancelled or already renewed). */
async function renewedCertificate(app: ApplicationRecord, certificates: CertificateStore): Promise<CertificateRecord | null> {
  if (!app.details.renewalOf) return null;
  const old = await certificates.find(app.details.renewalOf);
  const continuable = old && old.holder.uscc === app.applicant.uscc && old.itemCode === app.itemCode && old.validUntil && ['valid', 'expired'].includes(old.status);
  return continuable ? old : null;
}

/** The certificate a change replaces; a change keeps its validity dates whatever happened to it meanwhile. */
async function changedCertificate(app: ApplicationRecord, certificates: CertificateStore): Promise<CertificateRecord | null> {
  if (!app.details.changeOf) return null;
  const old = await certificates.find(app.details.changeOf);
  return old && old.holder.uscc === app.applicant.uscc && old.itemCode === app.itemCode ? old : null;
}

interface IssueDeps {
  certificates: CertificateStore;
  nextSequence: (key: string) => Promise<number>;
  now: Date;
  /** 颁发机构 and its code for the application's office (issuing-office.ts). */
  issuer: (cert: Pick<CertificateRecord, 'jurisdiction' | 'department'>) => { name: string; code: string | null };
}

/**
 * Issues the certificate of an approved application once; a retry returns the one already issued.
 * A renewal (延续) continues the old certificate's validity without a gap and supersedes it; a change (变更)
 * keeps its validity dates, carries the changed details and supersedes it at once.
 */
export async function issueCertificateFor(
  app: ApplicationRecord,
  item: CatalogItem,
  deps: IssueDeps,
): Promise<CertificateRecord> {
  const cert = (await deps.certificates.findByApplication(app.id)) ?? (await issue(app, item, deps));
  // Also on a retry: the new certificate may have been saved by an attempt that stopped before this step.
  if (cert.renewalOf) {
    await deps.certificates.setStatus(cert.renewalOf, 'superseded', 'superseded', `已延续，新证 ${cert.number} / renewed by ${cert.number}`, deps.now, ['valid', 'expired'], { supersededBy: cert.number, supersededFor: 'renewal' });
  }
  if (cert.changeOf) {
    await deps.certificates.setStatus(cert.changeOf, 'superseded', 'superseded', `已变更，换发新证 ${cert.number}，原证收回 / changed, replaced by ${cert.number}`, deps.now, ['valid', 'expired'], { supersededBy: cert.number, supersededFor: 'change' });
  }
  return cert;
}

/** Where the holder is reached: the application's contact, its mobile only when it gave one. */
function contactOf(app: ApplicationRecord): { email: string; mobile?: string } {
  const mobile = mobileOf(app.applicant.contact);
  return mobile ? { email: app.applicant.contact.email, mobile } : { email: app.applicant.contact.email };
}

/** The holder on the changed certificate: the old one's details with the changed ones, reached at the application's contact. */
function changedHolder(old: CertificateRecord, app: ApplicationRecord): CertificateRecord['holder'] {
  const holder: CertificateRecord['holder'] = { ...old.holder, ...contactOf(app) };
  // Reached at the new application's contact only: an old mobile it did not give again is not kept.
  if (!mobileOf(app.applicant.contact)) delete holder.mobile;
  for (const [field, value] of Object.entries(app.details.changes ?? {})) holder[HOLDER_FIELD[field as keyof typeof HOLDER_FIELD]] = value;
  return holder;
}

/** What a change note says: each detail from its old value to its new one. */
function changeNote(old: CertificateRecord, app: ApplicationRecord, on: string): string {
  const parts = Object.entries(app.details.changes ?? {}).map(([field, value]) => `${field}: ${old.holder[HOLDER_FIELD[field as keyof typeof HOLDER_FIELD]] ?? '—'} → ${value}`);
  return `${app.applicationNo}，${on} 变更 ${old.number} / changes ${old.number} on ${on}: ${parts.join('; ')}`;
}

async function issue(app: ApplicationRecord, item: CatalogItem, deps: IssueDeps) {
  const issuedOn = shanghaiDate(deps.now);
  const old = await renewedCertificate(app, deps.certificates);
  const changed = await changedCertificate(app, deps.certificates);
  const validFrom = changed ? (changed.validFrom ?? changed.issuedOn) : old ? addCalendarDays(old.validUntil!, 1) : issuedOn;
  const year = issuedOn.slice(0, 4);
  const seq = await deps.nextSequence(`certificate:${item.certificatePrefix}:${year}`);
  // Two issuers at once: the first to claim a number for the application wins, the other makes the same certificate.
  const number = await deps.certificates.claimNumber(app.id, `${item.certificatePrefix}-${year}-${String(seq).padStart(6, '0')}`);
  return deps.certificates.insertOnce({
    number,
    applicationId: app.id,
    itemCode: item.code,
    itemName: item.name,
    holder: changed ? changedHolder(changed, app) : { name: app.applicant.name, uscc: app.applicant.uscc, ...contactOf(app) },
    department: app.routing.department,
    jurisdiction: app.routing.jurisdiction,
    issuedOn,
    validFrom,
    validUntil: changed ? changed.validUntil : validUntilOf(validFrom, item.validityMonths),
    status: 'valid',
    renewalOf: old?.number ?? null,
    supersededBy: null,
    changeOf: changed?.number ?? null,
    licence: licenceFieldsFor(number, item, deps.issuer(app.routing), { changed, renewed: old }),
    history: [changed
      ? { at: deps.now, action: 'changed', note: changeNote(changed, app, issuedOn) }
      : { at: deps.now, action: old ? 'renewed' : 'issued', note: old ? `${app.applicationNo}，延续 ${old.number} / renews ${old.number}` : app.applicationNo }],
    version: 1,
  });
}
