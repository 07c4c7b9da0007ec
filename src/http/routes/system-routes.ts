import type { Connection } from 'mongoose';
import type { Response } from 'express';
import { STORE_RETRY_AFTER_SECONDS } from '../../errors';
import { int, json, obj, str } from '../api-schemas';
import { requireMetricsToken } from '../metrics-access';
import { defineRoute, type RouteGroup } from '../route-table';

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

const storeHealth = obj({ status: str(), store: str() });
const storeDown = json(storeHealth, 'Store down (Retry-After)');

/** Health and metrics, outside /api/v1: for load balancers, systemd and Prometheus. */
/** A health answer: `up` with 200 when the store answers a ping in time, else `down` with 503 and when to retry. */
const answerStoreHealth = (up: string, down: string) => async ({ conn, res }: { conn: Connection; res: Response }) => {
  const answers = await storeAnswers(conn);
  if (!answers) res.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
  res.status(answers ? 200 : 503).json({ status: answers ? up : down, store: answers ? 'up' : 'down' });
};

export const systemRoutes: RouteGroup = {
  base: '/',
  tag: 'system',
  routes: [
    defineRoute({
      method: 'get',
      path: '/metrics',
      summary: '运行指标 / Prometheus metrics (requests by route, events, conflicts, timers)',
      auth: 'public',
      use: (services) => [requireMetricsToken(services.config.metricsToken)],
      responses: {
        200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: str() } } },
        401: json(obj({ error: obj({ code: str(), message: str() }) }), 'With METRICS_TOKEN set: the scraper must send it as a bearer token'),
      },
      handler: async ({ services, res }) => {
        res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
      },
    }),
    // Liveness never touches the store: a load balancer or systemd restarts the process only when it is really stuck.
    defineRoute({
      method: 'get',
      path: '/health/live',
      summary: '存活检查 / Liveness: the process answers; never touches the store',
      auth: 'public',
      responses: { 200: json(obj({ status: str(), uptimeSeconds: int() })) },
      handler: ({ res }) => {
        res.json({ status: 'alive', uptimeSeconds: Math.round(process.uptime()) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/health/ready',
      summary: '就绪检查 / Readiness: the store answers a ping within 800 ms',
      auth: 'public',
      responses: { 200: json(storeHealth), 503: storeDown },
      handler: answerStoreHealth('ready', 'not_ready'),
    }),
    defineRoute({
      method: 'get',
      path: '/health',
      summary: '健康检查 / Health: the store is reachable (answers within a second)',
      auth: 'public',
      responses: { 200: json(storeHealth), 503: storeDown },
      handler: answerStoreHealth('ok', 'degraded'),
    }),
  ],
};
