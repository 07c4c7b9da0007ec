import { expect } from 'chai';
import { runReminders } from '../src/jobs/reminder-job';
import { CITY_ITEM, COUNTY_ITEM, certificateIssued, renewalSubmitted, submitRenewal } from './helpers/certificates';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, workflow } from './helpers/workflow';

// A county licence issued on 2025-03-03 is valid until 2026-03-02; its renewal window opens on 2026-02-03.
const ISSUED = '2025-03-03T02:00:00Z';

describe('certificates (证照): issue, lists, public check, renewal and expiry', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const api = flow.api;
  const services = () => app.runtime.services;
  const getCert = async (number: string, who = 'reviewer') => {
    const res = await api.get(`/api/v1/certificates/${number}`, flow.token(who));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const verify = async (number: string, uscc: string) => (await api.get(`/api/v1/certificates/verify?number=${number}&uscc=${uscc}`)).body;

  before(async function () {
    app = await startTestApp({ now: ISSUED, config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'admin');
  });
  after(async () => app?.stop());

  it('when an application is approved, then its certificate is listed for the holder with number, status, validity, item and holder', async () => {
    const { uscc, number, application } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    expect(number).to.match(/^LU-WHSY-2026-\d{6}$/);

    const list = await api.get(`/api/v1/certificates?uscc=${uscc}`, flow.token('clerk'));
    expect(list.status).to.equal(200);
    expect(list.body.items).to.have.length(1);
    expect(list.body.items[0]).to.deep.include({
      number, status: 'valid', validUntil: '2029-03-01', validFrom: '2026-03-02', issuedOn: '2026-03-02', itemCode: CITY_ITEM,
      holder: { name: '烟台市芝罘区安达化工贸易有限公司', uscc }, jurisdiction: '370600', renewalInProgress: null,
    });
    expect(list.body.items[0].statusLabel).to.deep.equal({ zh: '有效', en: 'Valid' });

    const view = await getCert(number);
    expect(view).to.include({ applicationId: application.id, jurisdictionName: '烟台市', renewalOf: null, supersededBy: null });
    expect(view.renewalWindow).to.deep.equal({ opensOn: '2028-12-02', closesOn: '2029-03-01' });
    expect(view.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued']);
    expect(view).to.not.have.any.keys('_id', 'version');

    expect((await api.get(`/api/v1/certificates?uscc=${uscc}`)).status).to.equal(401);
    expect((await api.get(`/api/v1/certificates?uscc=${freshUscc()}`, flow.token('clerk'))).body.items).to.deep.equal([]);
  });

  it('when anyone checks a certificate by number and holder, then only valid, expired, revoked or not found is answered', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    const answer = await verify(number, uscc);
    expect(answer).to.deep.include({ result: 'valid', label: { zh: '有效', en: 'Valid' }, number, validUntil: '2029-03-01' });
    expect((await verify(number, freshUscc())).result).to.equal('not_found');
    expect((await verify('LU-WHSY-2026-999999', uscc)).result).to.equal('not_found');
    expect((await api.get(`/api/v1/certificates/verify?number=${number}`)).status).to.equal(400);
    // The fixed path is not taken for a certificate number by the staff route.
    expect((await api.get(`/api/v1/certificates/verify?number=${number}&uscc=${uscc}`, flow.token('clerk'))).body.result).to.equal('valid');
  });

  it('when staff of another jurisdiction look, then they do not see the certificate', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    const created = await api.post('/api/v1/staff', { username: `qd-${Date.now()}`, name: '青岛市审查员', role: 'reviewer', jurisdiction: '370200', password: 'qingdao-pass' }, flow.token('admin'));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const qingdao = await api.login(created.body.username, 'qingdao-pass');
    expect((await api.get(`/api/v1/certificates?uscc=${uscc}`, qingdao)).body.items).to.deep.equal([]);
    expect((await api.get(`/api/v1/certificates/${number}`, qingdao)).status).to.equal(404);
    expect((await api.get(`/api/v1/certificates/${number}/reminders`, qingdao)).status).to.equal(404);
    // The province covers every city.
    expect((await api.get(`/api/v1/certificates/${number}`, flow.token('admin'))).status).to.equal(200);
  });

  it('when a renewal is submitted before its window, for another holder or item, or for an unknown certificate, then it is refused with the reason', async () => {
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    const other = await certificateIssued(flow, CITY_ITEM, ISSUED, { uscc });

    flow.at('2026-01-20T02:00:00Z');
    const early = await submitRenewal(flow, COUNTY_ITEM, number, uscc);
    expect(early.status).to.equal(409);
    expect(early.body.error).to.include({ code: 'PRECONDITION_FAILED' });
    expect(early.body.error.message).to.include('2026-02-03');
    expect(early.body.error.details).to.deep.equal({ opensOn: '2026-02-03', validUntil: '2026-03-02' });

    flow.at('2026-02-03T02:00:00Z');
    for (const [item, renewalOf, holder] of [[COUNTY_ITEM, number, freshUscc()], [COUNTY_ITEM, other.number, uscc], [COUNTY_ITEM, 'LU-YHLS-2025-999999', uscc]]) {
      const res = await submitRenewal(flow, item, renewalOf, holder);
      expect(res.status, `${renewalOf} ${holder}`).to.equal(400);
      expect(res.body.error.details).to.deep.equal([{ field: 'renewalOf', message: res.body.error.message }]);
    }

    const renewal = await renewalSubmitted(flow, COUNTY_ITEM, number, uscc);
    expect(renewal.details.renewalOf).to.equal(number);
    const twice = await submitRenewal(flow, COUNTY_ITEM, number, uscc);
    expect(twice.status).to.equal(409);
    expect(twice.body.error.message).to.include(renewal.applicationNo);
    expect((await getCert(number)).renewalInProgress).to.deep.equal({ applicationId: renewal.id, applicationNo: renewal.applicationNo, status: 'submitted' });

    // A renewal that ends without a decision in its favour frees the certificate for another one.
    await flow.sendOk(renewal.id, { type: 'WITHDRAW', reason: '材料需重新准备' }, 'clerk');
    expect((await getCert(number)).renewalInProgress).to.equal(null);
    expect((await submitRenewal(flow, COUNTY_ITEM, number, uscc)).status).to.equal(201);
  });

  it('when a renewal is approved, then the new certificate continues the old validity and the old one is superseded', async () => {
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    flow.at('2026-02-10T02:00:00Z');
    const renewed = await certificateIssued(flow, COUNTY_ITEM, '2026-02-10T02:00:00Z', { uscc, renewalOf: number });
    expect(renewed.number).to.not.equal(number);

    const fresh = await getCert(renewed.number);
    expect(fresh).to.include({ status: 'valid', issuedOn: '2026-02-10', validFrom: '2026-03-03', validUntil: '2027-03-02', renewalOf: number });
    expect(fresh.history.map((h: { action: string }) => h.action)).to.deep.equal(['renewed']);
    const old = await getCert(number);
    expect(old).to.include({ status: 'superseded', supersededBy: renewed.number, renewalInProgress: null });
    expect(old.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued', 'superseded']);

    // The old certificate stays in force until its last day; the new one takes over without a gap.
    expect((await verify(number, uscc)).result).to.equal('valid');
    expect(await verify(renewed.number, uscc)).to.include({ result: 'valid', validUntil: '2027-03-02' });
    flow.at('2026-03-03T02:00:00Z');
    expect((await verify(number, uscc)).result).to.equal('expired');
    flow.at('2026-02-10T02:00:00Z');
    const listed = (await api.get(`/api/v1/certificates?uscc=${uscc}&status=valid`, flow.token('clerk'))).body.items;
    expect(listed.map((c: { number: string }) => c.number)).to.include(renewed.number).and.not.include(number);
    // A superseded certificate is not renewed again.
    expect((await submitRenewal(flow, COUNTY_ITEM, number, uscc)).status).to.equal(409);
  });

  it('when validity ends without renewal, then the run marks the certificate expired, once', async () => {
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    flow.at('2026-03-02T15:59:00Z'); // 23:59 on the last day in Shanghai
    expect((await verify(number, uscc)).result).to.equal('valid');
    await runReminders(services(), app.clock.now());
    expect((await getCert(number)).status).to.equal('valid');

    flow.at('2026-03-02T16:00:00Z'); // 00:00 on 2026-03-03 in Shanghai
    expect((await verify(number, uscc)).result).to.equal('expired');
    const first = await runReminders(services(), app.clock.now());
    expect(first.expired).to.deep.include({ certificateNumber: number, validUntil: '2026-03-02', renewalInProgress: null });
    const second = await runReminders(services(), app.clock.now());
    expect(second.expired.map((e) => e.certificateNumber)).to.not.include(number);

    const view = await getCert(number);
    expect(view.status).to.equal('expired');
    expect(view.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued', 'expired']);
    // After expiry there is nothing left to renew: the holder applies anew.
    expect((await submitRenewal(flow, COUNTY_ITEM, number, uscc)).status).to.equal(409);
  });

  it('when validity ends while a renewal is processed, then the certificate shows the renewal in progress and its approval continues the validity', async () => {
    const { uscc, number } = await certificateIssued(flow, COUNTY_ITEM, ISSUED);
    flow.at('2026-02-25T02:00:00Z');
    const renewal = await renewalSubmitted(flow, COUNTY_ITEM, number, uscc);
    await flow.sendOk(renewal.id, { type: 'ACCEPT' }, 'clerk');

    flow.at('2026-03-03T01:00:00Z');
    const run = await runReminders(services(), app.clock.now());
    expect(run.expired).to.deep.include({ certificateNumber: number, validUntil: '2026-03-02', renewalInProgress: renewal.applicationNo });
    const view = await getCert(number);
    expect(view).to.include({ status: 'expired' });
    expect(view.renewalInProgress).to.deep.equal({ applicationId: renewal.id, applicationNo: renewal.applicationNo, status: 'under_review' });
    expect(view.history.at(-1).note).to.include(renewal.applicationNo);
    const expiring = (await api.get(`/api/v1/certificates?uscc=${uscc}`, flow.token('reviewer'))).body.items;
    expect(expiring[0].renewalInProgress.applicationNo).to.equal(renewal.applicationNo);

    const approved = await flow.sendOk(renewal.id, { type: 'APPROVE' }, 'reviewer');
    expect(await getCert(approved.certificateNo)).to.include({ validFrom: '2026-03-03', validUntil: '2027-03-02', renewalOf: number });
    expect(await getCert(number)).to.include({ status: 'superseded', supersededBy: approved.certificateNo });
  });

  it('when a pledge proves false, then the certificate is revoked, the check answers revoked and it cannot be renewed', async () => {
    flow.at('2026-03-02T02:00:00Z');
    const uscc = freshUscc();
    const created = await flow.submit(COUNTY_ITEM, { uscc, provided: ['M01', 'M02', 'M03'] });
    const approved = await flow.sendOk(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' } }, 'clerk');
    await flow.sendOk(created.id, { type: 'VERIFY_FAILED', findings: '储存场所与承诺不符' }, 'reviewer');
    const number = approved.certificateNo;
    expect((await getCert(number)).status).to.equal('revoked');
    expect((await verify(number, uscc)).result).to.equal('revoked');
    const res = await submitRenewal(flow, COUNTY_ITEM, number, uscc);
    expect(res.status).to.equal(409);
    expect(res.body.error.details).to.deep.equal({ status: 'revoked' });
  });

  it('when staff ask for certificates expiring within N days, then the valid ones of their jurisdiction ending in that range are listed, soonest first', async () => {
    const soon = await certificateIssued(flow, COUNTY_ITEM, '2025-03-04T02:00:00Z');
    const later = await certificateIssued(flow, COUNTY_ITEM, '2025-03-20T02:00:00Z');
    flow.at('2026-02-20T02:00:00Z');
    const within = async (days: number) => {
      const res = await api.get(`/api/v1/certificates/expiring?days=${days}&limit=200`, flow.token('reviewer'));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    };
    const month = await within(30);
    expect(month).to.include({ from: '2026-02-20', to: '2026-03-22' });
    const numbers = month.items.map((c: { number: string }) => c.number);
    expect(numbers).to.include.members([soon.number, later.number]);
    expect(numbers.indexOf(soon.number)).to.be.lessThan(numbers.indexOf(later.number));
    expect(month.items.every((c: { status: string; validUntil: string }) => c.status === 'valid' && c.validUntil >= '2026-02-20' && c.validUntil <= '2026-03-22')).to.equal(true);
    expect((await within(15)).items.map((c: { number: string }) => c.number)).to.include(soon.number).and.not.include(later.number);
    expect((await api.get('/api/v1/certificates/expiring?days=400', flow.token('reviewer'))).status).to.equal(400);
  });
});
