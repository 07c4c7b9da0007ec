import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isAppError, isStoreUnavailableError, STORE_RETRY_AFTER_SECONDS, storeUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/** Maps every failure to {"error": {code, message, details}}; unexpected ones are logged and hidden. */
export function errorHandler(log: Logger, metrics?: Metrics): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAppError(err);
    if (known.code === 'STORE_UNAVAILABLE') {
      // Expected while the store restarts: a warning with the driver's reason, and the time to come back.
      log.warn({ path: req.path, reason: (err as Error)?.message }, 'store unavailable');
      metrics?.storeUnavailable.inc({ where: 'http' });
      res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    } else if (known.status >= 500) log.error({ err, path: req.path }, 'request failed');
    res.status(known.status).json({ error: { code: known.code, message: known.message, details: known.details ?? null } });
  };
}

export const notFound: RequestHandler = (req, _res, next) =>
  next(new AppError('NOT_FOUND', `没有此接口 / No route ${req.method} ${req.path}`));

function toAppError(err: unknown): AppError {
  // Checked first: a store fault may arrive wrapped in another error, and it is never the client's fault.
  if (isStoreUnavailableError(err)) return isAppError(err) && err.code === 'STORE_UNAVAILABLE' ? err : storeUnavailable(err);
  if (isAppError(err)) return err;
  const e = err as { type?: string; status?: number; code?: string; message?: string };
  if (e.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', '请求体过大 / Request body too large');
  if (e.type === 'entity.parse.failed') return new AppError('VALIDATION_FAILED', `请求体不是合法 JSON / Body is not valid JSON: ${e.message}`);
  if (e.status && e.status >= 400 && e.status < 500) return new AppError('VALIDATION_FAILED', e.message ?? 'Bad request');
  if (e.code === 'CALENDAR_YEAR_MISSING') return new AppError('CALENDAR_YEAR_MISSING', `${e.message} / 该年度节假日安排未加载`);
  return new AppError('INTERNAL', '服务器内部错误 / Internal error', undefined, err);
}
