import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createStaffStore } from './auth/staff-store';
import { createInternalNoteStore } from './store/internal-notes';
import { createAssignmentTurns } from './store/assignment-turns';
import { createTokenService } from './auth/tokens';
import { assistanceToken } from './use-cases/assistance';
import type { ApplicationRecord } from './engine/application-record';
import { WorkingCalendar, loadCalendars } from './calendar';
import { findItem, loadCatalog } from './catalog/load-catalog';
import { loadPledgeTexts } from './catalog/load-pledges';
import type { CatalogItem } from './catalog/types';
import { createCertificateStore } from './certificates/certificate-store';
import { createCreditStore } from './certificates/credit-store';
import { createReminderOutbox } from './certificates/reminder-outbox';
import { createReminderStore } from './certificates/reminder-store';
import type { AppConfig } from './config/app-config';
import { createEffectRunner } from './effects/effect-runner';
import { createBlobStore } from './files/blob-store';
import { createFileStore } from './files/file-store';
import { createPreReviewStore } from './pre-reviews/pre-review-store';
import { DEFERRED_EFFECTS, createEffectHandlers } from './effects/handlers';
import { createQuietGate } from './effects/quiet-gate';
import { createDocumentStore } from './documents/document-store';
import { CERTIFICATE_CHECK, type DocumentIssuerDeps } from './documents/issue-document';
import { API_PREFIX } from './http/api-prefix';
import { createPermitEngine, type PermitEngine } from './engine/permit-engine';
import type { Logger } from './logger';
import { createMailer, type Mailer } from './notifications/mailer';
import { createSmsSender } from './notifications/sms';
import { createApplicationStore } from './store/application-store';
import { createStatisticsDays } from './store/statistics-days';
import { reminderFact } from './statistics/recount';
import { createEffectAttemptStore } from './store/effect-attempt-store';
import { createAuditStore } from './audit/audit-store';
import { createCalendarStateStore } from './store/calendar-state-store';
import { createMetrics, type Metrics } from './metrics';
import { recordStoreCommands } from './store/command-metrics';
import { isAppError } from './errors';
import { createEvaluationStore } from './evaluations/evaluation-store';
import { createRectificationStore } from './evaluations/rectification-store';
import { createEvaluationFacts } from './evaluations/evaluation-facts';
import { evaluationCounts } from './statistics/evaluation-counts';
import { loadEvaluationReasons } from './evaluations/evaluation-rules';

/** Static configuration read once at start: catalog, calendars, pledge texts. A bad file stops the start, naming it. */
export function loadReferenceData(config: AppConfig, options: { log: Logger }) {
  const catalog = loadCatalog(config.configDir);
  const calendar = new WorkingCalendar(loadCalendars(calendarDir(config)), {
    warn: (msg) => options.log.warn({ calendar: 'provisional' }, msg),
  });
  return { catalog, calendar, pledges: loadPledgeTexts(config.configDir), evaluationReasons: loadEvaluationReasons(config.configDir) };
}

/** The folder of the official holiday schedules, `<CONFIG_DIR>/calendars`. */
export const calendarDir = (config: AppConfig): string => path.join(config.configDir, 'calendars');

/** Counts applied events, fired timers and conflicts around the engine, leaving the engine itself unaware of metrics. */
function instrumentEngine(engine: PermitEngine, metrics: Metrics): PermitEngine {
  return {
    ...engine,
    async apply(app, event, actor, options) {
      try {
        const result = await engine.apply(app, event, actor, options);
        metrics.eventsApplied.inc({ type: event.type });
        if (options?.firedTimerId) metrics.timersFired.inc();
        return result;
      } catch (e) {
        if (isAppError(e) && e.code === 'VERSION_CONFLICT') metrics.conflicts.inc();
        throw e;
      }
    },
  };
}

export interface ServiceOptions {
  config: AppConfig;
  conn: Connection;
  log: Logger;
  embedded: boolean;
  now?: () => Date;
  clock?: () => Date;
  mailer?: Mailer;
}

export type Services = Awaited<ReturnType<typeof createServices>>;

