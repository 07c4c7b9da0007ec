import type { EvaluationFact } from '../evaluations/evaluation-facts';
import type { Fact, Metric } from './facts';

/**
 * The counts one 好差评 or 整改 fact makes, in the rated office's day: the same function counts them as they happen (the
 * facts' listener) and in the recount (from the stored ratings and rectifications). Invitations are counted from the
 * applications themselves (facts.ts), so they need no listener.
 */
export function evaluationCounts(fact: EvaluationFact): Fact[] {
  // Not about how the application came in: the rating's own channel stays in the rating record.
  const dims = { itemCode: fact.itemCode, channel: '-', businessType: '-', process: '-' };
  const count = (metric: Metric): Fact => ({ jurisdiction: fact.jurisdiction, day: fact.day, dims, metric, id: fact.key });
  switch (fact.type) {
    case 'rated':
      return [count('rated'), count(`rated${fact.level as 1 | 2 | 3 | 4 | 5}`)];
    case 'rectification_opened':
      return [count('rectificationsOpened')];
    case 'rectification_closed':
      return [count('rectificationsClosed'), ...(fact.onTime ? [count('rectificationsOnTime')] : []), ...(fact.followedUp ? [count('followedUp')] : [])];
    default:
      return [];
  }
}
