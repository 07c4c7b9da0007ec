import { DOCUMENT_ISSUED } from '../events/system-events';
import type { PermitEvent } from '../../machines/process-types';
import type { CatalogItem } from '../catalog/types';
import type { CertificateStore } from '../certificates/certificate-store';
import type { CreditStore } from '../certificates/credit-store';
import { issueCertificateFor } from '../certificates/issue-certificate';
import { issuerOf } from '../certificates/issuing-office';
import type { Catalog } from '../catalog/types';
import { issueDocument, type DocumentIssuerDeps } from '../documents/issue-document';
import { withConflictRetry } from '../conflict-retry';
import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import type { PermitEngine } from '../engine/permit-engine';
import type { DeadlineMove } from '../engine/recalculate-deadlines';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import { isAppError } from '../errors';
import type { Mailer } from '../notifications/mailer';
import { deadlineChangedMail, statusChangedMail } from '../notifications/status-mail';
import { mobileOf, type SmsSender } from '../notifications/sms';
import { deadlineChangedSms, evaluationInvitationSms, statusChangedSms, type SmsBody } from '../notifications/sms-text';
import { evaluationInvitationMail } from '../notifications/evaluation-mail';
import { STAGE_DONE, type Stage } from '../evaluations/evaluation-rules';
import { invitationAt, type EvaluationSettings } from '../evaluations/invitations';
import { invitedFact, type EvaluationFacts } from '../evaluations/evaluation-facts';
import { assistanceMail, inspectionMail } from '../notifications/assistance-mail';
import type { ApplicationStore } from '../store/application-store';
import type { StaffStore } from '../auth/staff-store';
import { chainStepOf } from '../auth/review-chain';
import { shanghaiDate, type WorkingCalendar } from '../calendar';
import { factsOf } from '../statistics/facts';
import type { StatisticsDays } from '../store/statistics-days';

export interface EffectHandlerDeps {
  store: Pick<ApplicationStore, 'get' | 'nextSequence'>;
  documents: DocumentIssuerDeps;
  catalog: Catalog;
  engine: PermitEngine;
  certificates: CertificateStore;
  credits: CreditStore;
  mailer: Mailer;
  sms: SmsSender;
  /** The public status page of an application (办件查询), as the SMS links it. */
  statusUrl: (applicationNo: string) => string;
  itemOf: (code: string) => CatalogItem;
  now: () => Date;
  /** 分办: who assigns review-chain cases, the staff to assign them to, and the turns of round-robin assignment. */
  assignment: 'chief' | 'round_robin';
  staff: Pick<StaffStore, 'list'>;
  turns: { next: (jurisdiction: string, applicationId: string) => Promise<number> };
  /** 部门协查: the public link that answers one request of the application. */
  assistanceLink: (app: ApplicationRecord, requestId: string) => string;
  /** 好差评: how long an invitation stays open, and where its facts go (the statistics). */
  evaluation: EvaluationSettings;
  evaluationFacts: Pick<EvaluationFacts, 'emit'>;
  /** 监管统计: the kept counts per jurisdiction and day, and the calendar the working days used are counted on. */
  statistics: Pick<StatisticsDays, 'count'>;
  calendar: WorkingCalendar;
}

/**
 * What one effect does; it may run more than once, so each is idempotent. It answers `UNCHANGED` when it
 * leaves the application document as it was (a mail), so the runner need not read it again.
 */
export type EffectHandler = (app: ApplicationRecord, effect: EffectRecord) => Promise<void | typeof UNCHANGED>;

export const UNCHANGED = 'unchanged' as const;

/**
 * Effects the request that causes them does not wait for. Rendering one instrument takes about 40 ms warm (p90 80 ms)
 * and 300–700 ms cold on a busy 2-core machine (a CJK font is subset into each PDF), against an event budget of 50 ms: the
 * process issues them right after its response (effect-runner.ts `runLater`), and the sweep catches what it left.
 */
// The statistics' counts wait too: a day document is shared by the day's writers, and a request need not wait for them.
export const DEFERRED_EFFECTS: ReadonlySet<string> = new Set(['issueDocument', 'countStatistics']);

