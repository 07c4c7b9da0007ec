import type { Connection } from 'mongoose';

const RECALCULATED = 'recalculated-years';

export type CalendarStateStore = ReturnType<typeof createCalendarStateStore>;

/** Which official schedule years the stored deadlines were last recalculated with, so a start notices a newly added year. */
export function createCalendarStateStore(conn: Connection) {
  const collection = conn.db!.collection<{ _id: string; years: number[]; at: Date }>('calendar_state');
  return {
    /** The official years of the last complete recalculation; null before the first one. */
    async recalculatedYears(): Promise<number[] | null> {
      return (await collection.findOne({ _id: RECALCULATED }))?.years ?? null;
    },
    async setRecalculatedYears(years: number[], at: Date): Promise<void> {
      await collection.updateOne({ _id: RECALCULATED }, { $set: { years, at } }, { upsert: true });
    },
  };
}
