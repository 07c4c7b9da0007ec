import { and, assign, not, setup, stateIn } from 'xstate';
import { assistanceContext, assistanceGuards, inspectionEvents, whileReviewing } from './assistance-inspection';
import type { ChainStep, ClockName, Label, PermitEvent, ProcessContext, ProcessInput, ReviewLevel, ReviewOpinion, StateFacts } from './process-types';
import { resumeReview, reviewChain } from './review-chain';
import * as S from './statuses';

// What a state is called on the diagram and which status it shows.
const facts = (zh: string, en: string, status?: StateFacts['status'], more: Partial<StateFacts> = {}): StateFacts => ({ label: { zh, en }, status, ...more });


// Art. 32: no acceptance, refusal or correction notice within the intake period of receipt → deemed accepted.
// Started on receipt only: once the one-time correction notice is given, the clerk decides on the corrected materials.
const startIntakeTimer = {
  type: 'startTimer',
  params: ({ context }: { context: ProcessContext }) => ({ name: 'intake', event: 'DEEMED_ACCEPTED', days: context.intakeDays, basis: 'working' as const }),
} as const;

// 容缺: the deadline to supply the missing materials (item setting, working days).
const startSupplementTimer = {
  type: 'startTimer',
  params: ({ context }: { context: ProcessContext }) => ({ name: 'supplement', event: 'SUPPLEMENT_DEADLINE_PASSED', days: context.supplementDays, basis: 'working' as const }),
} as const;
const cancelSupplementTimer = { type: 'cancelTimer', params: { name: 'supplement' } } as const;

// Materials are reviewed one by one while they are taken or read; the verdict is recorded by the event, the state stays.
const materialReview = { MARK_MATERIAL: { actions: 'noteMaterialReview' } } as const;

// While a decision is pending, missing materials may come in, and their deadline may pass.
const whileDeficient = {
  SUPPLEMENT: [
    { guard: 'suppliesAllMissing', actions: ['removeSupplied', cancelSupplementTimer] },
    { guard: 'isDeficient', actions: 'removeSupplied' },
  ],
  SUPPLEMENT_DEADLINE_PASSED: { guard: 'isDeficient', target: '#standard-licence.terminated' },
} as const;

/**
 * The standard licence process (行政许可一般程序), with the two acceptance variants that
 * shorten it: 容缺受理 (deficient-but-accepted) and 告知承诺 (commitment-based approval).
 * Legal deadlines are engine timers (startTimer/cancelTimer), never XState `after`.
 */
