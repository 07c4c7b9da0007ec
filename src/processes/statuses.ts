import { processDefinitions, type ProcessDefinition } from '../../machines';

/** Statuses of the final top-level states of every process: an application with one of them is finished (办结). */
export function finishedStatuses(definitions: ProcessDefinition[] = processDefinitions): Set<string> {
  return new Set(definitions.flatMap((d) => Object.entries(d.machine.root.states)
    .filter(([, node]) => node.type === 'final')
    .map(([key]) => d.statusOf(key, { missing: [] } as never))));
}
