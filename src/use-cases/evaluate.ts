import Joi from 'joi';
import type { Principal } from '../auth/access-policy';
import { senderRefusal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import { AT_WINDOW } from '../events/senders';
import { factsOfEvaluation, factsOfRectification } from '../evaluations/evaluation-facts';
import { LEVELS, LOW_LEVEL, STAGES, STAGE_LABELS, type Stage } from '../evaluations/evaluation-rules';
import { evaluationId, type EvaluationRecord } from '../evaluations/evaluation-store';
import { invitationOf } from '../evaluations/invitations';
import type { RectificationRecord } from '../evaluations/rectification-store';
import type { Services } from '../services';
import { loadReadableApplication } from './read-applications';
import { toEvaluationView } from '../views/evaluation-view';

type Deps = Pick<Services, 'store' | 'catalog' | 'now' | 'calendar' | 'evaluation' | 'evaluationReasons' | 'evaluations' | 'rectification' | 'rectifications' | 'evaluationFacts' | 'itemOf'>;

export interface EvaluationInput {
  level: number;
  comment: string;
  reasons: string[];
  stage: Stage;
}

const REASONS_REQUIRED = '“不满意”“非常不满意”须选择原因 / reasons are required for levels 1 and 2';

/** The rating as the applicant or the window gives it: a level 1–5, a comment, and for 1 and 2 at least one reason. */
export const evaluationInputSchema = Joi.object<EvaluationInput>({
  level: Joi.number().integer().min(1).max(5).required().description(Object.entries(LEVELS).map(([n, l]) => `${n} ${l.zh} / ${l.en}`).join('; ')),
  comment: Joi.string().trim().max(500).pattern(PRINTABLE_TEXT, 'printable text').allow('').default(''),
  reasons: Joi.array().max(10).unique().items(Joi.string().pattern(/^[a-z_]{2,40}$/, 'reason code')).default([])
    .when('level', { is: Joi.number().max(LOW_LEVEL), then: Joi.array().min(1).required().messages({ 'any.required': REASONS_REQUIRED, 'array.min': REASONS_REQUIRED }) })
    .description('Reason codes (GET …/evaluations lists them); required for levels 1 and 2'),
  stage: Joi.string().valid(...STAGES).default('completion').description('受理环节 acceptance (when the setting invites after 受理) or 办结环节 completion'),
});

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);

/** The stages this deployment rates: completion always, acceptance per setting. */
export const ratedStages = (services: Pick<Deps, 'evaluation'>): Stage[] => STAGES.filter((s) => s !== 'acceptance' || services.evaluation.atAcceptance);

/**
 * 好差评: the applicant (its query-code token, channel online) or a window clerk of the application (channel window)
 * rates a stage once it is reached and until its invitation expires. The insert of `<applicationId>:<stage>` decides a
 * race: one rating stays, every other gets 409 ALREADY_EVALUATED. A rating of 1 or 2 opens a rectification (整改).
 */
