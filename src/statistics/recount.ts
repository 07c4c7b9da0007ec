import { shanghaiDate, type WorkingCalendar } from '../calendar';
import type { CatalogItem } from '../catalog/types';
import type { ReminderRecord } from '../certificates/reminder-store';
import type { ApplicationRecord } from '../engine/application-record';
import { addFacts, byDay, type StatisticsDay } from '../store/statistics-days';
import type { EvaluationFact } from '../evaluations/evaluation-facts';
import type { EvaluationSettings } from '../evaluations/invitations';
import { evaluationCounts } from './evaluation-counts';
import { factsOf, type Fact } from './facts';

/** The count a sent reminder makes: in its certificate's jurisdiction, on the day it was sent, mail and SMS apart. */
export function reminderFact(reminder: Pick<ReminderRecord, 'key' | 'jurisdiction' | 'itemCode' | 'channel'>, sentAt: Date): Fact {
  return {
    jurisdiction: reminder.jurisdiction,
    day: shanghaiDate(sentAt),
    dims: { itemCode: reminder.itemCode, channel: '-', businessType: '-', process: '-' },
    metric: reminder.channel === 'sms' ? 'smsRemindersSent' : 'remindersSent',
    id: reminder.key,
  };
}

/**
 * Counts everything again from the truth: every stored application (its timeline and clocks), every reminder the
 * ledger records as sent, and the facts of the stored ratings and rectifications, into fresh day documents. A maintenance command's work: it reads both collections whole.
 */
export async function recountStatistics(
  applications: AsyncIterable<ApplicationRecord>,
  sentReminders: AsyncIterable<ReminderRecord>,
  deps: { itemOf: (code: string) => CatalogItem; calendar: WorkingCalendar; evaluation: EvaluationSettings },
  progress: (done: number) => void = () => {},
  evaluationFacts: AsyncIterable<EvaluationFact> = (async function* () {})(),
): Promise<StatisticsDay[]> {
  const days = new Map<string, StatisticsDay>();
  const add = (facts: Fact[]) => {
    for (const [id, group] of byDay(facts)) {
      const day = days.get(id) ?? { _id: id, jurisdiction: group[0].jurisdiction, day: group[0].day, version: 0, cells: {} };
      addFacts(day, group);
      days.set(id, day);
    }
  };
  let done = 0;
  for await (const app of applications) {
    add(factsOf(app, deps.itemOf(app.itemCode), deps.calendar, deps.evaluation));
    if (++done % 1000 === 0) progress(done);
  }
  for await (const r of sentReminders) if (r.state === 'sent' && r.sentAt) add([reminderFact(r, r.sentAt)]);
  for await (const f of evaluationFacts) add(evaluationCounts(f));
  return [...days.values()].sort((a, b) => (a._id < b._id ? -1 : 1));
}
