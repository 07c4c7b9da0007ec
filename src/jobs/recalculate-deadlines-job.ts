import { recalculateProvisionalDeadlines } from '../use-cases/recalculate-deadlines';
import type { JobCommand } from './job-command';

/** `npm run job -- recalculate-deadlines`: recomputes provisional deadlines on the schedules in config/calendars and prints each move. */
export const recalculateDeadlinesJob: JobCommand = {
  summary: '按已加载的节假日安排重算暂定期限 / recalculate provisional deadlines on the loaded holiday schedules',
  async run(services, now) {
    const run = await recalculateProvisionalDeadlines(services, now);
    const lines = run.moved.flatMap((a) => a.moves.map((m) => `  ${a.applicationNo}  ${m.deadline}  ${m.from} → ${m.to}${m.provisional ? '  (still provisional)' : ''}`));
    for (const f of run.failures) lines.push(`  失败 / failed: ${f.applicationId}: ${f.error}`);
    lines.push(
      `正式安排 ${run.officialYears.join(', ')}；${run.applications} 件在办，${run.moved.length} 件期限变更，${run.confirmed} 个期限确认 / ` +
        `official schedules ${run.officialYears.join(', ')}; ${run.applications} open application(s), ${run.moved.length} with moved deadlines, ${run.confirmed} deadline(s) confirmed`,
    );
    return { lines, ok: run.failures.length === 0 };
  },
};