export const standardLicence = setup({
  types: {} as { context: ProcessContext; events: PermitEvent; input: ProcessInput },
  actions: {
    // Clocks are named: 'decision' for the whole application, 'city'/'province' for 省市联审 branches.
    startClock: (_, _params?: { clock: ClockName }) => {},
    pauseClock: (_, _params?: { clock: ClockName }) => {},
    resumeClock: (_, _params?: { clock: ClockName }) => {},
    // A chain step's clock, stopped when a suspension left the step, runs on from where it stopped (the step's entry then starts nothing).
    continueClock: (_, _params: { clock: ClockName }) => {},
    restartClock: (_, _params?: { clock: ClockName }) => {},
    extendClock: (_, _params?: { clock: ClockName }) => {},
    // The clock keeps its start and takes the limit the item now sets for the application.
    resetClockLimit: (_, _params?: { clock: ClockName }) => {},
    stopClock: (_, _params?: { clock: ClockName }) => {},
    // `from`: count from that day instead of today (an inspection's result is due after its date).
    startTimer: (_, _params: { name: string; event: string; days: number; basis: 'working' | 'natural'; from?: string }) => {},
    // `drop`: the timer leaves the record instead of staying as cancelled.
    cancelTimer: (_, _params: { name: string; drop?: boolean }) => {},
    issueCertificate: () => {},
    // 部门协查: the mail with the request's link (or a reminder) to the other department; 现场核查: the notice to the enterprise.
    mailDepartment: (_, _params: { requestId: string; kind: 'request' | 'reminder' }) => {},
    mailApplicant: (_, _params: { kind: 'inspection' }) => {},
    // A request's or an inspection's own deadline passed: recorded in the timeline, its light turns red.
    noteOverdue: () => {},
    openAssistance: assign(assistanceContext.openAssistance),
    closeAssistance: assign(assistanceContext.closeAssistance),
    openInspection: assign(assistanceContext.openInspection),
    closeInspection: assign(assistanceContext.closeInspection),
    noteMaterialReview: () => {},
    noteAssignment: () => {},
    requestAssignment: () => {},
    noteChainStep: assign({ chainStep: (_, params: { step: ChainStep }) => params.step }),
    revokeCertificate: () => {},
    recordCreditRecord: (_, _params: { kind: 'broken_promise' | 'false_commitment' }) => {},
    markExtended: assign({ extended: true }),
    declarationRefused: assign({ declarationToConfirm: false }),
    markVerificationOverdue: assign({ verificationOverdue: true }),
    recordCertificate: assign({
      certificateNo: ({ context, event }) => (event.type === 'CERTIFICATE_ISSUED' ? event.certificateNo : context.certificateNo),
    }),
    recordMissing: assign({
      missing: ({ event }) => (event.type === 'ACCEPT_WITH_DEFICIENCY' ? [...event.missing] : []),
    }),
    recordOpinion: assign({
      opinions: ({ context, event }) =>
        event.type === 'REVIEW_OPINION' ? { ...context.opinions, [event.level]: { opinion: event.opinion, note: event.note } } : context.opinions,
    }),
    removeSupplied: assign({
      missing: ({ context, event }) =>
        event.type === 'SUPPLEMENT' ? context.missing.filter((code) => !event.materials.includes(code)) : context.missing,
    }),
  },
  guards: {
    assistanceExcluded: assistanceGuards.assistanceExcluded,
    inspectionExcludedNoneOpen: assistanceGuards.inspectionExcludedNoneOpen,
    assistanceOpen: assistanceGuards.assistanceOpen,
    inspectionOpen: assistanceGuards.inspectionOpen,
    noInspectionOpen: assistanceGuards.noInspectionOpen,
    // 特别程序 keeps the clock paused: closing the last excluded request there leaves it to RESUME.
    closesLastExcludedRequest: and([assistanceGuards.closesLastExcludedRequest, not(stateIn('#standard-licence.review.suspended'))]),
    closesExcludedInspection: and([assistanceGuards.closesExcludedInspection, not(stateIn('#standard-licence.review.suspended'))]),
    // RESUME's way back (resumeReview): the chain's step it left (any step of a chain falls back to handling), or one
    // reviewer; `held` whether excluded work is still open, which keeps the decision clock paused.
    resumesTo: ({ context }, params: { step: ChainStep | null; held: boolean }) => {
      const chained = (context.reviewSteps ?? 1) > 1;
      const back = params.step === null ? true : params.step === 'handling' ? chained : chained && context.chainStep === params.step;
      return back && assistanceGuards.excludedWorkOpen({ context } as never) === params.held;
    },
    allowsDeficientAcceptance: ({ context }) => context.allowsDeficientAcceptance,
    allowsCommitment: ({ context }) => context.allowsCommitment,
    correctionRestartsClock: ({ context }) => context.correctionRestartsClock,
    isDeficient: ({ context }) => context.missing.length > 0,
    notExtended: ({ context }) => !context.extended,
    isJointReview: ({ context }) => context.jointReview,
    declarationToConfirm: ({ context }) => context.declarationToConfirm === true,
    // The review chain: more than one step, and a check between handler and leader at three.
    chained: ({ context }) => (context.reviewSteps ?? 1) > 1,
    threeSteps: ({ context }) => context.reviewSteps === 3,
    agrees: ({ event }) => event.type === 'CHECK' && event.agree,
    chainStepWas: ({ context }, params: { step: ChainStep }) => context.chainStep === params.step,
    noDeclarationToConfirm: ({ context }) => context.declarationToConfirm !== true,
    opinionIs: ({ event }, params: { level: ReviewLevel; opinion: ReviewOpinion }) =>
      event.type === 'REVIEW_OPINION' && event.level === params.level && event.opinion === params.opinion,
    reworkFor: ({ event }, params: { level: ReviewLevel }) => event.type === 'SUBMIT_REWORK' && event.level === params.level,
    // A supplement that leaves nothing missing clears the deficiency.
    suppliesAllMissing: ({ context, event }) =>
      event.type === 'SUPPLEMENT' && context.missing.length > 0 &&
      context.missing.every((code) => (event.materials ?? []).includes(code)),
  },
}).createMachine({
  id: 'standard-licence',
  context: ({ input }) => ({
    allowsDeficientAcceptance: input.allowsDeficientAcceptance,
    allowsCommitment: input.allowsCommitment,
    correctionRestartsClock: input.correctionRestartsClock,
    correctionDays: input.correctionDays,
    intakeDays: input.intakeDays,
    supplementDays: input.supplementDays,
    verificationDays: input.verificationDays,
    jointReview: input.jointReview,
    declarationToConfirm: input.declarationToConfirm ?? false,
    reviewSteps: input.reviewSteps ?? 1,
    assistanceExcluded: input.assistanceExcluded ?? false,
    inspectionExcluded: input.inspectionExcluded ?? false,
    inspectionResultDays: input.inspectionResultDays ?? 3,
    assistanceSeq: 0,
    openAssistance: [],
    inspectionOpen: false,
    opinions: {},
    missing: [],
    extended: false,
    verificationOverdue: false,
    certificateNo: null,
  }),
  initial: 'intake',
  // The decision clock counts from receipt, also when the application is deemed accepted.
  entry: ['startClock', startIntakeTimer],
  states: {
    // 受理审查: the window decides to accept, ask for a one-time correction, or refuse.
    intake: {
      meta: facts('受理审查', 'Intake', S.SUBMITTED),
      // Any decision of the window (or a withdrawal) ends the intake period; a met office deadline is dropped, the timeline records the decision.
      exit: { type: 'cancelTimer', params: { name: 'intake', drop: true } },
      on: {
        ACCEPT: [{ guard: 'isJointReview', target: 'jointReview' }, { target: 'review' }],
        // Fired by the intake timer; the decision clock keeps counting from receipt.
        DEEMED_ACCEPTED: [{ guard: 'isJointReview', target: 'jointReview' }, { target: 'review' }],
        // A joint-review item accepted with missing materials still needs both opinions.
        ACCEPT_WITH_DEFICIENCY: [
          { guard: and(['allowsDeficientAcceptance', 'isJointReview']), target: 'jointReview', actions: ['recordMissing', startSupplementTimer] },
          { guard: 'allowsDeficientAcceptance', target: 'review', actions: ['recordMissing', startSupplementTimer] },
        ],
        ACCEPT_ON_COMMITMENT: { guard: 'allowsCommitment', target: 'issuedPendingVerification' },
        REQUEST_CORRECTION: 'correctionRequired',
        REJECT: 'notAccepted',
        WITHDRAW: 'withdrawn',
        ...materialReview,
      },
    },
    // 补正: the applicant's time is not counted in the decision limit.
    correctionRequired: {
      meta: facts('补正材料', 'Correction', S.CORRECTION_REQUIRED),
      entry: [
        'pauseClock',
        { type: 'startTimer', params: ({ context }) => ({ name: 'correction', event: 'CORRECTION_DEADLINE_PASSED', days: context.correctionDays, basis: 'natural' as const }) },
      ],
      exit: { type: 'cancelTimer', params: { name: 'correction' } },
      on: {
        SUBMIT_CORRECTION: [
          { guard: 'correctionRestartsClock', target: 'intake', actions: 'restartClock' },
          { target: 'intake', actions: 'resumeClock' },
        ],
        CORRECTION_DEADLINE_PASSED: 'notAccepted',
        WITHDRAW: 'withdrawn',
        ...materialReview,
      },
    },
    review: {
      meta: facts('审查', 'Review'),
      initial: 'active',
      on: {
        ...whileDeficient,
        ...materialReview,
        ...whileReviewing,
        WITHDRAW: 'withdrawn',
      },
      states: {
        active: {
          meta: facts('审查中', 'Reviewing', S.UNDER_REVIEW, { deficientStatus: S.ACCEPTED_DEFICIENT }),
          // An item with a review chain is reviewed step by step; one step stays here, the reviewer decides.
          always: { guard: 'chained', target: 'chain' },
          on: {
            // While the holder's Art. 9 declaration waits for an answer, the reviewer confirms or refuses it first.
            APPROVE: [
              { guard: and(['noDeclarationToConfirm', 'isDeficient']), target: '#standard-licence.approvedPendingSupplement' },
              { guard: 'noDeclarationToConfirm', target: '#standard-licence.approved' },
            ],
            // 安全生产许可证条例 Art. 9: a confirmed declaration is the decision, without a new review.
            CONFIRM_DECLARATION: [
              { guard: and(['declarationToConfirm', 'isDeficient']), target: '#standard-licence.approvedPendingSupplement' },
              { guard: 'declarationToConfirm', target: '#standard-licence.approved' },
            ],
            // Refused: the normal review, on the item's normal promised limit.
            REFUSE_DECLARATION: { guard: 'declarationToConfirm', actions: ['declarationRefused', 'resetClockLimit'] },
            DENY: '#standard-licence.denied',
            SUSPEND: 'suspended',
            EXTEND: { guard: 'notExtended', actions: ['markExtended', 'extendClock'] },
          },
        },
        // 中止/特别程序: hearings, expert review, inspection, testing are not counted.
        suspended: {
          meta: facts('中止（特别程序）', 'Suspended', S.SUSPENDED),
          entry: 'pauseClock',
          // RESUME resumes the clock itself, unless excluded work is still open (resumeReview).
          on: { RESUME: resumeReview },
        },
        chain: reviewChain(),
      },
    },
    // 省市联审: city and province review in parallel; all approve → approved, any reject → denied.
    jointReview: {
      meta: facts('省市联审', 'Joint review', S.UNDER_REVIEW, { deficientStatus: S.ACCEPTED_DEFICIENT }),
      type: 'parallel',
      on: {
        ...whileDeficient,
        ...materialReview,
        ...whileReviewing,
        // Art. 26: the joint handling limit may be extended once.
        EXTEND: { guard: 'notExtended', actions: ['markExtended', 'extendClock'] },
        WITHDRAW: 'withdrawn',
      },
      // With a review chain, the joined opinions go to the deciding (city) level's handler, chief and leader.
      onDone: [{ guard: 'chained', target: 'review.chain' }, { guard: 'isDeficient', target: 'approvedPendingSupplement' }, { target: 'approved' }],
      states: {
        city: jointBranch('city', { zh: '市级', en: 'City' }),
        province: jointBranch('province', { zh: '省级', en: 'Province' }),
      },
    },
    // The decision is made; the certificate waits until every missing material is in.
    approvedPendingSupplement: {
      meta: facts('已准予，待补齐材料', 'Approved, awaiting materials', S.APPROVED_PENDING_SUPPLEMENT),
      entry: 'stopClock',
      on: {
        SUPPLEMENT: [
          { guard: 'suppliesAllMissing', target: 'approved', actions: ['removeSupplied', cancelSupplementTimer] },
          { guard: 'isDeficient', actions: 'removeSupplied' },
        ],
        SUPPLEMENT_DEADLINE_PASSED: { guard: 'isDeficient', target: 'terminated' },
        ...materialReview,
      },
    },
    approved: {
      meta: facts('准予许可，制证中', 'Approved, issuing certificate', S.APPROVED),
      entry: ['stopClock', 'issueCertificate'],
      on: { CERTIFICATE_ISSUED: { target: 'completed', actions: 'recordCertificate' } },
    },
    // 告知承诺: decided and issued on the pledge, verified afterwards (核查).
    issuedPendingVerification: {
      meta: facts('已发证，待核查', 'Issued, verification pending', S.ISSUED_PENDING_VERIFICATION),
      entry: [
        'stopClock',
        'issueCertificate',
        { type: 'startTimer', params: ({ context }) => ({ name: 'verification', event: 'VERIFICATION_DEADLINE_PASSED', days: context.verificationDays, basis: 'working' as const }) },
      ],
      exit: { type: 'cancelTimer', params: { name: 'verification' } },
      on: {
        // An action, not `{}`: XState treats an empty transition as forbidden, and the number would never be recorded.
        CERTIFICATE_ISSUED: { actions: 'recordCertificate' },
        VERIFICATION_DEADLINE_PASSED: { actions: 'markVerificationOverdue' },
        // 告知承诺 verification by site visit uses the inspection record.
        ...inspectionEvents,
        VERIFY_PASSED: 'completed',
        VERIFY_FAILED: {
          target: 'revoked',
          actions: ['revokeCertificate', { type: 'recordCreditRecord', params: { kind: 'false_commitment' as const } }],
        },
      },
    },
    completed: { type: 'final', meta: facts('已办结', 'Completed', S.COMPLETED) },
    denied: { type: 'final', entry: 'stopClock', meta: facts('不予许可', 'Denied', S.DENIED) },
    notAccepted: { type: 'final', entry: 'stopClock', meta: facts('不予受理', 'Not accepted', S.NOT_ACCEPTED) },
    withdrawn: { type: 'final', entry: 'stopClock', meta: facts('已撤回', 'Withdrawn', S.WITHDRAWN) },
    // 终止: the promised supplement did not arrive in time; the applicant's promise is broken.
    terminated: {
      type: 'final',
      meta: facts('终止办理', 'Terminated', S.TERMINATED),
      entry: ['stopClock', { type: 'recordCreditRecord', params: { kind: 'broken_promise' as const } }],
    },
    revoked: { type: 'final', meta: facts('许可已撤销', 'Licence revoked', S.REVOKED) },
  },
});

