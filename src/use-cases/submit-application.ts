import { createHash, randomInt, randomUUID } from 'node:crypto';
import Joi from 'joi';
import { shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import { RoutingError, routeApplication } from '../catalog/routing';
import { assertRenewable } from '../certificates/renewal';
import { usccProblem } from '../domain/identifiers';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import type { Actor, Applicant, ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import type { Services } from '../services';

export interface SubmitApplicationInput {
  itemCode: string;
  applicant: Applicant;
  materials: { code: string; provided: boolean }[];
  channel: 'window' | 'online';
  /** 延续: the certificate this application renews. */
  renewalOf?: string;
}

const safeText = (max: number) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');

// Typed strictly against Applicant, so the interface and the schema cannot name different fields.
export const applicantSchema = Joi.object<Applicant, true>({
  name: safeText(200).required(),
  uscc: Joi.string().max(18).required().description('统一社会信用代码, GB 32100-2015, checked including the check character'),
  divisionCode: Joi.string().pattern(/^\d{6}$/).required().description('Administrative division of the applicant'),
  contact: Joi.object({
    name: safeText(100).required(),
    phone: Joi.string().pattern(/^[0-9+\- ]{5,20}$/).required(),
    email: Joi.string().email({ tlds: false }).max(254).required(),
  }).required(),
});

/** What a window intake sends (POST /applications); the one schema the server validates with and the API document shows. */
export const applicationInputSchema = Joi.object<SubmitApplicationInput, true>({
  itemCode: Joi.string().max(40).required(),
  applicant: applicantSchema.required(),
  // Any code up to 32 characters; submitApplication then refuses one the item does not list.
  materials: Joi.array().max(100).items(Joi.object({ code: Joi.string().max(32).required(), provided: Joi.boolean().required() })).required(),
  channel: Joi.string().valid('window', 'online').required(),
  renewalOf: Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'certificate number')
    .description('延续: number of the certificate this application renews (same holder and item, inside the renewal window)'),
});

/** What an online submission sends (POST /online-applications): the same, with any `channel` sent ignored. */
export const onlineApplicationInputSchema = applicationInputSchema.keys({
  channel: Joi.any().strip().description('Ignored: an online submission is always `online`'),
});

// Query codes avoid look-alike characters (0/O, 1/I/L) because people read them off paper.
const QUERY_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const hashQueryCode = (code: string) => createHash('sha256').update(code.toUpperCase()).digest('hex');

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
  if (input.renewalOf) await assertRenewable(services, item, input.applicant.uscc, input.renewalOf, shanghaiDate(services.now()));

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
      id: randomUUID(),
      applicationNo: `${routing.jurisdiction}-${today}-${String(seq).padStart(5, '0')}`,
      queryCodeHash: hashQueryCode(queryCode),
      itemCode: item.code,
      applicant: input.applicant,
      // Every catalogued material is listed, so the checklist shows what is still missing.
      materials: item.materials.map((m) => ({ code: m.code, provided: input.materials.some((x) => x.code === m.code && x.provided) })),
      channel: input.channel,
      routing,
      intake: { jurisdiction: intakeJurisdiction, by: actor },
      details: input.renewalOf ? { renewalOf: input.renewalOf } : {},
    },
    item,
    actor,
  );
  // The effects' runner hands back the application when none of them changed it; otherwise it is read again.
  const latest = (await services.effects.runFor(application.id, application)) ?? (await services.store.get(application.id)) ?? application;
  return { application: latest, queryCode };
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ field, message }]);
}
