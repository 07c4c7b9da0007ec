import { expect } from 'chai';
import { applicationBody } from './api-client';
import { freshUscc, type workflow } from './workflow';

/** 危险化学品安全使用许可证: city level, valid 36 months, renewal window 3 months, reminders 90/60/30/7/1/0 days before. */
export const CITY_ITEM = '370000-AQ-XK-004';
/** 烟花爆竹经营（零售）许可证: county level, valid 12 months, renewal window 1 month, reminders 30/7/1/0 days before. */
export const COUNTY_ITEM = '370000-AQ-XK-006';

type Flow = ReturnType<typeof workflow>;

/** A certificate as a holder gets one: submitted, accepted and approved through the API at `at`. */
export async function certificateIssued(flow: Flow, itemCode: string, at: string, options: { uscc?: string; email?: string; renewalOf?: string } = {}) {
  flow.at(at);
  const uscc = options.uscc ?? freshUscc();
  const created = options.renewalOf
    ? await renewalSubmitted(flow, itemCode, options.renewalOf, uscc, options.email)
    : await flow.submit(itemCode, { uscc, email: options.email, provided: ['M01', 'M02', 'M03'] });
  await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
  const approved = await flow.sendOk(created.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
  expect(approved.certificateNo, JSON.stringify(approved)).to.be.a('string');
  return { uscc, application: created, number: approved.certificateNo as string };
}

/** Posts a renewal (延续) application at the window; the raw response, so refusals can be checked. */
export function submitRenewal(flow: Flow, itemCode: string, renewalOf: string, uscc: string, email?: string) {
  const body = { ...applicationBody(itemCode, { uscc, email, materials: ['M01', 'M02', 'M03'].map((code) => ({ code, provided: true })) }), renewalOf };
  return flow.api.post('/api/v1/applications', body, flow.token('clerk'));
}

/** A renewal application that must be accepted for processing. */
export async function renewalSubmitted(flow: Flow, itemCode: string, renewalOf: string, uscc: string, email?: string) {
  const res = await submitRenewal(flow, itemCode, renewalOf, uscc, email);
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}
