import { randomUUID } from 'node:crypto';
import Joi from 'joi';
import { coveredJurisdictions, type Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import { RoutingError, jurisdictionCovers, routeApplication } from '../catalog/routing';
import type { CatalogItem } from '../catalog/types';
import { usccProblem } from '../domain/identifiers';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import type { Actor, Applicant } from '../engine/application-record';
import { startClock, stopClock } from '../engine/clock';
import { AppError } from '../errors';
import type { FileRecord, Upload } from '../files/file-store';
import type { Services } from '../services';
import { assertWithinApplicationLimit, checkUpload, storeFile, type FileDeps } from '../use-cases/material-files';
import { applicantSchema, hashQueryCode, newQueryCode, queryCodeMatches } from '../use-cases/submit-application';
import { enumLabels, field, materialCode } from '../events/fields';
import { FINDING_LABELS, VERDICT_LABELS, type MaterialFinding, type PreReviewVerdict } from './pre-review-labels';
import type { OpenPreReview, PreReviewAnswer, PreReviewRecord } from './pre-review-store';

export type PreReviewDeps = Pick<Services, 'catalog' | 'itemOf' | 'store' | 'preReviews' | 'files' | 'blobs' | 'config' | 'now' | 'calendar'>;

export interface PreReviewInput {
  itemCode: string;
  project: { name: string; location: string; description: string };
  applicant: Applicant;
  materials: { code: string; provided: boolean }[];
}

export interface PreReviewAnswerInput {
  verdict: PreReviewVerdict;
  findings: { material: string; finding: MaterialFinding; note: string }[];
  note: string;
  expectedVersion?: number;
}

const safeText = (max: number) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');

/** What a pre-review submission sends (POST /pre-reviews, /online-pre-reviews): the project, the applicant (as an application's) and the materials it has. */
export const preReviewInputSchema = Joi.object<PreReviewInput, true>({
  itemCode: Joi.string().max(40).required().description('An item whose catalog entry has `preReview`'),
  project: Joi.object({
    name: safeText(200).required().description('项目名称 / Project name'),
    location: safeText(300).required().description('建设地点 / Where the project is built'),
    description: safeText(2000).required().description('项目概况 / What is built: scale, processes, hazardous chemicals'),
  }).required(),
  applicant: applicantSchema.required(),
  materials: Joi.array().max(100).items(Joi.object({ code: Joi.string().max(32).required(), provided: Joi.boolean().required() })).required(),
});

/** A reviewer's answer: a finding for every material of the item, and the overall verdict; the console's answer form is this schema's JSON Schema. */
export const preReviewAnswerSchema = Joi.object<PreReviewAnswerInput, true>({
  verdict: field(Joi.string().valid(...Object.keys(VERDICT_LABELS)).required(), { zh: '总体意见', en: 'Verdict' }, { ...enumLabels(VERDICT_LABELS), 'x-widget': 'radio' })
    .description('ready: the formal application may be made; needs_more: supply or revise the materials named'),
  findings: field(Joi.array().min(1).max(100).items(Joi.object({
    material: field(materialCode.required(), { zh: '材料', en: 'Material' }, { 'x-fixed': true }),
    finding: field(Joi.string().valid(...Object.keys(FINDING_LABELS)).required(), { zh: '审查意见', en: 'Finding' }, { ...enumLabels(FINDING_LABELS), 'x-widget': 'radio' }),
    // Required for to_be_revised: checked by answerPreReview, since a joi `when` does not survive the document's JSON Schema.
    note: field(Joi.string().trim().max(1000).pattern(PRINTABLE_TEXT, 'printable text').allow('').default(''), { zh: '缺少或修改意见', en: 'What is missing or to revise' })
      .description('What is missing or what to revise (required for to_be_revised)'),
  })).required(), { zh: '逐项材料意见', en: 'Findings per material' }, { 'x-fixedRows': true }),
  note: field(Joi.string().trim().max(2000).pattern(PRINTABLE_TEXT, 'printable text').allow('').default(''), { zh: '预审说明', en: 'Overall opinion' }).description('Overall opinion'),
  expectedVersion: Joi.number().integer().min(1).description('Refuse with VERSION_CONFLICT unless the pre-review is at this version'),
});

// A pre-review number is an application number with the 预审 prefix, so the two are never mistaken for each other.
const PRE_REVIEW_PREFIX = 'YS';
export const preReviewNumber = (jurisdiction: string, day: string, seq: number) => `${PRE_REVIEW_PREFIX}-${jurisdiction}-${day}-${String(seq).padStart(5, '0')}`;

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);
const notFound = (id: string) => new AppError('NOT_FOUND', `预审不存在 / Pre-review ${id} not found`);

