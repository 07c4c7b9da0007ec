import { shanghaiDate } from '../calendar';
import type { Principal } from '../auth/access-policy';
import type { FileRecord } from '../files/file-store';
import type { Services } from '../services';
import { clockView } from '../views/application-view';
import type { ClockRecord } from '../engine/application-record';
import type { OpenPreReview, PreReviewAnswer, PreReviewRecord } from './pre-review-store';
import { answerRefusal } from './pre-reviews';

export const PRE_REVIEW_STATUS_LABELS = {
  submitted: { zh: '待预审', en: 'Awaiting pre-review' },
  answered: { zh: '已出具预审意见', en: 'Findings given' },
  converted: { zh: '已转正式申请', en: 'Formal application made' },
} as const;
export const VERDICT_LABELS = {
  ready: { zh: '材料基本齐备，可正式申请', en: 'Ready for the formal application' },
  needs_more: { zh: '需补充完善材料后再申请', en: 'Supply or revise materials first' },
} as const;
export const FINDING_LABELS = {
  sufficient: { zh: '齐备', en: 'Sufficient' },
  missing: { zh: '缺少', en: 'Missing' },
  to_be_revised: { zh: '需修改完善', en: 'To be revised' },
} as const;

type Deps = Pick<Services, 'itemOf' | 'now' | 'calendar' | 'catalog'>;

// The service target reads like a decision clock, yellow within the item's pre-review warning days.
const targetView = (services: Deps, itemCode: string, clock: ClockRecord) => {
  const item = services.itemOf(itemCode);
  return clockView(services, clock, { ...item, warningDays: item.preReview?.warningDays ?? item.warningDays });
};

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
    mayAnswer: pre.status !== 'converted' && answerRefusal(principal, pre, services.catalog) === null,
    materials: pre.materials.map((m) => {
      const spec = item.materials.find((x) => x.code === m.code);
      return { code: m.code, name: spec?.name ?? m.code, nameEn: spec?.nameEn, core: spec?.core ?? false, provided: m.provided, files: (files.find((f) => f.code === m.code)?.files ?? []).map(fileView) };
    }),
    answer: answerView(services, pre.itemCode, pre.answer),
    answers: pre.answers.length,
    application: pre.application,
    timeline: pre.timeline.map((t) => ({ at: t.at, date: shanghaiDate(new Date(t.at)), event: t.event, by: t.by })),
    createdAt: pre.createdAt,
  };
}

/** One row of the pre-review work list. */
export function toPreReviewListItem(services: Deps, p: OpenPreReview | PreReviewRecord) {
  const open = 'projectName' in p;
  return {
    id: p.id,
    preReviewNo: p.preReviewNo,
    itemCode: p.itemCode,
    itemName: services.itemOf(p.itemCode).name,
    projectName: open ? p.projectName : p.project.name,
    applicantName: open ? p.applicantName : p.applicant.name,
    status: open ? 'submitted' : p.status,
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
