import type { AnyStateMachine } from 'xstate';
import type { StateFacts, StatusFact } from './process-types';

// XState state nodes as far as reading their facts needs them.
interface NodeLike {
  meta?: StateFacts;
  states: Record<string, NodeLike>;
}

/** The facts of the deepest active state that names a status (a parallel state names it for its regions). */
function factsFor(parent: NodeLike, value: unknown): StateFacts | undefined {
  const entries: [string, unknown][] = typeof value === 'string' ? [[value, undefined]] : Object.entries(value as object);
  for (const [key, sub] of entries) {
    const node = parent.states[key];
    if (!node) continue;
    const found = (sub === undefined ? undefined : factsFor(node, sub)) ?? (node.meta?.status ? node.meta : undefined);
    if (found) return found;
  }
  return undefined;
}

/** The status a person reads for a snapshot of `machine`, from its states' `meta.status` (and `meta.deficientStatus` while materials are owed). */
export function statusFromChart(machine: AnyStateMachine) {
  return (stateValue: unknown, context: { missing?: string[] }): string => {
    const facts = factsFor(machine.root as unknown as NodeLike, stateValue);
    if (!facts) return typeof stateValue === 'string' ? stateValue : Object.keys(stateValue as object)[0];
    return (facts.deficientStatus && (context.missing?.length ?? 0) > 0 ? facts.deficientStatus : facts.status!).id;
  };
}

/** Every status the chart can show, in the order of its states. */
export function statusesOf(machine: AnyStateMachine): StatusFact[] {
  const found: StatusFact[] = [];
  const visit = (node: NodeLike) => {
    for (const status of [node.meta?.status, node.meta?.deficientStatus]) if (status && !found.some((s) => s.id === status.id)) found.push(status);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root as unknown as NodeLike);
  return found;
}
