import { addCalendarDays, shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import type { CertificateSummary } from '../certificates/certificate-store';
import { cancelCertificate } from '../certificates/cancellation';
import { renewalOpensOn, renewalsInProgress } from '../certificates/renewal';
import { DEFAULT_LEAD_DAYS, applicableLead, daysUntil, longestLead, reminderKey, reminderMessageId } from '../certificates/reminder-plan';
import type { DeliveryOutcome } from '../certificates/reminder-outbox';
import type { ReminderRecord } from '../certificates/reminder-store';
import { smsTwin } from '../certificates/reminder-sms';
import { expiryReminderMail } from '../notifications/reminder-mail';
import { mobileOf } from '../notifications/sms';
import { expiryReminderSms } from '../notifications/sms-text';
import type { Services } from '../services';
import type { JobCommand } from './job-command';
import { issuingOffice } from '../certificates/issuing-office';

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
  /** Certificates cancelled (注销) by this run (in a dry run: that would be), expired without renewal for their item's `cancelExpiredAfterDays`. */
  cancelled: { certificateNumber: string; validUntil: string }[];
  /** Certificates due for that cancellation but left while a renewal application is processed. */
  cancelSkippedForRenewal: { certificateNumber: string; applicationNo: string }[];
  /** Outcomes of delivering the due outbox entries; in a dry run, the entries that would be tried. */
  delivery: Record<DeliveryOutcome, number> | null;
  due: { key: string; to: string; state: string; attempts: number }[];
}

const FIRST_LOOKBACK_DAYS = 400;

/** An expiry reminder's ledger entry: its validity end and lead time are always there. */
type ExpiryReminder = ReminderRecord & { validUntil: string; leadDays: number; daysLeft: number };

