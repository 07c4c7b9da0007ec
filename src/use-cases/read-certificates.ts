import { coveredJurisdictions, type Principal } from '../auth/access-policy';
import { addCalendarDays, shanghaiDate } from '../calendar';
import type { CertificateRecord, CertificateStatus, CertificateSummary } from '../certificates/certificate-store';
import { renewalsInProgress } from '../certificates/renewal';
import type { ReminderRecord, ReminderState } from '../certificates/reminder-store';
import { AppError } from '../errors';
import type { Services } from '../services';
import { CERTIFICATE_CHECK } from '../documents/issue-document';

type Staff = Extract<Principal, { kind: 'staff' }>;
type Page = { offset: number; limit: number };
/** What reading certificates uses: the certificates, the catalog for jurisdictions, the store for renewals in progress. */
export type CertificateReadDeps = Pick<Services, 'store' | 'catalog' | 'certificates'>;

const covered = (services: Pick<Services, 'catalog'>, staff: Staff) => coveredJurisdictions(staff.jurisdiction, services.catalog);

/** Certificates with the renewal application each is waiting on, if any. */
async function withRenewals<T extends CertificateSummary>(services: Pick<Services, 'store'>, certs: T[]) {
  const renewing = await renewalsInProgress(services.store, certs.map((c) => c.number));
  return certs.map((cert) => ({ cert, renewal: renewing.get(cert.number) ?? null }));
}

/** Certificates issued in the staff member's jurisdiction, e.g. all of one holder. */
export async function listCertificates(services: CertificateReadDeps, staff: Staff, query: { uscc?: string; itemCode?: string; status?: CertificateStatus[] } & Page) {
  const { items, total } = await services.certificates.list({ ...query, jurisdictions: covered(services, staff) }, query);
  return { items: await withRenewals(services, items), total };
}

/** Valid certificates in the staff member's jurisdiction whose last day is within `days` from today, soonest first. */
export async function listExpiring(services: CertificateReadDeps & Pick<Services, 'now'>, staff: Staff, days: number, page: Page) {
  const today = shanghaiDate(services.now());
  const { items, total } = await services.certificates.expiringBetween(today, addCalendarDays(today, days), covered(services, staff), page);
  return { from: today, to: addCalendarDays(today, days), items: await withRenewals(services, items), total };
}

/** A certificate the staff member may read; anything else is "not found", so existence is not revealed. */
export async function loadReadableCertificate(services: CertificateReadDeps, staff: Staff, number: string) {
  const cert = await services.certificates.find(number);
  if (!cert || !covered(services, staff).includes(cert.jurisdiction)) throw new AppError('NOT_FOUND', `证照不存在 / Certificate ${number} not found`);
  const [{ renewal }] = await withRenewals(services, [cert]);
  return { cert, renewal };
}

/** The public check: the certificate only when the number and the holder's USCC match. */
export async function findForVerification(services: Pick<Services, 'certificates'>, number: string, uscc: string): Promise<CertificateRecord | null> {
  const cert = await services.certificates.find(number);
  return cert && cert.holder.uscc === uscc ? cert : null;
}

/** Every reminder queued for a certificate, oldest first. */
export async function reminderHistory(services: CertificateReadDeps & Pick<Services, 'reminders'>, staff: Staff, number: string): Promise<ReminderRecord[]> {
  const { cert } = await loadReadableCertificate(services, staff, number);
  return services.reminders.forCertificate(cert.number);
}

/** Reminders in these states in the staff member's jurisdiction (given up ones need someone to call the holder). */
export async function listReminders(services: Pick<Services, 'reminders' | 'catalog'>, staff: Staff, states: ReminderState[], page: Page) {
  return services.reminders.list(states, covered(services, staff), page);
}

/** The public check by the signed token of a certificate's QR code; an altered token is refused, naming the field. */
export async function findByCheckToken(services: Pick<Services, 'certificates' | 'tokens'>, token: string): Promise<CertificateRecord | null> {
  const data = services.tokens.unseal(CERTIFICATE_CHECK, token);
  const refused = () => new AppError('VALIDATION_FAILED', '核验码无效或已被篡改 / The verification token is invalid or was altered', [{ field: 'token', message: 'invalid signature' }]);
  if (!data || typeof data.number !== 'string') throw refused();
  const cert = await services.certificates.find(data.number);
  // The token names the licence it was printed for: a certificate that does not carry it is not the one printed.
  if (cert && (cert.licence?.id ?? null) !== (data.licenceId ?? null)) throw refused();
  return cert;
}
