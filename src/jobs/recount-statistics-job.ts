import type { ReminderRecord } from '../certificates/reminder-store';
import type { ApplicationRecord } from '../engine/application-record';
import { factsOfEvaluation, factsOfRectification, type EvaluationFact } from '../evaluations/evaluation-facts';
import type { EvaluationRecord } from '../evaluations/evaluation-store';
import type { RectificationRecord } from '../evaluations/rectification-store';
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

/** What the stored ratings and rectifications (好差评, 整改) did, as facts. */
async function* evaluationFacts(services: Services): AsyncIterable<EvaluationFact> {
  const db = services.store.model.db;
  for await (const { _id, ...rest } of db.collection('evaluations').find({})) yield* factsOfEvaluation({ id: String(_id), ...rest } as unknown as EvaluationRecord);
  for await (const { _id, ...rest } of db.collection('rectifications').find({})) yield* factsOfRectification({ id: String(_id), ...rest } as unknown as RectificationRecord);
}

/** The day documents a recount makes from the stored applications, the reminder ledger, the ratings and the rectifications (nothing written). */
export const recount = (services: Services, progress?: (n: number) => void): Promise<StatisticsDay[]> =>
  recountStatistics(applications(services), sentReminders(services), services, progress, evaluationFacts(services));

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