export async function evaluate(services: Deps, principal: Principal, applicationId: string, input: EvaluationInput) {
  const app = await loadReadableApplication(services, principal, applicationId);
  if (principal.kind === 'staff') {
    const refusal = senderRefusal(principal, app, AT_WINDOW, services.catalog, 'Recording a rating at the window');
    if (refusal) throw new AppError('FORBIDDEN', `评价由申请人作出，或由窗口代为录入 / A rating is given by the applicant or recorded by the window: ${refusal}`);
  }
  const unknown = input.reasons.filter((code) => !services.evaluationReasons.some((r) => r.code === code));
  if (unknown.length) throw invalid('reasons', `未知的评价原因 / Unknown reasons: ${unknown.join(', ')}; one of ${services.evaluationReasons.map((r) => r.code).join(', ')}`);
  if (input.reasons.includes('other') && !input.comment) throw invalid('comment', '选择“其他”原因时须填写评价内容 / A comment is required with the reason "other"');

  const now = services.now();
  const stage = input.stage;
  if (!ratedStages(services).includes(stage)) throw new AppError('PRECONDITION_FAILED', `本地不开展${STAGE_LABELS[stage].zh}评价 / Stage ${stage} is not rated here`, { stage });
  const invitation = invitationOf(app, stage, services.evaluation);
  if (!invitation) {
    throw new AppError('PRECONDITION_FAILED', `办件尚未${stage === 'completion' ? '办结' : '受理'}，暂不能评价 / Application ${app.applicationNo} has not reached the ${stage} stage yet (status ${app.status})`, { stage, status: app.status });
  }
  if (shanghaiDate(now) > invitation.expiresOn) {
    throw new AppError('PRECONDITION_FAILED', `评价期已于 ${invitation.expiresOn} 结束，视为未评价 / The rating period ended on ${invitation.expiresOn}; it counts as not rated`, { stage, expiresOn: invitation.expiresOn });
  }

  const evaluation: EvaluationRecord = {
    id: evaluationId(app.id, stage),
    applicationId: app.id,
    stage,
    level: input.level,
    comment: input.comment,
    reasons: input.level <= LOW_LEVEL ? input.reasons : [],
    channel: principal.kind === 'staff' ? 'window' : 'online',
    by: principal.kind === 'staff' ? { kind: 'staff', id: principal.sub, name: principal.name } : { kind: 'enterprise', id: principal.uscc, name: principal.name },
    at: now,
    jurisdiction: app.routing.jurisdiction,
    itemCode: app.itemCode,
  };
  if (!(await services.evaluations.insert(evaluation))) {
    // A request that stopped after its rating may have left it uncounted and the rectification unopened: finish both now (each
    // fact is counted once by its key), then refuse.
    const first = await services.evaluations.get(app.id, stage);
    if (first) for (const fact of factsOfEvaluation(first)) await services.evaluationFacts.emit(fact);
    if (first && first.level <= LOW_LEVEL) await openRectification(services, app, first);
    throw new AppError('ALREADY_EVALUATED', `该办件${STAGE_LABELS[stage].zh}已评价，每个环节只能评价一次 / Application ${app.applicationNo} was already rated at the ${stage} stage; one rating per stage`, { stage });
  }
  for (const fact of factsOfEvaluation(evaluation)) await services.evaluationFacts.emit(fact);
  const rectification = evaluation.level <= LOW_LEVEL ? await openRectification(services, app, evaluation) : null;
  return toEvaluationView(services, evaluation, rectification);
}

/** 整改: the task for the office the application was routed to, due in RECTIFICATION_DAYS working days; once per rating. */
async function openRectification(services: Deps, app: ApplicationRecord, evaluation: EvaluationRecord): Promise<RectificationRecord> {
  const openedOn = shanghaiDate(new Date(evaluation.at));
  const { workingDays } = services.rectification;
  const record: RectificationRecord = {
    id: evaluation.id,
    applicationId: app.id,
    applicationNo: app.applicationNo,
    applicantName: app.applicant.name,
    itemCode: app.itemCode,
    stage: evaluation.stage,
    level: evaluation.level,
    reasons: evaluation.reasons,
    comment: evaluation.comment,
    jurisdiction: app.routing.jurisdiction,
    jurisdictionName: app.routing.jurisdictionName,
    department: app.routing.department,
    openedAt: new Date(evaluation.at),
    openedOn,
    workingDays,
    dueDate: services.calendar.dueDate(openedOn, workingDays).date,
    status: 'open',
  };
  if (await services.rectifications.open(record)) {
    for (const fact of factsOfRectification(record)) await services.evaluationFacts.emit(fact);
    return record;
  }
  return (await services.rectifications.get(record.id)) ?? record;
}

/** The application's stages with their invitation (dates), rating and rectification; the enterprise reads only its own application. */
export async function listEvaluations(services: Deps, principal: Principal, applicationId: string) {
  const app = await loadReadableApplication(services, principal, applicationId);
  const stages = ratedStages(services);
  const ratings = await services.evaluations.forApplication(app.id, stages);
  const today = shanghaiDate(services.now());
  const items = await Promise.all(stages.map(async (stage) => {
    const invitation = invitationOf(app, stage, services.evaluation);
    const rating = ratings.find((r) => r.stage === stage) ?? null;
    const rectification = rating && rating.level <= LOW_LEVEL ? await services.rectifications.get(rating.id) : null;
    // Unrated past the last day counts as not rated: shown as such, never as a rating.
    const state = rating ? 'rated' : !invitation ? 'not_reached' : today > invitation.expiresOn ? 'not_rated' : 'open';
    return {
      stage,
      stageLabel: STAGE_LABELS[stage],
      state,
      invitedOn: invitation?.invitedOn ?? null,
      expiresOn: invitation?.expiresOn ?? null,
      evaluation: rating ? toEvaluationView(services, rating, rectification) : null,
    };
  }));
  return {
    applicationNo: app.applicationNo,
    stages: items,
    levels: Object.entries(LEVELS).map(([level, l]) => ({ level: Number(level), ...l })).reverse(),
    reasons: services.evaluationReasons,
  };
}
