import type { ProcessDefinition } from '../../machines';
import type { StateFacts } from '../../machines/process-types';
import { eventLabel, SYSTEM_EVENTS } from '../events';
import type { Label } from '../i18n/labels';

export interface GraphNode {
  /** State path as the application's `state` names it, e.g. `review.active`. */
  id: string;
  parent: string | null;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial: string | null;
  label: Label;
}

export interface GraphEdge {
  from: string;
  /** Null for a transition that stays in its state (it only runs actions). */
  to: string | null;
  event: string;
  guard: string | null;
  label: Label;
  /** Sent by the engine (a deadline, an effect's result, the join of parallel branches), never by a person. */
  system: boolean;
}

export interface ProcessGraph {
  id: string;
  version: number;
  initial: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

// XState state nodes as far as the graph needs them; the public types hide `transitions` behind generics.
interface StateNodeLike {
  id: string;
  type: GraphNode['type'];
  meta?: StateFacts;
  states: Record<string, StateNodeLike>;
  initial?: { target: StateNodeLike[] };
  transitions: Map<string, { eventType: string; target?: StateNodeLike[]; guard?: unknown }[]>;
}

const DONE_EVENT = /^xstate\.done\.state\./;

/** The states and transitions of a registered machine, read from its definition, for drawing. */
export function processGraph(definition: ProcessDefinition): ProcessGraph {
  const root = definition.machine.root as unknown as StateNodeLike;
  const pathOf = (node: StateNodeLike) => node.id.slice(root.id.length + 1);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];

  const visit = (node: StateNodeLike, parent: string | null) => {
    const id = pathOf(node);
    const initial = node.initial?.target[0];
    nodes.push({ id, parent, type: node.type, initial: initial ? pathOf(initial) : null, label: node.meta?.label ?? { zh: id, en: id } });
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        const event = DONE_EVENT.test(eventType) ? 'done' : eventType;
        const targets = t.target?.length ? t.target.map(pathOf) : [null];
        for (const to of targets) {
          const done = event === 'done';
          edges.push({ from: id, to, event, guard: guardName(t.guard), label: done ? { zh: '全部通过', en: 'all approved' } : eventLabel(event), system: done || SYSTEM_EVENTS.has(event) });
        }
      }
    }
    for (const child of Object.values(node.states)) visit(child, id);
  };
  for (const child of Object.values(root.states)) visit(child, null);

  const initial = root.initial?.target[0];
  return { id: definition.id, version: definition.version, initial: initial ? pathOf(initial) : nodes[0].id, nodes, edges };
}

function guardName(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  // Combined guards (and/or/not) are functions that list the guards they combine.
  if (typeof guard === 'function' && 'guards' in guard) return `${guard.name}(${(guard.guards as unknown[]).map(guardName).join(', ')})`;
  if (typeof guard === 'object' && 'type' in guard) {
    const { type, params } = guard as { type: string; params?: Record<string, unknown> };
    return params ? `${type}(${Object.values(params).join(', ')})` : type;
  }
  return 'guard';
}
