import type { Runtime } from '../runtime';

/** Drops a bench's database once the effects its rounds left waiting have run (dropped first, they fail on documents gone). */
export async function dropBenchDatabase(runtime: Runtime, log: (msg: string) => void): Promise<void> {
  await runtime.services.effects.drain().catch(() => undefined);
  await runtime.conn.dropDatabase().catch((e: Error) => log(`could not drop ${runtime.conn.name}: ${e.message}`));
}