/** The item of a pre-review, refused (400) when it takes none. */
export function preReviewItem(services: Pick<Services, 'catalog'>, itemCode: string): CatalogItem & { preReview: NonNullable<CatalogItem['preReview']> } {
  const item = findItem(services.catalog, itemCode);
  if (!item) throw invalid('itemCode', `未知事项编码 / Unknown item code ${itemCode}`);
  if (!item.preReview) throw invalid('itemCode', `事项 ${item.code} 不办理容缺预审 / Item ${item.code} takes no pre-review`);
  return item as CatalogItem & { preReview: NonNullable<CatalogItem['preReview']> };
}

/**
 * 容缺预审: an enterprise (online) or a clerk for it submits the project, the applicant and the materials it has, with
 * their files. Everything is checked before anything is stored; the pre-review is routed as the application would be
 * and answered within the item's service target.
 */
export async function submitPreReview(
  services: PreReviewDeps,
  input: PreReviewInput,
  uploads: { material: string; upload: Upload }[],
  actor: Actor,
  channel: 'window' | 'online',
): Promise<{ preReview: PreReviewRecord; queryCode: string; files: FileRecord[] }> {
  const item = preReviewItem(services, input.itemCode);
  const usccError = usccProblem(input.applicant.uscc);
  if (usccError) throw invalid('applicant.uscc', usccError);
  const known = new Set(item.materials.map((m) => m.code));
  const unknown = input.materials.filter((m) => !known.has(m.code)).map((m) => m.code);
  if (unknown.length) throw invalid('materials', `事项 ${item.code} 无此材料 / Unknown material code(s) for ${item.code}: ${unknown.join(', ')}`);
  if (new Set(input.materials.map((m) => m.code)).size !== input.materials.length) throw invalid('materials', '材料编码重复 / A material code is listed twice');
  const checked = await Promise.all(uploads.map((u) => checkUpload(item, u.material, u.upload)));
  assertWithinApplicationLimit(services, checked);
  let route;
  try {
    route = routeApplication(services.catalog, item, input.applicant.divisionCode);
  } catch (e) {
    if (e instanceof RoutingError) throw invalid('applicant.divisionCode', e.message);
    throw e;
  }

  const now = services.now();
  const today = shanghaiDate(now);
  const day = today.replaceAll('-', '');
  const seq = await services.store.nextSequence(`pre-review:${route.jurisdiction}:${day}`);
  const withFiles = new Set(checked.map((c) => c.material));
  const queryCode = newQueryCode();
  const preReview = await services.preReviews.create({
    id: randomUUID(),
    preReviewNo: preReviewNumber(route.jurisdiction, day, seq),
    queryCodeHash: hashQueryCode(queryCode),
    itemCode: item.code,
    project: input.project,
    applicant: input.applicant,
    // Every catalogued material is listed, so the reviewer sees what the project has not got yet.
    materials: item.materials.map((m) => ({ code: m.code, provided: withFiles.has(m.code) || input.materials.some((x) => x.code === m.code && x.provided) })),
    channel,
    routing: { jurisdiction: route.jurisdiction, jurisdictionName: route.jurisdictionName, department: route.department },
    intake: { jurisdiction: actor.kind === 'staff' && actor.jurisdiction ? actor.jurisdiction : route.jurisdiction, by: actor },
    clock: startClock(item.preReview.targetDays, today),
    status: 'submitted',
    answer: null,
    answers: [],
    application: null,
    timeline: [{ at: now, event: 'PRE_REVIEW_SUBMITTED', by: { kind: actor.kind, name: actor.name } }],
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  const files: FileRecord[] = [];
  for (const file of checked) files.push(await storeFile(services, preReview, file, actor));
  return { preReview, queryCode, files };
}

/** Whether staff may read a pre-review: their jurisdiction covers the one it is routed to or the window that took it. */
export function mayReadPreReview(principal: Principal, pre: PreReviewRecord, catalog: Services['catalog']): boolean {
  if (principal.kind !== 'staff') return false;
  return [pre.routing.jurisdiction, pre.intake.jurisdiction].some((target) => jurisdictionCovers(principal.jurisdiction, target, catalog));
}

/**
 * A pre-review as its readers see it: when its conversion's application exists but the link back is not written yet
 * (the writer stopped in between), it reads as converted to that application; the sweep writes the link later.
 */
export async function withConversion(services: Pick<Services, 'preReviews' | 'store'>, pre: PreReviewRecord): Promise<PreReviewRecord> {
  if (pre.status === 'converted') return pre;
  const claim = await services.preReviews.conversionOf(pre.id);
  const application = claim?.applicationId ? await services.store.get(claim.applicationId) : null;
  return application ? { ...pre, status: 'converted', application: { id: application.id, applicationNo: application.applicationNo } } : pre;
}

/** A pre-review its reader may see; anyone else gets 404, as if it did not exist. */
export async function loadReadablePreReview(services: Pick<Services, 'preReviews' | 'catalog' | 'store'>, principal: Principal, id: string): Promise<PreReviewRecord> {
  const pre = await services.preReviews.get(id);
  if (!pre || !mayReadPreReview(principal, pre, services.catalog)) throw notFound(id);
  return withConversion(services, pre);
}

const REVIEWERS = new Set(['reviewer', 'province-reviewer']);

/** Why `principal` may not answer `pre`, or null: a reviewer whose jurisdiction covers the routed one. */
export function answerRefusal(principal: Principal, pre: PreReviewRecord, catalog: Services['catalog']): string | null {
  if (principal.kind !== 'staff') return 'a pre-review is answered by bureau staff';
  if (!REVIEWERS.has(principal.role)) return `answering a pre-review needs a reviewer (you are ${principal.role})`;
  if (!jurisdictionCovers(principal.jurisdiction, pre.routing.jurisdiction, catalog)) return `pre-review is routed to ${pre.routing.jurisdiction}, outside your jurisdiction ${principal.jurisdiction}`;
  return null;
}

/**
 * A reviewer answers: a finding for every material of the item (sufficient / missing / to be revised) and `ready` or
 * `needs_more`. `ready` needs every core material sufficient. A later answer replaces the shown one (all are kept);
 * the service target stops at the first.
 */
export async function answerPreReview(services: PreReviewDeps, principal: Principal, id: string, input: PreReviewAnswerInput): Promise<PreReviewRecord> {
  const pre = await loadReadablePreReview(services, principal, id);
  const refusal = answerRefusal(principal, pre, services.catalog);
  if (refusal || principal.kind !== 'staff') throw new AppError('FORBIDDEN', `无权出具预审意见 / Not permitted: ${refusal}`);
  if (pre.status === 'converted') {
    throw new AppError('PRECONDITION_FAILED', `预审已转为正式申请 ${pre.application?.applicationNo ?? ''}，不再出具意见 / The pre-review became application ${pre.application?.applicationNo ?? ''}; it takes no more answers`, { status: pre.status });
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== pre.version) {
    throw new AppError('VERSION_CONFLICT', `预审已被他人更新 / Pre-review ${pre.preReviewNo} is at version ${pre.version}, not ${input.expectedVersion}`, { version: pre.version });
  }
  const item = services.itemOf(pre.itemCode);
  const codes = input.findings.map((f) => f.material);
  const unknown = codes.filter((c) => !item.materials.some((m) => m.code === c));
  if (unknown.length) throw invalid('findings', `事项 ${item.code} 无此材料 / Unknown material code(s) for ${item.code}: ${unknown.join(', ')}`);
  if (new Set(codes).size !== codes.length) throw invalid('findings', '材料编码重复 / A material is answered twice');
  const unanswered = item.materials.filter((m) => !codes.includes(m.code)).map((m) => m.code);
  if (unanswered.length) throw invalid('findings', `每项材料均须给出意见，缺：${unanswered.join('、')} / Every material needs a finding; missing: ${unanswered.join(', ')}`);
  const unexplained = input.findings.filter((f) => f.finding === 'to_be_revised' && !f.note).map((f) => f.material);
  if (unexplained.length) throw invalid('findings.note', `需修改完善的材料须写明修改意见：${unexplained.join('、')} / A material to be revised needs a note saying what to revise: ${unexplained.join(', ')}`);
  const coreShort = input.findings.filter((f) => f.finding !== 'sufficient' && item.materials.find((m) => m.code === f.material)?.core).map((f) => f.material);
  if (input.verdict === 'ready' && coreShort.length) {
    throw invalid('verdict', `核心材料 ${coreShort.join('、')} 未齐备，不能判为 ready / Core material(s) ${coreShort.join(', ')} are not sufficient, so the verdict cannot be ready`);
  }

  const now = services.now();
  const today = shanghaiDate(now);
  const answer: PreReviewAnswer = {
    verdict: input.verdict,
    // In the item's order, so every reader sees the materials as the catalog lists them.
    findings: item.materials.map((m) => input.findings.find((f) => f.material === m.code)!),
    note: input.note,
    by: { username: principal.sub, name: principal.name },
    on: today,
    at: now,
  };
  return services.preReviews.update(pre, {
    set: { status: 'answered', answer, clock: stopClock(pre.clock, today), updatedAt: now },
    push: { answers: [answer], timeline: [{ at: now, event: 'PRE_REVIEW_ANSWERED', by: { kind: 'staff', name: principal.name } }] },
  }, now);
}

/** The reviewers' pre-review work list: what waits for an answer in the caller's jurisdictions (from the small view), or, with `recent`, the latest of every status. */
export async function listPreReviews(services: PreReviewDeps, principal: Principal, query: { recent: boolean; limit: number }): Promise<(OpenPreReview | PreReviewRecord)[]> {
  if (principal.kind !== 'staff') throw new AppError('FORBIDDEN', '仅限工作人员 / Staff only');
  const covered = coveredJurisdictions(principal.jurisdiction, services.catalog);
  if (query.recent) {
    const lists = await Promise.all(covered.map((j) => services.preReviews.recent(j, query.limit)));
    return lists.flat().sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime()).slice(0, query.limit);
  }
  const mine = new Set(covered);
  return (await services.preReviews.open())
    .filter((p) => mine.has(p.jurisdiction) || mine.has(p.intakeJurisdiction))
    // Oldest first: the target runs from receipt, so the oldest is the nearest to red.
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime())
    .slice(0, query.limit);
}