/** The effects an outbox may hold, by type: certificates, credit records, mails, SMS. */
export function createEffectHandlers(deps: EffectHandlerDeps): Record<string, EffectHandler> {
  /** Applies an engine event, re-reading on conflicts; an event the state no longer accepts was already applied. */
  const applySystemEvent = (appId: string, event: PermitEvent, details: ApplicationRecord['details'], done: (a: ApplicationRecord) => boolean) =>
    withConflictRetry(async () => {
      const app = await deps.store.get(appId);
      if (!app || done(app)) return;
      try {
        await deps.engine.apply(app, event, SYSTEM_ACTOR, { details });
      } catch (e) {
        if (!(isAppError(e) && e.code === 'EVENT_NOT_ALLOWED')) throw e;
      }
    }, { attempts: 10, exhausted: () => { throw new Error(`could not apply ${event.type} to ${appId}: too many concurrent changes`); } });

  /** An SMS beside a mail: its own effect, so a failed SMS is retried without mailing again; the messageId lets the gateway drop a resend. */
  const sendSms = async (app: ApplicationRecord, effect: EffectRecord, body: SmsBody) => {
    const to = mobileOf(app.applicant.contact);
    if (to) await deps.sms.send({ to, messageId: `sms.${app.id}.${effect.id}`, ...body });
    return UNCHANGED;
  };

  // The invitation is dated by its effect, i.e. the change that reached the stage; the status page reads the same date from the timeline.
  const invitationFor = (effect: EffectRecord) => invitationAt(effect.params.stage as Stage, new Date(effect.createdAt), deps.evaluation);

  const handlers: Record<string, EffectHandler> = {
    // Round-robin 分办: the next active reviewer of the routed body, in username order; an assigned case is left alone.
    async requestAssignment(app) {
      if (deps.assignment !== 'round_robin' || app.details.reviewChain?.assignment || !chainStepOf(app)) return UNCHANGED;
      // The routed section's handlers (科室), and those of no section, who serve every one.
      const reviewers = (await deps.staff.list()).filter((a) => a.active && a.role === 'reviewer' && a.jurisdiction === app.routing.jurisdiction && (!a.department || a.department === app.routing.department));
      if (!reviewers.length) return UNCHANGED; // it stays in the chief's queue
      const handler = reviewers[((await deps.turns.next(app.routing.jurisdiction, app.id)) - 1) % reviewers.length];
      const assignment = { handler: handler.username, handlerName: handler.name, by: SYSTEM_ACTOR.name, on: shanghaiDate(deps.now()) };
      await applySystemEvent(app.id, { type: 'ASSIGN', handler: handler.username }, { reviewChain: { ...(app.details.reviewChain ?? { actors: {} }), assignment } }, (a) => Boolean(a.details.reviewChain?.assignment));
    },
    async issueCertificate(app) {
      // A pledge found false before the certificate was made: nothing to issue.
      if (app.status === 'revoked') return;
      const cert = await issueCertificateFor(app, deps.itemOf(app.itemCode), {
        certificates: deps.certificates,
        nextSequence: deps.store.nextSequence,
        now: deps.now(),
        issuer: (routing) => issuerOf(deps.catalog, routing),
      });
      // The revocation may have landed while the certificate was being made; it must not stay valid.
      if ((await deps.store.get(app.id))?.status === 'revoked') await handlers.revokeCertificate(app, { id: 'late-revocation', type: 'revokeCertificate', params: {}, createdAt: deps.now() });
      await applySystemEvent(app.id, { type: 'CERTIFICATE_ISSUED', certificateNo: cert.number }, { certificateNo: cert.number }, (a) => a.details.certificateNo === cert.number);
    },
    async issueDocument(app, effect) {
      const { document, certificate } = await issueDocument(app, effect, deps.documents);
      if (certificate) await deps.certificates.recordPdf(certificate.number, { documentId: document.id, sha256: document.sha256 }, deps.now());
      const fact = { event: DOCUMENT_ISSUED, note: `${document.title} ${document.number}`, data: { documentId: document.id, kind: document.kind, number: document.number, sha256: document.sha256, issuedAt: new Date(document.issuedAt).toISOString() } };
      await withConflictRetry(async () => {
        const current = await deps.store.get(app.id);
        if (!current || current.timeline.some((t) => t.event === fact.event && t.data?.documentId === document.id)) return;
        await deps.engine.record(current, fact, SYSTEM_ACTOR);
      }, { attempts: 10, exhausted: () => { throw new Error(`could not record ${document.id} on ${app.id}: too many concurrent changes`); } });
    },
    async revokeCertificate(app) {
      const cert = await deps.certificates.findByApplication(app.id);
      if (cert && cert.status !== 'revoked') {
        await deps.certificates.setStatus(cert.number, 'revoked', 'revoked', `撤销（告知承诺核查不实）/ revoked: ${app.details.verification?.findings ?? ''}`, deps.now());
      }
    },
    async recordCreditRecord(app, effect) {
      await deps.credits.record({
        uscc: app.applicant.uscc,
        kind: effect.params.kind as 'broken_promise' | 'false_commitment',
        applicationId: app.id,
        createdAt: deps.now(),
        note: app.applicationNo,
      });
      return UNCHANGED;
    },
    async notifyApplicant(app, effect) {
      const mail = statusChangedMail(app, deps.itemOf(app.itemCode).name, String(effect.params.status), String(effect.params.event));
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
      return UNCHANGED;
    },
    // 部门协查: the mail (request or reminder) to the department, once per effect (a stable Message-ID).
    async mailDepartment(app, effect) {
      const request = app.details.assistance?.find((r) => r.id === effect.params.requestId);
      const due = app.timers.find((t) => t.name === `assistance-${String(effect.params.requestId)}`);
      if (!request || request.status !== 'open' || !due) return UNCHANGED;
      const mail = assistanceMail(app, deps.itemOf(app.itemCode).name, request, deps.assistanceLink(app, request.id), due.dueDate, effect.params.kind === 'reminder' ? 'reminder' : 'request');
      await deps.mailer.send({ to: request.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
      return UNCHANGED;
    },
    // 现场核查: the enterprise is told of the scheduled inspection.
    async mailApplicant(app, effect) {
      const inspection = app.details.inspections?.at(-1);
      if (!inspection || inspection.status !== 'scheduled') return UNCHANGED;
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...inspectionMail(app, deps.itemOf(app.itemCode).name, inspection) });
      return UNCHANGED;
    },
    async notifyDeadlineChanged(app, effect) {
      const mail = deadlineChangedMail(app, deps.itemOf(app.itemCode).name, effect.params.moves as DeadlineMove[]);
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
      return UNCHANGED;
    },
    // 好差评: the invitation to rate the stage, once (a stable Message-ID); its fact is keyed, so a retry is not counted twice.
    async inviteEvaluation(app, effect) {
      const invitation = invitationFor(effect);
      const mail = evaluationInvitationMail(app, deps.itemOf(app.itemCode).name, STAGE_DONE[invitation.stage], invitation.expiresOn, deps.statusUrl(app.applicationNo));
      await deps.mailer.send({ to: app.applicant.contact.email, messageId: `<${app.id}.${effect.id}@permit-engine>`, ...mail });
      await deps.evaluationFacts.emit(invitedFact(app, invitation.stage, invitation.invitedAt, invitation.expiresOn));
      return UNCHANGED;
    },
    smsEvaluationInvitation: (app, effect) => {
      const invitation = invitationFor(effect);
      return sendSms(app, effect, evaluationInvitationSms(app.applicationNo, STAGE_DONE[invitation.stage].zh, invitation.expiresOn, deps.statusUrl(app.applicationNo)));
    },
    // Every count the application makes so far, each added once (a re-run, or a later run that sees more, counts nothing twice).
    async countStatistics(app) {
      await deps.statistics.count(factsOf(app, deps.itemOf(app.itemCode), deps.calendar, deps.evaluation));
      return UNCHANGED;
    },
    smsApplicant: (app, effect) => sendSms(app, effect, statusChangedSms(app.applicationNo, String(effect.params.status), deps.statusUrl(app.applicationNo))),
    smsDeadlineChanged: (app, effect) => sendSms(app, effect, deadlineChangedSms(app.applicationNo, effect.params.moves as DeadlineMove[], deps.statusUrl(app.applicationNo))),
  };
  return handlers;
}
