import type { InspectionRecord } from '../engine/application-record';
import type { EventContext } from './event-definition';
import { refuse } from './event-definition';

/** The latest inspection of the application, or null. */
export const latestInspection = (ctx: Pick<EventContext, 'app'>): InspectionRecord | null => ctx.app.details.inspections?.at(-1) ?? null;

/**
 * 现场核查: an item that requires a site inspection is not decided before the inspection has a result, and not approved
 * on a failed one (deny, or inspect again after the enterprise put it right). A precondition for the decision events
 * (APPROVE; a review chain's PROPOSE of an approval), used in their `check`.
 */
export function refuseDecisionBeforeInspection(ctx: Pick<EventContext, 'app' | 'item'>, event?: { decision?: unknown }): void {
  if (!ctx.item.siteInspection?.required) return;
  // A proposed denial needs no inspection result: a failed point is one reason to deny.
  if (event?.decision === 'deny') return;
  const last = latestInspection(ctx);
  if (!last) refuse('本事项须经现场核查，尚未安排核查，不能作出准予决定 / This item requires a site inspection before the decision; none is scheduled yet');
  if (last.status !== 'recorded') refuse(`现场核查（${last.date}）尚无结果，不能作出准予决定 / The site inspection of ${last.date} has no result yet; the decision waits for it`);
  if (last.result?.conclusion === 'fail') refuse('现场核查不合格，不能准予许可：可不予许可，或整改后重新核查 / The site inspection failed: deny, or inspect again after the enterprise has put it right');
}
