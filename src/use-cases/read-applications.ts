import { coveredJurisdictions, mayRead, type Principal } from '../auth/access-policy';
import { shanghaiDate } from '../calendar';
import { onlyFactsSince, type ApplicationRecord } from '../engine/application-record';
import type { Light } from '../engine/clock';
import { AppError } from '../errors';
import { finishedStatuses } from '../processes/statuses';
import type { Services } from '../services';
import type { OpenApplication } from '../store/open-applications';
import { clockView } from '../views/application-view';
import { waitsFor } from '../views/chain-view';

/** What listing applications uses. */
export type ListDeps = Pick<Services, 'store' | 'catalog' | 'itemOf' | 'now' | 'calendar'>;

/** Loads an application the principal may read; anything else is "not found", so existence is not revealed. */
export async function loadReadableApplication(services: Pick<Services, 'store' | 'catalog'>, principal: Principal, id: string): Promise<ApplicationRecord> {
  const app = await services.store.get(id);
  if (!app || !mayRead(principal, app, services.catalog)) throw new AppError('NOT_FOUND', `申请不存在 / Application ${id} not found`);
  return app;
}

/** Orders of the work list: newest first, or what needs attention first (overdue, then the nearest due date). */
export const LIST_ORDERS = ['newest', 'deadline'] as const;

export interface ListQuery {
  status?: string[];
  itemCode?: string;
  uscc?: string;
  /** An application number, or an applicant's name (matched whole). */
  q?: string;
  light?: Light;
  sort?: (typeof LIST_ORDERS)[number];
  /** `me`: only open work waiting for the reader's step (the handler's cases, the chief's queue and checks, the leader's signatures). */
  waiting?: 'me';
  offset: number;
  limit: number;
}

const FINISHED = finishedStatuses();
const APPLICATION_NO = /^\d{6}-\d{8}-\d{4,6}$/;
// An enterprise or a name has a few dozen applications over the years; a search reads at most this many.
const SEARCH_LIMIT = 500;

/**
 * The work list of a staff member's jurisdictions. Without a status it is the open work (办理中), read from
 * the open-work view, which holds only what is in hand; finished statuses are read from their logs, a page
 * at a time; a search by USCC, application number or name reads that enterprise's or name's applications.
 * None of them reads the history as a whole.
 */
export async function listApplications(services: ListDeps, principal: Principal, query: ListQuery): Promise<{ items: ApplicationRecord[]; total: number }> {
  if (principal.kind !== 'staff') throw new AppError('FORBIDDEN', '仅限工作人员 / Staff only');
  const jurisdictions = coveredJurisdictions(principal.jurisdiction, services.catalog);
  if (query.uscc || query.q) return page(filterFound(services, principal, await search(services, query), query), query);

  const wantsOpen = !query.status || query.status.some((s) => !FINISHED.has(s));
  const finished = query.light || query.waiting ? [] : (query.status ?? []).filter((s) => FINISHED.has(s));
  const open = wantsOpen
    ? orderOpen(services, principal, await services.store.openApplications({ jurisdictions, itemCode: query.itemCode, status: query.status?.filter((s) => !FINISHED.has(s)) }), query)
    : [];
  const openPage = open.slice(query.offset, query.offset + query.limit);
  const items = await readOpen(services, openPage);
  let total = open.length;
  if (finished.length) {
    const offset = Math.max(0, query.offset - open.length);
    const rest = await services.store.finished(jurisdictions, finished, query.itemCode, { offset, limit: query.limit - items.length });
    if (items.length < query.limit) items.push(...rest.items);
    total += rest.total;
  }
  return { items, total };
}

async function search(services: ListDeps, query: ListQuery): Promise<ApplicationRecord[]> {
  if (query.uscc) return services.store.byUscc(query.uscc, SEARCH_LIMIT);
  const q = query.q!.trim();
  if (APPLICATION_NO.test(q)) {
    const app = await services.store.findByNumber(q);
    return app ? [app] : [];
  }
  return services.store.byApplicantName(q, SEARCH_LIMIT);
}

function filterFound(services: ListDeps, principal: Principal, apps: ApplicationRecord[], query: ListQuery): ApplicationRecord[] {
  return apps.filter((a) =>
    mayRead(principal, a, services.catalog) &&
    (!query.status || query.status.includes(a.status)) &&
    (!query.itemCode || a.itemCode === query.itemCode) &&
    (!query.light || lightOf(services, { itemCode: a.itemCode, clock: a.clocks.decision ?? null }) === query.light));
}

const page = (apps: ApplicationRecord[], query: ListQuery) => ({ items: apps.slice(query.offset, query.offset + query.limit), total: apps.length });

const lightOf = (services: ListDeps, app: Pick<ApplicationRecord, 'itemCode'> & { clock: ApplicationRecord['clocks']['decision'] | null }): Light | null => {
  const view = app.clock ? clockView(services, app.clock, services.itemOf(app.itemCode)) : null;
  return view && 'light' in view ? view.light : null;
};

/** Filters open work by light (and by the reader's step) and puts it in the asked order, the reader's own cases first; everything here is in memory, over open work only. */
function orderOpen(services: ListDeps, principal: Principal, entries: OpenApplication[], query: ListQuery): OpenApplication[] {
  const today = shanghaiDate(services.now());
  const rows = entries.map((e) => {
    const dueDates = e.deadlines.map((d) => d.dueDate);
    const clock = e.decisionClock ? clockView(services, e.decisionClock, services.itemOf(e.itemCode)) : null;
    const light = clock && 'light' in clock ? clock.light : null;
    if (clock && 'dueDate' in clock && !clock.stopped) dueDates.push(clock.dueDate);
    const overdue = light === 'red' || e.deadlines.some((d) => d.dueDate < today);
    return { e, light, overdue, nextDue: dueDates.sort()[0] ?? '9999-12-31' };
  });
  const kept = rows.filter((r) => (!query.light || r.light === query.light) && (!query.waiting || waitsFor(principal, r.e, services.itemOf(r.e.itemCode).department)));
  const newest = (a: OpenApplication, b: OpenApplication) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : 1);
  const own = (e: OpenApplication) => Number(principal.kind === 'staff' && e.assignee === principal.sub);
  const order = query.sort === 'deadline'
    ? (a: (typeof rows)[number], b: (typeof rows)[number]) => Number(b.overdue) - Number(a.overdue) || a.nextDue.localeCompare(b.nextDue) || newest(a.e, b.e)
    : (a: (typeof rows)[number], b: (typeof rows)[number]) => newest(a.e, b.e);
  kept.sort((a, b) => own(b.e) - own(a.e) || order(a, b));
  return kept.map((r) => r.e);
}

/** Reads the page's applications themselves; an entry found behind its application is re-synced on the way. */
async function readOpen(services: ListDeps, entries: OpenApplication[]): Promise<ApplicationRecord[]> {
  const apps = await services.store.getMany(entries.map((e) => e.id));
  const versions = new Map(entries.map((e) => [e.id, e.version]));
  // Behind only when more than facts (documents recorded) landed since the entry was written; an entry ahead is a change in flight (its writer puts the entry first).
  for (const app of apps) {
    const entry = versions.get(app.id) ?? 0;
    if (entry < app.version && !onlyFactsSince(app, entry)) await services.store.resyncOpen(app);
  }
  return apps;
}
