import type { ClockName } from '../../machines/process-types';

/** Who did something: a staff member, the enterprise itself, or the engine (timers, effects). */
export interface Actor {
  kind: 'staff' | 'enterprise' | 'system';
  id: string;
  name: string;
  role?: string;
  jurisdiction?: string;
}

export interface Applicant {
  name: string;
  uscc: string;
  divisionCode: string;
  contact: {
    name: string;
    phone: string;
    email: string;
    /** 手机号: notices also go by SMS to it; without it, by mail only. */
    mobile?: string;
  };
}

/** A legal time limit counted in working days; pauses and extensions move its due date. */
export interface ClockRecord {
  limitWorkingDays: number;
  startedOn: string;
  extraWorkingDays: number;
  pausedOn: string | null;
  stoppedOn: string | null;
  /** The due date last computed, kept only while it rests on a year with no official schedule, so a reload can tell whether it moved. */
  provisionalDueDate?: string;
}

/** A legal deadline stored in the aggregate, fired by the scheduler as an ordinary event. */
export interface TimerRecord {
  id: string;
  name: string;
  event: string;
  dueAt: Date;
  dueDate: string;
  status: 'pending' | 'fired' | 'cancelled';
  /** Working-day timers: the day counted from and the count, so the due date can be recomputed on an official schedule. */
  countedFrom?: string;
  workingDays?: number;
  /** True while the due date rests on a year with no official schedule (statutory holidays only). */
  provisional?: boolean;
}

export interface TimelineEntry {
  seq: number;
  at: Date;
  actor: Actor;
  event: string;
  from: string;
  to: string;
  fromStatus: string;
  toStatus: string;
  note: string;
  data?: Record<string, unknown>;
  /** Tamper evidence: sha256 over the previous entry's hash and this entry. */
  hash: string;
}

/** A side effect to run after the state change is saved; the outbox keeps every one, its attempts are recorded apart. */
export interface EffectRecord {
  id: string;
  type: string;
  params: Record<string, unknown>;
  createdAt: Date;
}

/** One application: its process snapshot, version, clocks, timers, timeline and outbox. */
export interface ApplicationRecord {
  id: string;
  applicationNo: string;
  queryCodeHash: string;
  itemCode: string;
  processId: string;
  machineVersion: number;
  snapshot: unknown;
  state: string;
  status: string;
  version: number;
  applicant: Applicant;
  materials: { code: string; provided: boolean }[];
  channel: 'window' | 'online';
  routing: { jurisdiction: string; jurisdictionName: string; department: string; provinceJurisdiction: string };
  intake: { jurisdiction: string; by: Actor };
  clocks: Partial<Record<ClockName, ClockRecord>>;
  timers: TimerRecord[];
  nextTimerAt: Date | null;
  timeline: TimelineEntry[];
  outbox: EffectRecord[];
  details: ApplicationDetails;
  /** The versions that only recorded a fact beside the state (an issued document): a sender who read an earlier version has missed nothing. */
  factVersions?: number[];
  createdAt: Date;
  updatedAt: Date;
}

/** True when every version after `version` only recorded facts (engine.record), so the state read at `version` still holds. */
export function onlyFactsSince(app: Pick<ApplicationRecord, 'version' | 'factVersions'>, version: number): boolean {
  if (version > app.version) return false;
  for (let v = version + 1; v <= app.version; v++) if (!app.factVersions?.includes(v)) return false;
  return true;
}

/** The last version that changed more than facts: what the derived views (open work) follow. */
export function lastChangeVersion(app: Pick<ApplicationRecord, 'version' | 'factVersions'>): number {
  let v = app.version;
  while (v > 1 && app.factVersions?.includes(v)) v--;
  return v;
}

