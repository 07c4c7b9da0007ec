import { shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import type { Label } from '../i18n/labels';
import { cancellationMail } from '../notifications/cancellation-mail';
import { mobileOf } from '../notifications/sms';
import { cancellationSms } from '../notifications/sms-text';
import type { Services } from '../services';
import type { CertificateCancellation, CertificateRecord, CertificateStatus } from './certificate-store';
import { DROPPED_FOR_CANCELLATION } from './reminder-outbox';
import type { ReminderRecord } from './reminder-store';
import { issuingOffice } from './issuing-office';
import { smsTwin } from './reminder-sms';

export type CancellationReason = CertificateCancellation['reason'];

/** The grounds of Art. 70 of the Administrative Licensing Law, Chinese first. */
export const CANCELLATION_REASONS: Record<CancellationReason, Label> = {
  on_request: { zh: '依申请注销', en: 'cancelled at the holder\'s request' },
  expired: { zh: '有效期届满未延续', en: 'expired without renewal' },
  dissolved: { zh: '法人或其他组织依法终止', en: 'the legal person or other organisation holding it has been dissolved' },
  revoked: { zh: '许可依法被撤销/撤回/吊销', en: 'the licence was revoked or withdrawn, or the certificate withdrawn, by law' },
  force_majeure: { zh: '因不可抗力导致无法实施', en: 'force majeure makes the licensed activity impossible' },
};

/** Statuses a certificate may be cancelled from: in force, lapsed, or revoked (撤销 is followed by 注销). Not superseded by a renewal. */
export const CANCELLABLE: CertificateStatus[] = ['valid', 'expired', 'revoked'];

export type CancellationDeps = Pick<Services, 'certificates' | 'reminders' | 'catalog'>;

/** The history note of a cancellation. */
const historyNote = ({ reason, note }: Pick<CertificateCancellation, 'reason' | 'note'>) => {
  const label = CANCELLATION_REASONS[reason];
  return `注销：${label.zh}${note ? `（${note}）` : ''} / cancelled: ${label.en}${note ? ` (${note})` : ''}`;
};

/** The ledger key and Message-ID of a certificate's one cancellation notice (a certificate is cancelled once). */
export const cancellationNoticeKey = (number: string) => `${number}:cancellation`;
const cancellationMessageId = (number: string) => `<cancellation.${number}@permit-engine>`;

/**
 * Cancels (注销) a certificate through the versioned status write, when it is in one of `from`; then, whoever
 * cancelled it, its unsent expiry reminders are dropped and the holder's notice is queued once.
 * `changed` is false when another writer cancelled it first or its status did not allow it.
 */
export async function cancelCertificate(
  deps: CancellationDeps, number: string, cancellation: CertificateCancellation, from: CertificateStatus[] = CANCELLABLE,
): Promise<{ changed: boolean; cert: CertificateRecord; notice: ReminderRecord | null }> {
  const changed = await deps.certificates.setStatus(number, 'cancelled', 'cancelled', historyNote(cancellation), cancellation.at, from, { cancellation });
  const cert = (await deps.certificates.find(number))!;
  return { changed, cert, notice: cert.status === 'cancelled' ? await settleCancellation(deps, cert) : null };
}

/**
 * What follows a cancellation, safe to repeat (a writer that stopped after the status write is completed by the
 * next attempt): expiry reminders not yet sent are dropped, and the notice is queued under its fixed key.
 */
export async function settleCancellation(deps: CancellationDeps, cert: CertificateRecord): Promise<ReminderRecord> {
  for (const reminder of await deps.reminders.forCertificate(cert.number)) {
    if (reminder.kind !== 'cancellation' && reminder.state !== 'sent' && reminder.state !== 'dropped') await deps.reminders.drop(reminder.key, DROPPED_FOR_CANCELLATION);
  }
  const key = cancellationNoticeKey(cert.number);
  const queued = await deps.reminders.get(key);
  if (queued) return queued;
  // The status write's own record, so the notice says what the history says, whichever of two writers won.
  const cancellation = cert.cancellation ?? { reason: 'on_request', note: '', at: new Date(), by: 'unknown' };
  const item = findItem(deps.catalog, cert.itemCode);
  const at = new Date(cancellation.at);
  const input = {
    holderName: cert.holder.name,
    certificateNumber: cert.number,
    itemName: cert.itemName,
    itemNameEn: item?.nameEn ?? cert.itemName,
    validUntil: cert.validUntil,
    on: shanghaiDate(at),
    reason: CANCELLATION_REASONS[cancellation.reason],
    onRequest: cancellation.reason === 'on_request',
    note: cancellation.note,
    office: issuingOffice(deps.catalog, cert),
  };
  const mail = cancellationMail(input);
  const notice: ReminderRecord = {
    key,
    kind: 'cancellation',
    certificateNumber: cert.number,
    validUntil: cert.validUntil,
    leadDays: null,
    daysLeft: null,
    itemCode: cert.itemCode,
    jurisdiction: cert.jurisdiction,
    holderName: cert.holder.name,
    to: cert.holder.email,
    ...mail,
    messageId: cancellationMessageId(cert.number),
    queuedAt: at,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    lastError: null,
    sentAt: null,
    smtpMessageId: null,
  };
  const mobile = mobileOf(cert.holder);
  // The SMS first: the mail's key is what a repeat checks, so a writer stopped in between queues both again.
  if (mobile) await deps.reminders.queueOnce(smsTwin(notice, mobile, cancellationSms(input)));
  await deps.reminders.queueOnce(notice);
  return (await deps.reminders.get(key)) ?? notice;
}
