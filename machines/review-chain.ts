import type { ChainStep, Label, StateFacts } from './process-types';
import * as S from './statuses';

const facts = (zh: string, en: string, status?: StateFacts['status'], more: Partial<StateFacts> = {}): StateFacts => ({ label: { zh, en }, status, ...more });

/** The steps of the chain in order, with their names, for the views and the work list. */
export const CHAIN_STEPS: { step: ChainStep; label: Label }[] = [
  { step: 'handling', label: { zh: '承办', en: 'Handling' } },
  { step: 'checking', label: { zh: '审核', en: 'Checking' } },
  { step: 'signing', label: { zh: '签发', en: 'Signing' } },
];

// Each step runs its own clock (its share of the promised limit) while it is the step in hand, and is noted for a resumption.
const stepClock = (step: ChainStep) => ({
  entry: [{ type: 'startClock' as const, params: { clock: step } }, { type: 'noteChainStep' as const, params: { step } }],
  exit: { type: 'stopClock' as const, params: { clock: step } },
});

// Where RESUME goes, first match: back to the chain's step it left (a history state would not survive a saved snapshot), or to one reviewer.
const RESUME_TARGETS: { step: ChainStep | null; target: string }[] = [
  { step: 'checking', target: 'chain.checking' },
  { step: 'signing', target: 'chain.signing' },
  { step: 'handling', target: 'chain.handling' },
  { step: null, target: 'active' },
];

/**
 * RESUME after a suspension: back to where the review was (guard `resumesTo`). The step's clock continues (its used
 * days leave out the suspension) instead of starting its share again; the decision clock resumes unless an excluded
 * 协查 request or inspection is still open (`held`), whose own closing resumes it then.
 */
export const resumeReview = RESUME_TARGETS.flatMap(({ step, target }) => {
  const continues = step ? [{ type: 'continueClock' as const, params: { clock: step } }] : [];
  return [
    { guard: { type: 'resumesTo' as const, params: { step, held: true } }, target, actions: continues },
    { guard: { type: 'resumesTo' as const, params: { step, held: false } }, target, actions: [{ type: 'resumeClock' as const }, ...continues] },
  ];
});

/**
 * 承办 → 审核 → 签发: the handler proposes, the chief checks (a disagreement goes back to the handler), the leader
 * decides or returns it to the handler. A 2-step item skips the check. The review's suspension leaves the chain and
 * comes back to the step it left (`resumeReview`). Guards and actions are the standard licence's.
 */
export function reviewChain() {
  return {
    meta: facts('审批链', 'Review chain', S.UNDER_REVIEW, { deficientStatus: S.ACCEPTED_DEFICIENT }),
    initial: 'handling' as const,
    // 分办 by turn when the office sets it (ASSIGNMENT=round_robin): an effect, which leaves an assigned case alone.
    entry: 'requestAssignment' as const,
    on: {
      // 分办: the chief assigns (or reassigns) the case to a handler; recorded in the details and the timeline.
      ASSIGN: { actions: 'noteAssignment' as const },
      SUSPEND: '#standard-licence.review.suspended',
      EXTEND: { guard: 'notExtended' as const, actions: ['markExtended' as const, 'extendClock' as const] },
    },
    states: {
      handling: {
        meta: facts('承办', 'Handling'),
        ...stepClock('handling'),
        on: { PROPOSE: [{ guard: 'threeSteps' as const, target: 'checking' as const }, { target: 'signing' as const }] },
      },
      checking: {
        meta: facts('审核', 'Checking'),
        ...stepClock('checking'),
        on: { CHECK: [{ guard: 'agrees' as const, target: 'signing' as const }, { target: 'handling' as const }] },
      },
      signing: {
        meta: facts('签发', 'Signing'),
        ...stepClock('signing'),
        on: {
          APPROVE: [{ guard: 'isDeficient' as const, target: '#standard-licence.approvedPendingSupplement' }, { target: '#standard-licence.approved' }],
          DENY: '#standard-licence.denied',
          RETURN_TO_HANDLER: 'handling' as const,
        },
      },
    },
  };
}
