import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { reminderKey, reminderMessageId } from '../src/certificates/reminder-plan';
import type { ReminderRecord } from '../src/certificates/reminder-store';
import { runReminders } from '../src/jobs/reminder-job';
import { CITY_ITEM, COUNTY_ITEM, certificateIssued, renewalSubmitted, submitRenewal } from './helpers/certificates';
import { runJob } from './helpers/run-job';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, workflow } from './helpers/workflow';

// A county licence issued on 2025-03-03 is valid until 2026-03-02 (reminders 30, 7, 1 and 0 days before).
const ISSUED = '2025-03-03T02:00:00Z';
const IN_30_DAY_WINDOW = '2026-02-01T02:00:00Z';
// In this test's catalog the county item's certificates are cancelled 30 days after they expired without renewal.
const CANCEL_AFTER_DAYS = 30;

describe('certificate cancellation (注销, Art. 70)', function () {
  let app: TestApp;
  let configDir: string;
  let qingdaoClerk: string;
  const flow = workflow(() => app);
  const { api } = flow;
  const services = () => app.runtime.services;
  const mailsFor = (number: string) => app.smtp.received.filter((m) => m.subject.includes(number));
  const cancel = (number: string, body: object, who: string) => api.post(`/api/v1/certificates/${number}/cancellation`, body, flow.token(who));
  const getCert = async (number: string) => {
    const res = await api.get(`/api/v1/certificates/${number}`, flow.token('clerk'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const verify = async (number: string, uscc: string) => (await api.get(`/api/v1/certificates/verify?number=${number}&uscc=${uscc}`)).body;
  const reminderHistory = async (number: string) => (await api.get(`/api/v1/certificates/${number}/reminders`, flow.token('clerk'))).body.items as any[];
  const runAt = (iso: string) => {
    flow.at(iso);
    return runReminders(services(), app.clock.now());
  };

  before(async function () {
    configDir = mkdtempSync(join(tmpdir(), 'permit-config-'));
    cpSync(fileURLToPath(new URL('../config', import.meta.url)), configDir, { recursive: true });
    const catalogFile = join(configDir, 'catalog.json');
    const catalog = JSON.parse(readFileSync(catalogFile, 'utf8'));
    catalog.items.find((i: { code: string }) => i.code === COUNTY_ITEM).cancelExpiredAfterDays = CANCEL_AFTER_DAYS;
    writeFileSync(catalogFile, JSON.stringify(catalog, null, 2));
    app = await startTestApp({ now: ISSUED, config: { ...TIME_TRAVEL_CONFIG, configDir } });
    await flow.signIn('clerk', 'reviewer', 'admin');
    const created = await api.post('/api/v1/staff', { username: `qd-clerk-${Date.now()}`, name: '青岛市窗口', role: 'clerk', jurisdiction: '370200', password: 'qingdao-pass' }, flow.token('admin'));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    qingdaoClerk = await api.login(created.body.username, 'qingdao-pass');
  });
  after(async () => {
    await app?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });
  afterEach(() => app.smtp.setRefusing(false));

  it('when a clerk of the jurisdiction cancels a certificate, then it is cancelled with a history entry and an audit record, the holder is mailed once, the public check answers cancelled and it cannot be renewed', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z', { email: 'safety@yantai-chem.example' });
    flow.at('2026-06-15T02:00:00Z');
    const res = await cancel(number, { reason: 'on_request', note: '企业书面申请注销' }, 'clerk');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ number, status: 'cancelled' });
    expect(res.body.statusLabel).to.deep.equal({ zh: '已注销', en: 'Cancelled' });
    expect(res.body.cancellation).to.deep.include({ reason: 'on_request', note: '企业书面申请注销', at: '2026-06-15T02:00:00.000Z', by: 'clerk' });
    expect(res.body.cancellation.reasonLabel.zh).to.equal('依申请注销');

    const view = await getCert(number);
    expect(view.status).to.equal('cancelled');
    expect(view.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued', 'cancelled']);
    expect(view.history[1].note).to.include('依申请注销').and.include('企业书面申请注销');

    const [mail, ...more] = mailsFor(number);
    expect(more).to.deep.equal([]);
    expect(mail.to).to.deep.equal(['safety@yantai-chem.example']);
    expect(mail.messageId).to.equal(`<cancellation.${number}@permit-engine>`);
    expect(mail.subject).to.include('证照注销通知').and.include('依申请注销');
    for (const part of [`证照编号 ${number}`, '2026-06-15', '第七十条', '注销事由：依申请注销', '企业书面申请注销', 'was cancelled on 2026-06-15', 'cannot be renewed']) expect(mail.text).to.include(part);
    const [notice] = await reminderHistory(number);
    expect(notice).to.include({ kind: 'cancellation', key: `${number}:cancellation`, state: 'sent', attempts: 1, messageId: mail.messageId });

    let audit: { path: string; status: number; method: string }[] = [];
    for (let i = 0; i < 20 && !audit.length; i++) {
      audit = (await services().audit.list({ actorId: 'clerk' }, 50)).filter((r) => r.path === `/api/v1/certificates/${number}/cancellation`);
      if (!audit.length) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.map((r) => `${r.method} ${r.status}`)).to.deep.equal(['POST 200']);

    expect(await verify(number, uscc)).to.deep.include({ result: 'cancelled', label: { zh: '已注销', en: 'Cancelled' }, number, validUntil: '2029-03-01' });
    const renewal = await submitRenewal(flow, CITY_ITEM, number, uscc);
    expect(renewal.status, JSON.stringify(renewal.body)).to.equal(409);
    expect(renewal.body.error.details).to.deep.equal({ status: 'cancelled' });
  });

  it('when a certificate is cancelled a second time, then the answer is 409 and nothing is written or mailed again', async () => {
    const { number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    expect((await cancel(number, { reason: 'dissolved' }, 'admin')).status).to.equal(200);
    const again = await cancel(number, { reason: 'force_majeure', note: '地震' }, 'clerk');
    expect(again.status, JSON.stringify(again.body)).to.equal(409);
    expect(again.body.error).to.deep.include({ code: 'PRECONDITION_FAILED', details: { status: 'cancelled' } });
    const view = await getCert(number);
    expect(view.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued', 'cancelled']);
    expect(view.cancellation).to.include({ reason: 'dissolved', by: 'admin' });
    expect(mailsFor(number)).to.have.length(1);
    expect(mailsFor(number)[0].subject).to.include('法人或其他组织依法终止');
  });

  it('when someone outside the certificate\'s jurisdiction or role tries, or the body is wrong, then it is refused and the certificate stays valid', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    const other = await api.post(`/api/v1/certificates/${number}/cancellation`, { reason: 'on_request' }, qingdaoClerk);
    expect(other.status, JSON.stringify(other.body)).to.equal(404);
    expect((await cancel(number, { reason: 'on_request' }, 'reviewer')).status).to.equal(403);
    expect((await api.post(`/api/v1/certificates/${number}/cancellation`, { reason: 'on_request' })).status).to.equal(401);
    expect((await cancel('LU-WHSY-2026-999999', { reason: 'on_request' }, 'clerk')).status).to.equal(404);

    const bad = await cancel(number, { reason: 'bored' }, 'clerk');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).to.include('reason');
    const missing = await cancel(number, { note: '无事由' }, 'clerk');
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).to.include('reason');
    // 有效期届满未延续 is not a reason for a certificate still in force.
    const early = await cancel(number, { reason: 'expired' }, 'clerk');
    expect(early.status, JSON.stringify(early.body)).to.equal(409);
    expect(early.body.error.code).to.equal('PRECONDITION_FAILED');

    expect((await getCert(number)).status).to.equal('valid');
    expect((await verify(number, uscc)).result).to.equal('valid');
    expect(mailsFor(number)).to.have.length(0);
  });

  it('when a certificate is cancelled, then the reminder run sends it nothing: a reminder queued before is dropped, and none is queued after', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    app.smtp.setRefusing(true);
    await runAt(IN_30_DAY_WINDOW); // the 30-day reminder is queued, and fails
    const [queued] = await reminderHistory(number);
    expect(queued).to.include({ kind: 'expiry', leadDays: 30, state: 'failed' });
    app.smtp.setRefusing(false);

    flow.at('2026-02-03T02:00:00Z');
    expect((await cancel(number, { reason: 'revoked', note: '烟应急罚〔2026〕3号 吊销' }, 'clerk')).status).to.equal(200);
    expect((await reminderHistory(number)).map((r) => `${r.kind}:${r.state}`)).to.deep.equal(['expiry:dropped', 'cancellation:sent']);

    // Past the dropped reminder's backoff, and into the next windows: nothing more goes out.
    await runAt('2026-02-03T03:00:00Z');
    await services().reminderOutbox.deliverDue();
    await runAt('2026-02-23T02:00:00Z');
    await runAt('2026-03-02T02:00:00Z');
    expect(mailsFor(number).map((m) => m.messageId)).to.deep.equal([`<cancellation.${number}@permit-engine>`]);
    expect((await reminderHistory(number)).map((r) => `${r.kind}:${r.state}`)).to.deep.equal(['expiry:dropped', 'cancellation:sent']);
    const failing = await api.get('/api/v1/certificates/reminders?state=pending,failed,given_up&limit=200', flow.token('clerk'));
    expect(failing.body.items.map((r: { certificateNumber: string }) => r.certificateNumber)).to.not.include(number);
  });

  it('when a reminder run queued a reminder just before the certificate was cancelled, then its delivery drops it instead of sending it', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    flow.at('2026-02-24T02:00:00Z');
    expect((await cancel(number, { reason: 'force_majeure' }, 'clerk')).status).to.equal(200);
    // What a run that read the certificate while still valid queues after the cancellation's clean-up.
    const now = app.clock.now();
    const late: ReminderRecord = {
      key: reminderKey(number, '2026-03-02', 7), kind: 'expiry', certificateNumber: number, validUntil: '2026-03-02', leadDays: 7, daysLeft: 6,
      itemCode: COUNTY_ITEM, jurisdiction: '370602', holderName: 'x', to: 'late@example.com', subject: `late ${number}`, text: 'late',
      messageId: reminderMessageId(number, '2026-03-02', 7), queuedAt: now, state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, sentAt: null, smtpMessageId: null,
    };
    expect(await services().reminders.queueOnce(late)).to.equal(true);
    const delivery = await services().reminderOutbox.deliverDue();
    expect(delivery.dropped).to.be.greaterThan(0);
    expect(mailsFor(number).map((m) => m.messageId)).to.deep.equal([`<cancellation.${number}@permit-engine>`]);
    expect((await services().reminders.get(late.key))!.state).to.equal('dropped');
  });

  it('when a certificate expired without renewal and its item cancels after 30 days, then two reminder runs at once cancel it once, on the 31st day, with one notice; one being renewed is left alone', async function () {
    this.timeout(180_000);
    const email = 'lapsed@zhifu-fireworks.example';
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED, { email });
    const renewing = await certificateIssued(flow, COUNTY_ITEM, ISSUED, { uscc: freshUscc() });
    flow.at('2026-02-10T02:00:00Z');
    const renewal = await renewalSubmitted(flow, COUNTY_ITEM, renewing.number, renewing.uscc);
    await flow.sendOk(renewal.id, { type: 'ACCEPT' }, 'clerk');

    await runAt('2026-03-03T02:00:00Z');
    expect((await getCert(number)).status).to.equal('expired');
    const dayThirty = await runAt('2026-04-01T02:00:00Z');
    expect(dayThirty.cancelled.map((c) => c.certificateNumber)).to.not.include(number);
    expect((await getCert(number)).status).to.equal('expired');

    // Two operators' job processes at once, on the 31st day after the last day of validity.
    const env = { CONFIG_DIR: configDir, TOKEN_TTL_MINUTES: String(TIME_TRAVEL_CONFIG.tokenTtlMinutes) };
    const runs = await Promise.all([1, 2].map(() => runJob(app, ['reminders', '--now', '2026-04-02T10:00:00+08:00'], env)));
    for (const run of runs) expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(runs.filter((r) => r.stdout.includes(`注销 / cancelled  ${number}`))).to.have.length(1);

    const view = await getCert(number);
    expect(view.status).to.equal('cancelled');
    expect(view.cancellation).to.include({ reason: 'expired', by: 'system' });
    expect(view.history.filter((h: { action: string }) => h.action === 'cancelled')).to.have.length(1);
    expect(mailsFor(number).filter((m) => m.messageId.startsWith('<cancellation.')).map((m) => m.to)).to.deep.equal([[email]]);
    expect(mailsFor(number).find((m) => m.messageId.startsWith('<cancellation.'))!.text).to.include('有效期届满未延续');
    expect((await verify(number, uscc)).result).to.equal('cancelled');
    expect((await getCert(renewing.number)).status).to.equal('expired');

    const later = await runAt('2026-04-03T02:00:00Z');
    expect(later.cancelled.map((c) => c.certificateNumber)).to.not.include(number);
    expect(later.cancelSkippedForRenewal.map((c) => c.certificateNumber)).to.include(renewing.number);
    expect(mailsFor(number).filter((m) => m.messageId.startsWith('<cancellation.'))).to.have.length(1);

    // The renewal is approved: the old certificate is superseded, never cancelled.
    await flow.sendOk(renewal.id, { type: 'APPROVE' }, 'reviewer');
    await runAt('2026-04-04T02:00:00Z');
    expect((await getCert(renewing.number)).status).to.equal('superseded');
  });
});
