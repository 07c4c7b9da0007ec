import type { ClockName } from '../../machines/process-types';
import { endOfShanghaiDay, type WorkingCalendar } from '../calendar';
import { DEADLINE_LABELS, label, type Label } from '../i18n/labels';
import type { ApplicationChange } from './application-repository';
import type { Actor, ApplicationRecord, ClockRecord, TimerRecord } from './application-record';
import { dueDateOf, markProvisional } from './clock';
import { timelineEntry } from './plan-change';
import { mobileOf } from '../notifications/sms';

/** The timeline event of a deadline recomputed after an official holiday schedule was loaded. */
export const DEADLINE_RECALCULATED = 'DEADLINE_RECALCULATED';

/** One due date that moved: which clock or timer, the provisional date and the date now. */
export interface DeadlineMove {
  deadline: string;
  kind: 'clock' | 'timer';
  from: string;
  to: string;
  /** Still provisional after the recalculation (it reaches another year with no official schedule). */
  provisional: boolean;
}

/** What recalculating one application changes: moved dates (timeline, notice) and dates merely confirmed (no longer provisional). */
export interface RecalculationPlan {
  moves: DeadlineMove[];
  confirmed: number;
  change: ApplicationChange;
}

/**
 * Recomputes on the calendar as loaded now every running clock and pending timer whose due date was provisional.
 * Null when none of them changes; nothing that was not provisional is touched.
 */
export function planRecalculation(app: ApplicationRecord, calendar: WorkingCalendar, now: Date, actor: Actor): RecalculationPlan | null {
  const moves: DeadlineMove[] = [];
  let confirmed = 0;
  const clocks: Partial<Record<ClockName, ClockRecord>> = { ...app.clocks };
  for (const name of Object.keys(clocks) as ClockName[]) {
    const clock = clocks[name]!;
    if (clock.stoppedOn || !clock.provisionalDueDate) continue;
    const due = dueDateOf(clock, calendar);
    if (due.provisional && due.date === clock.provisionalDueDate) continue;
    clocks[name] = markProvisional(clock, calendar);
    if (due.date !== clock.provisionalDueDate) moves.push({ deadline: name, kind: 'clock', from: clock.provisionalDueDate, to: due.date, provisional: due.provisional });
    else confirmed++;
  }
  const timers: TimerRecord[] = app.timers.map((t) => {
    if (t.status !== 'pending' || !t.provisional || !t.countedFrom || t.workingDays === undefined) return t;
    const due = calendar.dueDate(t.countedFrom, t.workingDays);
    if (due.provisional && due.date === t.dueDate) return t;
    if (due.date !== t.dueDate) moves.push({ deadline: t.name, kind: 'timer', from: t.dueDate, to: due.date, provisional: due.provisional });
    else confirmed++;
    return { ...t, dueDate: due.date, dueAt: endOfShanghaiDay(due.date), provisional: due.provisional };
  });
  if (!moves.length && !confirmed) return null;

  const pending = timers.filter((t) => t.status === 'pending').map((t) => t.dueAt.getTime());
  const change: ApplicationChange = {
    set: { clocks, timers, nextTimerAt: pending.length ? new Date(Math.min(...pending)) : null, updatedAt: now },
    timeline: [],
    outbox: [],
  };
  // A date that only lost its provisional mark is not news; a date that moved is recorded and told to the applicant.
  if (moves.length) {
    change.timeline.push(timelineEntry(app.timeline, {
      seq: app.timeline.length + 1,
      at: now,
      actor,
      event: DEADLINE_RECALCULATED,
      from: app.state,
      to: app.state,
      fromStatus: app.status,
      toStatus: app.status,
      note: (({ zh, en }) => `${zh} / ${en}`)(describeMoves(moves)),
      data: { moves: moves.map((m) => ({ ...m })) },
    }));
    change.outbox.push({ id: `${app.version + 1}-1-notifyDeadlineChanged`, type: 'notifyDeadlineChanged', params: { moves: moves.map((m) => ({ ...m })) }, createdAt: now });
    if (mobileOf(app.applicant.contact)) change.outbox.push({ id: `${app.version + 1}-2-smsDeadlineChanged`, type: 'smsDeadlineChanged', params: { moves: moves.map((m) => ({ ...m })) }, createdAt: now });
  }
  return { moves, confirmed, change };
}

/** The moves in words, Chinese and English: “办理时限 2027-01-18 → 2027-01-25”. */
export function describeMoves(moves: readonly DeadlineMove[]): Label {
  const zh = moves.map((m) => `${label(DEADLINE_LABELS, m.deadline).zh} ${m.from} → ${m.to}${m.provisional ? '（仍为暂定）' : ''}`).join('；');
  const en = moves.map((m) => `${label(DEADLINE_LABELS, m.deadline).en} ${m.from} → ${m.to}${m.provisional ? ' (still provisional)' : ''}`).join('; ');
  return { zh: `按国务院公布的节假日安排重新计算：${zh}`, en: `Recalculated on the official holiday schedule: ${en}` };
}
