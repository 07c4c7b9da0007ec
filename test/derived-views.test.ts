import { fork } from 'node:child_process';
import { expect } from 'chai';
import { rebuildViewsJob } from '../src/jobs/rebuild-views-job';
import { isOpen } from '../src/store/open-applications';
import { lastChangeVersion, type ApplicationRecord } from '../src/engine/application-record';
import { apiClient, applicationBody } from './helpers/api-client';
import { startSecondProcess, startTestApp, type TestApp } from './helpers/test-app';
import { isAppError } from '../src/errors';
import type { Actor } from '../src/engine/application-record';
import { freshUscc } from './helpers/workflow';

/** The open-work view as it should be, from the applications themselves: open ones by id with their last change (facts recorded beside the state are not followed). */
async function expectedView(app: TestApp) {
  const db = app.runtime.conn.db!;
  const apps = await db.collection('applications').find({}).toArray();
  const expected = new Map(apps.filter((a) => isOpen(a as unknown as ApplicationRecord)).map((a) => [String(a._id), lastChangeVersion(a as unknown as ApplicationRecord)]));
  const actual = new Map((await db.collection('open_applications').find({}).toArray()).map((v) => [String(v._id), v.version as number]));
  // This process's copy, which follows the change log: a change put but never logged is missing from it.
  const mirrored = new Map((await app.runtime.services.store.openApplications({})).map((e) => [e.id, e.version]));
  // Claims a writer made and never wrote its document for (killed between the claim and the document, while a command was on its way).
  const claimsAhead = await db.collection('application_journal').countDocuments({ _id: { $in: apps.map((a) => `${a._id}:${(a.version as number) + 1}`) } } as never);
  return { expected, actual, mirrored, claimsAhead, applications: apps.length };
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
    // A kill lands in the window when a claim is left without its document, or the view or this process's copy then differs from
    // the applications (an entry put ahead of its document, or a change not logged). Commands already sent still land, so the
    // window is the claim's and the entry's round trips: a kill lands in it in about one round of three.
    const off = (expected: Map<string, number>, actual: Map<string, number>) =>
      [...expected].filter(([id, version]) => actual.get(id) !== version).length + [...actual.keys()].filter((id) => !expected.has(id)).length;
    const offEntries = (v: Awaited<ReturnType<typeof expectedView>>) => off(v.expected, v.actual) + off(v.expected, v.mirrored) + v.claimsAhead;
    let killedInWindow = 0;
    for (let round = 0; round < 30 && (round < 4 || !killedInWindow); round++) {
      const child = fork(new URL('./helpers/busy-writer.ts', import.meta.url).pathname, [], {
        env: { ...process.env, MONGODB_URI: app.store.uri, DB_NAME: app.store.dbName },
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      // Listened for from the start, so a writer that stops by itself fails the test instead of hanging it.
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      const ready = await Promise.race([new Promise((resolve) => child.once('message', () => resolve(true))), exited.then(() => false)]);
      expect(ready, 'the writer process stopped before it was ready').to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 400 + Math.random() * 900));
      child.kill('SIGKILL');
      expect(await exited, 'the writer process stopped by itself before it was killed').to.equal('SIGKILL');
      killedInWindow += offEntries(await expectedView(app)) ? 1 : 0;
    }
    const before = await expectedView(app);
    expect(before.applications).to.be.greaterThan(4);
    expect(killedInWindow, 'no kill landed between a claim and its logged change').to.be.greaterThan(0);
    await app.runtime.services.store.repairViews(0);
    const after = await expectedView(app);
    expect([...after.actual].sort(), `${killedInWindow} writer(s) killed in the window, ${offEntries(before)} entries off`).to.deep.equal([...after.expected].sort());
    expect([...after.mirrored].sort(), 'the change log lacks a repaired change').to.deep.equal([...after.expected].sort());
    expect(await app.runtime.conn.db!.collection('open_applications_pending').countDocuments({})).to.equal(0);
  });

  it('when writers in two processes race on the same applications, then the view and each process\'s copy of it end at the applications, with no repair', async () => {
    const second = await startSecondProcess(app);
    try {
      const reviewer: Actor = { kind: 'staff', id: 'race-reviewer', name: '审查', role: 'reviewer', jurisdiction: '370600' };
      const clerk = await api.login('clerk');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const created = (await api.post('/api/v1/applications', applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }), clerk)).body;
        await api.post(`/api/v1/applications/${created.id}/events`, { type: 'ACCEPT', expectedVersion: created.version }, clerk);
        ids.push(created.id);
      }
      let saved = 0;
      let conflicts = 0;
      // Six writers over two processes on one application at a time, each step either an event with effects (SUSPEND / RESUME) or a change without any.
      await Promise.all([app.runtime, second, app.runtime, second, app.runtime, second].map(async ({ services }) => {
        for (let step = 0; step < 20; step++) {
          const current = (await services.store.get(ids[Math.floor(step / 2) % ids.length]))!;
          try {
            if (step % 3 === 2) await services.store.compareAndSet(current.id, current.version, { set: { updatedAt: new Date() }, timeline: [], outbox: [] }, current);
            else await services.engine.apply(current, { type: current.state === 'review.active' ? 'SUSPEND' : 'RESUME' }, reviewer);
            saved++;
          } catch (e) {
            if (!isAppError(e) || e.code !== 'VERSION_CONFLICT') throw e;
            conflicts++;
          }
        }
      }));
      expect(saved, `${conflicts} conflicts`).to.be.greaterThan(20);
      expect(conflicts, 'the writers never met').to.be.greaterThan(0);
      const view = await expectedView(app);
      const wanted = [...view.expected].filter(([id]) => ids.includes(id)).sort();
      expect([...view.actual].filter(([id]) => ids.includes(id)).sort()).to.deep.equal(wanted);
      for (const { services } of [app.runtime, second]) {
        const copy = (await services.store.openApplications({})).filter((e) => ids.includes(e.id)).map((e) => [e.id, e.version]);
        expect(copy.sort()).to.deep.equal(wanted);
      }
    } finally {
      await second.stop();
    }
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
