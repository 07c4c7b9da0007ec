import { createHash, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import Joi from 'joi';
import { shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import type { CatalogItem } from '../catalog/types';
import { RoutingError, routeApplication } from '../catalog/routing';
import { assertChangeable } from '../certificates/change';
import { assertRenewable } from '../certificates/renewal';
import { usccProblem } from '../domain/identifiers';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import { MOBILE_NUMBER } from '../notifications/sms';
import type { Actor, Applicant, ApplicationDetails, ApplicationRecord, CertificateChanges, RenewalDeclaration } from '../engine/application-record';
import { AppError } from '../errors';
import type { Services } from '../services';

export interface SubmitApplicationInput {
  itemCode: string;
  applicant: Applicant;
  materials: { code: string; provided: boolean }[];
  channel: 'window' | 'online';
  /** 延续: the certificate this application renews. */
  renewalOf?: string;
  /** 延续 without re-review (安全生产许可证条例 Art. 9): the holder's declaration. */
  declaration?: Pick<RenewalDeclaration, 'noFatalAccident' | 'compliant' | 'signedBy' | 'signedAt'>;
  /** 变更: the certificate this application changes, and the new values of the details. */
  changeOf?: string;
  changes?: CertificateChanges;
  /** 容缺预审: the pre-review this application is made from (applicant and materials may then be left out). */
  fromPreReview?: string;
  /** Online, with `fromPreReview`: the pre-review's query code, which proves it is the enterprise's. */
  preReviewQueryCode?: string;
}

const safeText = (max: number) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');
const certificateNumber = Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'certificate number');

// Typed strictly against Applicant, so the interface and the schema cannot name different fields.
export const applicantSchema = Joi.object<Applicant, true>({
  name: safeText(200).required(),
  uscc: Joi.string().max(18).required().description('统一社会信用代码, GB 32100-2015, checked including the check character'),
  divisionCode: Joi.string().pattern(/^\d{6}$/).required().description('Administrative division of the applicant'),
  contact: Joi.object({
    name: safeText(100).required(),
    phone: Joi.string().pattern(/^[0-9+\- ]{5,20}$/).required(),
    email: Joi.string().email({ tlds: false }).max(254).required(),
    mobile: Joi.string().pattern(MOBILE_NUMBER, '中国大陆手机号 / mainland China mobile number (11 digits, 1[3-9]…)')
      .description('手机号: notices and reminders also go by SMS to it (11 digits starting with 1)'),
  }).required(),
});

/** What a window intake sends (POST /applications); the one schema the server validates with and the API document shows. */
export const applicationInputSchema = Joi.object<SubmitApplicationInput, true>({
  itemCode: Joi.string().max(40).required(),
  applicant: applicantSchema.required(),
  // Any code up to 32 characters; submitApplication then refuses one the item does not list.
  materials: Joi.array().max(100).items(Joi.object({ code: Joi.string().max(32).required(), provided: Joi.boolean().required() })).required(),
  channel: Joi.string().valid('window', 'online').required(),
  renewalOf: certificateNumber
    .description('延续: number of the certificate this application renews (same holder and item, inside the renewal window)'),
  declaration: Joi.object({
    noFatalAccident: Joi.boolean().valid(true).required().description('No fatal production-safety accident during the validity'),
    compliant: Joi.boolean().valid(true).required().description('Kept to the production-safety laws and regulations during the validity'),
    signedBy: safeText(100).required(),
    signedAt: Joi.string().isoDate().required().example('2026-03-02T10:00:00+08:00'),
  }).description('延续不再审查 (安全生产许可证条例 Art. 9): the holder\'s declaration, with `renewalOf`, for an item that allows it; the reviewer confirms (decided without a new review) or refuses it (normal review)'),
  changeOf: certificateNumber
    .description('变更: number of the certificate whose details change (same holder and item, in force); give the new values in `changes`'),
  changes: Joi.object<CertificateChanges, true>({
    holderName: safeText(200).description('New name of the holder (enterprise)'),
    principal: safeText(100).description('New principal responsible person'),
    address: safeText(300).description('New registered address'),
  }).description('变更: the new values, only of the details the item\'s `changeableFields` names; premises, storage or scope need a new application'),
  fromPreReview: Joi.string().max(64).description('容缺预审: id of an answered pre-review of the same item and applicant (same USCC); the application takes over its applicant, its materials (with those listed here) and their files, and links back'),
  // A conditional requirement (joi `when`) would not survive the JSON Schema of the document, so the online route checks it.
  preReviewQueryCode: Joi.string().trim().pattern(/^[A-Za-z0-9]{4,16}$/, 'query code')
    .description('Online, with fromPreReview (required there): the pre-review\'s query code, which proves it is the enterprise\'s; window intake: not needed'),
});

/** What an online submission sends (POST /online-applications): the same, with any `channel` sent ignored. */
export const onlineApplicationInputSchema = applicationInputSchema.keys({
  channel: Joi.any().strip().description('Ignored: an online submission is always `online`'),
});

// Query codes avoid look-alike characters (0/O, 1/I/L) because people read them off paper.
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const hashQueryCode = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('hex');

/** Whether `queryCode` is the one whose hash a record (or none) keeps, compared in constant time so a miss and a wrong code take as long. */
export function queryCodeMatches(record: { queryCodeHash: string } | null, queryCode: string): boolean {
  const given = Buffer.from(hashQueryCode(queryCode), 'hex');
  const expected = Buffer.from(record?.queryCodeHash ?? '0'.repeat(64), 'hex');
  return record !== null && timingSafeEqual(given, expected);
}

export function newQueryCode(): string {
  return Array.from({ length: 8 }, () => QUERY_CODE_ALPHABET[randomInt(QUERY_CODE_ALPHABET.length)]).join('');
}

/**
 * 一窗受理: any catalogued item is taken at one window (or online) and routed to the item's
 * department in the jurisdiction at the item's level that contains the applicant.
 */
export async function submitApplication(
  services: Pick<Services, 'catalog' | 'certificates' | 'store' | 'engine' | 'effects' | 'now'>,
  input: SubmitApplicationInput,
  actor: Actor,
  made?: { fromPreReview?: ApplicationDetails['fromPreReview']; id?: string },
): Promise<{ application: ApplicationRecord; queryCode: string }> {
  const item = findItem(services.catalog, input.itemCode);
  if (!item) throw invalid('itemCode', `未知事项编码 / Unknown item code ${input.itemCode}`);
  const usccError = usccProblem(input.applicant.uscc);
  if (usccError) throw invalid('applicant.uscc', usccError);
  const known = new Set(item.materials.map((m) => m.code));
  const unknown = input.materials.filter((m) => !known.has(m.code)).map((m) => m.code);
  if (unknown.length) throw invalid('materials', `事项 ${item.code} 无此材料 / Unknown material code(s) for ${item.code}: ${unknown.join(', ')}`);
  const given = new Set(input.materials.map((m) => m.code));
  if (given.size !== input.materials.length) throw invalid('materials', '材料编码重复 / A material code is listed twice');
  const details = { ...(await certificateDetails(services, item, input)), ...(made?.fromPreReview ? { fromPreReview: made.fromPreReview } : {}) };

  let routing: ApplicationRecord['routing'];
  try {
    const route = routeApplication(services.catalog, item, input.applicant.divisionCode);
    const province = routeApplication(services.catalog, { ...item, level: 'province' }, input.applicant.divisionCode);
    routing = { ...route, provinceJurisdiction: province.jurisdiction };
  } catch (e) {
    if (e instanceof RoutingError) throw invalid('applicant.divisionCode', e.message);
    throw e;
  }

  // The window that received it: the clerk's own jurisdiction; online applications go straight to the routed one.
  const intakeJurisdiction = actor.kind === 'staff' && actor.jurisdiction ? actor.jurisdiction : routing.jurisdiction;
  const today = shanghaiDate(services.now()).replaceAll('-', '');
  const seq = await services.store.nextSequence(`application:${routing.jurisdiction}:${today}`);
  const queryCode = newQueryCode();
  const application = await services.engine.start(
    {
      // Made from a pre-review, the id was chosen first: the conversion's claim names it.
      id: made?.id ?? randomUUID(),
      applicationNo: `${routing.jurisdiction}-${today}-${String(seq).padStart(5, '0')}`,
      queryCodeHash: hashQueryCode(queryCode),
      itemCode: item.code,
      applicant: input.applicant,
      // Every catalogued material is listed, so the checklist shows what is still missing.
      materials: item.materials.map((m) => ({ code: m.code, provided: input.materials.some((x) => x.code === m.code && x.provided) })),
      channel: input.channel,
      routing,
      intake: { jurisdiction: intakeJurisdiction, by: actor },
      details,
    },
    item,
    actor,
  );
  // The effects' runner hands back the application when none of them changed it; otherwise it is read again.
  const latest = (await services.effects.runFor(application.id, application)) ?? (await services.store.get(application.id)) ?? application;
  return { application: latest, queryCode };
}

/** What a renewal (延续) or a change (变更) records on the application, after checking the certificate it is about. */
async function certificateDetails(
  services: Pick<Services, 'certificates' | 'store' | 'now'>,
  item: CatalogItem,
  input: SubmitApplicationInput,
): Promise<ApplicationDetails> {
  const today = shanghaiDate(services.now());
  if (input.renewalOf && input.changeOf) throw invalid('changeOf', '一件申请只能延续或变更一张证照 / An application renews or changes a certificate, not both');
  if (input.changes && !input.changeOf) throw invalid('changeOf', '变更申请须写明证照编号 / A change names the certificate (changeOf)');
  if (input.declaration && !input.renewalOf) throw invalid('renewalOf', '延续承诺须随延续申请提交 / A declaration comes with a renewal (renewalOf)');
  if (input.declaration && !item.renewalWithoutReview) {
    throw invalid('declaration', `事项 ${item.code} 不适用延续不再审查 / Item ${item.code} has no renewal without re-review`);
  }
  if (input.renewalOf) {
    await assertRenewable(services, item, input.applicant.uscc, input.renewalOf, today);
    return { renewalOf: input.renewalOf, ...(input.declaration ? { declaration: input.declaration } : {}) };
  }
  if (input.changeOf) {
    await assertChangeable(services, item, input.applicant.uscc, input.changeOf, input.changes ?? {}, today);
    return { changeOf: input.changeOf, changes: input.changes ?? {} };
  }
  return {};
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ field, message }]);
}
