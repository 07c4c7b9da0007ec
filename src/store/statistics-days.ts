import type { Connection, mongo } from 'mongoose';
import { withConflictRetry } from '../conflict-retry';
import { cellKey, type Fact, type Metric, type StatisticsDims } from '../statistics/facts';
import { isDuplicateKey, readByIds } from './store-traits';
import { versionedUpdate } from './versioned-update';

/** One cell of a day: its dimensions, the ids counted per metric, and a histogram of working days used by the decided. */
export interface StatisticsCell {
  dims: StatisticsDims;
  ids: Partial<Record<Metric, string[]>>;
  /** Working days used → how many decided applications took that many. */
  workingDays: Record<string, number>;
}

/** A jurisdiction's day (`<jurisdiction>|<YYYY-MM-DD>`, Asia/Shanghai): every count kept for it, by cell. */
export interface StatisticsDay {
  _id: string;
  jurisdiction: string;
  day: string;
  version: number;
  cells: Record<string, StatisticsCell>;
}

export const dayId = (jurisdiction: string, day: string) => `${jurisdiction}|${day}`;

// Each cell is a top-level field `cell:<key>`: a dotted path (cells.<key>) cannot stand as a key in the journal's copy of the change on FerretDB.
const CELL = 'cell:';
const toDay = (doc: mongo.Document): StatisticsDay => ({
  _id: String(doc._id), jurisdiction: doc.jurisdiction as string, day: doc.day as string, version: doc.version as number,
  cells: Object.fromEntries(Object.entries(doc).filter(([k]) => k.startsWith(CELL)).map(([k, v]) => [k.slice(CELL.length), v as StatisticsCell])),
});
const toDocument = ({ cells, ...day }: StatisticsDay): mongo.Document => ({ ...day, ...Object.fromEntries(Object.entries(cells).map(([k, c]) => [CELL + k, c])) });

export type StatisticsDays = ReturnType<typeof createStatisticsDays>;

/** Adds facts to a day's cells; answers which cells changed (an id already counted for its metric changes nothing). */
export function addFacts(day: Pick<StatisticsDay, 'cells'>, facts: Fact[]): string[] {
  const touched = new Set<string>();
  for (const fact of facts) {
    const key = cellKey(fact.dims);
    const cell = (day.cells[key] ??= { dims: fact.dims, ids: {}, workingDays: {} });
    const ids = (cell.ids[fact.metric] ??= []);
    if (ids.includes(fact.id)) continue;
    ids.push(fact.id);
    if (fact.workingDays !== undefined) cell.workingDays[String(fact.workingDays)] = (cell.workingDays[String(fact.workingDays)] ?? 0) + 1;
    touched.add(key);
  }
  return [...touched];
}

/** Groups facts by the day document they belong to. */
export function byDay(facts: Fact[]): Map<string, Fact[]> {
  const days = new Map<string, Fact[]>();
  for (const f of facts) {
    const id = dayId(f.jurisdiction, f.day);
    days.set(id, [...(days.get(id) ?? []), f]);
  }
  return days;
}

/**
 * The kept counts (统计): one small document per jurisdiction and day, read by `_id` only. Each fact is added
 * once (its id is kept), so a re-run effect counts nothing twice; the write is versioned (claimed with an insert
 * in `statistics_journal`), so concurrent writers of one day never lose each other's counts on FerretDB.
 */
export function createStatisticsDays(conn: Connection) {
  const days = conn.collection('statistics_days') as unknown as mongo.Collection<mongo.Document>;
  const journal = conn.collection('statistics_journal') as unknown as mongo.Collection<mongo.Document>;

  async function addToDay(id: string, facts: Fact[]): Promise<void> {
    const [jurisdiction, day] = id.split('|');
    await withConflictRetry(async () => {
      let found = await days.findOne({ _id: id as never });
      if (!found) {
        await days.insertOne(toDocument({ _id: id, jurisdiction, day, version: 0, cells: {} }) as never).catch((e) => { if (!isDuplicateKey(e)) throw e; });
        found = await days.findOne({ _id: id as never });
      }
      const current = toDay(found!);
      const touched = addFacts(current, facts);
      if (!touched.length) return;
      await versionedUpdate(days, journal, id, current.version, { set: Object.fromEntries(touched.map((k) => [CELL + k, current.cells[k]])) });
    }, {
      attempts: 30,
      pause: (n) => new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (n + 1))),
      exhausted: () => { throw new Error(`statistics day ${id}: too many concurrent writers`); },
    });
  }

  return {
    /** Counts facts into their days (each once); `parallel` days are written at a time (one by default). */
    async count(facts: Fact[], options: { parallel?: number } = {}): Promise<void> {
      const groups = [...byDay(facts)];
      const lanes = Math.max(1, options.parallel ?? 1);
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(lanes, groups.length) }, async () => {
        while (next < groups.length) {
          const [id, group] = groups[next++];
          await addToDay(id, group);
        }
      }));
    },
    /** The day documents of these ids, by `_id` (missing days left out). */
    read: async (ids: string[]) => (await readByIds(days, ids)).map(toDay),
    /** Replaces every day document (the recount). */
    async replaceAll(docs: StatisticsDay[]): Promise<void> {
      await Promise.all([days.deleteMany({}), journal.deleteMany({})]);
      for (let i = 0; i < docs.length; i += 500) await days.insertMany(docs.slice(i, i + 500).map(toDocument) as never[], { ordered: false });
    },
  };
}
