import { shanghaiDate } from '../calendar';
import type { Principal } from '../auth/access-policy';
import type { FileRecord } from '../files/file-store';
import type { Services } from '../services';
import { clockView } from '../views/application-view';
import type { ClockRecord } from '../engine/application-record';
import type { OpenPreReview, PreReviewAnswer, PreReviewRecord } from './pre-review-store';
import { FINDING_LABELS, PRE_REVIEW_EVENT_LABELS, PRE_REVIEW_STATUS_LABELS, VERDICT_LABELS } from './pre-review-labels';
import { label } from '../i18n/labels';
import { answerRefusal, preReviewAnswerSchema } from './pre-reviews';
import { jsonSchemaOf } from '../http/json-schema';

export { FINDING_LABELS, PRE_REVIEW_STATUS_LABELS, VERDICT_LABELS };

type Deps = Pick<Services, 'itemOf' | 'now' | 'calendar' | 'catalog'>;

// The service target reads like a decision clock, yellow within the item's pre-review warning days.
const targetView = (services: Deps, itemCode: string, clock: ClockRecord) => {
  const item = services.itemOf(itemCode);
  return clockView(services, clock, { ...item, warningDays: item.preReview?.warningDays ?? item.warningDays });
};

type JsonSchema = { properties: Record<string, JsonSchema>; items: JsonSchema } & Record<string, unknown>;
// joi-to-json runs once; each form narrows its own copy.
let answerSchema: JsonSchema | null = null;

/**
 * The reviewer's answer form: the JSON Schema the answer is validated with (less the version, which the page sends),
 * one fixed row per material of the item, started from the last answer or from what the enterprise provided.
 */
function answerForm(services: Deps, pre: PreReviewRecord): JsonSchema {
  answerSchema ??= jsonSchemaOf(preReviewAnswerSchema) as JsonSchema;
  const form = structuredClone(answerSchema);
  delete form.properties.expectedVersion;
  const item = services.itemOf(pre.itemCode);
  const findings = form.properties.findings;
  const material = findings.items.properties.material;
  material.enum = item.materials.map((m) => m.code);
  material['x-enumLabels'] = Object.fromEntries(item.materials.map((m) => [m.code, { zh: `${m.code} ${m.name}`, en: `${m.code} ${m.nameEn ?? m.name}` }]));
  findings['x-default'] = item.materials.map((m) => {
    const before = pre.answer?.findings.find((f) => f.material === m.code);
    const provided = pre.materials.find((x) => x.code === m.code)?.provided;
    return { material: m.code, finding: before?.finding ?? (provided ? 'sufficient' : 'missing'), note: before?.note ?? '' };
  });
  if (pre.answer) form.properties.verdict['x-default'] = pre.answer.verdict;
  return form;
}

function answerView(services: Deps, itemCode: string, answer: PreReviewAnswer | null) {
  if (!answer) return null;
  const item = services.itemOf(itemCode);
  return {
    verdict: answer.verdict,
    verdictLabel: VERDICT_LABELS[answer.verdict],
    note: answer.note,
    on: answer.on,
    findings: answer.findings.map((f) => {
      const m = item.materials.find((x) => x.code === f.material);
      return { material: f.material, name: m?.name ?? f.material, nameEn: m?.nameEn ?? f.material, finding: f.finding, label: FINDING_LABELS[f.finding], note: f.note };
    }),
  };
}

const fileView = (f: FileRecord) => ({ fileId: f.id, material: f.material, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, version: f.version, uploadedAt: f.at });

/** The staff view of a pre-review: whitelisted fields, its files by material, whether the reader may answer it now. */
export function toPreReviewView(services: Deps, pre: PreReviewRecord, principal: Principal, files: { code: string; files: FileRecord[] }[]) {
  const item = services.itemOf(pre.itemCode);
  const mayAnswer = pre.status !== 'converted' && answerRefusal(principal, pre, services.catalog) === null;
  return {
    id: pre.id,
    preReviewNo: pre.preReviewNo,
    itemCode: pre.itemCode,
    itemName: item.name,
    status: pre.status,
    statusLabel: PRE_REVIEW_STATUS_LABELS[pre.status],
    version: pre.version,
    project: pre.project,
    applicant: pre.applicant,
    channel: pre.channel,
    routing: pre.routing,
    intake: { jurisdiction: pre.intake.jurisdiction, by: { kind: pre.intake.by.kind, name: pre.intake.by.name } },
    target: targetView(services, pre.itemCode, pre.clock),
    mayAnswer,
    answerForm: mayAnswer ? answerForm(services, pre) : null,
    materials: pre.materials.map((m) => {
      const spec = item.materials.find((x) => x.code === m.code);
      return { code: m.code, name: spec?.name ?? m.code, nameEn: spec?.nameEn, core: spec?.core ?? false, provided: m.provided, files: (files.find((f) => f.code === m.code)?.files ?? []).map(fileView) };
    }),
    answer: answerView(services, pre.itemCode, pre.answer),
    answers: pre.answers.length,
    // Every answer given, newest first, with who gave it (staff read who; the enterprise reads the findings).
    history: [...pre.answers].reverse().map((a) => ({ ...answerView(services, pre.itemCode, a)!, by: a.by.name })),
    application: pre.application,
    timeline: pre.timeline.map((t) => ({ at: t.at, date: shanghaiDate(new Date(t.at)), event: t.event, label: label(PRE_REVIEW_EVENT_LABELS, t.event), by: t.by })),
    createdAt: pre.createdAt,
  };
}

/** One row of the pre-review work list. */
export function toPreReviewListItem(services: Deps, p: OpenPreReview | PreReviewRecord) {
  const open = 'projectName' in p;
  const status = open ? 'submitted' : p.status;
  return {
    id: p.id,
    preReviewNo: p.preReviewNo,
    itemCode: p.itemCode,
    itemName: services.itemOf(p.itemCode).name,
    projectName: open ? p.projectName : p.project.name,
    applicantName: open ? p.applicantName : p.applicant.name,
    status,
    statusLabel: PRE_REVIEW_STATUS_LABELS[status],
    target: targetView(services, p.itemCode, p.clock),
    createdAt: p.createdAt,
  };
}

/** The public page of a pre-review (number and query code): the findings in plain language, nothing internal. */
export function toPreReviewStatusView(services: Deps, pre: PreReviewRecord, files: { code: string; files: FileRecord[] }[]) {
  const item = services.itemOf(pre.itemCode);
  const target = targetView(services, pre.itemCode, pre.clock);
  return {
    preReviewNo: pre.preReviewNo,
    itemName: item.name,
    itemNameEn: item.nameEn,
    projectName: pre.project.name,
    applicantName: pre.applicant.name,
    status: pre.status,
    statusLabel: PRE_REVIEW_STATUS_LABELS[pre.status],
    submittedOn: shanghaiDate(new Date(pre.createdAt)),
    answerDue: target && 'dueDate' in target ? target.dueDate : null,
    materials: pre.materials.map((m) => {
      const spec = item.materials.find((x) => x.code === m.code);
      return { code: m.code, name: spec?.name ?? m.code, nameEn: spec?.nameEn ?? m.code, provided: m.provided, files: (files.find((f) => f.code === m.code)?.files ?? []).map((f) => f.name) };
    }),
    answer: answerView(services, pre.itemCode, pre.answer),
    applicationNo: pre.application?.applicationNo ?? null,
  };
}
