import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runJob } from './helpers/run-job';
import { startTestApp, type TestApp } from './helpers/test-app';
import { TIME_TRAVEL_CONFIG, promise, workflow } from './helpers/workflow';

const PLAIN_ITEM = '370000-AQ-XK-004'; // 20 working days, extension 10
const DEFICIENT_ITEM = '370000-AQ-XK-003'; // 15 working days, 容缺 supplement within 10 working days
const COMMITMENT_ITEM = '370000-AQ-XK-006'; // 告知承诺, verification within 10 working days

// Not the real 2027 notice (unpublished on 2026-12-01): a schedule as it might read, with a make-up Sunday on Jan 31.
const SCHEDULE_2027 = {
  year: 2027,
  source: '测试用 2027 年节假日安排 / test fixture',
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", from: '2027-01-01', to: '2027-01-03' },
    { name: '春节', nameEn: 'Spring Festival', from: '2027-02-05', to: '2027-02-13' },
  ],
  workingWeekends: ['2027-01-31', '2027-02-20'],
};

describe('provisional deadlines are recalculated when the official schedule is added', function () {
  let app: TestApp;
  let configDir: string;
  const flow = workflow(() => app);
  const { api } = flow;
  const file2027 = () => join(configDir, 'calendars', '2027.json');
  const add2027 = (content: unknown = SCHEDULE_2027) => writeFileSync(file2027(), JSON.stringify(content));
  const reload = () => api.post('/api/v1/calendar/reload', {}, flow.token('admin'));
  // Back to the published years only, as on 2026-12-01.
  async function remove2027() {
    rmSync(file2027(), { force: true });
    expect((await reload()).body.loadedYears).to.deep.equal([2025, 2026]);
  }
  const recalculations = (view: { timeline: any[] }) => view.timeline.filter((t) => t.event === 'DEADLINE_RECALCULATED');

  /** Accepted on Monday 2026-12-21 and extended: 30 working days run to 2027-02-02 on the statutory rules. */
  async function extendedIntoFebruary() {
    const created = await flow.submit(PLAIN_ITEM, { email: `a${Date.now()}@example.test` });
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const extended = await flow.sendOk(created.id, { type: 'EXTEND', reason: '涉及多部门会商，经负责人批准延长' }, 'reviewer');
    // Dec 22–25 (4), Dec 28–31 (8), Jan 1 off, Jan 4–29 (28), Feb 1–2 (30).
    expect(extended.clock).to.deep.include({ dueDate: '2027-02-02', provisional: true });
    return created;
  }

  async function mailTo(applicationNo: string, subject: string) {
    for (let i = 0; i < 50; i++) {
      const mail = flow.mailsTo(applicationNo).find((m) => m.subject.includes(subject));
      if (mail) return mail;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail "${subject}" for ${applicationNo}`);
  }

  before(async function () {
    configDir = mkdtempSync(join(tmpdir(), 'permit-config-'));
    cpSync(fileURLToPath(new URL('../config', import.meta.url)), configDir, { recursive: true });
    app = await startTestApp({ now: '2026-12-21T02:00:00Z', config: { ...TIME_TRAVEL_CONFIG, configDir } });
    await flow.signIn('clerk', 'reviewer', 'admin');
  });
  after(async () => {
    await app?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });
  beforeEach(() => flow.at('2026-12-21T02:00:00Z'));
  afterEach(async () => {
    if (existsSync(file2027())) await remove2027();
  });

  it('when a clerk asks to reload the calendars, or the new file is invalid, then 403, or 409 naming the file with the schedules in use kept', async () => {
    expect((await api.post('/api/v1/calendar/reload', {}, flow.token('clerk'))).status).to.equal(403);
    add2027({ ...SCHEDULE_2027, workingWeekends: ['2027-02-03'] });
    const res = await reload();
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('PRECONDITION_FAILED');
    expect(res.body.error.message).to.include('2027.json').and.include('workingWeekends[0]');
    expect((await api.get('/api/v1/calendar/due-date?from=2026-12-20&workingDays=20')).body).to.deep.include({ dueDate: '2027-01-18', provisional: true });
  });

  it('when 2027 is added and an admin reloads, then a provisional due date that moves is recorded with both dates and told to the applicant, one that stays is confirmed silently, and nothing else is touched', async () => {
    flow.at('2026-12-01T02:00:00Z');
    const official = await flow.submit(PLAIN_ITEM);
    // Accepted at once: left undecided in intake it would be deemed accepted (Art. 32) by the timer job run below.
    await flow.sendOk(official.id, { type: 'ACCEPT' }, 'clerk');
    await flow.settled();
    const officialBefore = await flow.read(official.id);
    expect(officialBefore.clock).to.deep.include({ dueDate: '2026-12-29', provisional: false });
    flow.at('2026-12-21T02:00:00Z');
    const moving = await extendedIntoFebruary();
    const staying = await flow.submit(DEFICIENT_ITEM);
    await flow.sendOk(staying.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M06', 'M07'], promise: promise('2026-12-21T10:00:00+08:00') }, 'clerk');
    const stayingBefore = await flow.read(staying.id);
    expect(stayingBefore.clock).to.deep.include({ dueDate: '2027-01-12', provisional: true });
    expect(stayingBefore.deadlines).to.deep.include({ name: 'supplement', dueDate: '2027-01-05', provisional: true, status: 'pending', overdue: false, light: 'green' });
    // A notice published late: approved on commitment on Monday 2027-01-25, verification due after 10 working days.
    flow.at('2027-01-25T02:00:00Z');
    const pledged = await flow.submit(COMMITMENT_ITEM, { provided: ['M01', 'M02', 'M03'] });
    const approved = await flow.sendOk(pledged.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '李厂长', signedAt: '2027-01-25T09:30:00+08:00' } }, 'clerk');
    // Jan 26–29 (4), Feb 1–4 (8), Feb 5 除夕 and Feb 8 初三 off, Feb 9–10 (10).
    expect(approved.deadlines).to.deep.equal([{ name: 'verification', dueDate: '2027-02-10', provisional: true, status: 'pending', overdue: false, light: 'green' }]);

    add2027();
    const res = await reload();
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.loadedYears).to.deep.equal([2025, 2026, 2027]);
    expect(res.body.failures).to.deep.equal([]);
    const moves = res.body.moved.filter((m: { applicationId: string }) => [moving.id, staying.id, official.id].includes(m.applicationId));
    expect(moves).to.deep.equal([{ applicationId: moving.id, applicationNo: moving.applicationNo, moves: [{ deadline: 'decision', kind: 'clock', from: '2027-02-02', to: '2027-02-01', provisional: false }] }]);
    expect(res.body.moved.find((m: { applicationId: string }) => m.applicationId === pledged.id).moves).to.deep.equal([{ deadline: 'verification', kind: 'timer', from: '2027-02-10', to: '2027-02-15', provisional: false }]);

    // The make-up Sunday 2027-01-31 counts: the limit ends a day earlier.
    const moved = await flow.read(moving.id);
    expect(moved.clock).to.deep.include({ dueDate: '2027-02-01', provisional: false });
    const [entry] = recalculations(moved);
    expect(flow.steps(moved).at(-1)).to.equal(entry);
    expect(entry).to.deep.include({ date: '2027-01-25', fromStatus: 'under_review', toStatus: 'under_review' });
    expect(entry.actor).to.include({ kind: 'system' });
    expect(entry.note).to.include('办理时限 2027-02-02 → 2027-02-01').and.include('decision time limit 2027-02-02 → 2027-02-01');
    expect(entry.data).to.deep.equal({ moves: [{ deadline: 'decision', kind: 'clock', from: '2027-02-02', to: '2027-02-01', provisional: false }] });
    const verified = await api.get(`/api/v1/applications/${moving.id}/timeline/verify`, flow.token('admin'));
    expect(verified.body).to.deep.include({ valid: true, brokenAt: null });

    const mail = await mailTo(moving.applicationNo, '期限调整');
    expect(mail.text).to.include('办理时限：原 2027-02-02，现 2027-02-01').and.include('decision time limit: was 2027-02-02, now 2027-02-01');
    const status = await api.get(`/api/v1/status?applicationNo=${moving.applicationNo}&queryCode=${moving.queryCode}`);
    expect(status.body).to.deep.include({ dueDate: '2027-02-01', provisional: false });
    expect(status.body.timeline.at(-1).detail.zh).to.include('2027-02-02 → 2027-02-01');

    const stayed = await flow.read(staying.id);
    expect(recalculations(stayed)).to.deep.equal([]);
    expect(stayed.clock).to.deep.include({ dueDate: '2027-01-12', provisional: false });
    expect(stayed.deadlines[0]).to.include({ name: 'supplement', dueDate: '2027-01-05', provisional: false });
    expect(flow.mailsTo(staying.applicationNo).filter((m) => m.subject.includes('期限调整'))).to.deep.equal([]);
    const stored = await app.runtime.services.store.get(staying.id);
    expect(stored!.clocks.decision).to.not.have.property('provisionalDueDate');
    expect(stored!.timers.find((t) => t.name === 'supplement')).to.deep.include({ provisional: false, dueDate: '2027-01-05' });

    // The verification timer moved past the official Spring Festival break (Jan 31 worked, Feb 5–13 off): it fires on the new day, not the old.
    const verifying = await flow.read(pledged.id);
    expect(verifying.deadlines).to.deep.equal([{ name: 'verification', dueDate: '2027-02-15', provisional: false, status: 'pending', overdue: false, light: 'green' }]);
    expect(recalculations(verifying)[0].note).to.include('承诺事项核查期限 2027-02-10 → 2027-02-15');
    flow.at('2027-02-10T16:00:00Z');
    expect(await flow.fireTimers(pledged.id)).to.deep.equal([]);
    flow.at('2027-02-15T16:00:00Z');
    expect(await flow.fireTimers(pledged.id)).to.deep.equal(['VERIFICATION_DEADLINE_PASSED']);
    await mailTo(pledged.applicationNo, '期限调整');

    expect((await flow.read(official.id)).version).to.equal(officialBefore.version);
    // A second reload finds nothing provisional left.
    const again = await reload();
    expect(again.body.moved.filter((m: { applicationId: string }) => m.applicationId === moving.id)).to.deep.equal([]);
  });

  it('when 2027 is added and the service restarts, then the start recalculates once and a further restart changes nothing', async () => {
    const created = await extendedIntoFebruary();
    add2027();
    await app.restart();
    await flow.signIn('clerk', 'reviewer', 'admin');
    const after = await flow.read(created.id);
    expect(after.clock).to.deep.include({ dueDate: '2027-02-01', provisional: false });
    expect(recalculations(after)).to.have.length(1);
    await mailTo(created.applicationNo, '期限调整');

    await app.restart();
    await flow.signIn('clerk', 'reviewer', 'admin');
    expect((await flow.read(created.id)).version).to.equal(after.version);
  });

  it('when 2027 is added and `npm run job -- recalculate-deadlines` runs, then it prints the move, and the service reloading afterwards finds nothing left to move', async () => {
    const created = await extendedIntoFebruary();
    add2027();
    const job = await runJob(app, ['recalculate-deadlines', '--now', '2026-12-22T10:00:00+08:00'], { CONFIG_DIR: configDir });
    expect(job.code, job.stderr).to.equal(0);
    expect(job.stdout).to.include(`${created.applicationNo}  decision  2027-02-02 → 2027-02-01`);

    const res = await reload();
    expect(res.body.moved.filter((m: { applicationId: string }) => m.applicationId === created.id)).to.deep.equal([]);
    const after = await flow.read(created.id);
    expect(after.clock).to.deep.include({ dueDate: '2027-02-01', provisional: false });
    expect(recalculations(after)).to.have.length(1);
  });
});
