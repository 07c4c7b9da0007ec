import type { Catalog } from '../catalog/types';
import { jurisdictionCovers } from '../catalog/routing';
import type { ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import { eventDefinition, senderOf, type Sender } from '../events';
import { chainRefusal } from './review-chain';
import type { TokenClaims } from './tokens';
import * as S from '../../machines/statuses';
import { APPLICANT_OR_WINDOW } from '../events/senders';

export type Principal = TokenClaims;

/** Why `principal` may not send `event` (payload-aware) to `app`, or null when it may; the rule is the event definition's `sentBy`. */
export function eventRefusal(principal: Principal, app: ApplicationRecord, event: { type: string; level?: unknown }, catalog: Catalog): string | null {
  const type = event.type;
  const sender = senderOf(eventDefinition(type), event);
  if (!sender) return principal.kind === 'enterprise' ? `${type} is sent by bureau staff, not by the applicant` : `${type} cannot be sent through the API`;
  return senderRefusal(principal, app, sender, catalog, type) ?? chainRefusal(principal, app, type)?.reason ?? null;
}

/** Why `principal` is not a `sender` of what it does to `app` (an event, an upload), or null when it is. */
export function senderRefusal(principal: Principal, app: ApplicationRecord, sender: Sender, catalog: Catalog, what: string): string | null {
  if (principal.kind === 'enterprise') {
    if (principal.applicationId !== app.id) return 'not your application';
    return sender.enterprise ? null : `${what} is sent by bureau staff, not by the applicant`;
  }
  if (!sender.roles.includes(principal.role)) return `${sender.subject ?? what} needs ${sender.roleText} (you are ${principal.role})`;
  return jurisdictionRefusal(principal, app, sender.at, catalog);
}

// Where the staff member's jurisdiction must reach: the window that received or was routed the application, the routed body, or the province.
function jurisdictionRefusal(principal: Extract<Principal, { kind: 'staff' }>, app: ApplicationRecord, at: Sender['at'], catalog: Catalog): string | null {
  const covers = (target: string) => jurisdictionCovers(principal.jurisdiction, target, catalog);
  if (at === 'window') return covers(app.intake.jurisdiction) || covers(app.routing.jurisdiction) ? null : `application is outside your jurisdiction ${principal.jurisdiction}`;
  if (at === 'province') return covers(app.routing.provinceJurisdiction) ? null : `outside your jurisdiction ${principal.jurisdiction}`;
  return covers(app.routing.jurisdiction) ? null : `application is routed to ${app.routing.jurisdiction}, outside your jurisdiction ${principal.jurisdiction}`;
}
/** Throws 403 naming the reason when the principal may not send the event. */
export function assertMaySend(principal: Principal, app: ApplicationRecord, event: { type: string; level?: unknown }, catalog: Catalog): void {
  const sender = senderOf(eventDefinition(event.type), event);
  // Four eyes has its own code, so a client can tell "someone else must do this step" from "not your role".
  const chain = sender && !senderRefusal(principal, app, sender, catalog, event.type) ? chainRefusal(principal, app, event.type) : null;
  const refusal = chain?.reason ?? eventRefusal(principal, app, event, catalog);
  if (refusal) throw new AppError(chain?.code ?? 'FORBIDDEN', `无权执行该操作 / Not permitted: ${refusal}`, { event: event.type });
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

// Materials come in before the decision: at intake, as a correction, and as the supplement 容缺 or an approval waits for.
const TAKES_MATERIALS = new Set([S.SUBMITTED, S.CORRECTION_REQUIRED, S.ACCEPTED_DEFICIENT, S.APPROVED_PENDING_SUPPLEMENT].map((s) => s.id));

/** Whether an application in this status takes files for its materials. */
export const takesMaterials = (status: string): boolean => TAKES_MATERIALS.has(status);

/**
 * Why `principal` may not upload a material's file to `app` now, or null when it may: the applicant itself, or the window
 * clerk of the application (who scans paper), while the application takes materials.
 */
export function uploadRefusal(principal: Principal, app: ApplicationRecord, catalog: Catalog): { code: 'FORBIDDEN' | 'PRECONDITION_FAILED'; reason: string } | null {
  const refusal = senderRefusal(principal, app, APPLICANT_OR_WINDOW, catalog, 'Uploading a file');
  if (refusal) return { code: 'FORBIDDEN', reason: refusal };
  if (!takesMaterials(app.status)) return { code: 'PRECONDITION_FAILED', reason: `application ${app.applicationNo} takes no materials in status ${app.status}` };
  return null;
}
