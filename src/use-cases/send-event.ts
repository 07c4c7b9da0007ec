import { createHash } from 'node:crypto';
import { assertMaySend, type Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { Actor, ApplicationDetails, ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import type { Services } from '../services';
import { loadReadableApplication } from './read-applications';

type EventBody = { type: string } & Record<string, unknown>;

/** A person sends an event: checked for role, jurisdiction and the item's rules, then applied and its effects run. */
export async function sendEvent(
  services: Pick<Services, 'store' | 'catalog' | 'itemOf' | 'engine' | 'effects' | 'credits' | 'pledgeText' | 'now'>,
  principal: Principal,
  applicationId: string,
  event: EventBody,
  expectedVersion?: number,
): Promise<ApplicationRecord> {
  const app = await loadReadableApplication(services, principal, applicationId);
  assertMaySend(principal, app, event, services.catalog);
  if (expectedVersion !== undefined && expectedVersion !== app.version) {
    throw new AppError('VERSION_CONFLICT', `申请已被他人更新 / Application changed since version ${expectedVersion} (now ${app.version}); reload and retry`, {
      expectedVersion,
      currentVersion: app.version,
    });
  }
  const item = services.itemOf(app.itemCode);
  // The item's eligibility comes first: it is the reason an item-guarded event is refused in any state.
  checkItemAllows(item, event);
  services.engine.assertAccepts(app, event.type);
  await checkPreconditions(services, app, item, event);
  const today = shanghaiDate(services.now());
  const actor = actorOf(principal);
  const updated = await services.engine.apply(app, event, actor, {
    note: noteOf(event),
    details: detailsFor(app, event, { today, by: actor.name, item, pledgeText: services.pledgeText }),
    materials: materialsAfter(app, event) ?? undefined,
  });
  await services.effects.runFor(app.id);
  return (await services.store.get(app.id)) ?? updated;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'staff'
    ? { kind: 'staff', id: principal.sub, name: principal.name, role: principal.role, jurisdiction: principal.jurisdiction }
    : { kind: 'enterprise', id: principal.uscc, name: principal.name };
}

/** 容缺受理 and 告知承诺 are per-item settings, default off. */
function checkItemAllows(item: CatalogItem, event: EventBody): void {
  if (event.type === 'ACCEPT_WITH_DEFICIENCY' && !item.allowsDeficientAcceptance) {
    refuse(`事项“${item.name}”不适用容缺受理 / Item ${item.code} does not allow deficient acceptance`);
  }
  if (event.type === 'ACCEPT_ON_COMMITMENT' && !item.allowsCommitment) {
    refuse(`事项“${item.name}”不适用告知承诺制 / Item ${item.code} is not eligible for commitment-based approval`);
  }
}

/** The rules of 容缺受理 and 告知承诺 that depend on the materials and the applicant's credit. */
async function checkPreconditions(services: Pick<Services, 'credits' | 'pledgeText'>, app: ApplicationRecord, item: CatalogItem, event: EventBody): Promise<void> {
  const materialName = (code: string) => item.materials.find((m) => m.code === code)?.name ?? code;
  if (event.type === 'ACCEPT_WITH_DEFICIENCY') {
    const credit = await services.credits.kindsFor(app.applicant.uscc);
    if (credit.length) refuse(`申请人有失信记录（${credit.join(', ')}），不适用容缺受理 / The applicant has a credit record (${credit.join(', ')}) and cannot be accepted with missing materials`);
    const missing = event.missing as string[];
    const unknown = missing.filter((code) => !item.materials.some((m) => m.code === code));
    if (unknown.length) throw badRequest('missing', `未知材料 / Unknown material code(s): ${unknown.join(', ')}`);
    const core = missing.filter((code) => item.materials.find((m) => m.code === code)?.core);
    if (core.length) throw badRequest('missing', `核心材料不能容缺 / Core materials cannot be missing: ${core.map(materialName).join('、')} (${core.join(', ')})`);
    const provided = missing.filter((code) => app.materials.some((m) => m.code === code && m.provided));
    if (provided.length) throw badRequest('missing', `材料已提交，无需容缺 / Already provided: ${provided.join(', ')}`);
    // What is really absent counts, not only what the clerk listed; waivable materials come by data sharing or pledge.
    const absent = app.materials.filter((m) => !m.provided && !item.materials.find((x) => x.code === m.code)?.waivable).map((m) => m.code);
    const coreAbsent = absent.filter((code) => item.materials.find((m) => m.code === code)?.core);
    if (coreAbsent.length) {
      refuse(`核心材料不齐全，不适用容缺受理，请一次性告知补正：${coreAbsent.map(materialName).join('、')} / Core materials are missing (${coreAbsent.join(', ')}); deficient acceptance needs every core material, send a correction notice instead`);
    }
    const unlisted = absent.filter((code) => !missing.includes(code));
    if (unlisted.length) throw badRequest('missing', `以下材料也未提交，须一并列明：${unlisted.map(materialName).join('、')} / Also missing, list them too: ${unlisted.join(', ')}`);
  }
  if (event.type === 'ACCEPT_ON_COMMITMENT') {
    const pledge = event.pledge as { textVersion: string };
    if (!services.pledgeText(pledge.textVersion)) throw badRequest('pledge.textVersion', `未知承诺书版本 / Unknown pledge text version ${pledge.textVersion}`);
    const credit = await services.credits.kindsFor(app.applicant.uscc);
    if (credit.includes('false_commitment')) refuse('申请人有虚假承诺记录，不适用告知承诺制 / The applicant has a false-commitment record and cannot use commitment-based approval');
  }
  if (event.type === 'SUPPLEMENT') {
    const outstanding = app.details.deficiency?.outstanding ?? [];
    const extra = (event.materials as string[]).filter((code) => !outstanding.includes(code));
    if (extra.length) throw badRequest('materials', `这些材料不在容缺清单中 / Not among the missing materials (${outstanding.join(', ') || 'none'}): ${extra.join(', ')}`);
  }
  if (event.type === 'REQUEST_CORRECTION') {
    const unknown = (event.items as { material?: string }[]).map((i) => i.material).filter((code) => code && !item.materials.some((m) => m.code === code));
    if (unknown.length) throw badRequest('items', `未知材料 / Unknown material code(s): ${unknown.join(', ')}`);
  }
}

/** What the event records on the application for people to read. */
function detailsFor(
  app: ApplicationRecord,
  event: EventBody,
  ctx: { today: string; by: string; item: CatalogItem; pledgeText: (version: string) => string | undefined },
): ApplicationDetails {
  const { today, by } = ctx;
  switch (event.type) {
    case 'REQUEST_CORRECTION':
      return { correction: { items: event.items as { material?: string; description: string }[], requestedOn: today, round: (app.details.correction?.round ?? 0) + 1 } };
    case 'REJECT':
      return { refusalReason: String(event.reason) };
    case 'APPROVE':
      return { decision: { outcome: 'approved', on: today, note: String(event.note ?? '') } };
    case 'DENY':
      return { decision: { outcome: 'denied', on: today, note: String(event.reason) } };
    case 'WITHDRAW':
      return { withdrawal: { reason: String(event.reason), on: today } };
    case 'ACCEPT_WITH_DEFICIENCY': {
      const missing = event.missing as string[];
      return { deficiency: { missing, outstanding: missing, promise: event.promise as { signedBy: string; signedAt: string } } };
    }
    case 'SUPPLEMENT': {
      const deficiency = app.details.deficiency!;
      return { deficiency: { ...deficiency, outstanding: deficiency.outstanding.filter((c) => !(event.materials as string[]).includes(c)) } };
    }
    case 'ACCEPT_ON_COMMITMENT': {
      const pledge = event.pledge as { textVersion: string; signedBy: string; signedAt: string };
      const textHash = createHash('sha256').update(ctx.pledgeText(pledge.textVersion) ?? '').digest('hex');
      return { pledge: { ...pledge, textHash } };
    }
    case 'VERIFY_PASSED':
      return { verification: { outcome: 'passed', method: String(event.method), note: String(event.note ?? ''), on: today } };
    case 'VERIFY_FAILED':
      return { verification: { outcome: 'failed', findings: String(event.findings), on: today } };
    case 'SUSPEND':
      return { suspension: { reason: String(event.reason), expectedWorkingDays: Number(event.expectedWorkingDays), since: today } };
    case 'EXTEND':
      return { extension: { reason: String(event.reason), workingDays: ctx.item.extensionDays, on: today } };
    case 'REVIEW_OPINION':
      return { opinions: { ...(app.details.opinions ?? {}), [String(event.level)]: { opinion: String(event.opinion), note: String(event.note), by, on: today } } };
    default:
      return {};
  }
}

/** Supplied materials count as provided from now on. */
function materialsAfter(app: ApplicationRecord, event: EventBody): ApplicationRecord['materials'] | null {
  if (event.type !== 'SUPPLEMENT') return null;
  const supplied = event.materials as string[];
  return app.materials.map((m) => (supplied.includes(m.code) ? { ...m, provided: true } : m));
}

const noteOf = (event: EventBody): string =>
  String(event.reason ?? event.note ?? event.findings ?? '');

function refuse(message: string): never {
  throw new AppError('PRECONDITION_FAILED', message);
}

function badRequest(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ field, message }]);
}
