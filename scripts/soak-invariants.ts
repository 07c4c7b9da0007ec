import type { Connection } from 'mongoose';
import { lastChangeVersion, type ApplicationRecord } from '../src/engine/application-record';
import { isOpen } from '../src/store/open-applications';
import { verifyTimeline } from '../src/use-cases/verify-timeline';
import type { ReceivedMail } from '../test/helpers/smtp-sink';

/** Status each soak scenario must end in. */
const EXPECTED_STATUS: Record<string, string> = {
  standard: 'completed',
  correction: 'denied',
  withdrawn: 'withdrawn',
  deficient_supplied: 'completed',
  deficient_missed: 'terminated',
  commitment_verified: 'completed',
  commitment_overdue: 'issued_pending_verification',
  joint: 'completed',
};
const WITH_CERTIFICATE = new Set(['standard', 'deficient_supplied', 'commitment_verified', 'commitment_overdue', 'joint']);
// Events a process takes at most once; a second one would be a doubled write.
const ONCE = ['SUBMIT', 'ACCEPT', 'APPROVE', 'DENY', 'REJECT', 'WITHDRAW', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'CERTIFICATE_ISSUED', 'SUPPLEMENT', 'SUPPLEMENT_DEADLINE_PASSED', 'VERIFICATION_DEADLINE_PASSED', 'VERIFY_PASSED', 'REQUEST_CORRECTION', 'SUBMIT_CORRECTION'];

