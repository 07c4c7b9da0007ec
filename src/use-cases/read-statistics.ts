import { LEVELS } from '../evaluations/evaluation-rules';
import { coveredJurisdictions, type Principal } from '../auth/access-policy';
import { addCalendarDays, shanghaiDate } from '../calendar';
import { findItem } from '../catalog/load-catalog';
import { jurisdictionCovers } from '../catalog/routing';
import { AppError } from '../errors';
import type { Services } from '../services';
import type { Metric } from '../statistics/facts';
import { idsBehind, summarize, type CellFilter } from '../statistics/summary';
import { dayId } from '../store/statistics-days';
import { clockView, toListItem } from '../views/application-view';

/** A range of Shanghai days, the jurisdiction read (and all beneath it) and the cells' dimensions to keep. */
export interface StatisticsQuery extends CellFilter {
  from: string;
  to: string;
  jurisdiction?: string;
}

/** The longest range one request reads: a year and a day of day documents per jurisdiction. */
export const MAX_RANGE_DAYS = 366;

type Staff = Extract<Principal, { kind: 'staff' }>;
type Deps = Pick<Services, 'catalog' | 'statistics' | 'store' | 'now' | 'calendar' | 'itemOf'>;

/** The jurisdictions the reader asked for and may read: a county reader asking for the city or another county is refused (403). */
function scope(services: Pick<Services, 'catalog'>, principal: Staff, jurisdiction: string | undefined): string[] {
  const root = jurisdiction ?? principal.jurisdiction;
  if (!services.catalog.jurisdictions.some((j) => j.code === root)) throw new AppError('VALIDATION_FAILED', `未知辖区 / Unknown jurisdiction ${root}`, [{ field: 'jurisdiction', message: `"jurisdiction" ${root} is not served` }]);
  if (!jurisdictionCovers(principal.jurisdiction, root, services.catalog)) {
    throw new AppError('FORBIDDEN', `无权查看该辖区统计 / Not permitted: ${root} is outside your jurisdiction ${principal.jurisdiction}`);
  }
  return coveredJurisdictions(root, services.catalog);
}

function daysOf(query: StatisticsQuery): string[] {
  if (query.to < query.from) throw new AppError('VALIDATION_FAILED', '起止日期有误 / "to" is before "from"', [{ field: 'to', message: '"to" must not be before "from"' }]);
  const days: string[] = [];
  for (let d = query.from; d <= query.to; d = addCalendarDays(d, 1)) {
    if (days.length === MAX_RANGE_DAYS) throw new AppError('VALIDATION_FAILED', `统计区间过长 / the range is longer than ${MAX_RANGE_DAYS} days`, [{ field: 'to', message: `"to" must be at most ${MAX_RANGE_DAYS - 1} days after "from"` }]);
    days.push(d);
  }
  return days;
}

const filterOf = (q: StatisticsQuery): CellFilter => ({ itemCode: q.itemCode, channel: q.channel, businessType: q.businessType, process: q.process });

/** Reads the day documents of the range (by `_id`: one per jurisdiction and day) and nothing else that grows with history. */
async function readDays(services: Deps, principal: Staff, query: StatisticsQuery) {
  const jurisdictions = scope(services, principal, query.jurisdiction);
  const days = daysOf(query);
  return { jurisdictions, docs: await services.statistics.read(jurisdictions.flatMap((j) => days.map((d) => dayId(j, d)))) };
}

/**
 * 电子监察 now: open applications whose decision clock runs, red (overdue) or yellow (near its limit), from the open-work
 * view (a few thousand entries), by item and by routed jurisdiction.
 */
async function lightsNow(services: Deps, jurisdictions: string[], filter: CellFilter) {
  const open = await services.store.openApplications({ jurisdictions, itemCode: filter.itemCode });
  const within = new Set(jurisdictions);
  const counts = { overdueNow: 0, yellowNow: 0, byItem: new Map<string, { overdueNow: number; yellowNow: number }>(), byJurisdiction: new Map<string, { overdueNow: number; yellowNow: number }>() };
  for (const entry of open) {
    // An entry's first jurisdiction is the routed body's (the intake window's follows when it differs).
    if (!entry.decisionClock || entry.decisionClock.stoppedOn || !within.has(entry.jurisdictions[0])) continue;
    const view = clockView(services, entry.decisionClock, services.itemOf(entry.itemCode));
    const light = view && 'light' in view ? view.light : null;
    if (light !== 'red' && light !== 'yellow') continue;
    const field = light === 'red' ? 'overdueNow' : 'yellowNow';
    counts[field]++;
    for (const [map, key] of [[counts.byItem, entry.itemCode], [counts.byJurisdiction, entry.jurisdictions[0]]] as const) {
      const row = map.get(key) ?? { overdueNow: 0, yellowNow: 0 };
      row[field]++;
      map.set(key, row);
    }
  }
  return counts;
}

