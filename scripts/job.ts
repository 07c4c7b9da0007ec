import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/app-config';
import type { JobCommand } from '../src/jobs/job-command';
import { timersJob } from '../src/jobs/timer-job';
import { remindersJob } from '../src/jobs/reminder-job';
import { rebuildViewsJob } from '../src/jobs/rebuild-views-job';
import { recalculateDeadlinesJob } from '../src/jobs/recalculate-deadlines-job';
import { recountStatisticsJob } from '../src/jobs/recount-statistics-job';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime';

// Each job lives in its own file under src/jobs/ and is listed here once.
const JOBS: Record<string, JobCommand> = {
  timers: timersJob,
  reminders: remindersJob,
  'rebuild-views': rebuildViewsJob,
  'recalculate-deadlines': recalculateDeadlinesJob,
  'recount-statistics': recountStatisticsJob,
};

const USAGE = [
  'Usage: npm run job -- <job> [--now <ISO-8601 instant, e.g. 2026-03-17T09:00:00+08:00>] [--dry-run]',
  '  Runs the job once against the store of `npm start` (MONGODB_URI, or the embedded store, reused when running).',
  '  --now runs it as of that instant instead of the system clock (catch up after an outage, demos).',
  '  --dry-run (reminders, recount-statistics) lists what the run would do and changes and sends nothing.',
  ...Object.entries(JOBS).map(([name, job]) => `  ${name.padEnd(22)} ${job.summary}`),
].join('\n');

// A full instant with its offset: a bare date or local time would be read in the server's zone, not Shanghai's.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseNow(value: string | undefined): Date | null {
  if (value === undefined) return null;
  const instant = new Date(value);
  if (!INSTANT.test(value) || Number.isNaN(instant.getTime())) {
    throw new Error(`--now 须为带时区的时间 / --now must be an ISO-8601 instant with its offset, got "${value}"\n${USAGE}`);
  }
  return instant;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { now: { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  const job = name ? JOBS[name] : undefined;
  if (!job || extra.length) throw new Error(`${name ? `未知任务 / Unknown job "${positionals.join(' ')}"` : '缺少任务名 / No job named'}\n${USAGE}`);
  const fixedNow = parseNow(values.now);
  const dryRun = values['dry-run'] ?? false;
  if (dryRun && !job.supportsDryRun) throw new Error(`任务 ${name} 不支持 --dry-run / Job ${name} has no dry run\n${USAGE}`);

  const config = loadConfig();
  const runtime = await startRuntime(config, { http: false, scheduler: false, now: fixedNow ? () => fixedNow : undefined, log: createLogger('warn') });
  try {
    const now = runtime.services.now();
    console.log(`任务 ${name}，截至 ${now.toISOString()} / job ${name} as of ${now.toISOString()} (store ${runtime.store.kind}, database ${runtime.store.dbName})`);
    const report = await job.run(runtime.services, now, { dryRun });
    for (const line of report.lines) console.log(line);
    return report.ok ? 0 : 1;
  } finally {
    await runtime.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(2);
  },
);
