import type { Catalog } from '../catalog/types';
import { jurisdictionCovers } from '../catalog/routing';
import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import type { StaffRole, TokenClaims } from './tokens';

/** Who may send which event: intake events belong to the window, decisions to reviewers. */
const INTAKE_EVENTS = new Set(['ACCEPT', 'REQUEST_CORRECTION', 'REJECT', 'ACCEPT_WITH_DEFICIENCY', 'ACCEPT_ON_COMMITMENT', 'SUPPLEMENT', 'SUBMIT_REWORK']);
const APPLICANT_EVENTS = new Set(['WITHDRAW', 'SUBMIT_CORRECTION']);
const REVIEW_EVENTS = new Set(['APPROVE', 'DENY', 'SUSPEND', 'RESUME', 'EXTEND', 'VERIFY_PASSED', 'VERIFY_FAILED']);
const REVIEWER_ROLES: StaffRole[] = ['reviewer', 'province-reviewer'];

export type Principal = TokenClaims;

/** Why `principal` may not send `event` (payload-aware) to `app`, or null when it may. */
export function eventRefusal(principal: Principal, app: ApplicationRecord, event: { type: string; level?: unknown }, catalog: Catalog): string | null {
  const type = event.type;
  if (principal.kind === 'enterprise') {
    if (principal.applicationId !== app.id) return 'not your application';
    return APPLICANT_EVENTS.has(type) ? null : `${type} is sent by bureau staff, not by the applicant`;
  }
  const covers = (target: string) => jurisdictionCovers(principal.jurisdiction, target, catalog);
  const atWindow = covers(app.intake.jurisdiction) || covers(app.routing.jurisdiction);
  if (INTAKE_EVENTS.has(type) || APPLICANT_EVENTS.has(type)) {
    if (principal.role !== 'clerk') return `${type} needs the clerk role (you are ${principal.role})`;
    return atWindow ? null : `application is outside your jurisdiction ${principal.jurisdiction}`;
  }
  if (REVIEW_EVENTS.has(type)) {
    if (!REVIEWER_ROLES.includes(principal.role)) return `${type} needs a reviewer role (you are ${principal.role})`;
    return covers(app.routing.jurisdiction) ? null : `application is routed to ${app.routing.jurisdiction}, outside your jurisdiction ${principal.jurisdiction}`;
  }
  if (type === 'REVIEW_OPINION') {
    // 省市联审: the city opinion comes from the routed city's reviewers, the province opinion from the province.
    if (event.level === 'province') {
      if (principal.role !== 'province-reviewer') return `the province opinion needs the province-reviewer role (you are ${principal.role})`;
      return covers(app.routing.provinceJurisdiction) ? null : `outside your jurisdiction ${principal.jurisdiction}`;
    }
    if (principal.role !== 'reviewer') return `the city opinion needs the reviewer role (you are ${principal.role})`;
    return covers(app.routing.jurisdiction) ? null : `application is routed to ${app.routing.jurisdiction}, outside your jurisdiction ${principal.jurisdiction}`;
  }
  return `${type} cannot be sent through the API`;
}

/** Throws 403 naming the reason when the principal may not send the event. */
export function assertMaySend(principal: Principal, app: ApplicationRecord, event: { type: string; level?: unknown }, catalog: Catalog): void {
  const refusal = eventRefusal(principal, app, event, catalog);
  if (refusal) throw new AppError('FORBIDDEN', `无权执行该操作 / Not permitted: ${refusal}`, { event: event.type });
}

/** Whether the principal may read the application: the enterprise its own, staff what their jurisdiction covers. */
export function mayRead(principal: Principal, app: ApplicationRecord, catalog: Catalog): boolean {
  if (principal.kind === 'enterprise') return principal.applicationId === app.id;
  return [app.routing.jurisdiction, app.intake.jurisdiction].some((target) => jurisdictionCovers(principal.jurisdiction, target, catalog));
}

/** Jurisdictions a staff member reads: their own and every one beneath it. */
export function coveredJurisdictions(staffJurisdiction: string, catalog: Catalog): string[] {
  return catalog.jurisdictions.filter((j) => jurisdictionCovers(staffJurisdiction, j.code, catalog)).map((j) => j.code);
}
