import type { Services } from '../services';

/** What a job run by hand reports: lines for the operator, and whether all of it succeeded. */
export interface JobReport {
  lines: string[];
  ok: boolean;
}

/** A job ops run by hand (`npm run job -- <name> [--now <ISO-8601>]`) as of an instant, e.g. to catch up after an outage. */
export interface JobCommand {
  /** One line for the usage text, Chinese first. */
  summary: string;
  /** Takes --dry-run: reports what it would do and changes nothing. */
  supportsDryRun?: boolean;
  run(services: Services, now: Date, options?: { dryRun: boolean }): Promise<JobReport>;
}
