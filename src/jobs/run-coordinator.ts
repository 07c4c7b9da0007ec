import { Schema, type Connection } from 'mongoose';
import type { RunCoordinator } from 'node-cron';

const runSchema = new Schema({ _id: String, at: Date, owner: String }, { versionKey: false });

/**
 * node-cron's distributed mode backed by MongoDB: the first instance to insert a fire's key runs it,
 * the others skip. Old keys are purged by hand since FerretDB has no TTL indexes.
 */
export function createRunCoordinator(conn: Connection, owner: string, now: () => Date = () => new Date()): RunCoordinator & { purge(olderThanMs: number): Promise<number> } {
  const Runs = conn.models.CronRun ?? conn.model('CronRun', runSchema, 'cron_runs');
  return {
    async shouldRun(key: string): Promise<boolean> {
      try {
        await Runs.collection.insertOne({ _id: key, at: now(), owner } as never);
        return true;
      } catch (e) {
        if ((e as { code?: number }).code === 11000) return false;
        throw e;
      }
    },
    async purge(olderThanMs: number): Promise<number> {
      const result = await Runs.collection.deleteMany({ at: { $lt: new Date(now().getTime() - olderThanMs) } });
      return result.deletedCount;
    },
  };
}
