import { randomUUID } from 'node:crypto';
import { addCalendarDays, endOfShanghaiDay, shanghaiDate, startOfShanghaiDay } from '../../calendar';
import { findItem } from '../../catalog/load-catalog';
import type { AuditRecord } from '../../audit/audit-store';
import type { CertificateRecord } from '../../certificates/certificate-store';
import { DEFAULT_LEAD_DAYS, applicableLead, daysUntil, reminderKey, reminderMessageId } from '../../certificates/reminder-plan';
import type { ReminderRecord } from '../../certificates/reminder-store';
import { renewalOpensOn } from '../../certificates/renewal';
import { expiryReminderMail } from '../../notifications/reminder-mail';
import type { Services } from '../../services';
import { mulberry32 } from '../certificate-selection';
import { createCloner, type Clone } from './cloning';
import { persistApplications, persistAudit, persistCertificates, persistReminders, persistStatistics } from './persist';
import { factsOf, type Fact } from '../../statistics/facts';
import { reminderFact } from '../../statistics/recount';
import type { Template } from './templates';
import { issuingOffice } from '../../certificates/issuing-office';

/** How the office's work is spread: shares of the open applications and of the finished ones, by template. */
const OPEN_MIX: Record<string, number> = {
  submitted: 15, underReview: 30, correctionRequested: 10, deficientAccepted: 10, commitmentAwaitingVerification: 10, jointReview: 10, suspended: 15,
};
// Approved paths make up about 40 % of all applications, as the 100,000 certificates at 250,000 say.
const FINISHED_MIX: Record<string, number> = {
  approved: 26, approvedProvince: 7, approvedRetail: 8, denied: 14, notAccepted: 20, withdrawn: 15, terminated: 10,
};
/** Counties the applicants are registered in, so the work spreads over every jurisdiction of the catalog. */
const DIVISIONS = ['370602', '370611', '370613', '370681', '370202'];
/** Finished applications reach back this many days (history of six years); open ones at most a month. */
const HISTORY_DAYS = 6 * 365;
const OPEN_AGE_DAYS = 25;
const BATCH = 2000;

/** An application the bench can find again over the API: its number, query code, holder and certificate. */
export interface Sample {
  id: string;
  applicationNo: string;
  queryCode: string;
  uscc: string;
  certificate: { number: string; uscc: string } | null;
}

export interface SeedProgress {
  applications: number;
  certificates: number;
  reminders: number;
  audit: number;
  docsPerSecond: number;
}

const weighted = (mix: Record<string, number>, r: number): string => {
  const total = Object.values(mix).reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [name, w] of Object.entries(mix)) if ((x -= w) < 0) return name;
  return Object.keys(mix)[0];
};

/**
 * Grows the store through the service's write paths, cumulatively: `growTo(n)` adds clones of the templates
 * until the store holds about n applications with `open` of them still open; the rest are finished over the
 * years. Certificates come with approved clones, ledger entries for the reminders already sent, audit entries
 * for the staff actions. Keeps a fixed-size sample of clones (and all valid expiry dates) for measuring.
 */
