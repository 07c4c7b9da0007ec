import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** With a token configured, /metrics answers only a scraper that sends it as a bearer token (compared in constant time). */
export function requireMetricsToken(token: string): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, res, next) => {
    const sent = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (timingSafeEqual(digest(sent), expected)) return next();
    res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: { code: 'UNAUTHENTICATED', message: '需要监控令牌 / /metrics needs the metrics bearer token', details: null } });
  };
}