/** What events recorded on the application, for people to read (notices, pledges, opinions). */
export interface ApplicationDetails {
  /** 材料审查: the last mark of each material, by code (each mark is also in the timeline). */
  materialReviews?: Record<string, MaterialReview>;
  correction?: { items: { material?: string; description: string }[]; requestedOn: string; round: number };
  refusalReason?: string;
  decision?: { outcome: 'approved' | 'denied'; on: string; note: string };
  withdrawal?: { reason: string; on: string };
  deficiency?: { missing: string[]; outstanding: string[]; promise: { signedBy: string; signedAt: string } };
  pledge?: { textVersion: string; textHash: string; signedBy: string; signedAt: string };
  verification?: { outcome: 'passed' | 'failed'; method?: string; note?: string; findings?: string; on: string };
  suspension?: { reason: string; expectedWorkingDays: number; since: string };
  extension?: { reason: string; workingDays: number; on: string };
  opinions?: Record<string, { opinion: string; note: string; by: string; on: string }>;
  /** 承办 → 审核 → 签发: who is assigned, what was proposed and checked, and who acted on each step (four eyes). */
  reviewChain?: ReviewChainRecord;
  certificateNo?: string;
  /** 延续: the number of the certificate this application renews. */
  renewalOf?: string;
  /** 延续 without re-review (安全生产许可证条例 Art. 9): the holder's declaration, and the reviewer's answer once given. */
  declaration?: RenewalDeclaration;
  /** 变更: the certificate this application changes, and the new values of its details. */
  changeOf?: string;
  changes?: CertificateChanges;
  /** 容缺预审: the pre-review this application was made from, with its findings as they stood. */
  fromPreReview?: {
    id: string;
    preReviewNo: string;
    verdict: string;
    findings: { material: string; finding: string; note: string }[];
    note: string;
    answeredOn: string;
    answeredBy: string;
  };
  /** 部门协查: the requests to other departments, with their answers (at most MAX_ASSISTANCE_REQUESTS). */
  assistance?: AssistanceRequest[];
  /** 现场核查: the inspections scheduled, with their results point by point (at most MAX_INSPECTIONS). */
  inspections?: InspectionRecord[];
}

/** One request to another department (部门协查) and how it ended. */
export interface AssistanceRequest {
  id: string;
  department: string;
  email: string;
  questions: string;
  workingDays: number;
  requestedOn: string;
  by: string;
  status: 'open' | 'answered' | 'withdrawn';
  reminders: string[];
  answer?: { text: string; by: string; channel: 'link' | 'recorded'; on: string };
  withdrawal?: { reason: string; on: string };
}

export type InspectionPointResult = 'pass' | 'fail' | 'not_applicable';

/** One site inspection (现场核查): when, where, by whom, and its result point by point. */
export interface InspectionRecord {
  id: string;
  date: string;
  place: string;
  inspectors: string[];
  note: string;
  scheduledBy: string;
  scheduledOn: string;
  status: 'scheduled' | 'recorded';
  result?: {
    points: { code: string; text: string; result: InspectionPointResult; note: string; photos: string[] }[];
    conclusion: 'pass' | 'fail';
    note: string;
    by: string;
    on: string;
  };
}

/** The review chain of one application, as its events recorded it. */
export interface ReviewChainRecord {
  /** 分办: the handler the case is assigned to; every assignment is also in the timeline. */
  assignment?: { handler: string; handlerName: string; by: string; on: string; reason?: string };
  proposal?: { decision: 'approve' | 'deny'; opinion: string; by: string; on: string };
  check?: { agree: boolean; note: string; by: string; on: string };
  returned?: { reason: string; by: string; on: string };
  /** Usernames that acted on each step: one person may not act on two steps of the same application. */
  actors: Partial<Record<'handling' | 'checking' | 'signing', string[]>>;
}

/** A reviewer's mark on one material: accepted, or needing correction for a reason. */
export interface MaterialReview {
  verdict: 'accepted' | 'needs_correction';
  reason: string;
  by: string;
  on: string;
}

/** New values of a certificate's details, by the catalog's field names. */
export type CertificateChanges = Partial<Record<'holderName' | 'principal' | 'address', string>>;

/** The holder's declaration for a renewal without re-review: no fatal accident and law-abiding during the validity. */
export interface RenewalDeclaration {
  noFatalAccident: true;
  compliant: true;
  signedBy: string;
  signedAt: string;
  /** The reviewer's answer: confirmed (decided without review) or refused (normal review). */
  outcome?: 'confirmed' | 'refused';
  reason?: string;
  by?: string;
  on?: string;
}