/** 预审查询: the pre-review behind a number and its query code; a wrong pair looks exactly like an unknown number. */
export async function findPreReviewByQueryCode(services: Pick<Services, 'preReviews' | 'store'>, preReviewNo: string, queryCode: string): Promise<PreReviewRecord> {
  const pre = await services.preReviews.findByNumber(preReviewNo);
  if (!pre || !queryCodeMatches(pre, queryCode)) {
    throw new AppError('NOT_FOUND', '未找到匹配的预审，请核对预审编号和查询码 / No pre-review matches this number and query code');
  }
  return withConversion(services, pre);
}

/** A pre-review's files by material (the item's order), newest version first. */
export async function preReviewFiles(services: FileDeps, pre: PreReviewRecord) {
  const files = await services.files.forApplication(pre.id);
  return pre.materials.map((m) => ({ code: m.code, files: files.filter((f) => f.material === m.code).sort((a, b) => b.version - a.version) }));
}

/** A file of a pre-review and its bytes, for staff who may read the pre-review; anything else is 404. */
export async function readPreReviewFile(services: PreReviewDeps, principal: Principal, id: string, fileId: string): Promise<{ file: FileRecord; bytes: Buffer }> {
  const pre = await loadReadablePreReview(services, principal, id);
  const file = await services.files.get(fileId);
  const bytes = file?.applicationId === pre.id ? await services.blobs.get(file.sha256) : null;
  if (!file || !bytes) throw new AppError('NOT_FOUND', `文件不存在 / File ${fileId} not found`);
  return { file, bytes };
}
