import type { TokenService } from '../auth/tokens';
import { shanghaiDate } from '../calendar';
import { assistanceTimerName } from '../../machines/assistance-inspection';
import type { Actor, ApplicationRecord, AssistanceRequest } from '../engine/application-record';
import { AppError } from '../errors';
import { eventDefinition, type EventContext } from '../events';
import type { Services } from '../services';

/** A sealed link value opens one request of one application, and only until that request's deadline. */
export const ASSISTANCE_LINK = 'assistance-link';

/** The request's deadline (the end of its last working day), from its timer. */
export const assistanceDueAt = (app: ApplicationRecord, requestId: string): Date | null =>
  app.timers.find((t) => t.name === assistanceTimerName(requestId))?.dueAt ?? null;

/** The token the department's mail carries: this application, this request, expiring with the request. */
export function assistanceToken(tokens: TokenService, app: ApplicationRecord, requestId: string): string {
  const due = assistanceDueAt(app, requestId);
  return tokens.seal(ASSISTANCE_LINK, { a: app.id, r: requestId, exp: Math.floor((due?.getTime() ?? 0) / 1000) });
}

// An altered or foreign link names nothing (404); a real one that is spent or expired is refused (403).
const refused = (why: string) => new AppError('FORBIDDEN', `协查链接已失效 / This assistance link is no longer valid: ${why}`, { code: 'ASSISTANCE_LINK_INVALID' });
const unknown = () => new AppError('NOT_FOUND', '协查链接无效 / This assistance link is not valid (altered, or not an assistance link)');

/** The application and the open request a link opens; 403 for an altered, foreign, expired, answered or withdrawn one. */
export async function openAssistanceLink(services: Pick<Services, 'tokens' | 'store' | 'now'>, token: string): Promise<{ app: ApplicationRecord; request: AssistanceRequest }> {
  const data = services.tokens.unseal(ASSISTANCE_LINK, token);
  if (!data || typeof data.a !== 'string' || typeof data.r !== 'string' || typeof data.exp !== 'number') throw unknown();
  if (data.exp * 1000 <= services.now().getTime()) throw refused('the answer deadline has passed');
  // The application is read by its `_id`: the link never scans the store.
  const app = await services.store.get(data.a);
  const request = app?.details.assistance?.find((r) => r.id === data.r);
  if (!app || !request) throw unknown();
  if (request.status !== 'open') throw refused(`the request is ${request.status}`);
  return { app, request };
}

/** What the department sees through its link: the question, the applicant it is about, the deadline. */
export function assistanceLinkView(services: Pick<Services, 'itemOf'>, app: ApplicationRecord, request: AssistanceRequest) {
  const due = assistanceDueAt(app, request.id);
  return {
    applicationNo: app.applicationNo,
    itemName: services.itemOf(app.itemCode).name,
    applicant: { name: app.applicant.name, uscc: app.applicant.uscc },
    office: `${app.routing.jurisdictionName} ${app.routing.department}`,
    requestId: request.id,
    department: request.department,
    questions: request.questions,
    requestedOn: request.requestedOn,
    dueDate: due ? shanghaiDate(new Date(due.getTime() - 1)) : null,
    status: request.status,
  };
}

/** The department answers through its link, without an account: RECORD_ASSISTANCE on its behalf, recorded as coming through the link. */
export async function answerThroughLink(services: Services, token: string, answer: string): Promise<AssistanceRequest> {
  const { app, request } = await openAssistanceLink(services, token);
  const actor: Actor = { kind: 'system', id: `assistance:${request.id}`, name: `${request.department}（协查答复）`, role: 'department' };
  const event = { type: 'RECORD_ASSISTANCE', requestId: request.id, answer };
  const definition = eventDefinition(event.type)!;
  const ctx: EventContext = {
    app, item: services.itemOf(app.itemCode), today: shanghaiDate(services.now()), by: actor.name, byId: actor.id, staffAccount: (username) => services.staff.find(username),
    pledgeText: services.pledgeText, creditKinds: (uscc) => services.credits.kindsFor(uscc),
  };
  await definition.check?.(ctx, event);
  const updated = await services.engine.apply(app, event, actor, { note: answer, details: await definition.records!(ctx, event) });
  await services.effects.runFor(app.id, updated);
  return updated.details.assistance!.find((r) => r.id === request.id)!;
}
