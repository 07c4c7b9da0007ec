import type { RequestHandler } from 'express';
import type { AuditStore } from '../audit/audit-store';
import type { Logger } from '../logger';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Records every change a signed-in staff member makes (and every sign-in), once the response is sent. */
export function auditTrail(audit: AuditStore, log: Logger, now: () => Date): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const principal = req.principal;
      const signIn = req.method === 'POST' && req.originalUrl.startsWith('/api/v1/auth/token');
      if (!signIn && (!CHANGES.has(req.method) || principal?.kind !== 'staff')) return;
      const actor = principal?.kind === 'staff'
        ? { kind: 'staff', id: principal.sub, role: principal.role, jurisdiction: principal.jurisdiction }
        : { kind: 'anonymous', id: String((req.body as { username?: unknown } | undefined)?.username ?? '').slice(0, 64) };
      audit
        .record({ at: now(), requestId: String(req.id ?? ''), actor, ip: req.ip ?? '', method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode })
        .catch((err: unknown) => log.error({ err }, 'audit record failed'));
    });
    next();
  };
}
