import cron, { type ScheduledTask } from 'node-cron';
import type { Connection } from 'mongoose';
import { isStoreUnavailableError } from '../errors';
import type { Services } from '../services';
import { repairConversions } from '../pre-reviews/from-pre-review';
import { runReminders } from './reminder-job';
import { createRunCoordinator } from './run-coordinator';
import { runTimers } from './timer-job';

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
}

/** The scheduled jobs of one process; with several instances, each fire runs on exactly one of them. */
export function createScheduler(services: Services, conn: Connection, owner: string): Scheduler {
  const coordinator = createRunCoordinator(conn, owner, services.now);
  let storeDown = false;
  // While the store is down a tick is skipped, not failed: due timers are found by due time <= now, so the first tick after recovery catches up.
  const elect = {
    async shouldRun(key: string, ttlMs: number): Promise<boolean> {
      try {
        const run = await coordinator.shouldRun(key, ttlMs);
        if (storeDown) services.log.info('store reachable again; scheduled runs resume');
        storeDown = false;
        return run;
      } catch (err) {
        if (!isStoreUnavailableError(err)) throw err;
        services.metrics.storeUnavailable.inc({ where: 'scheduler' });
        if (!storeDown) services.log.warn({ key, reason: (err as Error).message }, 'store unavailable; scheduled runs skipped until it is back');
        storeDown = true;
        return false;
      }
    },
  };
  const failed = (what: string) => (err: unknown) => {
    if (isStoreUnavailableError(err)) services.log.warn({ reason: (err as Error).message }, `${what} interrupted: the store is unavailable; the next run catches up`);
    else services.log.error({ err }, `${what} failed`);
  };
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  };
  // node-cron's own warnings (a tick blocked by a slow one, e.g. while the store is down) go to the service log, as JSON.
  const logger = {
    info: (message: string) => services.log.debug({ job: 'cron' }, message),
    warn: (message: string) => services.log.debug({ job: 'cron' }, message),
    error: (message: string | Error, err?: Error) => services.log.error({ err: err ?? message }, 'cron error'),
    debug: (message: string | Error) => services.log.debug({ job: 'cron' }, String(message)),
  };
  const options = (name: string) => ({ name, timezone: services.config.timeZone, noOverlap: true, distributed: true, runCoordinator: elect, logger });

  return {
    start() {
      tasks.push(
        cron.schedule(services.config.timerCron, () => track((async () => {
          await services.store.repairViews();
          await repairConversions(services);
          const result = await runTimers(services, services.now());
          await services.effects.sweep();
          if (result.fired) services.log.info(result, 'timers fired');
        })().catch(failed('timer tick'))), options('timers')),
        cron.schedule(services.config.reminderCron, () => track(runReminders(services, services.now())
          .then((r) => services.log.info({ expired: r.expired.length, queued: r.queued.length, delivery: r.delivery }, 'reminder run'))
          .catch(failed('reminder run'))), options('reminders')),
        // Failed reminder mails are retried between the hourly runs, when their backoff has passed.
        cron.schedule(services.config.reminderRetryCron, () => track(services.reminderOutbox.deliverDue()
          .catch(failed('reminder delivery'))), options('reminder-retries')),
        cron.schedule('0 17 3 * * *', () => track(coordinator.purge(7 * 86_400_000)
          .catch(failed('purge'))), options('purge')),
      );
    },
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}
