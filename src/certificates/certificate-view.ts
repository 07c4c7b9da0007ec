import { findItem, findJurisdiction } from '../catalog/load-catalog';
import { shanghaiDate } from '../calendar';
import type { Label } from '../i18n/labels';
import { API_PREFIX } from '../http/api-prefix';
import type { Services } from '../services';
import type { CertificateStatus, CertificateSummary, CertificateRecord } from './certificate-store';
import { CANCELLATION_REASONS } from './cancellation';
import { renewalOpensOn, type RenewalInProgress } from './renewal';
import type { ReminderRecord } from './reminder-store';

export const CERTIFICATE_STATUS_LABELS: Record<CertificateStatus, Label> = {
  valid: { zh: '有效', en: 'Valid' },
  expired: { zh: '已过期', en: 'Expired' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  cancelled: { zh: '已注销', en: 'Cancelled' },
  superseded: { zh: '已延续（由新证替代）', en: 'Superseded by a renewal' },
};
/** 状态 as the electronic licence standard names it (有效, 暂扣, 撤销, 注销, 失效). */
export const LICENCE_STATUS_LABELS: Record<CertificateStatus, Label> = {
  valid: { zh: '有效', en: 'Valid' },
  expired: { zh: '失效', en: 'Lapsed' },
  revoked: { zh: '撤销', en: 'Revoked' },
  cancelled: { zh: '注销', en: 'Cancelled' },
  superseded: { zh: '失效', en: 'Lapsed (replaced)' },
};
const SUPERSEDED_BY_CHANGE: Label = { zh: '已变更（由新证替代，原证收回）', en: 'Superseded by a change' };

/** The status as of today: a certificate past its last day reads as expired even before the expiry run has marked it. */
export function effectiveStatus(cert: Pick<CertificateSummary, 'status' | 'validUntil'>, today: string): CertificateStatus {
  return cert.status === 'valid' && cert.validUntil !== null && cert.validUntil < today ? 'expired' : cert.status;
}

/** A certificate in a staff list: whitelisted fields, with a renewal still being processed shown as such. */
export function toCertificateListItem(services: Services, cert: CertificateSummary, renewal: RenewalInProgress | null) {
  const status = effectiveStatus(cert, shanghaiDate(services.now()));
  return {
    number: cert.number,
    status,
    statusLabel: status === 'superseded' && cert.supersededFor === 'change' ? SUPERSEDED_BY_CHANGE : CERTIFICATE_STATUS_LABELS[status],
    itemCode: cert.itemCode,
    itemName: cert.itemName,
    holder: { name: cert.holder.name, uscc: cert.holder.uscc },
    jurisdiction: cert.jurisdiction,
    issuedOn: cert.issuedOn,
    validFrom: cert.validFrom ?? cert.issuedOn,
    validUntil: cert.validUntil,
    renewalInProgress: renewal ? { applicationId: renewal.id, applicationNo: renewal.applicationNo, status: renewal.status } : null,
  };
}

/** One certificate for staff: the list fields plus where it came from, its renewal window and its history. */
export function toCertificateView(services: Services, cert: CertificateRecord, renewal: RenewalInProgress | null) {
  const item = findItem(services.catalog, cert.itemCode);
  const opensOn = cert.validUntil ? renewalOpensOn(cert.validUntil, item?.renewalWindowMonths ?? null) : null;
  return {
    ...toCertificateListItem(services, cert, renewal),
    holder: cert.holder,
    department: cert.department,
    jurisdictionName: findJurisdiction(services.catalog, cert.jurisdiction)?.name ?? cert.jurisdiction,
    applicationId: cert.applicationId,
    renewalOf: cert.renewalOf ?? null,
    supersededBy: cert.supersededBy ?? null,
    cancellation: cert.cancellation
      ? { reason: cert.cancellation.reason, reasonLabel: CANCELLATION_REASONS[cert.cancellation.reason], note: cert.cancellation.note, at: new Date(cert.cancellation.at).toISOString(), by: cert.cancellation.by }
      : null,
    changeOf: cert.changeOf ?? null,
    supersededFor: cert.supersededFor ?? null,
    renewalWindow: opensOn ? { opensOn, closesOn: cert.validUntil } : null,
    history: cert.history.map((h) => ({ at: new Date(h.at).toISOString(), action: h.action, note: h.note })),
    licence: licenceView(cert, shanghaiDate(services.now())),
    pdf: cert.pdf ? { documentId: cert.pdf.documentId, sha256: cert.pdf.sha256, url: `${API_PREFIX}/certificates/${encodeURIComponent(cert.number)}/pdf` } : null,
  };
}

/** The 电子证照 fields of a certificate (GB/T 36901–36905), or null for one issued without them. */
function licenceView(cert: CertificateRecord, today: string) {
  if (!cert.licence) return null;
  const status = effectiveStatus(cert, today);
  return {
    id: cert.licence.id,
    name: cert.itemName,
    number: cert.number,
    typeCode: cert.licence.typeCode,
    version: String(cert.licence.version).padStart(3, '0'),
    previousId: cert.licence.previousId,
    holder: { name: cert.holder.name, code: cert.holder.uscc, codeType: '统一社会信用代码' },
    issuer: cert.licence.issuer,
    issuedOn: cert.issuedOn,
    validFrom: cert.validFrom ?? cert.issuedOn,
    validUntil: cert.validUntil,
    status: LICENCE_STATUS_LABELS[status],
  };
}

/**
 * The public check (anyone shown a certificate may check it): valid, expired, revoked, cancelled or not found;
 * superseded for one replaced by a change (变更, recalled at once), with the number of its replacement. A changed
 * certificate also names its holder as changed and the certificate it replaces.
 */
export function toVerifyAnswer(cert: CertificateRecord | null, today: string) {
  if (!cert) return { result: 'not_found' as const, label: { zh: '未查询到该证照', en: 'No such certificate' } };
  const status = effectiveStatus(cert, today);
  if (status === 'superseded' && cert.supersededFor === 'change') {
    return { result: 'superseded' as const, label: SUPERSEDED_BY_CHANGE, number: cert.number, validUntil: cert.validUntil, supersededBy: cert.supersededBy ?? null, ...issued(cert) };
  }
  // A renewed certificate stays in force until its own last day (the new one takes over the day after); a cancelled (注销) one does not.
  const inForce = status === 'valid' || (status === 'superseded' && cert.validUntil !== null && cert.validUntil >= today);
  const result = inForce ? 'valid' : status === 'revoked' || status === 'cancelled' ? status : 'expired';
  const labels = { valid: { zh: '有效', en: 'Valid' }, expired: { zh: '已失效（过期）', en: 'Expired' }, revoked: { zh: '已撤销', en: 'Revoked' }, cancelled: { zh: '已注销', en: 'Cancelled' } };
  const changed = cert.changeOf ? { holderName: cert.holder.name, changeOf: cert.changeOf } : {};
  return { result, label: labels[result], number: cert.number, validUntil: cert.validUntil, ...changed, ...issued(cert) };
}

// What a printed copy is checked against: the licence identifier and the SHA-256 of the PDF that was issued.
const issued = (cert: CertificateRecord) => ({ licenceId: cert.licence?.id ?? null, pdfSha256: cert.pdf?.sha256 ?? null });

/** A reminder's delivery record for staff. */
export function toReminderView(r: ReminderRecord) {
  return {
    key: r.key,
    kind: r.kind ?? 'expiry',
    channel: r.channel ?? 'mail',
    certificateNumber: r.certificateNumber,
    validUntil: r.validUntil,
    leadDays: r.leadDays,
    daysLeft: r.daysLeft,
    to: r.to,
    subject: r.subject,
    state: r.state,
    attempts: r.attempts,
    queuedAt: r.queuedAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    nextAttemptAt: r.state === 'pending' || r.state === 'failed' ? r.nextAttemptAt?.toISOString() ?? null : null,
    lastError: r.lastError,
    messageId: r.messageId,
    smtpMessageId: r.smtpMessageId,
  };
}
