import type { Actor } from '../engine/application-record';
import type { Services } from '../services';
import { pushesDownOnlyIdFilters } from '../store/store-traits';

const reviewer: Actor = { kind: 'staff', id: 'bench-reviewer', name: '压测审查', role: 'reviewer', jurisdiction: '370600' };

export interface CycleResult {
  events: number;
  conflicts: number;
  perSecond: number;
}

/** Splits the ids over `concurrency` workers, each going once through its own share, so no two touch one document. */
async function overShares(ids: string[], concurrency: number, step: (id: string) => Promise<boolean>): Promise<CycleResult> {
  let conflicts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; i < ids.length; i += concurrency) if (!(await step(ids[i]))) conflicts++;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { events: ids.length, conflicts, perSecond: (ids.length - conflicts) / seconds };
}

/**
 * One event per application through the real engine: load, pure transition, compare-and-set save
 * (journal claim + conditional update). SUSPEND and RESUME alternate; effects are left in the outbox.
 */
export function engineRound(services: Services, ids: string[], concurrency: number): Promise<CycleResult> {
  return overShares(ids, concurrency, async (id) => {
    const app = (await services.store.get(id))!;
    await services.engine.apply(app, { type: app.state === 'review.active' ? 'SUSPEND' : 'RESUME' }, reviewer);
    return true;
  });
}

/**
 * The baseline: a bare driver compare-and-set on the same documents, read the version then update filtered
 * on it. On FerretDB 1.x, where only an `_id` filter reaches its backend, the update filters on `_id` after
 * comparing the version read (what FerretDB itself does with a version filter, minus a scan of the collection).
 */
export async function rawCasRound(services: Services, ids: string[], concurrency: number): Promise<CycleResult> {
  const applications = services.store.model.collection;
  const byIdOnly = await pushesDownOnlyIdFilters(applications);
  return overShares(ids, concurrency, async (id) => {
    const current = await applications.findOne({ _id: id as never }, { projection: { version: 1 } });
    const filter = byIdOnly ? { _id: id as never } : { _id: id as never, version: current!.version };
    const result = await applications.updateOne(filter, { $set: { updatedAt: new Date(), version: current!.version + 1 } });
    return result.matchedCount === 1;
  });
}
