import type { Sender } from './event-definition';

/** Intake decisions: the window clerk of the receiving or the routed jurisdiction. */
export const AT_WINDOW: Sender = { roles: ['clerk'], roleText: 'the clerk role', at: 'window' };

/** What the applicant does itself (online) or the window records for it. */
export const APPLICANT_OR_WINDOW: Sender = { ...AT_WINDOW, enterprise: true };

/** Review decisions: a reviewer of the body the application is routed to. */
export const REVIEWERS: Sender = { roles: ['reviewer', 'province-reviewer'], roleText: 'a reviewer role', at: 'routed' };

/** The decision: the reviewer of a one-step item, or the leader at the chain's last step (src/auth/review-chain.ts tells which). */
export const DECIDERS: Sender = { roles: ['reviewer', 'province-reviewer', 'leader'], roleText: 'a reviewer or leader role', at: 'routed' };

/** 承办: the handler (a reviewer, or a chief handling a case), 审核: the chief, 签发: the leader, 分办: the chief; all of the routed body. */
export const HANDLERS: Sender = { roles: ['reviewer', 'chief'], roleText: 'the reviewer or chief role', at: 'routed', subject: 'the proposal' };
export const CHIEFS: Sender = { roles: ['chief'], roleText: 'the chief role', at: 'routed' };
export const LEADERS: Sender = { roles: ['leader'], roleText: 'the leader role', at: 'routed' };

/** 省市联审: the city opinion comes from the routed city's reviewers, the province opinion from the province. */
export const CITY_OPINION: Sender = { roles: ['reviewer'], roleText: 'the reviewer role', at: 'routed', subject: 'the city opinion' };
export const PROVINCE_OPINION: Sender = { roles: ['province-reviewer'], roleText: 'the province-reviewer role', at: 'province', subject: 'the province opinion' };

/** Material review: the clerk at intake, or a reviewer of the routed body, reads the files and marks each material. */
export const MATERIAL_REVIEWERS: Sender = { roles: ['clerk', 'reviewer', 'province-reviewer'], roleText: 'the clerk or a reviewer role', at: 'window' };
