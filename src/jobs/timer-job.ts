import { endOfShanghaiDay, shanghaiDate } from '../calendar';
import { fireDueTimers } from '../engine/permit-engine';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import type { Services } from '../services';
import type { JobCommand } from './job-command';

/** One legal deadline fired as an event. */
export interface TimerFiring {
  applicationId: string;
  applicationNo: string | null;
  timer: string;
  event: string;
  dueDate: string;
}

/** What one run of the timer job did; a failure on one application does not stop the others. */
export interface TimerRun {
  applications: number;
  fired: number;
  firings: TimerFiring[];
  failures: { applicationId: string; error: string }[];
}

const BATCH = 200;

/** Fires every legal deadline due at `now` (as ordinary events), then runs the effects they caused. */
export async function runTimers(services: Services, now: Date): Promise<TimerRun> {
  const firings: TimerFiring[] = [];
  const failures: TimerRun['failures'] = [];
  const visited = new Set<string>();
  for (;;) {
    // An application whose timer could not fire stays due; it is visited once per run, not forever.
    // Every deadline ends at the end of a working day (Asia/Shanghai): none can fall due before today ends.
    const ids = (await services.store.withDueTimers(now, BATCH + visited.size, endOfShanghaiDay(shanghaiDate(now)))).filter((id) => !visited.has(id));
    if (!ids.length) break;
    for (const id of ids) {
      visited.add(id);
      try {
        const { applicationNo, fired } = await fireDueTimers(services.engine, services.store, id, now, SYSTEM_ACTOR);
        for (const t of fired) firings.push({ applicationId: id, applicationNo, timer: t.name, event: t.event, dueDate: t.dueDate });
        await services.effects.runFor(id);
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        failures.push({ applicationId: id, error });
        services.log.error({ applicationId: id, err: error }, 'timer could not fire');
      }
    }
  }
  return { applications: visited.size, fired: firings.length, firings, failures };
}

/** `npm run job -- timers`: fires what is due as of `now` and prints each firing. */
export const timersJob: JobCommand = {
  summary: '触发到期的法定期限 / fire the legal deadlines due as of --now',
  async run(services, now) {
    const run = await runTimers(services, now);
    const lines = run.firings.map((f) => `  ${f.applicationNo ?? f.applicationId}  ${f.timer}  ${f.dueDate}  → ${f.event}`);
    for (const f of run.failures) lines.push(`  失败 / failed: ${f.applicationId}: ${f.error}`);
    lines.push(`触发 ${run.fired} 个期限，涉及 ${run.applications} 件申请 / ${run.fired} deadline(s) fired on ${run.applications} application(s)`);
    return { lines, ok: run.failures.length === 0 };
  },
};