/** One level's review inside 省市联审; a 'return' sends only this branch back for rework. */
function jointBranch(level: ReviewLevel, name: Label) {
  const clock = { clock: level };
  return {
    meta: facts(`${name.zh}审查`, `${name.en} branch`),
    initial: 'reviewing' as const,
    entry: { type: 'startClock' as const, params: clock },
    states: {
      reviewing: {
        meta: facts(`${name.zh}审查中`, `${name.en} reviewing`),
        on: {
          REVIEW_OPINION: [
            { guard: { type: 'opinionIs' as const, params: { level, opinion: 'approve' as const } }, target: 'approved', actions: 'recordOpinion' as const },
            { guard: { type: 'opinionIs' as const, params: { level, opinion: 'reject' as const } }, target: '#standard-licence.denied', actions: 'recordOpinion' as const },
            { guard: { type: 'opinionIs' as const, params: { level, opinion: 'return' as const } }, target: 'returned', actions: 'recordOpinion' as const },
          ],
        },
      },
      returned: {
        meta: facts(`${name.zh}退回修改`, `Returned by ${name.en.toLowerCase()}`),
        entry: { type: 'pauseClock' as const, params: clock },
        exit: { type: 'resumeClock' as const, params: clock },
        on: { SUBMIT_REWORK: { guard: { type: 'reworkFor' as const, params: { level } }, target: 'reviewing' } },
      },
      approved: { type: 'final' as const, entry: { type: 'stopClock' as const, params: clock }, meta: facts(`${name.zh}通过`, `${name.en} approved`) },
    },
  };
}
