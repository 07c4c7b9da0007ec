import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** Prometheus metrics of one process (a registry of its own, so several runtimes in one process do not collide). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    httpRequests: counter('permit_http_requests_total', 'HTTP requests by method, route and status.', ['method', 'route', 'status']),
    httpDuration: new Histogram({
      name: 'permit_http_request_duration_seconds',
      help: 'HTTP request duration.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    storeCommandDuration: new Histogram({
      name: 'permit_store_command_duration_seconds',
      help: 'Store (MongoDB protocol) command duration, by command and collection.',
      labelNames: ['command', 'collection'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    eventsApplied: counter('permit_events_applied_total', 'Process events applied, by type.', ['type']),
    conflicts: counter('permit_version_conflicts_total', 'Writes refused because another writer changed the record first.'),
    timersFired: counter('permit_timers_fired_total', 'Legal deadline timers fired.'),
    remindersSent: counter('permit_reminders_sent_total', 'Expiry reminders sent.'),
    remindersFailed: counter('permit_reminders_failed_total', 'Expiry reminder sending failures.'),
    storeRestarts: counter('permit_store_restarts_total', 'Times this process restarted the embedded store server after it died.'),
    storeUnavailable: counter('permit_store_unavailable_total', 'Requests and scheduled runs refused because the store could not be reached, by where.', ['where']),
  };
}
