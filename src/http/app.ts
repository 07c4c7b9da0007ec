import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Services } from '../services';
import { readToken } from './authenticate';
import { auditTrail } from './audit-trail';
import { countRequests } from './count-requests';
import { requireMetricsToken } from './metrics-access';
import { errorHandler, notFound } from './error-handler';
import { jsonDepthLimit, loginLimiter, publicLimiter, requestLogging, securityHeaders } from './hardening';
import { applicationRoutes } from './routes/application-routes';
import { authRoutes } from './routes/auth-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { certificateRoutes } from './routes/certificate-routes';
import { openApiRoutes } from './routes/openapi-routes';
import { pledgeRoutes } from './routes/pledge-routes';
import { processRoutes } from './routes/process-routes';
import { staffRoutes } from './routes/staff-routes';
import { publicRoutes } from './routes/status-routes';
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
  app.get('/metrics', requireMetricsToken(services.config.metricsToken), async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });

  app.get('/health', async (_req, res) => {
    const ok = await conn.db!.admin().ping().then(() => true, () => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', store: ok ? 'up' : 'down' });
  });

  const api = express.Router();
  api.use(readToken(services));
  api.use(auditTrail(services.audit, services.log, services.now));
  api.use('/auth/token', loginLimiter(services.config.loginRateLimit));
  const lookups = publicLimiter(services.config.publicRateLimit);
  for (const path of ['/status', '/auth/enterprise-token', '/online-applications', '/certificates/verify']) api.use(path, lookups);
  api.use('/auth', authRoutes(services));
  api.use('/', catalogRoutes(services));
  api.use('/', publicRoutes(services));
  api.use('/applications', applicationRoutes(services));
  api.use('/certificates', certificateRoutes(services));
  api.use('/staff', staffRoutes(services));
  api.use('/', pledgeRoutes(services));
  api.use('/processes', processRoutes());
  api.use('/', openApiRoutes());
  app.use('/api/v1', api);

  app.use(serveWeb());

  app.use(notFound);
  app.use(errorHandler(services.log));
  return app;
}
