import { fork } from 'node:child_process';
import { expect } from 'chai';
import { rebuildViewsJob } from '../src/jobs/rebuild-views-job';
import { isOpen } from '../src/store/open-applications';
import { lastChangeVersion, type ApplicationRecord } from '../src/engine/application-record';
import { apiClient, applicationBody } from './helpers/api-client';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc } from './helpers/workflow';

/** The open-work view as it should be, from the applications themselves: open ones by id with their last change (facts recorded beside the state are not followed). */
async function expectedView(app: TestApp) {
  const db = app.runtime.conn.db!;
  const apps = await db.collection('applications').find({}).toArray();
  const expected = new Map(apps.filter((a) => isOpen(a as unknown as ApplicationRecord)).map((a) => [String(a._id), lastChangeVersion(a as unknown as ApplicationRecord)]));
  const actual = new Map((await db.collection('open_applications').find({}).toArray()).map((v) => [String(v._id), v.version as number]));
  return { expected, actual, applications: apps.length };
}

describe('derived views: open work, logs, repair and rebuild', function () {
  this.timeout(240_000);
  let app: TestApp;
  const api = apiClient(() => app.url);
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  it('when a writer process is killed again and again between saving applications and updating the view, then the repair makes the view follow the applications exactly', async () => {
    let killedInWindow = 0;
    for (let round = 0; round < 4; round++) {
      const child = fork(new URL('./helpers/busy-writer.ts', import.meta.url).pathname, [], {
        env: { ...process.env, MONGODB_URI: app.store.uri, DB_NAME: app.store.dbName },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      await new Promise((resolve) => child.once('message', resolve));
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 900));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      killedInWindow += await app.runtime.conn.db!.collection('open_applications_pending').countDocuments({});
    }
    const before = await expectedView(app);
    expect(before.applications).to.be.greaterThan(4);
    await app.runtime.services.store.repairViews(0);
    const after = await expectedView(app);
    expect([...after.actual].sort(), `${killedInWindow} writer(s) killed with a marker left`).to.deep.equal([...after.expected].sort());
    expect(await app.runtime.conn.db!.collection('open_applications_pending').countDocuments({})).to.equal(0);
  });

  it('when the views are dropped and rebuilt, then the work list, searches and finished lists answer as before', async () => {
    const clerk = await api.login('clerk');
    const reviewer = await api.login('reviewer');
    const open = (await api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }), clerk)).body;
    const done = (await api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }), clerk)).body;
    await api.post(`/api/v1/applications/${done.id}/events`, { type: 'ACCEPT' }, clerk);
    await api.post(`/api/v1/applications/${done.id}/events`, { type: 'APPROVE' }, reviewer);
    const queries = ['/api/v1/applications?limit=200', '/api/v1/applications?status=completed&limit=200', `/api/v1/applications?uscc=${open.applicant.uscc}`,
      `/api/v1/applications?q=${open.applicationNo}`, `/api/v1/certificates?uscc=${done.applicant.uscc}`];
    const answers = async () => Promise.all(queries.map(async (q) => (await api.get(q, clerk)).body));
    await app.runtime.services.effects.drain();
    const before = await answers();
    expect(before[0].items.map((i: { id: string }) => i.id)).to.include(open.id).and.not.include(done.id);
    expect(before[1].items.map((i: { id: string }) => i.id)).to.include(done.id);
    expect(before[2].total).to.equal(1);
    expect(before[3].items[0].id).to.equal(open.id);
    expect(before[4].total).to.equal(1);

    const db = app.runtime.conn.db!;
    for (const name of ['open_applications', 'open_applications_changes', 'application_index', 'application_numbers']) await db.collection(name).deleteMany({});
    await db.collection('certificate_index').deleteMany({ _id: { $not: /^app:/ } } as never);
    expect((await api.get(queries[0], clerk)).body.total).to.equal(0);
    const report = await rebuildViewsJob.run(app.runtime.services, app.clock.now());
    expect(report.ok).to.equal(true);
    expect(await answers()).to.deep.equal(before);
  });
});
