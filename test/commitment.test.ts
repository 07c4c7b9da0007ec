import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, promise, workflow } from './helpers/workflow';

const COMMITMENT_ITEM = '370000-AQ-XK-006'; // county level, 告知承诺 allowed, verification within 10 working days
const DEFICIENT_ITEM = '370000-AQ-XK-003';

const pledge = { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' };

describe('告知承诺 (commitment-based approval) through the HTTP API', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const workList = async (who: 'clerk' | 'reviewer' = 'reviewer') =>
    (await flow.api.get('/api/v1/applications?status=issued_pending_verification&limit=200', flow.token(who))).body.items as { id: string; deadlines: any[] }[];

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  async function approvedOnPledge(uscc = freshUscc()) {
    const created = await flow.submit(COMMITMENT_ITEM, { uscc, provided: ['M01', 'M02', 'M03'] });
    expect(created.allowedEvents).to.include('ACCEPT_ON_COMMITMENT');
    const approved = await flow.sendOk(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk');
    return { created, approved };
  }

  it('when the clerk accepts on the applicant\'s pledge, then the licence is issued at once, the pledge is kept with the hash of its text and a verification task is due', async () => {
    const { created, approved } = await approvedOnPledge();
    expect(approved.status).to.equal('issued_pending_verification');
    expect(approved.certificateNo).to.match(/^LU-YHLS-2026-\d{6}$/);
    const certificate = await services().certificates.findByApplication(created.id);
    expect(certificate).to.include({ number: approved.certificateNo, status: 'valid', issuedOn: '2026-03-02' });

    const textHash = createHash('sha256').update(services().pledgeText('2026-01')!).digest('hex');
    expect(approved.details.pledge).to.deep.equal({ ...pledge, textHash });
    expect(approved.clock).to.include({ stopped: true });
    expect(approved.deadlines).to.deep.equal([{ name: 'verification', dueDate: '2026-03-16', provisional: false, status: 'pending', overdue: false, light: 'green' }]);
    expect(approved.allowedEvents).to.deep.equal([]);
    expect((await flow.read(created.id, 'reviewer')).allowedEvents).to.have.members(['VERIFY_PASSED', 'VERIFY_FAILED', 'SCHEDULE_INSPECTION']);

    const task = (await workList()).find((i) => i.id === created.id);
    expect(task?.deadlines).to.deep.equal(approved.deadlines);
    const mails = flow.mailsTo(created.applicationNo);
    expect(mails.at(-1)!.subject).to.include('待核查');
  });

  it('when a verification passes, then the application is completed, the licence stays valid and the task leaves the work list', async () => {
    const { created } = await approvedOnPledge();
    flow.at('2026-03-10T02:00:00Z');
    await flow.sendFails(created.id, { type: 'VERIFY_PASSED', method: 'site_visit' }, 'clerk', 403, 'FORBIDDEN');
    const verified = await flow.sendOk(created.id, { type: 'VERIFY_PASSED', method: 'site_visit', note: '现场核查与承诺一致' }, 'reviewer');
    expect(verified.status).to.equal('completed');
    expect(verified.details.verification).to.deep.equal({ outcome: 'passed', method: 'site_visit', note: '现场核查与承诺一致', on: '2026-03-10' });
    expect(verified.deadlines).to.deep.equal([]);
    expect((await services().certificates.findByApplication(created.id))!.status).to.equal('valid');
    expect((await workList()).map((i) => i.id)).to.not.include(created.id);
    flow.at('2026-04-30T02:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
  });

  it('when the verification is overdue, then the task turns red and stays in the work list, red, until someone verifies', async () => {
    const { created } = await approvedOnPledge();
    flow.at('2026-03-12T02:00:00Z');
    expect((await workList()).find((i) => i.id === created.id)!.deadlines[0]).to.include({ light: 'yellow', overdue: false });

    flow.at('2026-03-16T16:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal(['VERIFICATION_DEADLINE_PASSED']);
    const overdue = await flow.read(created.id, 'reviewer');
    expect(overdue.status).to.equal('issued_pending_verification');
    expect(flow.steps(overdue).at(-1)).to.include({ event: 'VERIFICATION_DEADLINE_PASSED' });
    expect(overdue.deadlines).to.deep.equal([{ name: 'verification', dueDate: '2026-03-16', provisional: false, status: 'fired', overdue: true, light: 'red' }]);

    flow.at('2026-05-20T02:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    expect((await workList()).find((i) => i.id === created.id)!.deadlines[0]).to.include({ light: 'red', overdue: true });
    expect((await flow.read(created.id, 'reviewer')).allowedEvents).to.have.members(['VERIFY_PASSED', 'VERIFY_FAILED', 'SCHEDULE_INSPECTION']);

    const verified = await flow.sendOk(created.id, { type: 'VERIFY_PASSED', method: 'written', note: '书面核查，迟于期限' }, 'reviewer');
    expect(verified.status).to.equal('completed');
    expect(verified.deadlines).to.deep.equal([]);
  });

  it('when the verification finds the pledge false, then the licence is revoked and the applicant is barred from commitment and deficient acceptance', async () => {
    const uscc = freshUscc();
    const { created, approved } = await approvedOnPledge(uscc);
    flow.at('2026-03-09T02:00:00Z');
    const failed = await flow.sendOk(created.id, { type: 'VERIFY_FAILED', findings: '现场核查发现储存场所与承诺不符' }, 'reviewer');
    expect(failed.status).to.equal('revoked');
    expect(failed.details.verification).to.deep.include({ outcome: 'failed', findings: '现场核查发现储存场所与承诺不符', on: '2026-03-09' });
    expect(failed.allowedEvents).to.deep.equal([]);
    expect(failed.deadlines).to.deep.equal([]);
    expect(failed.effects.map((e: { type: string; status: string }) => `${e.type}:${e.status}`)).to.include.members(['revokeCertificate:done', 'recordCreditRecord:done']);

    const certificate = await services().certificates.findByApplication(created.id);
    expect(certificate).to.include({ number: approved.certificateNo, status: 'revoked' });
    expect(certificate!.history.at(-1)).to.include({ action: 'revoked' });
    expect(certificate!.history.at(-1)!.note).to.include('储存场所与承诺不符');
    expect(await services().credits.kindsFor(uscc)).to.deep.equal(['false_commitment']);
    expect(flow.mailsTo(created.applicationNo).at(-1)!.subject).to.include('许可已撤销');

    const again = await flow.submit(COMMITMENT_ITEM, { uscc, provided: ['M01', 'M02', 'M03'] });
    const refused = await flow.sendFails(again.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk', 409, 'PRECONDITION_FAILED');
    expect(refused.message).to.include('虚假承诺');
    const deficient = await flow.submit(DEFICIENT_ITEM, { uscc });
    const refusedToo = await flow.sendFails(deficient.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06'], promise: promise() }, 'clerk', 409, 'PRECONDITION_FAILED');
    expect(refusedToo.message).to.include('false_commitment');

    // The ordinary route stays open to the barred applicant.
    expect((await flow.sendOk(again.id, { type: 'ACCEPT' }, 'clerk')).status).to.equal('under_review');
  });

  describe('refusals name the reason and change nothing', () => {
    it('when the item is not eligible for commitment, then 409 says so', async () => {
      const created = await flow.submit(DEFICIENT_ITEM);
      expect(created.allowedEvents).to.not.include('ACCEPT_ON_COMMITMENT');
      const error = await flow.sendFails(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk', 409, 'PRECONDITION_FAILED');
      expect(error.message).to.include('不适用告知承诺制').and.include(DEFICIENT_ITEM);
    });

    for (const [what, bad, field] of [
      ['an unknown pledge text version', { ...pledge, textVersion: '1999-01' }, 'pledge.textVersion'],
      ['no signature', { textVersion: '2026-01', signedAt: pledge.signedAt }, 'pledge.signedBy'],
      ['a signing time that is not a date', { ...pledge, signedAt: 'yesterday' }, 'pledge.signedAt'],
    ] as const) {
      it(`when the pledge has ${what}, then 400 names ${field}`, async () => {
        const created = await flow.submit(COMMITMENT_ITEM, { provided: ['M01', 'M02', 'M03'] });
        const error = await flow.sendFails(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: bad }, 'clerk', 400, 'VALIDATION_FAILED');
        expect(error.details.map((d: { field: string }) => d.field)).to.include(field);
        expect((await flow.read(created.id)).version).to.equal(1);
      });
    }

    it('when a reviewer accepts on commitment, or the pledge comes after acceptance, then 403 and 409', async () => {
      const created = await flow.submit(COMMITMENT_ITEM, { provided: ['M01', 'M02', 'M03'] });
      await flow.sendFails(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'reviewer', 403, 'FORBIDDEN');
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      await flow.sendFails(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk', 409, 'EVENT_NOT_ALLOWED');
    });
  });
});
