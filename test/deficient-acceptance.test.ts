import { expect } from 'chai';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, promise, workflow } from './helpers/workflow';

const DEFICIENT_ITEM = '370000-AQ-XK-003'; // county level, 容缺受理 allowed, 10 working days to supplement; M01–M04 core, M05–M07 secondary
const PLAIN_ITEM = '370000-AQ-XK-004';

describe('容缺受理 (deficient-but-accepted) through the HTTP API', function () {
  let app: TestApp;
  const flow = workflow(() => app);

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());
  beforeEach(() => flow.at('2026-03-02T02:00:00Z'));

  const acceptDeficient = (id: string, missing = ['M06', 'M07']) => flow.sendOk(id, { type: 'ACCEPT_WITH_DEFICIENCY', missing, promise: promise() }, 'clerk');

  it('when secondary materials are missing and the clerk accepts with deficiency, then the status is accepted_deficient with a supplement deadline, and supplying everything clears it', async () => {
    const created = await flow.submit(DEFICIENT_ITEM);
    expect(created.routing.jurisdiction).to.equal('370602');
    expect(created.allowedEvents).to.include('ACCEPT_WITH_DEFICIENCY');

    const accepted = await acceptDeficient(created.id);
    expect(accepted.status).to.equal('accepted_deficient');
    expect(accepted.details.deficiency).to.deep.equal({ missing: ['M06', 'M07'], outstanding: ['M06', 'M07'], promise: promise() });
    expect(accepted.deadlines).to.deep.include({ name: 'supplement', dueDate: '2026-03-16', provisional: false, status: 'pending', overdue: false, light: 'green' });
    expect(accepted.allowedEvents).to.include('SUPPLEMENT').and.not.include('APPROVE');
    expect((await flow.read(created.id, 'reviewer')).allowedEvents).to.include.members(['APPROVE', 'DENY', 'SUSPEND', 'EXTEND']);

    const partly = await flow.sendOk(created.id, { type: 'SUPPLEMENT', materials: ['M06'] }, 'clerk');
    expect(partly.status).to.equal('accepted_deficient');
    expect(partly.details.deficiency.outstanding).to.deep.equal(['M07']);
    expect(partly.materials.find((m: { code: string }) => m.code === 'M06').provided).to.equal(true);

    const complete = await flow.sendOk(created.id, { type: 'SUPPLEMENT', materials: ['M07'] }, 'clerk');
    expect(complete.status).to.equal('under_review');
    expect(complete.details.deficiency.outstanding).to.deep.equal([]);
    expect(complete.deadlines).to.deep.equal([]);
    expect(complete.allowedEvents).to.not.include('SUPPLEMENT');

    const approved = await flow.sendOk(created.id, { type: 'APPROVE', note: '材料齐全' }, 'reviewer');
    expect(approved.status).to.equal('completed');
    expect(approved.certificateNo).to.match(/^LU-WHJY-2026-\d{6}$/);
  });

  it('when the reviewer approves while materials are still missing, then the status is approved_pending_supplement and the certificate waits for the supplement', async () => {
    const created = await flow.submit(DEFICIENT_ITEM);
    await acceptDeficient(created.id);
    const approved = await flow.sendOk(created.id, { type: 'APPROVE', note: '审查通过，待补齐材料后发证' }, 'reviewer');
    expect(approved.status).to.equal('approved_pending_supplement');
    expect(approved.certificateNo).to.equal(null);
    expect(await app.runtime.services.certificates.findByApplication(created.id)).to.equal(null);
    expect(approved.effects.map((e: { type: string }) => e.type)).to.not.include('issueCertificate');

    flow.at('2026-03-05T02:00:00Z');
    const supplied = await flow.sendOk(created.id, { type: 'SUPPLEMENT', materials: ['M06', 'M07'] }, 'clerk');
    expect(supplied.status).to.equal('completed');
    const certificate = await app.runtime.services.certificates.findByApplication(created.id);
    expect(certificate).to.include({ number: supplied.certificateNo, status: 'valid', issuedOn: '2026-03-05' });
    expect(flow.events(supplied)).to.deep.equal(['SUBMIT', 'ACCEPT_WITH_DEFICIENCY', 'APPROVE', 'SUPPLEMENT', 'CERTIFICATE_ISSUED']);
  });

  it('when the supplement deadline passes with materials missing, then the application is terminated, the applicant is notified and gets a broken-promise record that bars later deficient acceptance', async () => {
    const uscc = freshUscc();
    const created = await flow.submit(DEFICIENT_ITEM, { uscc, email: 'broken-promise@example.test' });
    await acceptDeficient(created.id);
    await flow.sendOk(created.id, { type: 'SUPPLEMENT', materials: ['M06'] }, 'clerk');

    // The deadline is the end of 2026-03-16 in Shanghai: nothing fires a minute before it.
    flow.at('2026-03-16T15:59:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);
    expect((await flow.read(created.id)).deadlines[0]).to.include({ name: 'supplement', overdue: false });
    flow.at('2026-03-16T16:00:00Z');
    expect(await flow.fireTimers(created.id)).to.deep.equal(['SUPPLEMENT_DEADLINE_PASSED']);
    // The instruments of the earlier steps are issued after their responses: once they are, every effect is done.
    await flow.settled();

    const ended = await flow.read(created.id);
    expect(ended.status).to.equal('terminated');
    expect(ended.allowedEvents).to.deep.equal([]);
    expect(flow.steps(ended).at(-1)).to.deep.include({ event: 'SUPPLEMENT_DEADLINE_PASSED', toStatus: 'terminated', });
    expect(flow.steps<{ event: string; actor: object }>(ended).at(-1)!.actor).to.deep.include({ kind: 'system', name: '系统 / system' });
    expect(ended.effects.every((e: { status: string }) => e.status === 'done')).to.equal(true);
    expect(await app.runtime.services.credits.kindsFor(uscc)).to.deep.equal(['broken_promise']);
    expect(await app.runtime.services.certificates.findByApplication(created.id)).to.equal(null);

    const mail = flow.mailsTo(created.applicationNo).at(-1)!;
    expect(mail.to).to.deep.equal(['broken-promise@example.test']);
    expect(mail.subject).to.include('终止办理');
    expect(mail.text).to.include('容缺材料补交期限届满');

    // Running the job again fires nothing more.
    expect(await flow.fireTimers(created.id)).to.deep.equal([]);

    const next = await flow.submit(DEFICIENT_ITEM, { uscc });
    const refused = await flow.sendFails(next.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06'], promise: promise() }, 'clerk', 409, 'PRECONDITION_FAILED');
    expect(refused.message).to.include('broken_promise');
    expect((await flow.read(next.id)).status).to.equal('submitted');
  });

  it('when the deadline passes after approval but before the supplement, then the application is terminated and no certificate is ever issued', async () => {
    const created = await flow.submit(DEFICIENT_ITEM);
    await acceptDeficient(created.id);
    await flow.sendOk(created.id, { type: 'APPROVE' }, 'reviewer');
    flow.at('2026-03-17T01:00:00Z');
    await flow.fireTimers(created.id);
    const ended = await flow.read(created.id);
    expect(ended.status).to.equal('terminated');
    expect(await app.runtime.services.certificates.findByApplication(created.id)).to.equal(null);
    await flow.sendFails(created.id, { type: 'SUPPLEMENT', materials: ['M06', 'M07'] }, 'clerk', 409, 'EVENT_NOT_ALLOWED');
  });

  it('when the materials come in before the deadline, then the cancelled deadline never fires', async () => {
    const created = await flow.submit(DEFICIENT_ITEM);
    await acceptDeficient(created.id);
    await flow.sendOk(created.id, { type: 'SUPPLEMENT', materials: ['M07', 'M06'] }, 'clerk');
    flow.at('2026-04-30T02:00:00Z');
    await flow.fireTimers(created.id);
    const view = await flow.read(created.id);
    expect(view.status).to.equal('under_review');
    expect(flow.events(view)).to.not.include('SUPPLEMENT_DEADLINE_PASSED');
  });

  describe('refusals name the reason and change nothing', () => {
    const refusals: [string, string, object, number, string, RegExp][] = [
      ['a core material is listed as missing', DEFICIENT_ITEM, { missing: ['M04', 'M06'] }, 400, 'VALIDATION_FAILED', /核心材料|Core materials.*M04/],
      ['an unknown material is listed', DEFICIENT_ITEM, { missing: ['M99'] }, 400, 'VALIDATION_FAILED', /M99/],
      ['a material already provided is listed', DEFICIENT_ITEM, { missing: ['M05'] }, 400, 'VALIDATION_FAILED', /M05/],
      ['the promise is not signed', DEFICIENT_ITEM, { missing: ['M06'], promise: { signedAt: '2026-03-02T10:00:00+08:00' } }, 400, 'VALIDATION_FAILED', /signedBy/],
      ['the item does not allow deficient acceptance', PLAIN_ITEM, { missing: ['M06'] }, 409, 'PRECONDITION_FAILED', /不适用容缺受理|does not allow deficient acceptance/],
      ['another secondary material is missing but not listed', DEFICIENT_ITEM, { missing: ['M06'] }, 400, 'VALIDATION_FAILED', /也未提交.*从业人员安全教育培训记录.*M07/],
    ];
    for (const [what, itemCode, payload, status, code, message] of refusals) {
      it(`when ${what}, then ${status} ${code}`, async () => {
        const created = await flow.submit(itemCode);
        const error = await flow.sendFails(created.id, { type: 'ACCEPT_WITH_DEFICIENCY', promise: promise(), ...payload }, 'clerk', status, code);
        expect(error.message + JSON.stringify(error.details)).to.match(message);
        expect((await flow.read(created.id)).version).to.equal(1);
      });
    }

    it('when a core material was not provided, then 409 says deficient acceptance needs every core material', async () => {
      const created = await flow.submit(DEFICIENT_ITEM, { provided: ['M01', 'M02', 'M04', 'M05'] });
      const error = await flow.sendFails(created.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: promise() }, 'clerk', 409, 'PRECONDITION_FAILED');
      expect(error.message).to.include('核心材料不齐全').and.include('M03');
    });

    it('when a waivable material (obtained by data sharing) was not provided, then it need not be listed', async () => {
      const created = await flow.submit(DEFICIENT_ITEM, { provided: ['M01', 'M03', 'M05'] });
      expect((await acceptDeficient(created.id)).status).to.equal('accepted_deficient');
    });

    it('when a reviewer accepts with deficiency, then 403', async () => {
      const created = await flow.submit(DEFICIENT_ITEM);
      await flow.sendFails(created.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06'], promise: promise() }, 'reviewer', 403, 'FORBIDDEN');
    });

    it('when a supplement lists a material that was not missing, then 400 names it', async () => {
      const created = await flow.submit(DEFICIENT_ITEM, { provided: ['M01', 'M02', 'M03', 'M04', 'M05', 'M07'] });
      await acceptDeficient(created.id, ['M06']);
      const error = await flow.sendFails(created.id, { type: 'SUPPLEMENT', materials: ['M07'] }, 'clerk', 400, 'VALIDATION_FAILED');
      expect(error.message).to.include('M07');
    });

    it('when an application accepted in full receives a supplement, then 409 says the state does not take it', async () => {
      const created = await flow.submit(DEFICIENT_ITEM);
      await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
      const error = await flow.sendFails(created.id, { type: 'SUPPLEMENT', materials: ['M06'] }, 'clerk', 409, 'EVENT_NOT_ALLOWED');
      expect(error.message).to.include('SUPPLEMENT');
    });
  });

  it('when the enterprise looks up its status, then it reads which materials to supply and by when', async () => {
    const created = await flow.submit(DEFICIENT_ITEM);
    await acceptDeficient(created.id);
    const status = await flow.api.get(`/api/v1/status?applicationNo=${created.applicationNo}&queryCode=${created.queryCode}`);
    expect(status.body.status).to.equal('accepted_deficient');
    expect(status.body.expected.deadline).to.equal('2026-03-16');
    expect(status.body.expected.zh).to.include('截止 2026-03-16').and.include('终止办理');
  });
});
