import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/access-policy';
import type { Actor, Applicant, ApplicationDetails, ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import { REPAIR_AFTER_MS } from '../store/open-applications';
import type { SubmitApplicationInput } from '../use-cases/submit-application';
import type { PreReviewRecord } from './pre-review-store';
import { findPreReviewByQueryCode, loadReadablePreReview, type PreReviewDeps } from './pre-reviews';

export type PreReviewLink = NonNullable<ApplicationDetails['fromPreReview']>;
/** What the application made from a pre-review is created with: its id, chosen before (the claim names it), and the findings it carries. */
export interface MadeFromPreReview { id: string; fromPreReview: PreReviewLink }

/**
 * 容缺预审 → 正式申请: the application made from an answered pre-review takes over its applicant and materials (and
 * their files), carries its findings (what its reviewers see) and is linked both ways. The conversion is claimed once,
 * naming the application's id, before the application is created; a failed creation gives the claim back. What follows
 * the creation (the files, the link back) is finished by `finishConversion`, which the sweep repeats for a writer that stopped.
 * Staff reach the pre-reviews of their jurisdiction; online, the pre-review's query code proves it is the enterprise's.
 */
export async function submitFromPreReview<R extends { application: ApplicationRecord }>(
  services: PreReviewDeps,
  who: { principal: Principal } | { queryCode: string },
  input: SubmitApplicationInput & { fromPreReview: string },
  actorFor: (applicant: Applicant) => Actor,
  submit: (input: SubmitApplicationInput, made: MadeFromPreReview) => Promise<R>,
): Promise<R> {
  const pre = 'principal' in who ? await loadReadablePreReview(services, who.principal, input.fromPreReview) : await byCode(services, input.fromPreReview, who.queryCode);
  if (pre.status === 'converted') throw converted(pre);
  if (!pre.answer) throw new AppError('PRECONDITION_FAILED', `预审 ${pre.preReviewNo} 尚未出具意见 / Pre-review ${pre.preReviewNo} has no findings yet`, { status: pre.status });
  if (input.itemCode !== pre.itemCode) throw invalid('itemCode', `预审事项为 ${pre.itemCode} / The pre-review is for item ${pre.itemCode}, not ${input.itemCode}`);
  if (input.applicant.uscc !== pre.applicant.uscc) throw invalid('applicant.uscc', '申请人与预审申请人不一致 / The applicant is not the pre-review\'s applicant');

  const files = await services.files.forApplication(pre.id);
  const provided = (code: string) => pre.materials.some((m) => m.code === code && m.provided) || files.some((f) => f.material === code) || input.materials.some((m) => m.code === code && m.provided);
  const merged: SubmitApplicationInput = {
    ...input,
    applicant: pre.applicant,
    materials: pre.materials.map((m) => ({ code: m.code, provided: provided(m.code) })),
  };
  const actor = actorFor(merged.applicant);
  const applicationId = randomUUID();
  if (!(await services.preReviews.claimConversion(pre.id, actor, services.now(), applicationId))) throw converted((await services.preReviews.get(pre.id)) ?? pre);
  let result: R;
  try {
    result = await submit(merged, {
      id: applicationId,
      fromPreReview: { id: pre.id, preReviewNo: pre.preReviewNo, verdict: pre.answer.verdict, findings: pre.answer.findings, note: pre.answer.note, answeredOn: pre.answer.on, answeredBy: pre.answer.by.name },
    });
  } catch (e) {
    await services.preReviews.releaseConversion(pre.id, applicationId);
    throw e;
  }
  await finishConversion(services, pre.id);
  return result;
}

/**
 * Finishes a claimed conversion whose application exists: the application gets its own entries of the pre-review's
 * files (those it has not got yet), the pre-review its link and the converted status, and the marker goes. Each step
 * is skipped when done, so it is safe to run again; returns the application, or null when there is none (yet).
 */
export async function finishConversion(services: PreReviewDeps, preReviewId: string): Promise<{ id: string; applicationNo: string } | null> {
  const claim = await services.preReviews.conversionOf(preReviewId);
  const application = claim?.applicationId ? await services.store.get(claim.applicationId) : null;
  if (!claim || !application) return null;
  const link = { id: application.id, applicationNo: application.applicationNo };
  const now = services.now();
  // The files are the same bytes (the blob store keeps them by hash): the application gets its own entries, oldest first.
  const [files, has] = await Promise.all([services.files.forApplication(preReviewId), services.files.forApplication(application.id)]);
  for (const f of [...files].reverse()) {
    if (has.some((x) => x.material === f.material && x.sha256 === f.sha256 && x.name === f.name)) continue;
    await services.files.add(
      { applicationId: application.id, material: f.material, name: f.name, contentType: f.contentType, size: f.size, sha256: f.sha256, by: f.by },
      { maxApplicationBytes: services.config.uploadMaxApplicationMb * 1024 * 1024, now, storeBytes: async () => undefined },
    );
  }
  const pre = await services.preReviews.get(preReviewId);
  if (pre && pre.status !== 'converted') {
    await services.preReviews.update(pre, {
      set: { status: 'converted', application: link, updatedAt: now },
      push: { timeline: [{ at: now, event: 'PRE_REVIEW_CONVERTED', by: { kind: claim.by.kind, name: claim.by.name } }] },
    }, now);
  }
  await services.preReviews.conversionDone(preReviewId, application.id);
  return link;
}

/**
 * The sweep of conversions a writer began and did not finish (older than `olderThanMs`): one whose application
 * exists is finished; one whose application was never created gives its claim back, so the pre-review can be made
 * into an application again; a marker of an attempt that lost the claim is dropped.
 */
export async function repairConversions(services: PreReviewDeps, olderThanMs = REPAIR_AFTER_MS): Promise<{ finished: number; released: number }> {
  const result = { finished: 0, released: 0 };
  const before = services.now().getTime() - olderThanMs;
  for (const marker of await services.preReviews.unfinishedConversions()) {
    if (new Date(marker.at).getTime() > before) continue;
    const claim = await services.preReviews.conversionOf(marker.preReviewId);
    if (claim?.applicationId !== marker.applicationId) {
      await services.preReviews.conversionDone(marker.preReviewId, marker.applicationId);
    } else if (await finishConversion(services, marker.preReviewId)) {
      result.finished++;
    } else {
      await services.preReviews.releaseConversion(marker.preReviewId, marker.applicationId);
      result.released++;
    }
  }
  return result;
}

async function byCode(services: PreReviewDeps, id: string, queryCode: string): Promise<PreReviewRecord> {
  const pre = await services.preReviews.get(id);
  // Checked as the public lookup checks it: a wrong code and an unknown id answer alike.
  return findPreReviewByQueryCode(services, pre?.preReviewNo ?? '-', queryCode);
}

const converted = (pre: PreReviewRecord) =>
  new AppError('PRECONDITION_FAILED', `预审 ${pre.preReviewNo} 已转为正式申请 ${pre.application?.applicationNo ?? ''} / Pre-review ${pre.preReviewNo} already became an application`, { application: pre.application });
const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);