/** 减证便民 as the catalog sets it (the annual report's "40 items, 64 materials"): items with waivable materials, and those materials by route. */
function catalogWaivers(services: Pick<Services, 'catalog'>, itemCode: string | undefined) {
  const items = services.catalog.items.filter((i) => !itemCode || i.code === itemCode);
  const waivable = items.flatMap((i) => i.materials.filter((m) => m.waivable));
  const byRoute = { data_sharing: 0, pledge: 0, department_check: 0 };
  for (const m of waivable) byRoute[m.waivable!]++;
  return { items: items.filter((i) => i.materials.some((m) => m.waivable)).length, materials: waivable.length, byRoute };
}

/** The supervision statistics (监管统计) of a range, for the reader's jurisdiction and those beneath it. */
export async function readStatistics(services: Deps, principal: Staff, query: StatisticsQuery) {
  const { jurisdictions, docs } = await readDays(services, principal, query);
  const filter = filterOf(query);
  const { totals, rows } = summarize(docs, filter, (code) => findItem(services.catalog, code) ?? undefined);
  const lights = await lightsNow(services, jurisdictions, filter);
  const none = { overdueNow: 0, yellowNow: 0 };
  const jurisdictionName = (code: string) => services.catalog.jurisdictions.find((j) => j.code === code);
  return {
    from: query.from,
    to: query.to,
    jurisdiction: query.jurisdiction ?? principal.jurisdiction,
    jurisdictions,
    asOf: shanghaiDate(services.now()),
    catalogWaivers: catalogWaivers(services, query.itemCode),
    // The names of the rating levels of `evaluations.byLevel` (5 非常满意 … 1 非常不满意), as the rating form shows them.
    levels: LEVELS,
    totals: { ...totals, overdueNow: lights.overdueNow, yellowNow: lights.yellowNow },
    byItem: rows('item').map(({ key, ...f }) => {
      const item = findItem(services.catalog, key);
      return { itemCode: key, itemName: item?.name ?? key, legalLimitDays: item?.legalLimitDays ?? null, promisedLimitDays: item?.promisedLimitDays ?? null, ...f, ...(lights.byItem.get(key) ?? none) };
    }),
    byJurisdiction: rows('jurisdiction').map(({ key, ...f }) => ({ jurisdiction: key, name: jurisdictionName(key)?.name ?? key, ...f, ...(lights.byJurisdiction.get(key) ?? none) })),
    byChannel: rows('channel').map(({ key, ...f }) => ({ channel: key, ...f })),
    byBusinessType: rows('businessType').map(({ key, ...f }) => ({ businessType: key, ...f })),
    byProcess: rows('process').map(({ key, ...f }) => ({ process: key, ...f })),
    byDay: rows('day').map(({ key, ...f }) => ({ day: key, ...f })),
  };
}

export type StatisticsView = Awaited<ReturnType<typeof readStatistics>>;

/** The applications behind one figure, a page of them: the ids come from the day documents, and only the page's applications are read. */
export async function applicationsBehind(services: Services, principal: Staff, query: StatisticsQuery & { metric: Metric; offset: number; limit: number }) {
  const { docs } = await readDays(services, principal, query);
  // A waived material is counted as `<application>:<material>`: the drill-down lists its application once.
  const ids = [...new Set(idsBehind(docs, filterOf(query), query.metric).map((id) => id.split(':')[0]))];
  const page = ids.slice(query.offset, query.offset + query.limit);
  const apps = await services.store.getMany(page);
  return { metric: query.metric, total: ids.length, offset: query.offset, limit: query.limit, items: apps.map((a) => toListItem(services, a)) };
}
