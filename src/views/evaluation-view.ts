import { shanghaiDate, type WorkingCalendar } from '../calendar';
import { viewClock } from '../engine/clock';
import type { CatalogItem } from '../catalog/types';
import { LEVELS, STAGE_LABELS, type EvaluationReason } from '../evaluations/evaluation-rules';
import type { EvaluationRecord } from '../evaluations/evaluation-store';
import type { RectificationRecord } from '../evaluations/rectification-store';

interface ViewDeps {
  evaluationReasons: EvaluationReason[];
  calendar: WorkingCalendar;
  now: () => Date;
  rectification: { warningDays: number };
  itemOf: (code: string) => CatalogItem;
}

const reasonLabels = (services: Pick<ViewDeps, 'evaluationReasons'>, codes: string[]) =>
  codes.map((code) => services.evaluationReasons.find((r) => r.code === code) ?? { code, zh: code, en: code });

/** A rating as people read it: the level's words, the reasons' words, the Shanghai day; with its rectification's state. */
export function toEvaluationView(services: ViewDeps, e: EvaluationRecord, rectification: RectificationRecord | null) {
  return {
    id: e.id,
    stage: e.stage,
    stageLabel: STAGE_LABELS[e.stage],
    level: e.level,
    levelLabel: LEVELS[e.level],
    comment: e.comment,
    reasons: reasonLabels(services, e.reasons),
    channel: e.channel,
    on: shanghaiDate(new Date(e.at)),
    at: e.at,
    rectification: rectification ? toRectificationView(services, rectification) : null,
  };
}

/**
 * A rectification with its light (电子监察): its deadline read like a clock of `workingDays` from the day it opened, stopped
 * on the day it closed — yellow within RECTIFICATION_WARNING_DAYS of the deadline, red once overdue.
 */
export function toRectificationView(services: ViewDeps, r: RectificationRecord) {
  const clock = viewClock(
    { limitWorkingDays: r.workingDays, startedOn: r.openedOn, extraWorkingDays: 0, pausedOn: null, stoppedOn: r.closedOn ?? null },
    shanghaiDate(services.now()), services.rectification.warningDays, services.calendar,
  );
  const item = itemName(services, r.itemCode);
  return {
    id: r.id,
    applicationId: r.applicationId,
    applicationNo: r.applicationNo,
    applicantName: r.applicantName,
    itemCode: r.itemCode,
    itemName: item,
    stage: r.stage,
    level: r.level,
    levelLabel: LEVELS[r.level],
    reasons: reasonLabels(services, r.reasons),
    comment: r.comment,
    jurisdiction: r.jurisdiction,
    office: `${r.jurisdictionName}${r.department}`,
    status: r.status,
    openedOn: r.openedOn,
    workingDays: r.workingDays,
    dueDate: r.dueDate,
    remainingWorkingDays: clock.remainingWorkingDays,
    light: clock.light,
    onTime: r.closedOn ? r.closedOn <= r.dueDate : null,
    reply: r.reply ? { text: r.reply.text, by: r.reply.by.name, on: r.reply.on } : null,
    followUp: r.followUp ? { reached: r.followUp.reached, satisfied: r.followUp.satisfied, note: r.followUp.note, by: r.followUp.by.name, on: r.followUp.on } : null,
    closedOn: r.closedOn ?? null,
  };
}

function itemName(services: Pick<ViewDeps, 'itemOf'>, code: string): string {
  try {
    return services.itemOf(code).name;
  } catch {
    return code; // an item since removed from the catalog still shows its code
  }
}
