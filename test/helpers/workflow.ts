import { expect } from 'chai';
import { DOCUMENT_ISSUED } from '../../src/events/system-events';
import { runTimers } from '../../src/jobs/timer-job';
import { freshUscc } from '../../src/bench/sample-applications';
import { apiClient, applicationBody } from './api-client';
import type { TestApp } from './test-app';

export { freshUscc };

/** Tests that move the clock by months keep their sign-ins valid meanwhile. */
export const TIME_TRAVEL_CONFIG = { tokenTtlMinutes: 2 * 365 * 24 * 60 };

export type StaffName = 'clerk' | 'reviewer' | 'chief' | 'leader' | 'province-reviewer' | 'admin';

/** What a process test does through the HTTP API: staff sign in, submit, send events, read, and move time. */
export function workflow(getApp: () => TestApp) {
  const api = apiClient(() => getApp().url);
  const tokens = new Map<string, string>();
  const token = (who: string) => {
    const t = tokens.get(who);
    if (!t) throw new Error(`${who} has not signed in`);
    return t;
  };

  const flow = {
    api,
    token,
    /** Signs the demo staff in (again after a restart). */
    async signIn(...names: StaffName[]): Promise<void> {
      for (const name of names) tokens.set(name, await api.login(name));
    },
    /** Submits at the window; every material listed is provided, the rest is missing. */
    async submit(itemCode: string, options: { provided?: string[]; uscc?: string; divisionCode?: string; email?: string } = {}) {
      const materials = (options.provided ?? ['M01', 'M02', 'M03', 'M04', 'M05']).map((code) => ({ code, provided: true }));
      const body = applicationBody(itemCode, { uscc: options.uscc ?? freshUscc(), divisionCode: options.divisionCode, email: options.email, materials });
      const res = await api.post('/api/v1/applications', body, token('clerk'));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body;
    },
    send: (id: string, event: object, who: StaffName | string) => api.post(`/api/v1/applications/${id}/events`, event, tokens.get(who) ?? who),
    /** Sends an event that must succeed, and returns the application view. */
    async sendOk(id: string, event: object, who: StaffName | string) {
      const res = await flow.send(id, event, who);
      expect(res.status, `${JSON.stringify(event)} → ${JSON.stringify(res.body)}`).to.equal(200);
      return res.body;
    },
    /** Sends an event that must fail with `status` and `code`, and returns the error. */
    async sendFails(id: string, event: object, who: StaffName | string, status: number, code: string) {
      const res = await flow.send(id, event, who);
      expect(res.status, `${JSON.stringify(event)} → ${JSON.stringify(res.body)}`).to.equal(status);
      expect(res.body.error.code).to.equal(code);
      return res.body.error as { code: string; message: string; details: any };
    },
    async read(id: string, who: StaffName = 'clerk') {
      const res = await api.get(`/api/v1/applications/${id}`, token(who));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      return res.body;
    },
    /** Moves the test clock to an instant (ISO-8601). */
    at(iso: string): void {
      getApp().clock.set(iso);
    },
    /** One run of the timer job as of the test clock; returns the events fired for `applicationId` (other tests' applications share the store). */
    async fireTimers(applicationId: string): Promise<string[]> {
      const run = await runTimers(getApp().runtime.services, getApp().clock.now());
      expect(run.failures).to.deep.equal([]);
      return run.firings.filter((f) => f.applicationId === applicationId).map((f) => f.event);
    },
    mailsTo: (applicationNo: string) => getApp().smtp.received.filter((m) => m.subject.includes(applicationNo)),
    /** The steps of a timeline: its events, without the documents recorded beside them (issued a moment after each step). */
    events: (view: { timeline: { event: string }[] }) => flow.steps(view).map((t) => t.event),
    steps: <T extends { event: string }>(view: { timeline: T[] }): T[] => view.timeline.filter((t) => t.event !== DOCUMENT_ISSUED),
    /** Waits for the documents this process issues after its responses, so versions and timelines hold still. */
    settled: () => getApp().runtime.services.effects.drain(),
  };
  return flow;
}

/** A signed 容缺 promise as the window records it. */
export const promise = (signedAt = '2026-03-02T10:00:00+08:00') => ({ signedBy: '王经理', signedAt });
