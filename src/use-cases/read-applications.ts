import { coveredJurisdictions, mayRead, type Principal } from '../auth/access-policy';
import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import type { Services } from '../services';

/** Loads an application the principal may read; anything else is "not found", so existence is not revealed. */
export async function loadReadableApplication(services: Services, principal: Principal, id: string): Promise<ApplicationRecord> {
  const app = await services.store.get(id);
  if (!app || !mayRead(principal, app, services.catalog)) throw new AppError('NOT_FOUND', `申请不存在 / Application ${id} not found`);
  return app;
}

export interface ListQuery {
  status?: string[];
  itemCode?: string;
  uscc?: string;
  offset: number;
  limit: number;
}

/** The work list: applications in the staff member's jurisdiction, newest first. */
export async function listApplications(services: Services, principal: Principal, query: ListQuery) {
  if (principal.kind !== 'staff') throw new AppError('FORBIDDEN', '仅限工作人员 / Staff only');
  return services.store.list(
    { status: query.status, itemCode: query.itemCode, uscc: query.uscc, jurisdictions: coveredJurisdictions(principal.jurisdiction, services.catalog) },
    { offset: query.offset, limit: query.limit },
  );
}
