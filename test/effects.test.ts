import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../src/engine/system-actor';
import { submitApplication } from '../src/use-cases/submit-application';
import { applicationBody } from './helpers/api-client';
import { startSecondProcess, startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc } from './helpers/workflow';

describe('side effects run after the save, from the stored outbox', function () {
  this.timeout(120_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app?.stop());

  const clerk = { kind: 'staff' as const, id: 'clerk', name: '窗口', role: 'clerk', jurisdiction: '370600' };
  const reviewer = { kind: 'staff' as const, id: 'reviewer', name: '审查员', role: 'reviewer', jurisdiction: '370600' };

  /** Saves events the way a process that died right after the save would leave them: effects stored, none run. */
  async function savedWithoutEffects() {
    const services = app.runtime.services;
    const { application } = await submitApplication(services, applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }) as never, clerk);
    // The submission's deferred effect (its statistics count) runs after it, as in a process that lived that long.
    await services.effects.drain();
    const accepted = await services.engine.apply((await services.store.get(application.id))!, { type: 'ACCEPT' }, reviewer);
    const approved = await services.engine.apply(accepted, { type: 'APPROVE' }, reviewer);
    expect(approved.status).to.equal('approved');
    return approved;
  }

  it('when two runners pick up the same saved effects at once, then each effect runs once: one certificate, one mail per notice', async () => {
    const services = app.runtime.services;
    const saved = await savedWithoutEffects();
    const before = app.smtp.received.length;
    await Promise.all([services.effects.sweep(), services.effects.runFor(saved.id), services.effects.runFor(saved.id)]);
    await services.effects.runFor(saved.id);
    const after = (await services.store.get(saved.id))!;
    expect(after.status).to.equal('completed');
    expect(after.timeline.filter((t) => t.event === 'CERTIFICATE_ISSUED')).to.have.length(1);
    const certificate = await services.certificates.findByApplication(saved.id);
    expect(certificate!.number).to.equal(after.details.certificateNo);
    const mails = app.smtp.received.slice(before).filter((m) => m.subject.includes(saved.applicationNo));
    // Notices: accepted, approved, completed, and the invitation to rate the service (the submission's own notice was sent at submission).
    expect(mails).to.have.length(4);
    expect(new Set(mails.map((m) => m.messageId)).size).to.equal(4);
    expect(mails.filter((m) => m.subject.includes('【服务评价】'))).to.have.length(1);
  });

  it('when the SMTP server refuses, then the notice is retried later and sent once, with the same Message-ID', async () => {
    const services = app.runtime.services;
    app.smtp.setRefusing(true);
    const { application } = await submitApplication(services, applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }) as never, clerk);
    // The notice's attempts (the statistics count beside it is a deferred effect of its own).
    const notices = application.outbox.filter((e) => e.type === 'notifyApplicant').map((e) => e.id);
    const attempts = await services.attempts.forApplication(application.id, notices);
    expect(attempts.map((a) => a.outcome)).to.deep.equal(['failed']);
    expect(attempts[0].error).to.match(/451|unavailable/);
    app.smtp.setRefusing(false);
    await services.effects.runFor(application.id);
    expect(app.smtp.received.filter((m) => m.subject.includes(application.applicationNo))).to.have.length(0);
    app.clock.set(new Date(app.clock.current.getTime() + 5 * 60_000).toISOString());
    await services.effects.sweep();
    const mails = app.smtp.received.filter((m) => m.subject.includes(application.applicationNo));
    expect(mails).to.have.length(1);
    expect(mails[0].messageId).to.equal(`<${application.id}.${application.outbox[0].id}@permit-engine>`);
    const history = await services.attempts.forApplication(application.id, notices);
    expect(history.map((a) => a.outcome)).to.deep.equal(['failed', 'done']);
  });

  it('when a job run as of a later day (--now) fails an effect, then the service retries it minutes later on the machine\'s clock, not on that day', async () => {
    const services = app.runtime.services;
    const later = await startSecondProcess(app, { asOf: new Date(app.clock.current.getTime() + 70 * 86_400_000) });
    try {
      app.smtp.setRefusing(true);
      const { application } = await submitApplication(later.services, applicationBody('370000-AQ-XK-004', { uscc: freshUscc() }) as never, clerk);
      const [failed] = await services.attempts.forApplication(application.id, application.outbox.map((e) => e.id));
      expect(failed.outcome).to.equal('failed');
      expect(failed.nextAttemptAt!.getTime() - app.clock.current.getTime(), 'backoff counted from the machine\'s clock').to.be.within(0, 5 * 60_000);
      app.smtp.setRefusing(false);
      app.clock.set(new Date(app.clock.current.getTime() + 5 * 60_000).toISOString());
      await services.effects.sweep(1000);
      expect(app.smtp.received.filter((m) => m.subject.includes(application.applicationNo))).to.have.length(1);
    } finally {
      app.smtp.setRefusing(false);
      await later.stop();
    }
  });

  it('when a writer holding a stale read sends the certificate event again, then it is refused and the event stays recorded once', async () => {
    const services = app.runtime.services;
    const saved = await savedWithoutEffects();
    // A reviewer's read is stale once the certificate event lands; the engine refuses the stale write.
    const stale = (await services.store.get(saved.id))!;
    await services.effects.runFor(saved.id);
    const err = await services.engine.apply(stale, { type: 'CERTIFICATE_ISSUED', certificateNo: 'X' }, SYSTEM_ACTOR).then(() => null, (e: { code: string }) => e.code);
    expect(err).to.be.oneOf(['VERSION_CONFLICT', 'EVENT_NOT_ALLOWED']);
    expect((await services.store.get(saved.id))!.timeline.filter((t) => t.event === 'CERTIFICATE_ISSUED')).to.have.length(1);
  });

  it('when effects are saved, then the effect queue holds one marker per entry until it settles, and a losing writer leaves nothing behind', async () => {
    const services = app.runtime.services;
    const markers = app.runtime.conn.db!.collection('effect_queue');
    const saved = await savedWithoutEffects();
    // Accepted and approved both carry effects; the submission's own notice already ran.
    expect((await markers.find({ entity: saved.id }).toArray()).map((m) => m.version).sort()).to.deep.equal([2, 3]);
    expect(await services.store.withPendingEffects(1000)).to.include(saved.id);
    await services.effects.runFor(saved.id);
    await services.effects.drain();
    expect(await markers.countDocuments({ entity: saved.id })).to.equal(0);
    expect(await services.store.withPendingEffects(1000)).to.not.include(saved.id);

    // Two writers race for the same version: the loser's marker points at the winner's entry, which has no effects, and goes.
    const current = (await services.store.get(saved.id))!;
    const change = (outbox: typeof current.outbox) => ({ set: { updatedAt: new Date() }, timeline: [], outbox });
    const effect = { id: 'race-notice', type: 'notifyApplicant' as const, params: { template: 'approved' }, createdAt: new Date() };
    const results = await Promise.allSettled([
      services.store.compareAndSet(saved.id, current.version, change([])),
      services.store.compareAndSet(saved.id, current.version, change([effect])),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const winnerHadEffects = results[1].status === 'fulfilled';
    expect(await services.store.pendingEffectEntries(saved.id)).to.have.length(winnerHadEffects ? 1 : 0);
    expect(await markers.countDocuments({ entity: saved.id })).to.equal(winnerHadEffects ? 1 : 0);
  });
});
