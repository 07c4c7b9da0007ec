import { addCalendarDays, shanghaiDate } from '../calendar';
import type { ApplicationRecord } from '../engine/application-record';
import { stagesReached, type Stage } from './evaluation-rules';

/** The settings that decide who is invited and for how long (EVALUATION_AT_ACCEPTANCE, EVALUATION_WINDOW_DAYS). */
export interface EvaluationSettings {
  atAcceptance: boolean;
  windowDays: number;
}

/** An invitation to rate one stage: the day it went out and the last day to rate (unrated after it: not rated). */
export interface Invitation {
  stage: Stage;
  invitedAt: Date;
  invitedOn: string;
  expiresOn: string;
}

/** The invitation of a stage reached at `at`. */
export function invitationAt(stage: Stage, at: Date, settings: Pick<EvaluationSettings, 'windowDays'>): Invitation {
  const invitedOn = shanghaiDate(at);
  return { stage, invitedAt: at, invitedOn, expiresOn: addCalendarDays(invitedOn, settings.windowDays) };
}

/** The invitation of a stage, read from the timeline entry that reached it (the same rule that planned the invitation); null before. */
export function invitationOf(app: Pick<ApplicationRecord, 'timeline'>, stage: Stage, settings: EvaluationSettings): Invitation | null {
  const entry = app.timeline.find((t) => stagesReached({ event: t.event, fromStatus: t.fromStatus, toStatus: t.toStatus }, settings.atAcceptance).includes(stage));
  return entry ? invitationAt(stage, new Date(entry.at), settings) : null;
}
