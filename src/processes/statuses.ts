import { processDefinitions, type ProcessDefinition } from '../../machines';
import { statusesOf } from '../../machines/chart-facts';
import type { StatusFact } from '../../machines/process-types';
import type { Label } from '../i18n/labels';

/** Statuses of the final top-level states of every process: an application with one of them is finished (办结). */
export function finishedStatuses(definitions: ProcessDefinition[] = processDefinitions): Set<string> {
  return new Set(definitions.flatMap((d) => Object.entries(d.machine.root.states)
    .filter(([, node]) => node.type === 'final')
    .map(([key]) => d.statusOf(key, { missing: [] } as never))));
}

/** Every status of every registered process, in chart order, with its labels (read from the charts' `meta`). */
export function allStatuses(definitions: ProcessDefinition[] = processDefinitions): StatusFact[] {
  const found = new Map<string, StatusFact>();
  for (const d of definitions) for (const status of statusesOf(d.machine)) if (!found.has(status.id)) found.set(status.id, status);
  return [...found.values()];
}

/** Statuses in which an application no longer waits for a decision: finished, or settled though still open (issued on a pledge). */
export function settledStatuses(definitions: ProcessDefinition[] = processDefinitions): Set<string> {
  return new Set([...finishedStatuses(definitions), ...allStatuses(definitions).filter((s) => s.settled).map((s) => s.id)]);
}

/** How a status reads in full; an unknown status shows its key, so a gap is visible. */
export function statusLabel(status: string, definitions: ProcessDefinition[] = processDefinitions): Label {
  return allStatuses(definitions).find((s) => s.id === status)?.label ?? { zh: status, en: status };
}
