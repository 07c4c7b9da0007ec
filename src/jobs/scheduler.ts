import cron, { type ScheduledTask } from 'node-cron';
import type { Connection } from 'mongoose';
import type { Services } from '../services';
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
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
    return work;
  };
  const options = (name: string) => ({ name, timezone: services.config.timeZone, noOverlap: true, distributed: true, runCoordinator: coordinator });

  return {
    start() {
      tasks.push(
        cron.schedule(services.config.timerCron, () => track((async () => {
          await services.store.repairViews();
          const result = await runTimers(services, services.now());
          await services.effects.sweep();
          if (result.fired) services.log.info(result, 'timers fired');
        })().catch((err) => services.log.error({ err }, 'timer tick failed'))), options('timers')),
        cron.schedule(services.config.reminderCron, () => track(runReminders(services, services.now())
          .then((r) => services.log.info({ expired: r.expired.length, queued: r.queued.length, delivery: r.delivery }, 'reminder run'))
          .catch((err) => services.log.error({ err }, 'reminder run failed'))), options('reminders')),
        // Failed reminder mails are retried between the hourly runs, when their backoff has passed.
        cron.schedule(services.config.reminderRetryCron, () => track(services.reminderOutbox.deliverDue()
          .catch((err) => services.log.error({ err }, 'reminder delivery failed'))), options('reminder-retries')),
        cron.schedule('0 17 3 * * *', () => track(coordinator.purge(7 * 86_400_000)
          .catch((err) => services.log.error({ err }, 'purge failed'))), options('purge')),
      );
    },
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.allSettled([...running]);
    },
  };
}
