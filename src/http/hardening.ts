import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { USERNAME } from './validate';

/** Security headers; pages load their scripts and styles from this origin only. */
export const securityHeaders = (): RequestHandler =>
  // blob: images: the console previews a material's image from bytes it fetched with its token.
  helmet({ crossOriginEmbedderPolicy: false, contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'blob:'] } } });

/** One request id per request, on every log line and in the X-Request-Id response header. */
export function requestLogging(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
  });
}

const tooMany = (what: string) =>
  new AppError('RATE_LIMITED', `请求过于频繁，请稍后再试 / Too many ${what}; try again later`);

/** Login attempts: per address and username, so guessing one password is slow and others still sign in. */
export const loginLimiter = (perMinute: number): RequestHandler =>
  rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}:${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
    // Only failed passwords count: a clerk signing in many times a day is never locked out, and a malformed request is a 400.
    skipSuccessfulRequests: true,
    skip: (req) => USERNAME.validate((req.body as { username?: unknown } | undefined)?.username).error !== undefined,
    handler: (_req, _res, next) => next(tooMany('sign-in attempts')),
  });

/** Public lookups (status, certificate check, enterprise tokens, online submission): per address. */
export const publicLimiter = (perMinute: number): RequestHandler =>
  rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooMany('lookups')),
  });

/** Refuses JSON nested deeper than `maxDepth`, which no endpoint needs and which costs the validators time. */
export function jsonDepthLimit(maxDepth: number): RequestHandler {
  const depth = (value: unknown, level: number): number => {
    if (level > maxDepth || value === null || typeof value !== 'object') return level;
    let deepest = level;
    for (const child of Object.values(value as object)) deepest = Math.max(deepest, depth(child, level + 1));
    return deepest;
  };
  return (req, _res, next) => {
    if (req.body && depth(req.body, 0) > maxDepth) return next(new AppError('VALIDATION_FAILED', `JSON 嵌套过深 / JSON nested deeper than ${maxDepth} levels`));
    next();
  };
}
