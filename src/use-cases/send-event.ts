import { assertMaySend, type Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import { jurisdictionCovers } from '../catalog/routing';
import { onlyFactsSince, type Actor, type ApplicationRecord } from '../engine/application-record';
import { AppError, isAppError } from '../errors';
import { eventDefinition, refuse, type EventBody, type EventContext } from '../events';
import type { Services } from '../services';
import { loadReadableApplication } from './read-applications';

/** A person sends an event: checked for role, jurisdiction and the item's rules, then applied and its effects run. */
export async function sendEvent(
  services: Pick<Services, 'store' | 'catalog' | 'itemOf' | 'engine' | 'effects' | 'credits' | 'pledgeText' | 'now' | 'staff'> & Partial<Pick<Services, 'files'>>,
  principal: Principal,
  applicationId: string,
  event: EventBody,
  expectedVersion?: number,
): Promise<ApplicationRecord> {
  let app = await loadReadableApplication(services, principal, applicationId);
  assertMaySend(principal, app, event, services.catalog);
  // An issued document recorded since the sender read the application changes nothing the sender decided on.
  if (expectedVersion !== undefined && !onlyFactsSince(app, expectedVersion)) {
    throw new AppError('VERSION_CONFLICT', `申请已被他人更新 / Application changed since version ${expectedVersion} (now ${app.version}); reload and retry`, {
      expectedVersion,
      currentVersion: app.version,
    });
  }
  const item = services.itemOf(app.itemCode);
  const definition = eventDefinition(event.type);
  // The item's eligibility comes first: it is the reason an item-guarded event is refused in any state.
  const itemRefusal = definition?.itemRefusal?.(item);
  if (itemRefusal) refuse(itemRefusal);
  services.engine.assertAccepts(app, event.type);
  const actor = actorOf(principal);
  const ctx: EventContext = {
    app, item, today: shanghaiDate(services.now()), by: actor.name, byId: actor.id, staffAccount: (username) => services.staff.find(username),
    pledgeText: services.pledgeText, creditKinds: (uscc) => services.credits.kindsFor(uscc),
    senderId: actor.id, staffOf: async (username) => {
      const account = await services.staff.find(username);
      return account && { active: account.active, coversRouting: jurisdictionCovers(account.jurisdiction, app.routing.jurisdiction, services.catalog) };
    }, fileOf: services.files && ((id) => services.files!.get(id)),
  };
  await definition?.check?.(ctx, event);
  const apply = async (current: ApplicationRecord) => services.engine.apply(current, event, actor, {
    note: noteOf(event),
    details: (await definition?.records?.({ ...ctx, app: current }, event)) ?? {},
    materials: definition?.materials?.({ ...ctx, app: current }, event),
  });
  let updated: ApplicationRecord | undefined;
  for (let attempt = 1; !updated; attempt++) {
    try {
      updated = await apply(app);
    } catch (e) {
      // Documents issued after an earlier response are recorded on the application meanwhile; only that is retried.
      const fresh = isAppError(e) && e.code === 'VERSION_CONFLICT' && attempt < 5 ? await services.store.get(app.id) : null;
      if (!fresh || !onlyFactsSince(fresh, app.version)) throw e;
      app = fresh;
    }
  }
  // The effects' runner hands back the application when none of them changed it; otherwise it is read again.
  return (await services.effects.runFor(app.id, updated)) ?? (await services.store.get(app.id)) ?? updated;
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'staff'
    ? { kind: 'staff', id: principal.sub, name: principal.name, role: principal.role, jurisdiction: principal.jurisdiction }
    : { kind: 'enterprise', id: principal.uscc, name: principal.name };
}

const noteOf = (event: EventBody): string =>
  String(event.reason ?? event.note ?? event.findings ?? event.opinion ?? '');
