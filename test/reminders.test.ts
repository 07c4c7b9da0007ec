import { expect } from 'chai';
import { applicableLead } from '../src/certificates/reminder-plan';
import { loadConfig } from '../src/config/app-config';
import { runReminders } from '../src/jobs/reminder-job';
import { createLogger } from '../src/logger';
import { startRuntime, type Runtime } from '../src/runtime';
import { COUNTY_ITEM, certificateIssued, renewalSubmitted } from './helpers/certificates';
import { runJob } from './helpers/run-job';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

// A county licence issued on 2025-03-03 is valid until 2026-03-02 (reminders 30, 7, 1 and 0 days before).
const ISSUED = '2025-03-03T02:00:00Z';
const IN_30_DAY_WINDOW = '2026-02-01T02:00:00Z'; // 29 days left
const MINUTE = 60_000;

describe('expiry reminders (整点预报)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const mailsFor = (number: string) => app.smtp.received.filter((m) => m.subject.includes(number));
  /** One reminder run as of `iso` (the service clock moves there too). */
  const runAt = (iso: string, options: { dryRun?: boolean } = {}) => {
    flow.at(iso);
    return runReminders(services(), app.clock.now(), options);
  };
  const later = (ms: number) => flow.at(new Date(app.clock.now().getTime() + ms).toISOString());
  const history = async (number: string) => {
    const res = await flow.api.get(`/api/v1/certificates/${number}/reminders`, flow.token('reviewer'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.items as any[];
  };

  before(async function () {
    app = await startTestApp({ now: ISSUED, config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  afterEach(() => app.smtp.setRefusing(false));

  it('when a certificate enters a reminder window, then its holder gets one mail in Chinese and English with the exact expiry date, renewal date and office', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED, { email: 'shop@zhifu-fireworks.example' });
    await runAt(IN_30_DAY_WINDOW);
    const [mail, ...more] = mailsFor(number);
    expect(more).to.deep.equal([]);
    expect(mail.to).to.deep.equal(['shop@zhifu-fireworks.example']);
    expect(mail.messageId).to.equal(`<reminder.${number}.2026-03-02.d30@permit-engine>`);
    expect(mail.subject).to.include('证照到期提醒').and.include('还有 29 天到期').and.include('有效期至 2026-03-02');
    for (const part of [
      '烟台市芝罘区安达化工贸易有限公司：您好', `证照编号 ${number}`, '烟花爆竹经营（零售）许可证', '有效期至 2026-03-02', '自 2026-02-03 起可以申请延续',
      '芝罘区应急管理部门（烟花爆竹安全监督管理股）', 'Fireworks trading licence (retail)', 'valid until 2026-03-02 and expires in 29 days', 'Renewal opens on 2026-02-03',
    ]) expect(mail.text).to.include(part);
    // A date, never a midnight timestamp of the wrong day.
    expect(mail.text).to.not.match(/2026-03-0[123]T|16:00|00:00/);

    const [entry] = await history(number);
    expect(entry).to.include({ leadDays: 30, daysLeft: 29, validUntil: '2026-03-02', state: 'sent', attempts: 1, to: 'shop@zhifu-fireworks.example', lastError: null, nextAttemptAt: null });
    expect(entry.smtpMessageId).to.equal(mail.messageId);

    later(MINUTE * 60);
    await runReminders(services(), app.clock.now());
    expect(mailsFor(number)).to.have.length(1);
  });

  it('when two reminder runs start at once on two instances, then each reminder is mailed once', async () => {
    const issued = await Promise.all([1, 2, 3].map(() => certificateIssued(flow, COUNTY_ITEM, ISSUED)));
    const config = loadConfig({}, { port: 0, smtpUrl: app.smtp.url, demoAccounts: 'off', logLevel: 'silent' });
    const second: Runtime = await startRuntime(config, { http: false, scheduler: false, now: app.clock.now, store: app.store, log: createLogger('silent') });
    try {
      flow.at('2026-02-23T02:00:00Z'); // 7 days left
      await Promise.all([runReminders(services(), app.clock.now()), runReminders(second.services, app.clock.now()), runReminders(services(), app.clock.now())]);
    } finally {
      await second.stop();
    }
    for (const { number } of issued) {
      expect(mailsFor(number).map((m) => m.messageId)).to.deep.equal([`<reminder.${number}.2026-03-02.d7@permit-engine>`]);
      expect((await history(number)).map((r) => `${r.leadDays}:${r.state}:${r.attempts}`)).to.deep.equal(['7:sent:1']);
    }
  });

  it('when the service runs, restarts and runs again, then no reminder is sent twice', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    await runAt(IN_30_DAY_WINDOW);
    await app.restart();
    await flow.signIn('clerk', 'reviewer');
    later(MINUTE * 60);
    await runReminders(services(), app.clock.now());
    expect(mailsFor(number)).to.have.length(1);
    expect(await history(number)).to.have.length(1);
  });

  it('when a run finds a certificate late in its reminders, then only the nearest window is mailed, and the later ones follow on their days', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    const first = await runAt('2026-02-26T02:00:00Z'); // 4 days left: the 30-day window has passed unmailed
    expect(first.queued.filter((r) => r.certificateNumber === number).map((r) => r.leadDays)).to.deep.equal([7]);
    await runAt('2026-02-28T02:00:00Z');
    await runAt('2026-03-01T02:00:00Z');
    await runAt('2026-03-02T02:00:00Z');
    const mails = mailsFor(number);
    expect(mails.map((m) => m.messageId.match(/\.d(\d+)@/)![1])).to.deep.equal(['7', '1', '0']);
    expect(mails[0].subject).to.include('还有 4 天到期');
    expect(mails[1].subject).to.include('明日到期');
    expect(mails[2].subject).to.include('今日到期');
    expect((await history(number)).map((r) => r.leadDays)).to.deep.equal([7, 1, 0]);
    expect(applicableLead([90, 60, 30, 7, 1, 0], 45)).to.equal(60);
    expect(applicableLead([30, 7, 1, 0], 31)).to.equal(null);
    expect(applicableLead([30, 7, 1, 0], -1)).to.equal(null);
  });

  it('when a certificate is renewed, then reminders stop while the renewal is processed and the new validity is reminded again', async () => {
    // Issued 2025-01-06: valid until 2026-01-05, renewal window from 2025-12-06.
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, '2025-01-06T02:00:00Z');
    await runAt('2025-12-08T02:00:00Z');
    expect(mailsFor(number)).to.have.length(1);

    flow.at('2025-12-10T02:00:00Z');
    const renewal = await renewalSubmitted(flow, COUNTY_ITEM, number, uscc);
    await flow.sendOk(renewal.id, { type: 'ACCEPT' }, 'clerk');
    const during = await runAt('2025-12-31T02:00:00Z'); // 5 days left, but the holder has applied
    expect(during.skippedForRenewal).to.deep.include({ certificateNumber: number, applicationNo: renewal.applicationNo });
    expect(mailsFor(number)).to.have.length(1);

    const approved = await flow.sendOk(renewal.id, { type: 'APPROVE' }, 'reviewer');
    const renewed = approved.certificateNo as string;
    await runAt('2026-01-04T02:00:00Z');
    await runAt('2026-01-05T02:00:00Z');
    expect(mailsFor(number)).to.have.length(1);
    expect(mailsFor(renewed)).to.have.length(0);

    await runAt('2026-12-08T02:00:00Z'); // the new validity ends on 2027-01-05
    const [mail] = mailsFor(renewed);
    expect(mail.messageId).to.equal(`<reminder.${renewed}.2027-01-05.d30@permit-engine>`);
    expect(mail.text).to.include('有效期至 2027-01-05');
    expect((await history(renewed)).map((r) => `${r.validUntil}:${r.leadDays}`)).to.deep.equal(['2027-01-05:30']);
  });

  it('when the SMTP server refuses, then the reminder is recorded as failed with the error, retried after its backoff and sent once', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    app.smtp.setRefusing(true);
    await runAt(IN_30_DAY_WINDOW);
    expect(mailsFor(number)).to.have.length(0);
    const [failed] = await history(number);
    expect(failed).to.include({ state: 'failed', attempts: 1, nextAttemptAt: '2026-02-01T02:05:00.000Z' });
    expect(failed.lastError).to.include('mailbox unavailable');
    const staffList = await flow.api.get('/api/v1/certificates/reminders?limit=200', flow.token('reviewer'));
    expect(staffList.body.items.map((r: { key: string }) => r.key)).to.include(failed.key);

    app.smtp.setRefusing(false);
    later(2 * MINUTE);
    expect((await services().reminderOutbox.deliverDue()).sent).to.equal(0);
    expect(mailsFor(number)).to.have.length(0);
    later(4 * MINUTE);
    await services().reminderOutbox.deliverDue();
    expect(mailsFor(number)).to.have.length(1);
    expect((await history(number))[0]).to.include({ state: 'sent', attempts: 2, lastError: null });
    await runReminders(services(), app.clock.now());
    expect(mailsFor(number)).to.have.length(1);
  });

  /** A certificate whose 30-day reminder met a refusing SMTP server at every attempt of a day and a half (the server still refuses). */
  async function reminderGivenUp() {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    app.smtp.setRefusing(true);
    await runAt(IN_30_DAY_WINDOW);
    for (let i = 0; i < 12; i++) {
      later(6 * 60 * MINUTE + MINUTE);
      await services().reminderOutbox.deliverDue();
    }
    const [entry] = await history(number);
    return { number, entry };
  }

  it('when the SMTP server keeps refusing, then the reminder is given up after its last attempt and shown to staff, and the next window still mails', async () => {
    const { number, entry } = await reminderGivenUp();
    expect(entry).to.include({ state: 'given_up', attempts: 10, nextAttemptAt: null });
    const givenUp = await flow.api.get('/api/v1/certificates/reminders?state=given_up&limit=200', flow.token('reviewer'));
    expect(givenUp.body.items.find((r: { key: string }) => r.key === entry.key)).to.include({ certificateNumber: number, attempts: 10 });

    app.smtp.setRefusing(false);
    later(24 * 60 * MINUTE);
    await services().reminderOutbox.deliverDue();
    expect(mailsFor(number)).to.have.length(0);
    await runAt('2026-02-23T02:00:00Z');
    expect(mailsFor(number).map((m) => m.messageId)).to.deep.equal([`<reminder.${number}.2026-03-02.d7@permit-engine>`]);
  });

  it('when staff retry a reminder that was given up (重新发送), then one more attempt is made at once and its outcome answered', async () => {
    const { number, entry } = await reminderGivenUp();
    expect(entry).to.include({ state: 'given_up', attempts: 10 });
    const retry = (role: string, key = entry.key) => flow.api.post(`/api/v1/certificates/${number}/reminders/${encodeURIComponent(key)}/retry`, {}, flow.token(role));

    expect((await retry('reviewer')).status).to.equal(403);
    expect((await retry('clerk', `${number}:2099-01-01:30`)).status).to.equal(404);
    const stillRefused = await retry('clerk');
    expect(stillRefused.status).to.equal(200);
    expect(stillRefused.body.outcome).to.equal('given_up');
    expect(stillRefused.body.reminder).to.include({ state: 'given_up', attempts: 11 });
    expect(stillRefused.body.reminder.lastError).to.match(/451|unavailable/);

    app.smtp.setRefusing(false);
    const sent = await retry('clerk');
    expect(sent.body).to.deep.include({ outcome: 'sent' });
    expect(sent.body.reminder).to.include({ state: 'sent', attempts: 12, lastError: null });
    expect(mailsFor(number).map((m) => m.messageId)).to.deep.equal([entry.messageId]);

    const again = await retry('clerk');
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('PRECONDITION_FAILED');
    await services().reminderOutbox.deliverDue();
    expect(mailsFor(number)).to.have.length(1);
  });

  it('when a run stops between sending and recording, then the next attempt resends once with the same Message-ID', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    app.smtp.setRefusing(true);
    await runAt(IN_30_DAY_WINDOW);
    app.smtp.setRefusing(false);
    const [queued] = await history(number);
    const reminder = (await services().reminders.get(queued.key))!;

    // A runner claims attempt 2, sends, and dies before recording anything.
    later(6 * MINUTE);
    const startedAt = app.clock.now();
    await services().reminders.claimAttempt({ key: reminder.key, n: 2, startedAt, leaseUntil: new Date(startedAt.getTime() + 10 * MINUTE), outcome: 'running', error: null, smtpMessageId: null, nextAttemptAt: null });
    await services().mailer.send({ to: reminder.to, subject: reminder.subject, text: reminder.text, messageId: reminder.messageId });

    later(MINUTE);
    await services().reminderOutbox.deliverDue(); // its lease still holds: nobody else sends
    expect(mailsFor(number)).to.have.length(1);
    later(10 * MINUTE);
    await services().reminderOutbox.deliverDue();
    await services().reminderOutbox.deliverDue();
    const mails = mailsFor(number);
    expect(mails).to.have.length(2);
    expect(mails[1].messageId).to.equal(mails[0].messageId);
    expect((await history(number))[0]).to.include({ state: 'sent', attempts: 3 });
  });

  it('when the run is a dry run, then it lists who would get what and sends, queues and expires nothing', async () => {
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED, { email: 'dry@zhifu-fireworks.example' });
    const dry = await runAt(IN_30_DAY_WINDOW, { dryRun: true });
    expect(dry.dryRun).to.equal(true);
    expect(dry.delivery).to.equal(null);
    expect(dry.queued.find((r) => r.certificateNumber === number)).to.deep.include({ to: 'dry@zhifu-fireworks.example', leadDays: 30, daysLeft: 29, validUntil: '2026-03-02' });
    const lapsed = await runAt('2026-03-03T02:00:00Z', { dryRun: true });
    expect(lapsed.expired.map((e) => e.certificateNumber)).to.include(number);
    expect(mailsFor(number)).to.have.length(0);
    expect(await history(number)).to.deep.equal([]);
    expect((await services().certificates.find(number))!.status).to.equal('valid');

    await runAt(IN_30_DAY_WINDOW);
    expect(mailsFor(number)).to.have.length(1);
  });

  it('when an operator runs `npm run job -- reminders`, then --dry-run lists the reminder without sending and a real run sends it once', async function () {
    this.timeout(120_000);
    const { number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED, { email: 'ops@zhifu-fireworks.example' });
    const dry = await runJob(app, ['reminders', '--dry-run', '--now', '2026-02-01T10:00:00+08:00']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include('dry run').and.include(number).and.include('ops@zhifu-fireworks.example');
    expect(mailsFor(number)).to.have.length(0);

    const real = await runJob(app, ['reminders', '--now', '2026-02-01T10:00:00+08:00']);
    expect(real.code, real.stdout + real.stderr).to.equal(0);
    expect(real.stdout).to.include(number).and.include('sent');
    expect(mailsFor(number)).to.have.length(1);
    const again = await runJob(app, ['reminders', '--now', '2026-02-01T11:00:00+08:00']);
    expect(again.stdout).to.not.include(number);
    expect(mailsFor(number)).to.have.length(1);

    const refused = await runJob(app, ['timers', '--dry-run']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.include('--dry-run');
  });

  it('when two instances run the hourly schedule, then each fire runs on one of them and each reminder is mailed once', async function () {
    this.timeout(60_000);
    const everySecond = { ...TIME_TRAVEL_CONFIG, reminderCron: '* * * * * *', timerCron: '0 0 0 1 1 *', reminderRetryCron: '0 0 0 1 1 *' };
    const scheduled = await startTestApp({ now: ISSUED, scheduler: true, config: everySecond });
    const other = workflow(() => scheduled);
    let second: Runtime | null = null;
    try {
      await other.signIn('clerk', 'reviewer');
      const { number } = await certificateIssued(other, COUNTY_ITEM, ISSUED);
      const config = loadConfig({}, { port: 0, smtpUrl: scheduled.smtp.url, demoAccounts: 'off', logLevel: 'silent', ...everySecond });
      second = await startRuntime(config, { http: false, scheduler: true, now: scheduled.clock.now, store: scheduled.store, log: createLogger('silent') });
      other.at(IN_30_DAY_WINDOW);
      const mails = () => scheduled.smtp.received.filter((m) => m.subject.includes(number));
      for (let i = 0; i < 50 && !mails().length; i++) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 2500));
      expect(mails()).to.have.length(1);

      const runs = await scheduled.runtime.conn.db!.collection('cron_runs').find({ _id: { $regex: '^reminders:' } } as never).toArray();
      expect(runs.length).to.be.greaterThan(2);
      expect(new Set(runs.map((r) => String(r._id))).size).to.equal(runs.length);
    } finally {
      await second?.stop();
      await scheduled.stop();
    }
  });
});
