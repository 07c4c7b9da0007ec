import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Services } from '../services';
import { readToken } from './authenticate';
import { auditTrail } from './audit-trail';
import { countRequests } from './count-requests';
import { errorHandler, notFound } from './error-handler';
import { jsonDepthLimit, loginLimiter, publicLimiter, requestLogging, securityHeaders } from './hardening';
import { ROUTE_TABLE } from './api-routes';
import { routerOf } from './route-table';
import { serveWeb } from '../web/serve-web';

/** The HTTP API: thin routes over the use cases, one error handler at the end. */
export function createHttpApp(services: Services, conn: Connection): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Behind a reverse proxy, rate limits and the audit log see the client's address, not the proxy's.
  if (services.config.trustProxy) app.set('trust proxy', /^\d+$/.test(services.config.trustProxy) ? Number(services.config.trustProxy) : services.config.trustProxy);
  app.use(requestLogging(services.log));
  app.use(securityHeaders());
  app.use(express.json({ limit: '64kb', strict: true }));
  app.use(jsonDepthLimit(12));

  app.use(countRequests(services.metrics));
  // A request in flight holds back background documents (effects/quiet-gate.ts).
  app.use((_req, res, next) => {
    res.on('close', services.quiet.enter());
    next();
  });
  for (const group of ROUTE_TABLE.system.groups) app.use(group.base, routerOf(group, services, conn));

  const api = express.Router();
  api.use(readToken(services));
  api.use(auditTrail(services.audit, services.log, services.now));
  api.use('/auth/token', loginLimiter(services.config.loginRateLimit));
  const lookups = publicLimiter(services.config.publicRateLimit);
  for (const path of ['/status', '/auth/enterprise-token', '/online-applications', '/certificates/verify', '/pre-review-status', '/online-pre-reviews', '/assistance']) api.use(path, lookups);
  for (const group of ROUTE_TABLE.api.groups) api.use(group.base, routerOf(group, services, conn));
  app.use(ROUTE_TABLE.api.prefix, api);

  app.use(serveWeb());

  app.use(notFound);
  app.use(errorHandler(services.log, services.metrics));
  return app;
}
