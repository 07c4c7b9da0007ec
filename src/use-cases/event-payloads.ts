import { API_EVENT_TYPES, EVENT_PAYLOADS } from '../events';
import { AppError } from '../errors';

// The payloads come from the event definitions (src/events); these names stay for the routes and the API document.
export { API_EVENT_TYPES, EVENT_PAYLOADS };

/** Validates an event body (`type`, payload, optional `expectedVersion`); a 400 names every problem. */
export function parseEventBody(body: unknown): { event: { type: string } & Record<string, unknown>; expectedVersion?: number } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', '请求体必须是 JSON 对象 / Body must be a JSON object');
  const { type, expectedVersion, ...payload } = body as Record<string, unknown>;
  if (typeof type !== 'string' || !Object.hasOwn(EVENT_PAYLOADS, type)) {
    throw new AppError('VALIDATION_FAILED', `未知事件类型 / "type" must be one of ${API_EVENT_TYPES.join(', ')}`, [{ field: 'type', message: 'unknown event type' }]);
  }
  if (expectedVersion !== undefined && (!Number.isInteger(expectedVersion) || (expectedVersion as number) < 1)) {
    throw new AppError('VALIDATION_FAILED', '"expectedVersion" must be a positive integer', [{ field: 'expectedVersion', message: 'must be a positive integer' }]);
  }
  const { value, error } = EVENT_PAYLOADS[type].validate(payload, { abortEarly: false, convert: false });
  if (error) {
    throw new AppError(
      'VALIDATION_FAILED',
      `${type} 参数错误 / Invalid ${type} payload: ${error.details.map((d) => d.message).join('; ')}`,
      error.details.map((d) => ({ field: d.path.join('.'), message: d.message })),
    );
  }
  return { event: { type, ...value }, expectedVersion: expectedVersion as number | undefined };
}
