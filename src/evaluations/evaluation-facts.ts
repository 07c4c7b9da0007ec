import { shanghaiDate } from '../calendar';
import type { Stage } from './evaluation-rules';
import type { EvaluationRecord } from './evaluation-store';
import type { RectificationRecord } from './rectification-store';

/**
 * What the supervision statistics count of 好差评 and 整改, one fact per thing that happened, keyed so it can be counted
 * per day and dimension: `key` is the same each time the same thing is reported (a retried invitation, a repaired
 * step), so a counter that keeps the keys it counted never counts one twice. Every fact can be derived again from the
 * stored records (`factsOfEvaluation`, `factsOfRectification`), for a recount.
 */
export interface EvaluationFact {
  key: string;
  type: 'invited' | 'rated' | 'rectification_opened' | 'rectification_replied' | 'rectification_closed';
  applicationId: string;
  /** The office rated: the application's routing jurisdiction. */
  jurisdiction: string;
  itemCode: string;
  stage: Stage;
  /** The Asia/Shanghai day it happened (YYYY-MM-DD), the day it is counted on. */
  day: string;
  /** rated: 1–5 (5 非常满意); rectification facts carry the level of the rating behind them. */
  level?: number;
  /** rated: online (the applicant on the status page) or window (recorded by a clerk). */
  channel?: 'online' | 'window';
  /** invited: the last day to rate; unrated after it counts as not rated (never as a rating). */
  expiresOn?: string;
  /** rectification_replied / _closed: done by the task's deadline (working days). */
  onTime?: boolean;
  /** rectification_closed: the applicant was reached by the call back (回访), and whether they were then satisfied (null: not asked). */
  followedUp?: boolean;
  satisfied?: boolean | null;
}

export type EvaluationFactListener = (fact: EvaluationFact) => void | Promise<void>;

/**
 * The one place 好差评 and 整改 report their facts: the use-cases and the invitation effect call `emit` after the
 * record is written. The statistics subscribe with `listen`; a listener's failure is logged, never the caller's.
 */
export function createEvaluationFacts(warn: (obj: object, msg: string) => void) {
  const listeners: EvaluationFactListener[] = [];
  return {
    listen(listener: EvaluationFactListener): () => void {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener), 1);
    },
    async emit(fact: EvaluationFact): Promise<void> {
      for (const listener of listeners) {
        try {
          await listener(fact);
        } catch (e) {
          warn({ err: e, fact: fact.key }, 'an evaluation fact listener failed');
        }
      }
    },
  };
}

export type EvaluationFacts = ReturnType<typeof createEvaluationFacts>;

/** The invitation to rate a stage, as the invitation effect reports it. */
export function invitedFact(app: { id: string; itemCode: string; routing: { jurisdiction: string } }, stage: Stage, invitedAt: Date, expiresOn: string): EvaluationFact {
  return { key: `invited:${app.id}:${stage}`, type: 'invited', applicationId: app.id, jurisdiction: app.routing.jurisdiction, itemCode: app.itemCode, stage, day: shanghaiDate(invitedAt), expiresOn };
}

/** The rating itself. */
export function factsOfEvaluation(e: EvaluationRecord): EvaluationFact[] {
  return [{ key: `rated:${e.id}`, type: 'rated', applicationId: e.applicationId, jurisdiction: e.jurisdiction, itemCode: e.itemCode, stage: e.stage, day: shanghaiDate(new Date(e.at)), level: e.level, channel: e.channel }];
}

/** What a rectification did so far: opened, replied, closed (with on-time and follow-up). */
export function factsOfRectification(r: RectificationRecord): EvaluationFact[] {
  const base = { applicationId: r.applicationId, jurisdiction: r.jurisdiction, itemCode: r.itemCode, stage: r.stage, level: r.level };
  const facts: EvaluationFact[] = [{ ...base, key: `rectification_opened:${r.id}`, type: 'rectification_opened', day: r.openedOn }];
  if (r.reply) facts.push({ ...base, key: `rectification_replied:${r.id}`, type: 'rectification_replied', day: r.reply.on, onTime: r.reply.on <= r.dueDate });
  if (r.followUp && r.closedOn) {
    facts.push({ ...base, key: `rectification_closed:${r.id}`, type: 'rectification_closed', day: r.closedOn, onTime: r.closedOn <= r.dueDate, followedUp: r.followUp.reached, satisfied: r.followUp.satisfied });
  }
  return facts;
}
