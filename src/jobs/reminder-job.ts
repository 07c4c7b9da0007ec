import { addCalendarDays, shanghaiDate } from '../calendar';
import { findItem, findJurisdiction } from '../catalog/load-catalog';
import type { CertificateSummary } from '../certificates/certificate-store';
import { renewalOpensOn, renewalsInProgress } from '../certificates/renewal';
import { DEFAULT_LEAD_DAYS, applicableLead, daysUntil, reminderKey, reminderMessageId } from '../certificates/reminder-plan';
import type { DeliveryOutcome } from '../certificates/reminder-outbox';
import type { ReminderRecord } from '../certificates/reminder-store';
import { expiryReminderMail } from '../notifications/reminder-mail';
import type { Services } from '../services';

/** A reminder as the run report lists it: who gets what. */
export interface PlannedReminder {
  key: string;
  certificateNumber: string;
  holderName: string;
  to: string;
  itemCode: string;
  validUntil: string;
  leadDays: number;
  daysLeft: number;
  subject: string;
}

export interface ReminderRunReport {
  now: string;
  today: string;
  dryRun: boolean;
  /** Certificates whose validity ended (in a dry run: would end), with a renewal still waiting if there is one. */
  expired: { certificateNumber: string; validUntil: string; renewalInProgress: string | null }[];
  /** Reminders queued by this run (in a dry run: that would be queued). */
  queued: PlannedReminder[];
  /** Reminders not queued because a renewal application is already being processed. */
  skippedForRenewal: { certificateNumber: string; applicationNo: string }[];
  /** Outcomes of delivering the due outbox entries; in a dry run, the entries that would be tried. */
  delivery: Record<DeliveryOutcome, number> | null;
  due: { key: string; to: string; state: string; attempts: number }[];
}

const strip = (r: ReminderRecord): PlannedReminder => ({
  key: r.key, certificateNumber: r.certificateNumber, holderName: r.holderName, to: r.to, itemCode: r.itemCode,
  validUntil: r.validUntil, leadDays: r.leadDays, daysLeft: r.daysLeft, subject: r.subject,
});

/**
 * 整点预报: expires certificates whose validity has ended, queues each reminder whose window has come
 * (once per ledger key), then delivers the outbox. A dry run reads the same and writes and sends nothing.
 */
export async function runReminders(services: Services, now: Date, options: { dryRun?: boolean } = {}): Promise<ReminderRunReport> {
  const dryRun = options.dryRun ?? false;
  const today = shanghaiDate(now);
  const report: ReminderRunReport = { now: now.toISOString(), today, dryRun, expired: [], queued: [], skippedForRenewal: [], delivery: null, due: [] };

  await expireLapsed(services, now, today, dryRun, report);
  const maxLead = Math.max(0, ...DEFAULT_LEAD_DAYS, ...services.catalog.items.flatMap((i) => i.reminderLeadDays));
  for await (const page of services.certificates.scanValidUntil(today, addCalendarDays(today, maxLead))) {
    await queueReminders(services, page, now, today, dryRun, report);
  }
  if (dryRun) {
    report.due = (await services.reminders.due(now, 1000)).map((r) => ({ key: r.key, to: r.to, state: r.state, attempts: r.attempts ?? 0 }));
  } else {
    report.delivery = await services.reminderOutbox.deliverDue();
  }
  return report;
}

/** Valid certificates whose last day is before today become expired; a renewal still waiting is noted. */
async function expireLapsed(services: Services, now: Date, today: string, dryRun: boolean, report: ReminderRunReport) {
  for await (const page of services.certificates.scanValidUntil('0000-01-01', addCalendarDays(today, -1))) {
    const renewing = await renewalsInProgress(services.store, page.map((c) => c.number));
    for (const cert of page) {
      const renewal = renewing.get(cert.number)?.applicationNo ?? null;
      const note = renewal ? `有效期届满，延续申请 ${renewal} 办理中 / validity ended; renewal ${renewal} in progress` : '有效期届满未延续 / validity ended without renewal';
      const changed = dryRun || (await services.certificates.setStatus(cert.number, 'expired', 'expired', note, now, ['valid']));
      if (changed) report.expired.push({ certificateNumber: cert.number, validUntil: cert.validUntil!, renewalInProgress: renewal });
    }
  }
}

async function queueReminders(services: Services, page: CertificateSummary[], now: Date, today: string, dryRun: boolean, report: ReminderRunReport) {
  const candidates = page.flatMap((cert) => {
    const item = findItem(services.catalog, cert.itemCode);
    const daysLeft = daysUntil(today, cert.validUntil!);
    const lead = applicableLead(item ? item.reminderLeadDays : DEFAULT_LEAD_DAYS, daysLeft);
    return lead === null ? [] : [{ cert, item, daysLeft, lead, key: reminderKey(cert.number, cert.validUntil!, lead) }];
  });
  const queued = await services.reminders.existingKeys(candidates.map((c) => c.key));
  const fresh = candidates.filter((c) => !queued.has(c.key));
  const renewing = await renewalsInProgress(services.store, fresh.map((c) => c.cert.number));
  for (const { cert, item, daysLeft, lead, key } of fresh) {
    const renewal = renewing.get(cert.number);
    if (renewal) {
      // The holder has already applied; the next run after a refusal finds the window again.
      report.skippedForRenewal.push({ certificateNumber: cert.number, applicationNo: renewal.applicationNo });
      continue;
    }
    const jurisdiction = findJurisdiction(services.catalog, cert.jurisdiction);
    const mail = expiryReminderMail({
      holderName: cert.holder.name,
      certificateNumber: cert.number,
      itemName: cert.itemName,
      itemNameEn: item?.nameEn ?? cert.itemName,
      validUntil: cert.validUntil!,
      daysLeft,
      today,
      renewalOpensOn: renewalOpensOn(cert.validUntil!, item?.renewalWindowMonths ?? null),
      office: {
        zh: `${jurisdiction?.name ?? cert.jurisdiction}${cert.department}`,
        en: `the emergency management bureau of ${jurisdiction?.nameEn ?? cert.jurisdiction}`,
      },
    });
    const record: ReminderRecord = {
      key,
      certificateNumber: cert.number,
      validUntil: cert.validUntil!,
      leadDays: lead,
      daysLeft,
      itemCode: cert.itemCode,
      jurisdiction: cert.jurisdiction,
      holderName: cert.holder.name,
      to: cert.holder.email,
      ...mail,
      messageId: reminderMessageId(cert.number, cert.validUntil!, lead),
      queuedAt: now,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      sentAt: null,
      smtpMessageId: null,
    };
    if (dryRun || (await services.reminders.queueOnce(record))) report.queued.push(strip(record));
  }
}