export function createSeeder(services: Services, templates: Template[], options: { open: number; now: Date; log: (msg: string) => void }) {
  const byName = new Map(templates.map((t) => [t.name, t]));
  const cloneOf = createCloner(services.catalog, services.itemOf);
  const random = mulberry32(20261201);
  const today = () => shanghaiDate(options.now);
  const samples: Sample[] = [];
  const certificateSamples: Sample[] = [];
  /** Last valid day of every valid seeded certificate, with its item's longest lead, to count those in their windows. */
  const validCertificates: { validUntil: string; longestLead: number }[] = [];
  const totals = { applications: 0, open: 0, certificates: 0, reminders: 0, audit: 0, ms: 0 };
  let n = 0;
  // The statistics' counts of what was seeded, written once per growth step (a day document is shared by many batches).
  let facts: Fact[] = [];
  const countSeeded = async () => {
    const started = performance.now();
    const pending = facts;
    facts = [];
    await persistStatistics(services, pending);
    totals.ms += performance.now() - started;
    options.log(`counted ${pending.length} statistics facts into their days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  const keep = (pool: Sample[], sample: Sample, seen: number) => {
    // Reservoir sampling: every clone equally likely to be looked up, whatever the size.
    if (pool.length < 2000) pool.push(sample);
    else if (random() * seen < 2000) pool[Math.floor(random() * 2000)] = sample;
  };

  const ledgerEntry = (cert: CertificateRecord, asOf: string): ReminderRecord | null => {
    if (cert.status !== 'valid' || !cert.validUntil) return null;
    const item = findItem(services.catalog, cert.itemCode);
    const daysLeft = daysUntil(asOf, cert.validUntil);
    const lead = applicableLead(item ? item.reminderLeadDays : DEFAULT_LEAD_DAYS, daysLeft);
    if (lead === null) return null;
    const sentAt = startOfShanghaiDay(asOf);
    const mail = expiryReminderMail({
      holderName: cert.holder.name, certificateNumber: cert.number, itemName: cert.itemName, itemNameEn: item?.nameEn ?? cert.itemName,
      validUntil: cert.validUntil, daysLeft, today: asOf, renewalOpensOn: renewalOpensOn(cert.validUntil, item?.renewalWindowMonths ?? null),
      office: issuingOffice(services.catalog, cert),
    });
    return {
      key: reminderKey(cert.number, cert.validUntil, lead), certificateNumber: cert.number, validUntil: cert.validUntil, leadDays: lead, daysLeft,
      itemCode: cert.itemCode, jurisdiction: cert.jurisdiction, holderName: cert.holder.name, to: cert.holder.email, ...mail,
      messageId: reminderMessageId(cert.number, cert.validUntil, lead), queuedAt: sentAt, state: 'sent', attempts: 1, nextAttemptAt: null,
      lastError: null, sentAt, smtpMessageId: `<bench.${cert.number}.${lead}@smtp>`,
    };
  };

  // Staff actions leave audit entries as the API's audit trail writes them: the submission and the last decision.
  const auditOf = (clone: Clone): AuditRecord[] => {
    const staff = clone.record.timeline.filter((e) => e.actor.kind === 'staff');
    return [staff[0], staff.length > 1 ? staff.at(-1) : undefined].filter((e) => e !== undefined).map((e) => ({
      at: e.at, requestId: randomUUID(), actor: { kind: 'staff', id: e.actor.id, role: e.actor.role, jurisdiction: e.actor.jurisdiction },
      ip: '10.37.6.21', method: 'POST', path: e.seq === 1 ? '/api/v1/applications' : `/api/v1/applications/${clone.record.id}/events`, status: e.seq === 1 ? 201 : 200,
    }));
  };

  /** Clones one application; `dueAt` gives an open clone's deadlines, otherwise they fall in the coming weeks. */
  function makeClone(kind: 'open' | 'finished', asOf: string, dueAt?: Date, templateName?: string): Clone {
    const name = templateName ?? weighted(kind === 'open' ? OPEN_MIX : FINISHED_MIX, random());
    const template = byName.get(name);
    if (!template) throw new Error(`no template ${name}`);
    n++;
    const division = DIVISIONS[Math.floor(random() * DIVISIONS.length)];
    // Finished ones at least 30 days back; open ones within the last month, deadlines 2–42 days ahead of now.
    const shiftDays = kind === 'open' ? -Math.floor(random() * OPEN_AGE_DAYS) : -(30 + Math.floor(random() * (HISTORY_DAYS - 30)));
    const timersDueAt = kind === 'open' ? (dueAt ?? endOfShanghaiDay(addCalendarDays(asOf, 2 + Math.floor(random() * 40)))) : null;
    return cloneOf(template, { n, division, shiftDays, timersDueAt, today: asOf });
  }

  /** Persists clones with their certificates, ledger entries and audit entries, and prints the throughput. */
  async function persist(clones: Clone[], asOf: string): Promise<void> {
    const started = performance.now();
    const certificates = clones.flatMap((c) => (c.certificate ? [c.certificate] : []));
    const reminders = certificates.flatMap((c) => ledgerEntry(c, asOf) ?? []);
    const audit = clones.flatMap(auditOf);
    await persistApplications(services, clones.map((c) => c.record));
    await persistCertificates(services, certificates);
    await persistReminders(services, reminders);
    await persistAudit(services, audit);
    for (const c of clones) facts.push(...factsOf(c.record, services.itemOf(c.record.itemCode), services.calendar, services.evaluation));
    for (const r of reminders) if (r.sentAt) facts.push(reminderFact(r, r.sentAt));
    const ms = performance.now() - started;
    totals.ms += ms;
    totals.applications += clones.length;
    totals.certificates += certificates.length;
    totals.reminders += reminders.length;
    totals.audit += audit.length;
    for (const c of certificates) {
      if (c.status === 'valid' && c.validUntil) {
        const item = findItem(services.catalog, c.itemCode);
        validCertificates.push({ validUntil: c.validUntil, longestLead: Math.max(0, ...(item ? item.reminderLeadDays : DEFAULT_LEAD_DAYS)) });
      }
    }
    for (const c of clones) {
      const sample: Sample = {
        id: c.record.id, applicationNo: c.record.applicationNo, queryCode: c.queryCode, uscc: c.record.applicant.uscc,
        certificate: c.certificate ? { number: c.certificate.number, uscc: c.certificate.holder.uscc } : null,
      };
      keep(samples, sample, totals.applications);
      if (sample.certificate) keep(certificateSamples, sample, totals.certificates);
    }
  }

  return {
    samples,
    certificateSamples,
    totals,
    /** Seeding throughput so far: documents written (applications, certificates, ledger, audit) per second. */
    docsPerSecond: () => (totals.applications + totals.certificates + totals.reminders + totals.audit) / (totals.ms / 1000 || 1),

    /** Adds clones until `applications` (counted by the caller, bench-made ones included) reaches `size`. */
    async growTo(size: number, applications: number, asOf: string = today()): Promise<void> {
      const openTarget = Math.min(options.open, Math.floor(size / 2));
      let toAdd = size - applications;
      let openToAdd = Math.min(Math.max(0, openTarget - totals.open), toAdd);
      // At tiny sizes the bench's own applications (templates, creates, 100 per tick round) can outgrow a step.
      if (toAdd <= 0) options.log(`the store already holds ${applications} applications, not fewer than ${size}: nothing to seed`);
      while (toAdd > 0) {
        const batch: Clone[] = [];
        for (; batch.length < BATCH && toAdd > 0; toAdd--) {
          const open = openToAdd > 0;
          if (open) openToAdd--;
          batch.push(makeClone(open ? 'open' : 'finished', asOf));
          if (open) totals.open++;
        }
        await persist(batch, asOf);
        const docs = totals.applications + totals.certificates + totals.reminders + totals.audit;
        options.log(`seeded ${totals.applications} applications (${totals.open} open), ${totals.certificates} certificates, ${totals.reminders} ledger and ${totals.audit} audit entries: ${Math.round(docs / (totals.ms / 1000))} docs/s`);
      }
      await countSeeded();
    },

    /** Adds `count` open clones whose pending deadline is due at `dueAt` (a correction period that ran out), for a timer tick with work. */
    async addDue(count: number, dueAt: Date, asOf: string = today()): Promise<void> {
      await persist(Array.from({ length: count }, () => makeClone('open', asOf, dueAt, 'correctionRequested')), asOf);
      await countSeeded();
    },

    /** Valid seeded certificates the reminder run reads on `day`: last day between it and the item's longest lead ahead. */
    inWindows(day: string): number {
      let count = 0;
      for (const c of validCertificates) if (c.validUntil >= day && c.validUntil <= addCalendarDays(day, c.longestLead)) count++;
      return count;
    },
  };
}

export type Seeder = ReturnType<typeof createSeeder>;
