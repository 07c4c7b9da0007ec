import { Schema, type Connection } from 'mongoose';
import { isDuplicateKey, readByIds } from './store-traits';

/** One try at running an effect; only the process that inserted it writes its outcome. */
export interface EffectAttempt {
  applicationId: string;
  effectId: string;
  n: number;
  startedAt: Date;
  /** Until when the runner that claimed this attempt may still be working on it. */
  leaseUntil: Date;
  outcome: 'running' | 'done' | 'failed';
  error: string | null;
  nextAttemptAt: Date | null;
}

const attemptSchema = new Schema(
  {
    _id: String,
    applicationId: { type: String, required: true },
    effectId: { type: String, required: true },
    n: Number,
    startedAt: Date,
    leaseUntil: Date,
    outcome: String,
    error: String,
    nextAttemptAt: Date,
  },
  { versionKey: false, autoIndex: false },
);
attemptSchema.index({ applicationId: 1, effectId: 1, n: -1 });

export type EffectAttemptStore = ReturnType<typeof createEffectAttemptStore>;

/**
 * Attempts are claimed by inserting `<application>:<effect>:<n>` (atomic on every store), so two
 * runners never run the same attempt, and a runner that died is replaced once its lease runs out.
 */
export function createEffectAttemptStore(conn: Connection) {
  const Attempts = conn.models.EffectAttempt ?? conn.model('EffectAttempt', attemptSchema, 'effect_attempts');
  const strip = ({ _id: _ignored, ...rest }: EffectAttempt & { _id: string }): EffectAttempt => rest;
  return {
    async ensureIndexes(): Promise<void> {
      await Attempts.createIndexes();
    },
    /** Attempts are numbered from 1 without gaps (n is claimed only after n - 1), so `_id` point reads find the last one. */
    async latest(applicationId: string, effectId: string): Promise<EffectAttempt | null> {
      let last: EffectAttempt | null = null;
      for (let n = 1; ; n++) {
        const doc = await Attempts.collection.findOne({ _id: `${applicationId}:${effectId}:${n}` } as never);
        if (!doc) return last;
        last = strip(doc as unknown as EffectAttempt & { _id: string });
      }
    },
    /** Every attempt at these effects of one application, by `_id` reads: one per attempt, and one more unless the last succeeded. */
    async forApplication(applicationId: string, effectIds: string[]): Promise<EffectAttempt[]> {
      const found: EffectAttempt[] = [];
      let wanted = effectIds.map((effectId) => ({ effectId, n: 1 }));
      while (wanted.length) {
        const docs = (await readByIds<EffectAttempt & { _id: string }>(Attempts.collection, wanted.map(({ effectId, n }) => `${applicationId}:${effectId}:${n}`))).map(strip);
        found.push(...docs);
        // Nothing runs after a successful attempt; after a running or failed one the next may exist.
        wanted = wanted.filter(({ effectId, n }) => docs.some((d) => d.effectId === effectId && d.n === n && d.outcome !== 'done')).map((w) => ({ ...w, n: w.n + 1 }));
      }
      return found.sort((a, b) => (a.effectId < b.effectId ? -1 : a.effectId > b.effectId ? 1 : a.n - b.n));
    },
    /** Claims attempt n; false when another runner claimed it first. */
    async claim(attempt: EffectAttempt): Promise<boolean> {
      try {
        await Attempts.collection.insertOne({ _id: `${attempt.applicationId}:${attempt.effectId}:${attempt.n}`, ...attempt } as never);
        return true;
      } catch (e) {
        if (isDuplicateKey(e)) return false;
        throw e;
      }
    },
    async finish(attempt: EffectAttempt, outcome: 'done' | 'failed', error: string | null, nextAttemptAt: Date | null): Promise<void> {
      await Attempts.collection.updateOne(
        { _id: `${attempt.applicationId}:${attempt.effectId}:${attempt.n}` } as never,
        { $set: { outcome, error, nextAttemptAt } },
      );
    },
  };
}