const strip = (r: ExpiryReminder): PlannedReminder => ({
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
  const report: ReminderRunReport = { now: now.toISOString(), today, dryRun, expired: [], queued: [], skippedForRenewal: [], cancelled: [], cancelSkippedForRenewal: [], delivery: null, due: [] };

  // One pass over the day logs serves both parts: certificates past their last day expire, the rest may be due a
  // reminder. Days before the last run's are done; a store that never ran looks back a year and a month.
  const yesterday = addCalendarDays(today, -1);
  const from = addCalendarDays((await services.certificates.expiredThrough()) ?? addCalendarDays(today, -FIRST_LOOKBACK_DAYS), 1);
  for await (const page of services.certificates.scanValidUntil(from < today ? from : today, addCalendarDays(today, longestLead(services.catalog.items)))) {
    const lapsed = page.filter((c) => c.validUntil! < today);
    if (lapsed.length) await expireLapsed(services, lapsed, now, dryRun, report);
    if (lapsed.length < page.length) await queueReminders(services, page.filter((c) => c.validUntil! >= today), now, today, dryRun, report);
  }
  await cancelExpired(services, now, today, dryRun, report);
  if (!dryRun) await services.certificates.setExpiredThrough(yesterday);
  if (dryRun) {
    report.due = (await services.reminders.due(now, 1000)).map((r) => ({ key: r.key, to: r.to, state: r.state, attempts: r.attempts ?? 0 }));
  } else {
    report.delivery = await services.reminderOutbox.deliverDue();
  }
  return report;
}

/** Valid certificates whose last day is before today become expired; a renewal still waiting is noted. */
async function expireLapsed(services: Services, lapsed: CertificateSummary[], now: Date, dryRun: boolean, report: ReminderRunReport) {
  const renewing = await renewalsInProgress(services.store, lapsed.map((c) => c.number));
  for (const cert of lapsed) {
    const renewal = renewing.get(cert.number)?.applicationNo ?? null;
    const note = renewal ? `有效期届满，延续申请 ${renewal} 办理中 / validity ended; renewal ${renewal} in progress` : '有效期届满未延续 / validity ended without renewal';
    const changed = dryRun || (await services.certificates.setStatus(cert.number, 'expired', 'expired', note, now, ['valid']));
    if (changed) report.expired.push({ certificateNumber: cert.number, validUntil: cert.validUntil!, renewalInProgress: renewal });
  }
}

/**
 * 注销 (Art. 70 (1)) of certificates expired without renewal, for items with `cancelExpiredAfterDays`: a certificate
 * whose last day is more than that many days ago is cancelled once (the versioned status write decides between
 * concurrent runs). Reads the day logs from each item's mark only; a certificate whose renewal is still being
 * processed holds its item's mark back, so it is looked at again once the renewal is decided.
 */
async function cancelExpired(services: Services, now: Date, today: string, dryRun: boolean, report: ReminderRunReport) {
  const items = services.catalog.items.filter((i) => i.cancelExpiredAfterDays !== null && i.cancelExpiredAfterDays !== undefined);
  if (!items.length) return;
  const marks = await services.certificates.cancelledThrough();
  const windows = new Map<string, { from: string; through: string; days: number }>();
  for (const item of items) {
    const days = item.cancelExpiredAfterDays!;
    const through = addCalendarDays(today, -(days + 1));
    const from = addCalendarDays(marks[item.code] ?? addCalendarDays(through, -FIRST_LOOKBACK_DAYS), 1);
    if (from <= through) windows.set(item.code, { from, through, days });
  }
  if (!windows.size) return;
  const spans = [...windows.values()];
  const scanFrom = spans.map((w) => w.from).reduce((a, b) => (a < b ? a : b));
  const scanTo = spans.map((w) => w.through).reduce((a, b) => (a > b ? a : b));
  const heldFrom = new Map<string, string>();
  for await (const page of services.certificates.scanLastDays(scanFrom, scanTo, ['valid', 'expired'])) {
    const due = page.filter((c) => {
      const w = windows.get(c.itemCode);
      return w !== undefined && c.validUntil! >= w.from && c.validUntil! <= w.through;
    });
    if (!due.length) continue;
    const renewing = await renewalsInProgress(services.store, due.map((c) => c.number));
    for (const cert of due) {
      const renewal = renewing.get(cert.number);
      if (renewal) {
        report.cancelSkippedForRenewal.push({ certificateNumber: cert.number, applicationNo: renewal.applicationNo });
        const held = heldFrom.get(cert.itemCode);
        if (!held || cert.validUntil! < held) heldFrom.set(cert.itemCode, cert.validUntil!);
        continue;
      }
      const days = windows.get(cert.itemCode)!.days;
      const note = `有效期届满 ${days} 日未延续 / not renewed within ${days} day(s) of expiry`;
      const changed = dryRun || (await cancelCertificate(services, cert.number, { reason: 'expired', note, at: now, by: 'system' }, ['valid', 'expired'])).changed;
      if (changed) report.cancelled.push({ certificateNumber: cert.number, validUntil: cert.validUntil! });
    }
  }
  if (dryRun) return;
  for (const [code, w] of windows) {
    const held = heldFrom.get(code);
    await services.certificates.setCancelledThrough(code, held ? addCalendarDays(held, -1) : w.through);
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
    const input = {
      holderName: cert.holder.name,
      certificateNumber: cert.number,
      itemName: cert.itemName,
      itemNameEn: item?.nameEn ?? cert.itemName,
      validUntil: cert.validUntil!,
      daysLeft,
      today,
      renewalOpensOn: renewalOpensOn(cert.validUntil!, item?.renewalWindowMonths ?? null),
      office: issuingOffice(services.catalog, cert),
    };
    const mail = expiryReminderMail(input);
    const record: ExpiryReminder = {
      key,
      kind: 'expiry',
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
    const mobile = mobileOf(cert.holder);
    // The SMS is queued first: the mail's key marks the window done, so a run stopped in between queues both again.
    if (mobile && !dryRun) await services.reminders.queueOnce(smsTwin(record, mobile, expiryReminderSms(input)));
    if (dryRun || (await services.reminders.queueOnce(record))) report.queued.push(strip(record));
  }
}

/** `npm run job -- reminders [--now <ISO-8601>] [--dry-run]`: one reminder run, listing who gets (or would get) what. */
export const remindersJob: JobCommand = {
  summary: '整点预报：证照到期处理、逾期未延续注销与到期提醒（--dry-run 只列出不发送）/ expire lapsed certificates, cancel long-expired ones and send due expiry reminders (--dry-run: list only)',
  supportsDryRun: true,
  async run(services, now, options) {
    const run = await runReminders(services, now, { dryRun: options?.dryRun ?? false });
    const would = run.dryRun ? '（试运行，未执行）/ (dry run, not done)' : '';
    const lines = [`今天 / today ${run.today}${run.dryRun ? '，试运行：不写入、不发送 / dry run: nothing is written or sent' : ''}`];
    for (const e of run.expired) lines.push(`  到期 / expired    ${e.certificateNumber}  valid until ${e.validUntil}${e.renewalInProgress ? `  延续办理中 / renewal in progress: ${e.renewalInProgress}` : ''}`);
    for (const r of run.queued) lines.push(`  提醒 / reminder   ${r.certificateNumber}  → ${r.to}  ${r.leadDays}-day reminder, ${r.daysLeft} day(s) left, valid until ${r.validUntil}  ${r.holderName}`);
    for (const s of run.skippedForRenewal) lines.push(`  跳过 / skipped    ${s.certificateNumber}  延续办理中 / renewal in progress: ${s.applicationNo}`);
    for (const c of run.cancelled) lines.push(`  注销 / cancelled  ${c.certificateNumber}  valid until ${c.validUntil}, not renewed`);
    for (const s of run.cancelSkippedForRenewal) lines.push(`  暂不注销 / not cancelled yet  ${s.certificateNumber}  延续办理中 / renewal in progress: ${s.applicationNo}`);
    for (const d of run.due) lines.push(`  待投递 / to send  ${d.key}  → ${d.to}  (${d.state}, ${d.attempts} attempt(s) so far)`);
    lines.push(`到期 ${run.expired.length} 件，新提醒 ${run.queued.length} 封${would} / ${run.expired.length} expired, ${run.queued.length} new reminder(s)${run.dryRun ? ' would be queued' : ' queued'}`);
    if (run.delivery) {
      const d = run.delivery;
      lines.push(`投递 / delivery: ${d.sent} sent, ${d.failed} failed (will retry), ${d.given_up} given up, ${d.dropped} dropped (certificate cancelled), ${d.busy + d.waiting} left for later or another runner`);
    }
    return { lines, ok: !run.delivery || (run.delivery.failed === 0 && run.delivery.given_up === 0) };
  },
};
