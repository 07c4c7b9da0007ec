import express, { type Express } from 'express';
import type { Connection } from 'mongoose';
import type { Services } from '../services';
import { readToken } from './authenticate';
import { errorHandler, notFound } from './error-handler';
import { applicationRoutes } from './routes/application-routes';
import { authRoutes } from './routes/auth-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { staffRoutes } from './routes/staff-routes';
import { publicRoutes } from './routes/status-routes';

/** The HTTP API: thin routes over the use cases, one error handler at the end. */
export function createHttpApp(services: Services, conn: Connection): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(express.json({ limit: '64kb', strict: true }));

  app.get('/health', async (_req, res) => {
    const ok = await conn.db!.admin().ping().then(() => true, () => false);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', store: ok ? 'up' : 'down' });
  });

  const api = express.Router();
  api.use(readToken(services));
  api.use('/auth', authRoutes(services));
  api.use('/', catalogRoutes(services));
  api.use('/', publicRoutes(services));
  api.use('/applications', applicationRoutes(services));
  api.use('/staff', staffRoutes(services));
  app.use('/api/v1', api);

  app.use(notFound);
  app.use(errorHandler(services.log));
  return app;
}
