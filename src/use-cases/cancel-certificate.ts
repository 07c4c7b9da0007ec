import type { Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import { effectiveStatus } from '../certificates/certificate-view';
import { smsTwinKey } from '../certificates/reminder-sms';
import { CANCELLABLE, cancelCertificate, settleCancellation, type CancellationDeps, type CancellationReason } from '../certificates/cancellation';
import type { CertificateRecord } from '../certificates/certificate-store';
import { AppError } from '../errors';
import type { Services } from '../services';
import { loadReadableCertificate, type CertificateReadDeps } from './read-certificates';

type Staff = Extract<Principal, { kind: 'staff' }>;

const refused = (number: string, status: string) =>
  new AppError('PRECONDITION_FAILED', `证照 ${number} 状态为 ${status}，不能注销 / Certificate ${number} is ${status} and cannot be cancelled`, { status });

/**
 * 注销 (Art. 70): staff of the certificate's jurisdiction cancel it for one of the law's reasons. The holder is
 * mailed the notice (once, with a fixed Message-ID, retried like a reminder), its reminders stop, the public
 * check answers cancelled and it can no longer be renewed. A certificate cancelled already is a 409.
 */
export async function cancelCertificateByStaff(
  services: CertificateReadDeps & CancellationDeps & Pick<Services, 'reminderOutbox' | 'now'>,
  staff: Staff,
  number: string,
  request: { reason: CancellationReason; note?: string },
): Promise<CertificateRecord> {
  const { cert } = await loadReadableCertificate(services, staff, number);
  const now = services.now();
  const status = effectiveStatus(cert, shanghaiDate(now));
  if (cert.status === 'cancelled') {
    // Also completes the notice of a cancellation whose writer stopped after the status write.
    await settleCancellation(services, cert);
    throw refused(number, 'cancelled');
  }
  if (!CANCELLABLE.includes(cert.status)) throw refused(number, status);
  if (request.reason === 'expired' && status !== 'expired') {
    throw new AppError('PRECONDITION_FAILED', `证照 ${number} 有效期至 ${cert.validUntil ?? '长期'}，尚未届满 / Certificate ${number} has not expired (valid until ${cert.validUntil ?? 'no end'})`, { status, validUntil: cert.validUntil });
  }
  const { changed, cert: after, notice } = await cancelCertificate(services, number, { reason: request.reason, note: request.note ?? '', at: now, by: staff.sub });
  if (!changed) throw refused(number, after.status);
  if (notice && notice.state === 'pending') await services.reminderOutbox.deliver(notice);
  // Its SMS, when the holder gave a mobile, goes at once too (else the retry run sends it).
  const sms = notice && (await services.reminders.get(smsTwinKey(notice.key)));
  if (sms && sms.state === 'pending') await services.reminderOutbox.deliver(sms);
  return after;
}
