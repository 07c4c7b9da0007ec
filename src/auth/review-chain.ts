import type { ChainStep } from '../../machines/process-types';
import type { ApplicationRecord, ClockRecord } from '../engine/application-record';
import type { TokenClaims, StaffRole } from './tokens';

/** The step of the review chain an application is at (from its state, `review.chain.<step>`), or null outside the chain. */
export function chainStepOf(app: Pick<ApplicationRecord, 'state'>): ChainStep | null {
  const match = /(?:^|,)review\.chain\.(handling|checking|signing)(?:,|$)/.exec(app.state);
  return match ? (match[1] as ChainStep) : null;
}

/** What the work list keeps of the chain: the step waiting, its clock, and the assigned handler. */
export function chainEntryOf(app: Pick<ApplicationRecord, 'state' | 'clocks' | 'details'>): { chainStep: ChainStep | null; stepClock: ClockRecord | null; assignee: string | null } {
  const chainStep = chainStepOf(app);
  return { chainStep, stepClock: chainStep ? (app.clocks[chainStep] ?? null) : null, assignee: app.details.reviewChain?.assignment?.handler ?? null };
}

/** The chain's own steps, the office's internal work: the applicant's views and the public status page leave them out. */
export const INTERNAL_CHAIN_EVENTS = new Set(['ASSIGN', 'PROPOSE', 'CHECK', 'RETURN_TO_HANDLER']);

// Who acts on each step, and with which events; the chief may handle a case itself (then someone else checks it).
const STEP_ROLES: Record<ChainStep, StaffRole[]> = { handling: ['reviewer', 'chief'], checking: ['chief'], signing: ['leader'] };
const STEP_EVENTS: Record<ChainStep, string[]> = { handling: ['PROPOSE'], checking: ['CHECK'], signing: ['APPROVE', 'DENY', 'RETURN_TO_HANDLER'] };
const STEP_NAMES: Record<ChainStep, string> = { handling: '承办 / handling', checking: '审核 / checking', signing: '签发 / signing' };

export interface ChainRefusal {
  code: 'FORBIDDEN' | 'SAME_PERSON';
  reason: string;
}

/**
 * Why a staff member may not act on the application's current step of the review chain, or null: the step's role, the
 * assigned handler, and four eyes (one person acts on one step of an application). Outside the chain the leader does not
 * decide (a one-step item is the reviewer's); every other rule is the event's sender (access-policy.ts).
 */
export function chainRefusal(principal: TokenClaims, app: Pick<ApplicationRecord, 'state' | 'details'>, type: string): ChainRefusal | null {
  if (principal.kind !== 'staff') return null;
  const step = chainStepOf(app);
  if (!step) return (type === 'APPROVE' || type === 'DENY') && principal.role === 'leader' ? { code: 'FORBIDDEN', reason: 'a one-step item is decided by the reviewer, not the leader' } : null;
  if (!STEP_EVENTS[step].includes(type)) return null;
  if (!STEP_ROLES[step].includes(principal.role)) return { code: 'FORBIDDEN', reason: `the ${STEP_NAMES[step]} step needs the ${STEP_ROLES[step].join(' or ')} role (you are ${principal.role})` };
  const chain = app.details.reviewChain;
  const assigned = chain?.assignment?.handler;
  if (step === 'handling' && assigned && assigned !== principal.sub) return { code: 'FORBIDDEN', reason: `the case is assigned to ${assigned}` };
  const other = (Object.entries(chain?.actors ?? {}) as [ChainStep, string[]][]).find(([s, who]) => s !== step && who.includes(principal.sub));
  return other ? { code: 'SAME_PERSON', reason: `同一人不得办理同一申请的两个环节 / you acted on the ${STEP_NAMES[other[0]]} step of this application` } : null;
}