/** Wires the stores, the engine and the effect runner for one process. */
export async function createServices(options: ServiceOptions) {
  const { config, conn, log } = options;
  const now = options.now ?? (() => new Date());
  const reference = loadReferenceData(config, options);
  const { catalog, calendar, pledges, evaluationReasons } = reference;
  const itemOf = (code: string): CatalogItem => {
    const item = findItem(catalog, code);
    if (!item) throw new Error(`Item ${code} is no longer in the catalog`);
    return item;
  };
  const store = createApplicationStore(conn);
  const staff = createStaffStore(conn);
  const certificates = createCertificateStore(conn);
  const credits = createCreditStore(conn);
  const attempts = createEffectAttemptStore(conn);
  const audit = createAuditStore(conn);
  const reminders = createReminderStore(conn);
  const calendarState = createCalendarStateStore(conn);
  const blobs = createBlobStore(config);
  const files = createFileStore(conn);
  const notes = createInternalNoteStore(conn);
  const statistics = createStatisticsDays(conn);
  await Promise.all([store.ensureIndexes(), certificates.ensureIndexes(), credits.ensureIndexes(), staff.ensureIndexes(), attempts.ensureIndexes(), audit.ensureIndexes(), reminders.ensureIndexes()]);

  const metrics = createMetrics();
  recordStoreCommands(conn.getClient(), metrics.storeCommandDuration);
  const engine = instrumentEngine(createPermitEngine({ store, calendar, itemOf, now, evaluationAtAcceptance: config.evaluationAtAcceptance }), metrics);
  const mailer = options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, folder: path.join(config.dataDir, 'mail') });
  const sms = createSmsSender({ gatewayUrl: config.smsGatewayUrl, token: config.smsGatewayToken, folder: path.join(config.dataDir, 'sms') });
  const secret = config.tokenSecret || (await staff.setting('token-secret', () => randomBytes(32).toString('hex')));
  const tokens = createTokenService(secret, config.tokenTtlMinutes, now);
  const documents = createDocumentStore(conn);
  const publicUrl = config.publicUrl || `http://${config.host}:${config.port}`;
  const documentIssuer: DocumentIssuerDeps = {
    documents, blobs, certificates, catalog, itemOf, pledgeText: (version) => pledges.get(version),
    checkUrl: (cert) => `${publicUrl}${API_PREFIX}/certificates/verify?token=${tokens.seal(CERTIFICATE_CHECK, { number: cert.number, licenceId: cert.licence?.id ?? null })}`,
    warn: (obj, msg) => log.warn(obj, msg),
  };
  const assistanceLink = (app: ApplicationRecord, requestId: string) => `${publicUrl}/assistance.html?token=${assistanceToken(tokens, app, requestId)}`;
  // The public status page (办件查询) with the number filled in; the query code is never sent with it.
  const statusUrl = (applicationNo: string) => `${publicUrl}/#status?no=${encodeURIComponent(applicationNo)}`;
  const evaluation = { atAcceptance: config.evaluationAtAcceptance, windowDays: config.evaluationWindowDays };
  const rectification = { workingDays: config.rectificationDays, warningDays: config.rectificationWarningDays };
  // 好差评 and 整改 report what happened here, once each (keyed); the statistics listen.
  const evaluationFacts = createEvaluationFacts((obj, msg) => log.warn(obj, msg));
  // 监管统计: each rating and rectification step is counted in its office's day (once: the fact's key is kept; the recount repairs a failure).
  evaluationFacts.listen((fact) => statistics.count(evaluationCounts(fact)));
  const handlers = createEffectHandlers({
    store, engine, certificates, credits, mailer, sms, statusUrl, itemOf, now, catalog, documents: documentIssuer, assignment: config.assignment, staff, turns: createAssignmentTurns(conn), assistanceLink,
    evaluation, evaluationFacts, statistics, calendar,
  });
  // Documents follow their event once no request has been in flight for 150 ms, at the latest 5 s after it.
  const quiet = createQuietGate({ quietMs: 150, maxWaitMs: 5000 });
  const effects = createEffectRunner({ store, attempts, handlers, now, clock: options.clock, log, deferred: DEFERRED_EFFECTS, quiet });
  const reminderOutbox = createReminderOutbox({ reminders, mailer, sms, now, log, isCancelled: async (number) => (await certificates.find(number))?.status === 'cancelled',
    countSent: (reminder, sentAt) => statistics.count([reminderFact(reminder, sentAt)]),
  });

  return {
    config,
    log,
    now,
    catalog,
    calendar,
    calendarState,
    itemOf,
    pledgeText: (version: string) => pledges.get(version),
    pledgeTexts: pledges as ReadonlyMap<string, string>,
    store,
    staff,
    certificates,
    credits,
    attempts,
    audit,
    metrics,
    engine,
    effects,
    quiet,
    reminders,
    reminderOutbox,
    mailer,
    sms,
    statusUrl,
    tokens,
    blobs,
    files,
    notes,
    statistics,
    preReviews: createPreReviewStore(conn),
    documents,
    documentIssuer,
    evaluation,
    evaluationReasons,
    evaluations: createEvaluationStore(conn),
    rectification,
    rectifications: createRectificationStore(conn),
    evaluationFacts,
  };
}
