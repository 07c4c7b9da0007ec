import { loadCalendars } from '../calendar';
import { planRecalculation, type DeadlineMove } from '../engine/recalculate-deadlines';
import { SYSTEM_ACTOR } from '../engine/system-actor';
import { withConflictRetry } from '../conflict-retry';
import { AppError } from '../errors';
import { calendarDir, type Services } from '../services';

/** What a recalculation uses. */
export type RecalculationDeps = Pick<Services, 'store' | 'calendar' | 'calendarState' | 'effects' | 'log'>;

/** What one recalculation did; a failure on one application does not stop the others. */
export interface RecalculationRun {
  officialYears: number[];
  applications: number;
  moved: { applicationId: string; applicationNo: string; moves: DeadlineMove[] }[];
  confirmed: number;
  failures: { applicationId: string; error: string }[];
}

/**
 * Recomputes, on the calendar as loaded now, every running clock and pending timer of the open applications
 * whose due date was provisional; a date that moves is written with a timeline entry naming both dates and a notice to the applicant.
 */
export async function recalculateProvisionalDeadlines(services: RecalculationDeps, now: Date): Promise<RecalculationRun> {
  const run: RecalculationRun = { officialYears: services.calendar.loadedYears(), applications: 0, moved: [], confirmed: 0, failures: [] };
  for (const id of await services.store.openApplicationIds()) {
    run.applications++;
    try {
      const result = await recalculateOne(services, id, now);
      if (!result) continue;
      run.confirmed += result.confirmed;
      if (result.moves.length) {
        run.moved.push({ applicationId: id, applicationNo: result.applicationNo, moves: result.moves });
        await services.effects.runFor(id);
      }
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      run.failures.push({ applicationId: id, error });
      services.log.error({ applicationId: id, err: error }, 'deadline could not be recalculated');
    }
  }
  if (!run.failures.length) await services.calendarState.setRecalculatedYears(run.officialYears, now);
  return run;
}

// Compare-and-set like every change; on a conflict the application is read again and planned anew.
async function recalculateOne(services: RecalculationDeps, id: string, now: Date) {
  return withConflictRetry(async () => {
    const app = await services.store.get(id);
    const plan = app && planRecalculation(app, services.calendar, now, SYSTEM_ACTOR);
    if (!app || !plan) return null;
    await services.store.compareAndSet(app.id, app.version, plan.change, app);
    return { applicationNo: app.applicationNo, moves: plan.moves, confirmed: plan.confirmed };
  }, { attempts: 20, exhausted: () => { throw new Error(`could not recalculate ${id}: too many concurrent changes`); } });
}

/** At start: recalculate once when an official schedule was added since the last recalculation (e.g. config/calendars/2027.json). */
export async function recalculateIfSchedulesAdded(services: RecalculationDeps, now: Date): Promise<RecalculationRun | null> {
  const done = await services.calendarState.recalculatedYears();
  const loaded = services.calendar.loadedYears();
  // No record yet means no provisional date was ever stored (earlier versions had none): note the years, skip the pass.
  if (!done) {
    await services.calendarState.setRecalculatedYears(loaded, now);
    return null;
  }
  if (loaded.every((y) => done.includes(y))) return null;
  return recalculateProvisionalDeadlines(services, now);
}

/** The admin action: reads config/calendars again (a bad file keeps the schedules in use) and recalculates the provisional deadlines. */
export async function reloadCalendars(services: RecalculationDeps & Pick<Services, 'config'>, now: Date): Promise<RecalculationRun> {
  let calendars;
  try {
    calendars = loadCalendars(calendarDir(services.config));
  } catch (e) {
    throw new AppError('PRECONDITION_FAILED', `节假日安排文件有误，仍使用原安排 / A holiday schedule file is invalid, the schedules in use are kept: ${(e as Error).message}`, undefined, e);
  }
  services.calendar.reload(calendars);
  services.log.info({ years: services.calendar.loadedYears() }, 'holiday schedules reloaded');
  return recalculateProvisionalDeadlines(services, now);
}
