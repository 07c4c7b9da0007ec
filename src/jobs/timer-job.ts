import { fireDueTimers } from '../engine/permit-engine';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import type { Services } from '../services';

/** Fires every legal deadline due at `now` (as ordinary events), then runs the effects they caused. */
export async function runTimers(services: Services, now: Date): Promise<{ applications: number; fired: number }> {
  let fired = 0;
  let applications = 0;
  for (;;) {
    const ids = await services.store.withDueTimers(now, 200);
    if (!ids.length) break;
    let progressed = 0;
    for (const id of ids) {
      const count = await fireDueTimers(services.engine, services.store, id, now, SYSTEM_ACTOR);
      fired += count;
      applications++;
      progressed++;
      await services.effects.runFor(id);
    }
    if (progressed < 200) break;
  }
  return { applications, fired };
}
