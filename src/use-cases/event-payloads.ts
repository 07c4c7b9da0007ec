import Joi from 'joi';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import { AppError } from '../errors';

const text = (max = 2000) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');
const isoInstant = Joi.string().isoDate();
const materialCode = Joi.string().pattern(/^[A-Za-z0-9_-]{1,32}$/);
const level = Joi.string().valid('city', 'province');

/** The payload each event takes; anything else in the body is refused. */
const PAYLOADS: Record<string, Joi.ObjectSchema> = {
  ACCEPT: Joi.object({}),
  REQUEST_CORRECTION: Joi.object({
    items: Joi.array().min(1).max(50).items(Joi.object({ material: materialCode, description: text(500).required() })).required(),
  }),
  SUBMIT_CORRECTION: Joi.object({ note: text(500) }),
  REJECT: Joi.object({ reason: text().required() }),
  APPROVE: Joi.object({ note: text() }),
  DENY: Joi.object({ reason: text().required() }),
  WITHDRAW: Joi.object({ reason: text().required() }),
  ACCEPT_WITH_DEFICIENCY: Joi.object({
    missing: Joi.array().min(1).max(50).unique().items(materialCode.required()).required(),
    promise: Joi.object({ signedBy: text(100).required(), signedAt: isoInstant.required() }).required(),
  }),
  SUPPLEMENT: Joi.object({ materials: Joi.array().min(1).max(50).unique().items(materialCode.required()).required() }),
  ACCEPT_ON_COMMITMENT: Joi.object({
    pledge: Joi.object({ textVersion: Joi.string().pattern(/^[A-Za-z0-9._-]{1,32}$/).required(), signedBy: text(100).required(), signedAt: isoInstant.required() }).required(),
  }),
  VERIFY_PASSED: Joi.object({ method: Joi.string().valid('written', 'online', 'site_visit', 'public_notice').required(), note: text() }),
  VERIFY_FAILED: Joi.object({ findings: text().required() }),
  SUSPEND: Joi.object({ reason: text().required(), expectedWorkingDays: Joi.number().integer().min(1).max(365).required() }),
  RESUME: Joi.object({ note: text(500) }),
  EXTEND: Joi.object({ reason: text().required() }),
  REVIEW_OPINION: Joi.object({ level: level.required(), opinion: Joi.string().valid('approve', 'reject', 'return').required(), note: text().required() }),
  SUBMIT_REWORK: Joi.object({ level: level.required(), note: text(500) }),
};

export const API_EVENT_TYPES = Object.keys(PAYLOADS);
export const EVENT_PAYLOADS = PAYLOADS;

/** Validates an event body (`type`, payload, optional `expectedVersion`); a 400 names every problem. */
export function parseEventBody(body: unknown): { event: { type: string } & Record<string, unknown>; expectedVersion?: number } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', '请求体必须是 JSON 对象 / Body must be a JSON object');
  const { type, expectedVersion, ...payload } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !PAYLOADS[type]) {
    throw new AppError('VALIDATION_FAILED', `未知事件类型 / "type" must be one of ${API_EVENT_TYPES.join(', ')}`, [{ field: 'type', message: 'unknown event type' }]);
  }
  if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || (expectedVersion as number) < 1)) {
    throw new AppError('VALIDATION_FAILED', '"expectedVersion" must be a positive integer', [{ field: 'expectedVersion', message: 'must be a positive integer' }]);
  }
  const { value, error } = PAYLOADS[type].validate(payload, { abortEarly: false, convert: false });
  if (error) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${type} 参数错误 / Invalid ${type} payload: ${error.details.map((d) => d.message).join('; ')}`,
      error.details.map((d) => ({ field: d.path.join('.'), message: d.message })),
    );
  }
  return { event: { type, ...value }, expectedVersion: expectedVersion as number | undefined };
}
