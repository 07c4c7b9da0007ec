import { expect } from 'chai';
import { runReminders } from '../src/jobs/reminder-job';
import { applicationBody } from './helpers/api-client';
import { CITY_ITEM, COUNTY_ITEM, certificateIssued } from './helpers/certificates';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, freshUscc, workflow } from './helpers/workflow';

/** 危险化学品经营许可证 (with storage): city level, 36 months; a change may touch the name, the principal and the registered address. */
const TRADING_ITEM = '370000-AQ-XK-002';
/** 安全生产许可证: province level, 36 months, renewal window 3 months, renewal without re-review within 5 working days (Art. 9). */
const SAFETY_ITEM = '370000-AQ-XK-001';
const ALL_MATERIALS = ['M01', 'M02', 'M03', 'M04', 'M05', 'M06', 'M07', 'M08'].map((code) => ({ code, provided: true }));
const NEW_NAME = '烟台市安达化工贸易集团有限公司';

describe('change (变更) of a valid certificate and renewal without re-review (Art. 9)', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const api = flow.api;
  const getCert = async (number: string, who = 'reviewer') => {
    const res = await api.get(`/api/v1/certificates/${number}`, flow.token(who));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body;
  };
  const verify = async (number: string, uscc: string) => (await api.get(`/api/v1/certificates/verify?number=${number}&uscc=${uscc}`)).body;
  // The two items with eight materials get all of them, the others their first three.
  const materialsOf = (itemCode: string) => ([TRADING_ITEM, SAFETY_ITEM].includes(itemCode) ? ALL_MATERIALS : ALL_MATERIALS.slice(0, 3));
  const submit = (itemCode: string, uscc: string, extra: Record<string, unknown>) =>
    api.post('/api/v1/applications', { ...applicationBody(itemCode, { uscc, materials: materialsOf(itemCode) }), ...extra }, flow.token('clerk'));
  const submitted = async (itemCode: string, uscc: string, extra: Record<string, unknown>) => {
    const res = await submit(itemCode, uscc, extra);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  };
  /** A 安全生产许可证 as the province issues it: accepted at the city window, approved by the province reviewer. */
  const safetyLicence = async (at: string, uscc = freshUscc()) => {
    flow.at(at);
    const created = await submitted(SAFETY_ITEM, uscc, {});
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const approved = await flow.sendOk(created.id, { type: 'APPROVE' }, 'province-reviewer');
    return { uscc, number: approved.certificateNo as string };
  };
  const declaration = { noFatalAccident: true, compliant: true, signedBy: '王经理', signedAt: '2027-12-10T09:00:00+08:00' };

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'province-reviewer', 'admin');
  });
  after(async () => app?.stop());

  it('when the catalog is read, then each item names the details a change may touch (always the holder name) and the change limit', async () => {
    const items = (await api.get('/api/v1/catalog/items')).body.items as { code: string; changeableFields: string[]; changeLimitDays: number; renewalWithoutReview: unknown }[];
    for (const item of items) expect(item.changeableFields, item.code).to.include('holderName');
    const trading = items.find((i) => i.code === TRADING_ITEM)!;
    expect(trading).to.deep.include({ changeableFields: ['holderName', 'principal', 'address'], changeLimitDays: 10, renewalWithoutReview: null });
    expect(items.find((i) => i.code === SAFETY_ITEM)!.renewalWithoutReview).to.deep.equal({ promisedLimitDays: 5 });
  });

  it('when a change is approved, then the changed certificate keeps the validity dates, notes the change, and supersedes the old one for the check, the lists and the reminders', async () => {
    const { uscc, number } = await certificateIssued(flow, TRADING_ITEM, '2026-03-02T02:00:00Z');
    const old = await getCert(number);
    expect(old).to.include({ validFrom: '2026-03-02', validUntil: '2029-03-01' });

    flow.at('2026-06-01T02:00:00Z');
    const change = await submitted(TRADING_ITEM, uscc, { changeOf: number, changes: { holderName: NEW_NAME, principal: '李四' } });
    expect(change.details).to.deep.include({ changeOf: number, changes: { holderName: NEW_NAME, principal: '李四' } });
    // 55号令 Art. 15: a change is decided within 10 working days.
    expect(change.clock.limitWorkingDays).to.equal(10);
    // One change at a time, and no renewal while it is processed.
    const twice = await submit(TRADING_ITEM, uscc, { changeOf: number, changes: { address: '烟台市芝罘区新址路 1 号' } });
    expect(twice.status).to.equal(409);
    expect(twice.body.error.message).to.include(change.applicationNo);

    await flow.sendOk(change.id, { type: 'ACCEPT' }, 'clerk');
    const approved = await flow.sendOk(change.id, { type: 'APPROVE', note: '变更事项属实' }, 'reviewer');
    const changedNo = approved.certificateNo as string;
    expect(changedNo).to.be.a('string').and.not.equal(number);

    const fresh = await getCert(changedNo);
    expect(fresh).to.include({ status: 'valid', issuedOn: '2026-06-01', validFrom: '2026-03-02', validUntil: '2029-03-01', changeOf: number, renewalOf: null });
    expect(fresh.holder).to.include({ name: NEW_NAME, principal: '李四', uscc });
    expect(fresh.history.map((h: { action: string }) => h.action)).to.deep.equal(['changed']);
    expect(fresh.history[0].note).to.include(number).and.include('2026-06-01').and.include(NEW_NAME);
    const superseded = await getCert(number);
    expect(superseded).to.include({ status: 'superseded', supersededBy: changedNo, supersededFor: 'change' });
    expect(superseded.history.map((h: { action: string }) => h.action)).to.deep.equal(['issued', 'superseded']);

    // The old certificate is recalled at once: the public check says so and names its replacement.
    expect(await verify(number, uscc)).to.include({ result: 'superseded', supersededBy: changedNo });
    expect(await verify(changedNo, uscc)).to.include({ result: 'valid', validUntil: '2029-03-01', holderName: NEW_NAME, changeOf: number });
    const listed = (await api.get(`/api/v1/certificates?uscc=${uscc}&status=valid`, flow.token('clerk'))).body.items;
    expect(listed.map((c: { number: string }) => c.number)).to.include(changedNo).and.not.include(number);

    // 90 days before the last day the reminder is planned for the changed certificate only.
    const run = await runReminders(app.runtime.services, new Date('2028-12-01T02:00:00Z'), { dryRun: true });
    const planned = run.queued.map((q) => q.certificateNumber);
    expect(planned).to.include(changedNo).and.not.include(number);

    // A superseded certificate is neither changed nor renewed again.
    flow.at('2026-06-02T02:00:00Z');
    const again = await submit(TRADING_ITEM, uscc, { changeOf: number, changes: { holderName: '另一名称有限公司' } });
    expect(again.status).to.equal(409);
    expect(again.body.error.details).to.deep.equal({ status: 'superseded' });
  });

  it('when a change touches a detail the item does not let a change touch, then it is refused with 400 naming the field', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    // 危险化学品安全使用许可证 lets a change touch the name and the principal, not the address.
    const address = await submit(CITY_ITEM, uscc, { changeOf: number, changes: { holderName: NEW_NAME, address: '烟台市芝罘区新址路 1 号' } });
    expect(address.status, JSON.stringify(address.body)).to.equal(400);
    expect(address.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['changes.address']);
    expect(address.body.error.message).to.include('address');
    // Premises, storage or scope are no change at all: a new application.
    const storage = await submit(CITY_ITEM, uscc, { changeOf: number, changes: { storage: '新建储罐区' } });
    expect(storage.status).to.equal(400);
    expect(storage.body.error.details.map((d: { field: string }) => d.field)).to.include('changes.storage');
    const nothing = await submit(CITY_ITEM, uscc, { changeOf: number, changes: {} });
    expect(nothing.status).to.equal(400);
    expect(nothing.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['changes']);
    // Another holder's certificate is not this applicant's to change.
    const other = await submit(CITY_ITEM, freshUscc(), { changeOf: number, changes: { holderName: NEW_NAME } });
    expect(other.status).to.equal(400);
    expect(other.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['changeOf']);
  });

  it('when the certificate is revoked or expired, then a change of it is refused with 409', async () => {
    flow.at('2026-03-02T02:00:00Z');
    const uscc = freshUscc();
    const created = await flow.submit(COUNTY_ITEM, { uscc, provided: ['M01', 'M02', 'M03'] });
    const issued = await flow.sendOk(created.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' } }, 'clerk');
    await flow.sendOk(created.id, { type: 'VERIFY_FAILED', findings: '储存场所与承诺不符' }, 'reviewer');
    const revoked = await submit(COUNTY_ITEM, uscc, { changeOf: issued.certificateNo, changes: { holderName: NEW_NAME } });
    expect(revoked.status).to.equal(409);
    expect(revoked.body.error.details).to.deep.equal({ status: 'revoked' });

    // 烟花爆竹零售 is valid 12 months: issued 2026-03-02, its last day is 2027-03-01.
    const { uscc: holder, number } = await certificateIssued(flow, COUNTY_ITEM, '2026-03-02T02:00:00Z');
    flow.at('2027-03-05T02:00:00Z');
    const expired = await submit(COUNTY_ITEM, holder, { changeOf: number, changes: { holderName: NEW_NAME } });
    expect(expired.status).to.equal(409);
    expect(expired.body.error.details).to.deep.equal({ status: 'expired' });
  });

  it('when a renewal declaration (Art. 9) is confirmed, then the certificate is renewed for the same period without a review, within its own limit', async () => {
    const { uscc, number } = await safetyLicence('2025-03-03T02:00:00Z');
    expect(await getCert(number, 'admin')).to.include({ validUntil: '2028-03-02' });

    flow.at('2027-12-10T02:00:00Z');
    const renewal = await submitted(SAFETY_ITEM, uscc, { renewalOf: number, declaration });
    expect(renewal.details.declaration).to.include({ noFatalAccident: true, compliant: true, signedBy: '王经理' });
    expect(renewal.clock.limitWorkingDays).to.equal(5);
    const accepted = await flow.sendOk(renewal.id, { type: 'ACCEPT' }, 'clerk');
    expect(accepted.clock.limitWorkingDays).to.equal(5);
    // The reviewer answers the declaration first: no approval on the normal review meanwhile.
    const reviewerView = await flow.read(renewal.id, 'province-reviewer');
    expect(reviewerView.actions.map((a: { type: string }) => a.type)).to.include.members(['CONFIRM_DECLARATION', 'REFUSE_DECLARATION']).and.not.include('APPROVE');
    await flow.sendFails(renewal.id, { type: 'APPROVE' }, 'province-reviewer', 409, 'EVENT_NOT_ALLOWED');

    const confirmed = await flow.sendOk(renewal.id, { type: 'CONFIRM_DECLARATION', note: '有效期内未发生死亡事故' }, 'province-reviewer');
    expect(confirmed.status).to.equal('completed');
    expect(confirmed.details.declaration).to.include({ outcome: 'confirmed' });
    const events = flow.events(confirmed);
    expect(events).to.include('CONFIRM_DECLARATION');
    expect(events).to.not.include.members(['APPROVE', 'REVIEW_OPINION', 'REFUSE_DECLARATION']);
    expect(confirmed.clock).to.include({ limitWorkingDays: 5, stopped: true });

    const renewed = await getCert(confirmed.certificateNo, 'admin');
    expect(renewed).to.include({ status: 'valid', validFrom: '2028-03-03', validUntil: '2031-03-02', renewalOf: number });
    expect(await getCert(number, 'admin')).to.include({ status: 'superseded', supersededBy: confirmed.certificateNo, supersededFor: 'renewal' });
  });

  it('when a renewal declaration is refused, then the renewal goes through the normal review on the normal limit', async () => {
    const { uscc, number } = await safetyLicence('2025-03-03T02:00:00Z');
    flow.at('2027-12-10T02:00:00Z');
    const renewal = await submitted(SAFETY_ITEM, uscc, { renewalOf: number, declaration });
    await flow.sendOk(renewal.id, { type: 'ACCEPT' }, 'clerk');
    await flow.sendFails(renewal.id, { type: 'REFUSE_DECLARATION' }, 'province-reviewer', 400, 'VALIDATION_FAILED');
    const refused = await flow.sendOk(renewal.id, { type: 'REFUSE_DECLARATION', reason: '有效期内发生一起死亡事故' }, 'province-reviewer');
    expect(refused).to.include({ status: 'under_review', state: 'review.active' });
    expect(refused.details.declaration).to.include({ outcome: 'refused', reason: '有效期内发生一起死亡事故' });
    // The clock keeps counting from receipt, on the item's promised 20 working days.
    expect(refused.clock).to.include({ limitWorkingDays: 20, startedOn: '2027-12-10' });
    expect(refused.actions.map((a: { type: string }) => a.type)).to.include('APPROVE').and.not.include('CONFIRM_DECLARATION');

    const approved = await flow.sendOk(renewal.id, { type: 'APPROVE', note: '经审查符合条件' }, 'province-reviewer');
    expect(flow.events(approved)).to.include.members(['REFUSE_DECLARATION', 'APPROVE']);
    expect(await getCert(approved.certificateNo, 'admin')).to.include({ validFrom: '2028-03-03', validUntil: '2031-03-02', renewalOf: number });
  });

  it('when a declaration comes without a renewal or for an item without renewal without re-review, then it is refused with 400 naming the field', async () => {
    const { uscc, number } = await certificateIssued(flow, CITY_ITEM, '2026-03-02T02:00:00Z');
    const alone = await submit(CITY_ITEM, uscc, { declaration });
    expect(alone.status).to.equal(400);
    expect(alone.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['renewalOf']);
    flow.at('2029-01-10T02:00:00Z');
    await flow.signIn('clerk');
    const notForItem = await submit(CITY_ITEM, uscc, { renewalOf: number, declaration });
    expect(notForItem.status).to.equal(400);
    expect(notForItem.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['declaration']);
    // Without the declaration the same renewal is taken for the normal review.
    expect((await submit(CITY_ITEM, uscc, { renewalOf: number })).status).to.equal(201);
  });
});
