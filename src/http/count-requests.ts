import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../metrics';

/** Counts requests by route pattern (not raw path, so ids do not explode the label set). */
export function countRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = routePattern(req);
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ route });
    });
    next();
  };
}

/** The matched pattern with its mount path; Express resets `baseUrl` once a router is left, so the mount is recovered from the URL. */
function routePattern(req: Request): string {
  if (!req.route?.path) return 'unmatched';
  const pattern = String(req.route.path);
  const parts = req.originalUrl.split('?')[0].split('/').filter(Boolean);
  const mount = parts.slice(0, parts.length - pattern.split('/').filter(Boolean).length).join('/');
  return `/${mount}${pattern === '/' ? '/' : pattern}`.replace('//', '/');
}
