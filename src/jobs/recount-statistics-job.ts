import type { ReminderRecord } from '../certificates/reminder-store';
import type { ApplicationRecord } from '../engine/application-record';
import type { Services } from '../services';
import { recountStatistics } from '../statistics/recount';
import type { StatisticsDay } from '../store/statistics-days';
import type { JobCommand } from './job-command';

/** Every application and every sent reminder, as records (the collections read whole: a maintenance command). */
async function* applications(services: Services): AsyncIterable<ApplicationRecord> {
  for await (const { _id, ...rest } of services.store.model.collection.find({})) yield { id: String(_id), ...rest } as unknown as ApplicationRecord;
}
async function* sentReminders(services: Services): AsyncIterable<ReminderRecord> {
  for await (const { _id, ...rest } of services.store.model.db.collection('certificate_reminders').find({ state: 'sent' })) yield { key: String(_id), ...rest } as unknown as ReminderRecord;
}

/** The day documents a recount makes from the stored applications and the reminder ledger (nothing written). */
export const recount = (services: Services, progress?: (n: number) => void): Promise<StatisticsDay[]> =>
  recountStatistics(applications(services), sentReminders(services), services, progress);

/** `npm run job -- recount-statistics`: counts the statistics again from the applications and the ledger and replaces the kept days. */
export const recountStatisticsJob: JobCommand = {
  summary: '由申请与提醒台账重新统计（替换按日统计）/ recount the statistics days from the applications and the reminder ledger',
  supportsDryRun: true,
  async run(services, _now, options) {
    const lines: string[] = [];
    const days = await recount(services, (n) => lines.push(`  ${n} applications…`));
    if (!options?.dryRun) await services.statistics.replaceAll(days);
    lines.push(`${options?.dryRun ? '试算' : '重新统计完成'}：${days.length} 个辖区日 / ${options?.dryRun ? 'would write' : 'recounted into'} ${days.length} jurisdiction-day document(s)`);
    return { lines, ok: true };
  },
};
