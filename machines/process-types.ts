/** What an item's catalog settings tell a process when it starts. */
export interface ProcessInput {
  allowsDeficientAcceptance: boolean;
  allowsCommitment: boolean;
  correctionRestartsClock: boolean;
  correctionDays: number;
  /** Art. 32: working days the window has to accept, refuse or notify a correction before the application counts as accepted. */
  intakeDays: number;
  supplementDays: number;
  verificationDays: number;
  /** 省市联审: city and province review in parallel. */
  jointReview: boolean;
  /** 延续 without re-review (Art. 9): the holder declared no fatal accident and compliance; the reviewer confirms or refuses it after acceptance (absent from snapshots saved before). */
  declarationToConfirm?: boolean;
  /** The review chain (承办 → 审核 → 签发): 1 step (one reviewer decides), 2 (handler → leader) or 3 (handler → chief → leader); absent from snapshots saved before (1). */
  reviewSteps?: number;
  /** 部门协查: the time a request to another department is open is not counted in the decision limit (absent from older snapshots: counted). */
  assistanceExcluded?: boolean;
  /** 现场核查: the time from scheduling an inspection to its result is not counted (absent from older snapshots: counted). */
  inspectionExcluded?: boolean;
  /** 现场核查: working days after the inspection date for its result (the overdue timer). */
  inspectionResultDays?: number;
}

export interface ProcessContext extends ProcessInput {
  /** 容缺: secondary materials still owed by the applicant. */
  missing: string[];
  extended: boolean;
  verificationOverdue: boolean;
  /** Set when the certificate is issued (absent from snapshots saved before it was kept here). */
  certificateNo: string | null;
  /** 省市联审 opinions; a returned branch keeps its last opinion until it is reviewed again. */
  opinions: Partial<Record<ReviewLevel, { opinion: ReviewOpinion; note: string }>>;
  /** The review chain's step in hand, which a suspension comes back to (absent outside the chain). */
  chainStep?: ChainStep;
  /** 部门协查: requests opened so far (ids A1, A2, …) and those still open (absent from older snapshots). */
  assistanceSeq?: number;
  openAssistance?: string[];
  /** 现场核查: a scheduled inspection waits for its result. */
  inspectionOpen?: boolean;
}

export type ReviewLevel = 'city' | 'province';
/** A step of the review chain, each on its own clock of its share of the promised limit. */
export type ChainStep = 'handling' | 'checking' | 'signing';
export type ClockName = 'decision' | ReviewLevel | ChainStep;
export type ReviewOpinion = 'approve' | 'reject' | 'return';

/** Every event a permit process understands; payloads are validated by the engine before they get here. */
export type PermitEvent =
  | { type: 'ACCEPT' }
  | { type: 'REQUEST_CORRECTION'; items: { material?: string; description: string }[] }
  | { type: 'SUBMIT_CORRECTION' }
  | { type: 'MARK_MATERIAL'; material: string; verdict: 'accepted' | 'needs_correction'; reason?: string }
  | { type: 'REJECT'; reason: string }
  | { type: 'APPROVE'; note?: string }
  | { type: 'DENY'; reason: string }
  | { type: 'WITHDRAW'; reason: string }
  | { type: 'ACCEPT_WITH_DEFICIENCY'; missing: string[]; promise: { signedBy: string; signedAt: string } }
  | { type: 'SUPPLEMENT'; materials: string[] }
  | { type: 'ACCEPT_ON_COMMITMENT'; pledge: { textVersion: string; signedBy: string; signedAt: string } }
  | { type: 'VERIFY_PASSED'; method: string; note?: string }
  | { type: 'VERIFY_FAILED'; findings: string }
  | { type: 'SUSPEND'; reason: string; expectedWorkingDays: number }
  | { type: 'RESUME' }
  | { type: 'EXTEND'; reason: string }
  | { type: 'REVIEW_OPINION'; level: ReviewLevel; opinion: ReviewOpinion; note: string }
  | { type: 'SUBMIT_REWORK'; level: ReviewLevel }
  | { type: 'PROPOSE'; decision: 'approve' | 'deny'; opinion: string }
  | { type: 'CHECK'; agree: boolean; note: string }
  | { type: 'RETURN_TO_HANDLER'; reason: string }
  | { type: 'ASSIGN'; handler: string; reason?: string }
  | { type: 'CONFIRM_DECLARATION'; note?: string }
  | { type: 'REFUSE_DECLARATION'; reason: string }
  | { type: 'CERTIFICATE_ISSUED'; certificateNo: string }
  | { type: 'REQUEST_ASSISTANCE'; department: string; email: string; questions: string; workingDays: number }
  | { type: 'RECORD_ASSISTANCE'; requestId: string; answer: string }
  | { type: 'REMIND_ASSISTANCE'; requestId: string; note?: string }
  | { type: 'WITHDRAW_ASSISTANCE'; requestId: string; reason: string }
  | { type: 'ASSISTANCE_DEADLINE_PASSED' }
  | { type: 'SCHEDULE_INSPECTION'; date: string; place: string; inspectors: string[]; note?: string }
  | { type: 'RECORD_INSPECTION'; points: { code: string; result: 'pass' | 'fail' | 'not_applicable'; note?: string; photos?: string[] }[]; conclusion: 'pass' | 'fail'; note?: string }
  | { type: 'INSPECTION_OVERDUE' }
  | { type: 'CORRECTION_DEADLINE_PASSED' }
  | { type: 'DEEMED_ACCEPTED' }
  | { type: 'SUPPLEMENT_DEADLINE_PASSED' }
  | { type: 'VERIFICATION_DEADLINE_PASSED' };

export type PermitEventType = PermitEvent['type'];

/** Words a person reads: Chinese first, English beside it. */
export interface Label {
  zh: string;
  en: string;
}

/** A status as people read it: in full (timeline, status page, mail) and short (the console's lists). */
export interface StatusFact {
  id: string;
  label: Label;
  short: Label;
  /** A renewal in this status no longer waits for a decision, though the state is not final. */
  settled?: boolean;
}

/** What a state node of a chart says about itself (`meta`): its name on the diagram and the status it shows. */
export interface StateFacts {
  label: Label;
  status?: StatusFact;
  /** The status while secondary materials are still owed (容缺). */
  deficientStatus?: StatusFact;
}
