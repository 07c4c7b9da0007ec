import type { CatalogItem } from '../catalog/types';
import type { StatisticsCell, StatisticsDay } from '../store/statistics-days';
import { METRICS, type Metric, type StatisticsDims } from './facts';

/** What a reader narrows the counts to, beside the range and the jurisdictions (every one optional). */
export type CellFilter = Partial<StatisticsDims>;

export const cellMatches = (cell: StatisticsCell, filter: CellFilter): boolean =>
  (Object.keys(filter) as (keyof StatisticsDims)[]).every((k) => filter[k] === undefined || cell.dims[k] === filter[k]);

/** The counts of one group (all, an item, a jurisdiction…) as they are summed. */
interface Sums {
  counts: Record<Metric, number>;
  workingDays: Map<number, number>;
  promised: number;
  legal: number;
  waivedItems: Set<string>;
}

const emptySums = (): Sums => ({ counts: Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>, workingDays: new Map(), promised: 0, legal: 0, waivedItems: new Set() });

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** The value below which 90 % of the decided took their working days (nearest rank), from the merged histogram. */
function p90(hist: Map<number, number>): number | null {
  const total = [...hist.values()].reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = Math.ceil(0.9 * total);
  let seen = 0;
  for (const [days, n] of [...hist.entries()].sort((a, b) => a[0] - b[0])) if ((seen += n) >= rank) return days;
  return null;
}

/** The figures of one group, named as the API answers them. */
export function figuresOf(s: Sums) {
  const c = s.counts;
  const decidedDays = [...s.workingDays.entries()].reduce((a, [d, n]) => a + d * n, 0);
  const waived = c.waivedDataSharing + c.waivedPledge + c.waivedDepartmentCheck;
  const rated = c.rated;
  const good = c.rated4 + c.rated5;
  return {
    received: c.received, accepted: c.accepted, notAccepted: c.notAccepted, approved: c.approved, denied: c.denied,
    completed: c.completed, withdrawn: c.withdrawn, terminated: c.terminated, revoked: c.revoked,
    // Rates and times are over the decisions the calendar could time (`timed`; before 2025 a year may lack its holidays).
    decided: c.decided, timed: c.timed, onTime: c.onTime, onTimeRate: rate(c.onTime, c.timed), legalOnTime: c.legalOnTime, legalOnTimeRate: rate(c.legalOnTime, c.timed),
    workingDaysMean: c.timed ? Math.round((decidedDays / c.timed) * 100) / 100 : null,
    workingDaysP90: p90(s.workingDays),
    immediate: c.immediate,
    // 承诺时限较法定时限压缩: 1 − Σ promised / Σ legal over the applications received (each weighted by its item's limits).
    compression: s.legal ? Math.round((1 - s.promised / s.legal) * 10_000) / 10_000 : null,
    deficient: c.deficient, commitment: c.commitment, joint: c.joint,
    waived, waivedDataSharing: c.waivedDataSharing, waivedPledge: c.waivedPledge, waivedDepartmentCheck: c.waivedDepartmentCheck,
    itemsWithWaivers: s.waivedItems.size,
    remindersSent: c.remindersSent, smsRemindersSent: c.smsRemindersSent,
    // 好差评: invitations on the day the stage was reached, ratings on the day given, rectifications on the days opened and closed.
    evaluations: {
      invited: c.invited,
      ratedCount: rated,
      // 主动评价率: ratings over invitations (an invitation not rated counts as not rated, never as a rating).
      activeRatingRate: rate(rated, c.invited),
      byLevel: { 1: c.rated1, 2: c.rated2, 3: c.rated3, 4: c.rated4, 5: c.rated5 },
      // 满意率: 非常满意 and 满意 over all ratings.
      satisfactionRate: rate(good, rated),
      rectificationsOpened: c.rectificationsOpened,
      rectificationsClosed: c.rectificationsClosed,
      rectificationsOnTime: c.rectificationsOnTime,
      rectificationsOnTimeRate: rate(c.rectificationsOnTime, c.rectificationsClosed),
      followedUp: c.followedUp,
      followUpRate: rate(c.followedUp, c.rectificationsClosed),
    },
  };
}

export type Figures = ReturnType<typeof figuresOf>;

function addCell(s: Sums, cell: StatisticsCell, item: CatalogItem | undefined): void {
  for (const m of METRICS) s.counts[m] += cell.ids[m]?.length ?? 0;
  for (const [d, n] of Object.entries(cell.workingDays ?? {})) s.workingDays.set(Number(d), (s.workingDays.get(Number(d)) ?? 0) + n);
  const received = cell.ids.received?.length ?? 0;
  if (item && received) {
    s.promised += received * item.promisedLimitDays;
    s.legal += received * item.legalLimitDays;
  }
  if ((cell.ids.waivedDataSharing?.length ?? 0) + (cell.ids.waivedPledge?.length ?? 0) + (cell.ids.waivedDepartmentCheck?.length ?? 0)) s.waivedItems.add(cell.dims.itemCode);
}

export const GROUPS = ['item', 'jurisdiction', 'channel', 'businessType', 'process', 'day'] as const;
type Group = (typeof GROUPS)[number];

const groupKey = (group: Group, day: StatisticsDay, cell: StatisticsCell) =>
  group === 'item' ? cell.dims.itemCode : group === 'jurisdiction' ? day.jurisdiction : group === 'day' ? day.day : cell.dims[group];

/** Sums the matching cells of the days: the totals and the same figures per item, jurisdiction, channel, business type, process and day. */
export function summarize(days: StatisticsDay[], filter: CellFilter, itemOf: (code: string) => CatalogItem | undefined) {
  const totals = emptySums();
  const groups = Object.fromEntries(GROUPS.map((g) => [g, new Map<string, Sums>()])) as Record<Group, Map<string, Sums>>;
  for (const day of days) {
    for (const cell of Object.values(day.cells)) {
      if (!cellMatches(cell, filter)) continue;
      const item = itemOf(cell.dims.itemCode);
      addCell(totals, cell, item);
      for (const g of GROUPS) {
        const key = groupKey(g, day, cell);
        const sums = groups[g].get(key) ?? emptySums();
        addCell(sums, cell, item);
        groups[g].set(key, sums);
      }
    }
  }
  const rows = (g: Group) => [...groups[g].entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([key, s]) => ({ key, ...figuresOf(s) }));
  return { totals: figuresOf(totals), rows };
}

/** The ids behind one figure of the matching cells, newest day first (each once). */
export function idsBehind(days: StatisticsDay[], filter: CellFilter, metric: Metric): string[] {
  const ids = new Set<string>();
  for (const day of [...days].sort((a, b) => (a.day < b.day ? 1 : -1))) {
    for (const cell of Object.values(day.cells)) if (cellMatches(cell, filter)) for (const id of cell.ids[metric] ?? []) ids.add(id);
  }
  return [...ids];
}
