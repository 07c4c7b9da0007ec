import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { recount } from '../src/jobs/recount-statistics-job';
import type { StatisticsDay } from '../src/store/statistics-days';
import { runJob } from './helpers/run-job';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, workflow } from './helpers/workflow';

const CITY_ITEM = '370000-AQ-XK-002'; // city level, one reviewer decides; waivable M06 (pledge), M07, M08 (data sharing) when only M01–M05 are given
const COMMITMENT_ITEM = '370000-AQ-XK-006'; // county level, 告知承诺 allowed
const pledge = { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2026-03-02T09:30:00+08:00' };

/** The fields of one CSV line (RFC 4180 quoting). */
const csvFields = (line: string) => [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]));

/** The kept cells with their ids in a fixed order, to compare with a recount. */
const normalized = (days: StatisticsDay[]) =>
  Object.fromEntries(days.map((d) => [d._id, Object.fromEntries(Object.entries(d.cells).map(([k, c]) => [k, {
    dims: c.dims, workingDays: c.workingDays, ids: Object.fromEntries(Object.entries(c.ids).map(([m, ids]) => [m, [...ids!].sort()])),
  }]))]));

describe('监管统计 (supervision statistics) through the HTTP API', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const services = () => app.runtime.services;
  const ids: Record<string, string[]> = { approved: [], denied: [], notAccepted: [], withdrawn: [], open: [], commitment: [] };
  let countyToken = '';
  const stats = (query: string, who = 'admin') => flow.api.get(`/api/v1/statistics?${query}`, who.includes('.') ? who : flow.token(who));
  const download = async (query: string) => {
    const res = await fetch(`${app.url}/api/v1/statistics?${query}`, { headers: { Authorization: `Bearer ${flow.token('admin')}` } });
    expect(res.status).to.equal(200);
    return { type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  };

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z', config: TIME_TRAVEL_CONFIG });
    await flow.signIn('clerk', 'reviewer', 'admin');
    const county = await flow.api.post('/api/v1/staff', { username: 'reviewer-zhifu', name: '芝罘审查', role: 'reviewer', jurisdiction: '370602', password: 'long-enough-password' }, flow.token('admin'));
    expect(county.status, JSON.stringify(county.body)).to.equal(201);
    countyToken = await flow.api.login('reviewer-zhifu', 'long-enough-password');

    // Monday 2026-03-02: two decided the day received (approved), one refused, one withdrawn, one left open, one approved on a pledge in 芝罘区.
    for (let i = 0; i < 2; i++) {
      const a = await flow.submit(CITY_ITEM);
      await flow.sendOk(a.id, { type: 'ACCEPT' }, 'clerk');
      await flow.sendOk(a.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
      ids.approved.push(a.id);
    }
    const refused = await flow.submit(CITY_ITEM);
    await flow.sendOk(refused.id, { type: 'REJECT', reason: '不属于本机关职权范围' }, 'clerk');
    ids.notAccepted.push(refused.id);
    const withdrawn = await flow.submit(CITY_ITEM);
    await flow.sendOk(withdrawn.id, { type: 'WITHDRAW', reason: '企业申请撤回' }, 'clerk');
    ids.withdrawn.push(withdrawn.id);
    const open = await flow.submit(CITY_ITEM);
    ids.open.push(open.id);
    const denied = await flow.submit(CITY_ITEM);
    await flow.sendOk(denied.id, { type: 'ACCEPT' }, 'clerk');
    ids.denied.push(denied.id);
    const onPledge = await flow.submit(COMMITMENT_ITEM, { divisionCode: '370602', provided: ['M01', 'M02', 'M03'] });
    await flow.sendOk(onPledge.id, { type: 'ACCEPT_ON_COMMITMENT', pledge }, 'clerk');
    ids.commitment.push(onPledge.id);
    // Wednesday: the accepted one is denied two working days after it was received.
    flow.at('2026-03-04T02:00:00Z');
    await flow.sendOk(denied.id, { type: 'DENY', reason: '现场条件不符合要求' }, 'reviewer');
    await flow.settled();
  });
  after(async () => app?.stop());

  it('when applications went through every outcome, then the kept counts equal a recount and the figures the test expects', async () => {
    const recounted = await recount(services());
    const kept = await services().statistics.read(recounted.map((d) => d._id));
    expect(kept.map((d) => d._id)).to.deep.equal(recounted.map((d) => d._id));
    expect(normalized(kept)).to.deep.equal(normalized(recounted));

    const res = await stats('from=2026-03-01&to=2026-03-31');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const t = res.body.totals;
    expect(t).to.include({
      received: 7, accepted: 4, notAccepted: 1, approved: 3, denied: 1, withdrawn: 1, terminated: 0, revoked: 0,
      decided: 4, timed: 4, commitment: 1, deficient: 0, joint: 0, immediate: 3,
    });
    // The two approvals issue their certificates (completed); the pledge's waits for verification.
    expect(t.completed).to.equal(2);
    expect(t.onTime).to.equal(4);
    expect(t.onTimeRate).to.equal(1);
    expect(t.legalOnTimeRate).to.equal(1);
    // Decided the day received (0 working days) three times, the denial on its second working day: mean 0.5, p90 2.
    expect(t.workingDaysMean).to.equal(0.5);
    expect(t.workingDaysP90).to.equal(2);
    // Each accepted 危化经营 application left M06 (pledge) and M07, M08 (data sharing) to the bureau; the pledge item M02 (data sharing), M04, M05 (pledge).
    expect(t).to.include({ waivedDataSharing: 3 * 2, waivedPledge: 3 + 2, waivedDepartmentCheck: 0, itemsWithWaivers: 2 });
    // 15/30 for six 危化经营 applications, 10/20 for the pledge: half the legal limit.
    expect(t.compression).to.equal(0.5);
    // The seed catalog's waivable materials, item by item (config/catalog.json).
    expect(res.body.catalogWaivers).to.deep.equal({ items: 9, materials: 29, byRoute: { data_sharing: 20, pledge: 4, department_check: 5 } });
    // Four were concluded (办结: completed, denied, not accepted), each an invitation to rate; nobody rated here (test/evaluations.test.ts rates).
    expect(t.evaluations).to.deep.equal({
      invited: 4, ratedCount: 0, activeRatingRate: 0, byLevel: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, satisfactionRate: null,
      rectificationsOpened: 0, rectificationsClosed: 0, rectificationsOnTime: 0, rectificationsOnTimeRate: null, followedUp: 0, followUpRate: null,
    });
    expect(res.body.byJurisdiction.map((r: { jurisdiction: string; received: number }) => [r.jurisdiction, r.received])).to.deep.equal([['370600', 6], ['370602', 1]]);
    expect(res.body.byItem.map((r: { itemCode: string; approved: number }) => [r.itemCode, r.approved])).to.deep.equal([[CITY_ITEM, 2], [COMMITMENT_ITEM, 1]]);
    expect(res.body.byDay.map((r: { day: string; decided: number }) => [r.day, r.decided])).to.deep.equal([['2026-03-02', 3], ['2026-03-04', 1]]);
    expect(res.body.byChannel.map((r: { channel: string }) => r.channel)).to.deep.equal(['window']);

    const narrowed = await stats(`from=2026-03-03&to=2026-03-04&itemCode=${CITY_ITEM}`);
    expect(narrowed.body.totals).to.include({ received: 0, denied: 1, decided: 1, immediate: 0 });
  });

  it('when a reader drills into a figure, then the applications behind it are listed, a page at a time', async () => {
    const res = await flow.api.get('/api/v1/statistics/applications?from=2026-03-01&to=2026-03-31&metric=approved&limit=2', flow.token('admin'));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.total).to.equal(3);
    expect(res.body.items).to.have.length(2);
    const rest = await flow.api.get('/api/v1/statistics/applications?from=2026-03-01&to=2026-03-31&metric=approved&limit=2&offset=2', flow.token('admin'));
    expect([...res.body.items, ...rest.body.items].map((a: { id: string }) => a.id)).to.have.members([...ids.approved, ...ids.commitment]);
    const waived = await flow.api.get(`/api/v1/statistics/applications?from=2026-03-01&to=2026-03-31&metric=waivedPledge&itemCode=${COMMITMENT_ITEM}`, flow.token('admin'));
    expect(waived.body.items.map((a: { id: string }) => a.id)).to.deep.equal(ids.commitment);
  });

  it('when a county reader asks, then it sees its own county only and the city is 403; bad dates are a 400 naming the field', async () => {
    const county = countyToken;
    const own = await stats('from=2026-03-01&to=2026-03-31', county);
    expect(own.status).to.equal(200);
    expect(own.body.jurisdictions).to.deep.equal(['370602']);
    expect(own.body.totals).to.include({ received: 1, commitment: 1 });
    expect((await stats('from=2026-03-01&to=2026-03-31&jurisdiction=370600', county)).status).to.equal(403);
    expect((await stats('from=2026-03-01&to=2026-03-31&jurisdiction=370611', county)).status).to.equal(403);
    expect((await stats('from=2026-03-01&to=2026-03-31&jurisdiction=370602', 'reviewer')).body.totals.received).to.equal(1);

    const bad = await stats('from=2026-02-30&to=2026-03-31');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['from']);
    const reversed = await stats('from=2026-03-31&to=2026-03-01');
    expect(reversed.status).to.equal(400);
    expect(reversed.body.error.details[0].field).to.equal('to');
    expect((await stats('from=2025-01-01&to=2026-03-01')).status).to.equal(400);
  });

  it('when the figures are exported, then the CSV and the XLSX read back give the same totals', async () => {
    const query = 'from=2026-03-01&to=2026-03-31';
    const json = (await stats(query)).body;
    const csv = await download(`${query}&format=csv`);
    expect(csv.type).to.match(/^text\/csv/);
    const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    const header = csvFields(lines[1]);
    const totals = csvFields(lines[2]);
    expect(header).to.include('平均用时(工作日) / Working days, mean');
    expect(lines[0]).to.equal('合计 Totals');
    for (const [key, label] of [['received', '收件 / Received'], ['approved', '准予许可 / Approved'], ['waivedPledge', '免提交-告知承诺 / Waived: pledge']]) {
      expect(Number(totals[header.indexOf(label)]), key).to.equal(json.totals[key]);
    }

    const xlsx = await download(`${query}&format=xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const sheet = book.getWorksheet('按事项 By item')!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (label: string) => headers.indexOf(label) + 1;
    const rows = json.byItem.length;
    expect(sheet.rowCount).to.equal(rows + 1);
    for (let r = 0; r < rows; r++) {
      expect(sheet.getRow(r + 2).getCell(col('收件 / Received')).value).to.equal(json.byItem[r].received);
      expect(sheet.getRow(r + 2).getCell(col('承诺时限内办结率 / On time (promised)')).value).to.equal(json.byItem[r].onTimeRate);
    }
    expect(book.getWorksheet('合计 Totals')!.getRow(2).getCell(col('作出决定 / Decided')).value).to.equal(4);
  });

  it('when many writers count into one day at once, then none is lost, and an id counted again counts once', async () => {
    const dims = { itemCode: CITY_ITEM, channel: 'window', businessType: 'new', process: 'standard-licence' };
    await Promise.all(Array.from({ length: 24 }, (_, i) => services().statistics.count([{ jurisdiction: '370681', day: '2026-02-10', dims, metric: 'followedUp', id: `follow-up-${i % 20}` }])));
    const [day] = await services().statistics.read(['370681|2026-02-10']);
    expect([...day.cells[`${CITY_ITEM}|window|new|standard-licence`].ids.followedUp!].sort()).to.deep.equal(Array.from({ length: 20 }, (_, i) => `follow-up-${i}`).sort());
    const res = await stats('from=2026-02-10&to=2026-02-10&jurisdiction=370681');
    expect(res.body.totals.evaluations.followedUp).to.equal(20);
  });

  it('when open applications near and pass their limit, then the now-figures count them yellow and red from the open work', async () => {
    const open = await flow.read(ids.open[0]);
    flow.at(`${open.clock.dueDate}T02:00:00Z`);
    expect((await stats('from=2026-03-01&to=2026-03-31')).body.totals).to.include({ yellowNow: 1, overdueNow: 0 });
    flow.at('2026-06-01T02:00:00Z');
    const late = (await stats('from=2026-03-01&to=2026-03-31')).body;
    expect(late.totals).to.include({ yellowNow: 0, overdueNow: 1 });
    expect(late.byItem.find((r: { itemCode: string }) => r.itemCode === CITY_ITEM).overdueNow).to.equal(1);
    expect(late.byJurisdiction.find((r: { jurisdiction: string }) => r.jurisdiction === '370600').overdueNow).to.equal(1);
  });

  it('when the outbox sends a reminder, then it is counted on the day sent, mail and SMS apart, and the recount agrees', async () => {
    flow.at('2026-03-05T02:00:00Z');
    const entry = (key: string, channel?: 'sms') => ({
      key, kind: 'expiry' as const, certificateNumber: 'LU-TEST-2026-000001', validUntil: '2026-04-04', leadDays: 30, daysLeft: 30, itemCode: CITY_ITEM,
      jurisdiction: '370600', holderName: '烟台测试化工有限公司', to: channel ? '13805351234' : 'holder@example.com', ...(channel ? { channel } : {}),
      subject: '证照到期提醒', text: '您的许可证将于 2026-04-04 到期。', messageId: `<${key}@permit-engine>`, queuedAt: services().now(),
      state: 'pending' as const, attempts: 0, nextAttemptAt: services().now(), lastError: null, sentAt: null, smtpMessageId: null,
    });
    await services().reminders.queueMany([entry('LU-TEST-2026-000001:2026-04-04:30'), entry('LU-TEST-2026-000001:2026-04-04:30:sms', 'sms')]);
    const sent = await services().reminderOutbox.deliverDue();
    expect(sent.sent).to.equal(2);
    expect((await stats('from=2026-03-05&to=2026-03-05')).body.totals).to.include({ remindersSent: 1, smsRemindersSent: 1 });
    const recounted = await recount(services());
    expect(normalized(await services().statistics.read(recounted.map((d) => d._id)))).to.deep.equal(normalized(recounted));
  });

  it('when a kept day is lost and the recount command runs, then it is rebuilt as it was, and counting goes on from it', async () => {
    const before = await recount(services());
    const lost = before.find((d) => d._id === '370600|2026-03-02')!;
    await app.runtime.conn.db!.collection('statistics_days').deleteOne({ _id: lost._id as never });
    expect(await services().statistics.read([lost._id])).to.deep.equal([]);
    const dry = await runJob(app, ['recount-statistics', '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include(`would write ${before.length} jurisdiction-day document(s)`);
    expect(await services().statistics.read([lost._id])).to.deep.equal([]);
    const run = await runJob(app, ['recount-statistics']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`recounted into ${before.length} jurisdiction-day document(s)`);
    const kept = await services().statistics.read(before.map((d) => d._id));
    expect(normalized(kept)).to.deep.equal(normalized(before));
    // Counting after the recount goes on from what it wrote: a new decision adds to the same day.
    flow.at('2026-03-04T03:00:00Z');
    await flow.sendOk(ids.open[0], { type: 'REJECT', reason: '材料不齐且无法补正' }, 'clerk');
    await flow.settled();
    expect((await stats('from=2026-03-04&to=2026-03-04')).body.totals).to.include({ notAccepted: 1, denied: 1 });
  });
});