/** Checks what the soak promises: no lost or doubled writes, timers once, certificates once, mails once. */
export async function checkInvariants(conn: Connection, mails: ReceivedMail[], created: { id: string; scenario: string }[], seededReminders = 0) {
  const db = conn.db!;
  const broken: string[] = [];
  const lines: string[] = [];
  // Only the soak's own applications are read, by `_id`, so a store pre-seeded with years of history is checked as fast.
  const ids = created.map((c) => c.id);
  const apps = new Map<string, ApplicationRecord>();
  for (const doc of await inParallel(ids, (id) => db.collection('applications').findOne({ _id: id as never }))) {
    if (!doc) continue;
    const { _id, ...rest } = doc;
    apps.set(String(_id), { id: String(_id), ...rest } as unknown as ApplicationRecord);
  }
  // Each application's journal entries `<id>:1`, `<id>:2`… up to one past its version (a doubled write would show there).
  const journal = new Map<string, number[]>();
  await inParallel([...apps.values()], async (app) => {
    const probes = Array.from({ length: app.version + 1 }, (_, i) => db.collection('application_journal').findOne({ _id: `${app.id}:${i + 1}` as never }, { projection: { entity: 1, version: 1, hasPendingEffects: 1 } }));
    for (const j of (await Promise.all(probes)).filter((e) => e !== null)) {
      journal.set(j.entity, [...(journal.get(j.entity) ?? []), j.version]);
      if (j.hasPendingEffects) broken.push(`${j.entity} v${j.version}: effects never settled`);
    }
  });
  // Any application's entry (history included) still waiting for its effects has a marker in the small effect queue.
  for (const marker of await db.collection('effect_queue').find({}).toArray()) {
    const entry = await db.collection('application_journal').findOne({ _id: marker._id }, { projection: { hasPendingEffects: 1 } });
    if (entry?.hasPendingEffects && !apps.has(String(marker.entity))) broken.push(`${String(marker._id)}: effects never settled`);
  }
  // The open-work view follows each application: an entry at its last change while it is open, none once it is closed.
  await inParallel([...apps.values()], async (app) => {
    const entry = await db.collection('open_applications').findOne({ _id: app.id as never }, { projection: { version: 1 } });
    const wanted = isOpen(app) ? lastChangeVersion(app) : null;
    if ((entry?.version ?? null) !== wanted) broken.push(`${app.applicationNo}: open-work entry at ${entry?.version ?? 'none'}, expected ${wanted ?? 'none'}`);
  });
  const certificates = await db.collection('certificates').find({ applicationId: { $in: ids } }, { projection: { applicationId: 1 } }).toArray();
  const certsByApp = new Map<string, number>();
  for (const c of certificates) certsByApp.set(c.applicationId, (certsByApp.get(c.applicationId) ?? 0) + 1);

  const statusCount = new Map<string, number>();
  for (const { id, scenario } of created) {
    const app = apps.get(id);
    if (!app) {
      broken.push(`${id}: application lost`);
      continue;
    }
    statusCount.set(`${scenario}→${app.status}`, (statusCount.get(`${scenario}→${app.status}`) ?? 0) + 1);
    if (app.status !== EXPECTED_STATUS[scenario]) broken.push(`${app.applicationNo} (${scenario}): status ${app.status}, expected ${EXPECTED_STATUS[scenario]}`);
    const versions = (journal.get(id) ?? []).sort((a, b) => a - b);
    if (versions.length !== app.version || versions.some((v, i) => v !== i + 1)) broken.push(`${app.applicationNo}: version ${app.version} but journal has [${versions.join(',')}]`);
    const chain = verifyTimeline(app);
    if (!chain.valid) broken.push(`${app.applicationNo}: timeline chain broken at ${chain.brokenAt}`);
    for (const event of ONCE) {
      const n = app.timeline.filter((t) => t.event === event).length;
      if (n > 1) broken.push(`${app.applicationNo}: ${event} recorded ${n} times`);
    }
    for (const level of ['city', 'province']) {
      const n = app.timeline.filter((t) => t.event === 'REVIEW_OPINION' && (t.data as { level?: string } | undefined)?.level === level).length;
      if (n > 1) broken.push(`${app.applicationNo}: ${level} opinion recorded ${n} times`);
    }
    for (const timer of app.timers.filter((t) => t.status === 'fired')) {
      const n = app.timeline.filter((t) => t.event === timer.event).length;
      if (n !== 1) broken.push(`${app.applicationNo}: timer ${timer.id} fired but ${timer.event} recorded ${n} times`);
    }
    const certs = certsByApp.get(id) ?? 0;
    if (certs !== (WITH_CERTIFICATE.has(scenario) ? 1 : 0)) broken.push(`${app.applicationNo} (${scenario}): ${certs} certificates`);
  }

  const byMessageId = new Map<string, number>();
  for (const m of mails) byMessageId.set(m.messageId, (byMessageId.get(m.messageId) ?? 0) + 1);
  const repeated = [...byMessageId.entries()].filter(([, n]) => n > 1);
  // A crash between sending and recording may resend once, with the same Message-ID; never more.
  for (const [id, n] of repeated) if (n > 2) broken.push(`mail ${id} sent ${n} times`);
  // Ledger entries of a pre-seeded history were never mailed by this soak.
  const reminderLedger = (await db.collection('certificate_reminders').countDocuments({})) - seededReminders;
  const unsent = await db.collection('certificate_reminders').find({ state: { $nin: ['sent', 'dropped'] } }, { projection: { state: 1 } }).toArray();
  // A reminder dropped because its certificate was cancelled is settled too.
  for (const r of unsent) broken.push(`reminder ${String(r._id)} left ${r.state}`);
  const reminderMails = mails.filter((m) => m.messageId.startsWith('<reminder.'));
  if (new Set(reminderMails.map((m) => m.messageId)).size !== reminderLedger) broken.push(`${reminderLedger} reminders in the ledger but ${new Set(reminderMails.map((m) => m.messageId)).size} distinct reminder mails`);

  lines.push(`applications: ${created.length}; outcomes: ${[...statusCount.entries()].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  // Markers of losing writers go at the next sweep; one pointing at an unsettled entry is already reported above.
  const markers = await db.collection('effect_queue').countDocuments({});
  lines.push(`journal entries: ${[...journal.values()].reduce((s, v) => s + v.length, 0)}; certificates: ${certificates.length}; effect queue markers left: ${markers}`);
  lines.push(`mails: ${mails.length}, distinct Message-IDs: ${byMessageId.size}, resent once after the crash: ${repeated.length}; reminder ledger entries: ${reminderLedger}`);
  return { broken, lines };
}

/** Runs `fn` over the items, 16 at a time, and returns the results in order. */
async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 16) out.push(...(await Promise.all(items.slice(i, i + 16).map(fn))));
  return out;
}
