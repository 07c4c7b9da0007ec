import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import { STORE_RETRY_AFTER_SECONDS } from '../errors';
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

/** How long a health check waits for the store's ping; a down store must not make /health hang. */
export const HEALTH_PING_TIMEOUT_MS = 800;

async function storeAnswers(conn: Connection): Promise<boolean> {
  if (!conn.db) return false;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([conn.db.admin().ping().then(() => true, () => false), gaveUp]);
  } finally {
    clearTimeout(timer);
  }
}

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

  // Liveness never touches the store: a load balancer or systemd restarts the process only when it is really stuck.
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/health/ready', async (_req, res) => {
    const up = await storeAnswers(conn);
    if (!up) res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    res.status(up ? 200 : 503).json({ status: up ? 'ready' : 'not_ready', store: up ? 'up' : 'down' });
  });
  app.get('/health', async (_req, res) => {
    const up = await storeAnswers(conn);
    if (!up) res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    res.status(up ? 200 : 503).json({ status: up ? 'ok' : 'degraded', store: up ? 'up' : 'down' });
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
  app.use(errorHandler(services.log, services.metrics));
  return app;
}
