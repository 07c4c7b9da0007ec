import type { Request, RequestHandler } from 'express';
import type { Principal } from '../auth/access-policy';
import { STAFF_ROLES, type StaffRole } from '../auth/tokens';
import { AppError } from '../errors';
import type { Services } from '../services';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Reads a bearer token if one is sent; routes decide whether they need one. */
export function readToken(services: Services): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const claims = match ? services.tokens.verify(match[1]) : null;
      if (!claims) return next(new AppError('UNAUTHENTICATED', '登录已失效，请重新登录 / Invalid or expired token'));
      req.principal = claims;
    }
    next();
  };
}

/** The signed-in principal; 401 without one. */
export function principalOf(req: Request): Principal {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', '请先登录 / Sign in first (Authorization: Bearer <token>)');
  return req.principal;
}

/** A staff member with one of these roles; 403 names the roles needed. */
export function staffWith(req: Request, roles: StaffRole[]): Extract<Principal, { kind: 'staff' }> {
  const principal = principalOf(req);
  if (principal.kind !== 'staff' || !roles.includes(principal.role)) {
    throw new AppError('FORBIDDEN', `需要角色 ${roles.join(' / ')} / Needs role ${roles.join(' or ')}`);
  }
  return principal;
}

export const ALL_STAFF: StaffRole[] = [...STAFF_ROLES];
