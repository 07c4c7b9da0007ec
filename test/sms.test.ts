import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { runReminders } from '../src/jobs/reminder-job';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime';
import { submitApplication } from '../src/use-cases/submit-application';
import { applicationBody } from './helpers/api-client';
import { COUNTY_ITEM } from './helpers/certificates';
import { startSmsGateway } from './helpers/sms-gateway';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, workflow } from './helpers/workflow';

// A county licence issued on 2025-03-03 is valid until 2026-03-02 (reminders 30, 7, 1 and 0 days before).
const ISSUED = '2025-03-03T02:00:00Z';
const IN_30_DAY_WINDOW = '2026-02-01T02:00:00Z'; // 29 days left
const MINUTE = 60_000;
const MOBILE = '13805351234';
const TOKEN = 'sms-gateway-test-token';

describe('SMS beside e-mail, through the HTTP gateway', function () {
  this.timeout(120_000);
  let app: TestApp;
  let gateway: Awaited<ReturnType<typeof startSmsGateway>>;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const later = (ms: number) => flow.at(new Date(app.clock.now().getTime() + ms).toISOString());
  const smsFor = (needle: string) => gateway.requests.filter((r) => r.body.text.includes(needle));
  const submitWithMobile = async (mobile: string | undefined) => {
    const body = applicationBody(COUNTY_ITEM, { uscc: freshUscc(), mobile, materials: ['M01', 'M02', 'M03'].map((code) => ({ code, provided: true })) });
    return flow.api.post('/api/v1/applications', body, flow.token('clerk'));
  };

  before(async () => {
    gateway = await startSmsGateway();
    app = await startTestApp({ now: ISSUED, config: { ...TIME_TRAVEL_CONFIG, smsGatewayUrl: gateway.url, smsGatewayToken: TOKEN, publicUrl: 'https://zwfw.example.gov.cn' } });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => {
    await app?.stop();
    await gateway?.stop();
  });
  afterEach(() => gateway.failNext(0));

  it('when the gateway fails the first request with 500, then the status SMS is retried after its backoff, accepted once, and a later sweep sends nothing', async () => {
    gateway.failNext(1);
    const res = await submitWithMobile(MOBILE);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const { id, applicationNo } = res.body;
    const application = (await services().store.get(id))!;
    const smsEffect = application.outbox.find((e) => e.type === 'smsApplicant')!;
    expect(smsEffect, 'an SMS effect beside the mail').to.not.equal(undefined);
    expect(smsFor(applicationNo).map((r) => r.status)).to.deep.equal([500]);
    const [failed] = await services().attempts.forApplication(id, [smsEffect.id]);
    expect(failed.outcome).to.equal('failed');
    expect(failed.error).to.match(/500/);

    // Before the backoff nothing is tried again; after it, the same messageId is accepted.
    await services().effects.sweep(1000);
    expect(smsFor(applicationNo)).to.have.length(1);
    later(5 * MINUTE);
    await services().effects.sweep(1000);
    const sent = smsFor(applicationNo);
    expect(sent.map((r) => r.status)).to.deep.equal([500, 200]);
    const messageId = `sms.${id}.${smsEffect.id}`;
    expect(sent.map((r) => r.body.messageId)).to.deep.equal([messageId, messageId]);
    expect(sent[1].headers['idempotency-key']).to.equal(messageId);
    expect(sent[1].headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(sent[1].headers['content-type']).to.match(/^application\/json/);
    expect(sent[1].body).to.deep.include({ to: MOBILE, template: 'status_changed' });
    expect(sent[1].body.params).to.deep.equal({ applicationNo, status: '已提交，待受理', url: `https://zwfw.example.gov.cn/#status?no=${applicationNo}` });
    expect(sent[1].body.text).to.equal(`您的办件（申请编号 ${applicationNo}）状态已更新：已提交，待受理。凭申请编号和查询码查看进度：https://zwfw.example.gov.cn/#status?no=${applicationNo}`);
    // Chinese only, and short: one 70-character SMS part is the aim, two at most with the link.
    expect(sent[1].body.text.replace(sent[1].body.params.url, ''), 'no English beside the Chinese').to.not.match(/[A-Za-z]/);
    expect(sent[1].body.text.length).to.be.at.most(134);
    const history = await services().attempts.forApplication(id, [smsEffect.id]);
    expect(history.map((a) => a.outcome)).to.deep.equal(['failed', 'done']);
    // The mail of the same notice went once, at submission: the SMS retry did not send it again.
    expect(app.smtp.received.filter((m) => m.subject.includes(applicationNo))).to.have.length(1);

    later(2 * 60 * MINUTE);
    await services().effects.sweep(1000);
    await services().effects.runFor(id);
    expect(smsFor(applicationNo)).to.have.length(2);

    // The next status (受理) is its own notice, with its own messageId.
    await flow.sendOk(id, { type: 'ACCEPT' }, 'clerk');
    const accepted = smsFor(applicationNo).slice(2);
    expect(accepted.map((r) => [r.status, r.body.params.status])).to.deep.equal([[200, '审查中']]);
    expect(accepted[0].body.messageId).to.not.equal(messageId);
  });

  it('when the contact gives no mobile, then notices go by mail only; a bad mobile is refused with 400 at intake', async () => {
    const none = await submitWithMobile(undefined);
    expect(none.status).to.equal(201);
    expect((await services().store.get(none.body.id))!.outbox.map((e) => e.type)).to.not.include('smsApplicant');
    expect(smsFor(none.body.applicationNo)).to.deep.equal([]);

    for (const bad of ['1380535123', '138053512345', '12805351234', '0535-6612345', '+8613805351234', '1380535123x']) {
      const res = await submitWithMobile(bad);
      expect(res.status, `${bad}: ${JSON.stringify(res.body)}`).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['applicant.contact.mobile']);
      expect(res.body.error.message).to.include('手机号').and.include('mobile');
    }
  });

  it('when a certificate whose holder gave a mobile enters a reminder window, then the reminder also goes by SMS, retried once the gateway fails, and never twice', async () => {
    flow.at(ISSUED);
    const created = await submitWithMobile(MOBILE);
    expect(created.status).to.equal(201);
    await flow.sendOk(created.body.id, { type: 'ACCEPT' }, 'clerk');
    const { certificateNo: number } = await flow.sendOk(created.body.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
    expect((await services().certificates.find(number))!.holder.mobile).to.equal(MOBILE);

    gateway.failNext(1);
    flow.at(IN_30_DAY_WINDOW);
    await runReminders(services(), app.clock.now());
    const key = `${number}:2026-03-02:30`;
    expect(smsFor(number).map((r) => r.status)).to.deep.equal([500]);
    expect((await services().reminders.get(`${key}:sms`))).to.include({ state: 'failed', attempts: 1, channel: 'sms', to: MOBILE });
    // The mail went at once; only the SMS waits for its retry.
    expect(app.smtp.received.filter((m) => m.subject.includes(number))).to.have.length(1);

    later(10 * MINUTE);
    await services().reminderOutbox.deliverDue();
    const sent = smsFor(number);
    expect(sent.map((r) => r.status)).to.deep.equal([500, 200]);
    expect(sent[1].body).to.deep.include({ to: MOBILE, template: 'certificate_expiry', messageId: `sms.${key}` });
    expect(sent[1].body.text).to.equal(`您单位的“烟花爆竹经营（零售）许可证”（证照编号 ${number}）有效期至 2026-03-02，还有 29 天到期。自 2026-02-03 起可申请延续。`);

    // Staff see both deliveries of the notice in the certificate's reminder history.
    const res = await flow.api.get(`/api/v1/certificates/${number}/reminders`, flow.token('reviewer'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.items.map((r: any) => [r.key, r.to, r.state, r.attempts])).to.have.deep.members([
      [key, 'wang@anda-chem.example', 'sent', 1],
      [`${key}:sms`, MOBILE, 'sent', 2],
    ]);

    later(60 * MINUTE);
    await runReminders(services(), app.clock.now());
    await services().reminderOutbox.deliverDue();
    expect(smsFor(number)).to.have.length(2);
    expect(app.smtp.received.filter((m) => m.subject.includes(number))).to.have.length(1);

    // 注销: the notice goes by SMS at once beside its mail; the reminder runs after it send nothing more (no 7-day reminder).
    flow.at('2026-02-23T02:00:00Z');
    const res2 = await flow.api.post(`/api/v1/certificates/${number}/cancellation`, { reason: 'on_request', note: '企业书面申请注销' }, flow.token('clerk'));
    expect(res2.status, JSON.stringify(res2.body)).to.equal(200);
    const cancelled = smsFor(number).slice(2);
    expect(cancelled.map((r) => [r.status, r.body.template, r.body.messageId])).to.deep.equal([[200, 'certificate_cancelled', `sms.${number}:cancellation`]]);
    expect(cancelled[0].body.text).to.equal(`您单位的“烟花爆竹经营（零售）许可证”（证照编号 ${number}）已于 2026-02-23 注销（依申请注销），详见邮件通知。`);
    await runReminders(services(), app.clock.now());
    later(60 * MINUTE);
    await services().reminderOutbox.deliverDue();
    expect(smsFor(number)).to.have.length(3);
    expect(app.smtp.received.filter((m) => m.subject.includes(number))).to.have.length(2);
  });

  it('when provisional deadlines move, then the notice also goes by SMS with the new dates, once', async () => {
    const res = await submitWithMobile(MOBILE);
    const saved = (await services().store.get(res.body.id))!;
    // The effect as planRecalculation stores it beside the mail's (test/provisional-deadlines.test.ts reloads a real calendar).
    const moves = [{ deadline: 'decision', kind: 'clock', from: '2027-01-18', to: '2027-01-25', provisional: false }];
    const effect = { id: `${saved.version + 1}-2-smsDeadlineChanged`, type: 'smsDeadlineChanged', params: { moves }, createdAt: app.clock.now() };
    await services().store.compareAndSet(saved.id, saved.version, { set: { updatedAt: app.clock.now() }, timeline: [], outbox: [effect] }, saved);
    await services().effects.runFor(saved.id);
    await services().effects.sweep(1000);
    const sent = gateway.requests.filter((r) => r.body.template === 'deadline_changed' && r.body.params.applicationNo === saved.applicationNo);
    expect(sent.map((r) => [r.status, r.body.to, r.body.messageId])).to.deep.equal([[200, MOBILE, `sms.${saved.id}.${effect.id}`]]);
    expect(sent[0].body.text).to.include(saved.applicationNo).and.include('改为 2027-01-25').and.include('国务院节假日安排');
  });

  it('when no gateway is set, then each SMS is written once to <DATA_DIR>/sms as the JSON body it would POST', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'permit-sms-'));
    const config = loadConfig({}, { port: 0, smtpUrl: app.smtp.url, dataDir, demoAccounts: 'off', logLevel: 'silent' });
    const local = await startRuntime(config, { http: false, scheduler: false, now: app.clock.now, clock: app.clock.now, store: app.store, log: createLogger('silent') });
    try {
      expect(local.services.sms.describe).to.include(path.join(dataDir, 'sms'));
      const clerk = { kind: 'staff' as const, id: 'clerk', name: '窗口', role: 'clerk', jurisdiction: '370602' };
      const { application } = await submitApplication(local.services, applicationBody(COUNTY_ITEM, { uscc: freshUscc(), mobile: MOBILE }) as never, clerk);
      await local.services.effects.runFor(application.id);
      const effect = application.outbox.find((e) => e.type === 'smsApplicant')!;
      const files = await readdir(path.join(dataDir, 'sms'));
      expect(files).to.deep.equal([`sms.${application.id}.${effect.id}.json`]);
      const body = JSON.parse(await readFile(path.join(dataDir, 'sms', files[0]), 'utf8'));
      expect(body).to.deep.include({ to: MOBILE, template: 'status_changed', messageId: `sms.${application.id}.${effect.id}` });
      expect(body.text).to.include(application.applicationNo).and.include('已提交，待受理');
      expect(smsFor(application.applicationNo), 'nothing reached the gateway').to.deep.equal([]);
    } finally {
      await local.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
