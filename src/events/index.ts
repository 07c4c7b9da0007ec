import type Joi from 'joi';
import type { Label } from '../i18n/labels';
import { chainEvents } from './chain-events';
import { assistanceEvents } from './assistance-events';
import { commitmentEvents } from './commitment-events';
import { deficiencyEvents } from './deficiency-events';
import type { EventDefinition } from './event-definition';
import { jointReviewEvents } from './joint-review-events';
import { materialEvents } from './material-events';
import { renewalEvents } from './renewal-events';
import { standardEvents } from './standard-events';
import { systemEvents } from './system-events';

export * from './event-definition';

const registry = new Map<string, EventDefinition>();

/** Payload schemas of the events a person sends, by type: what the validator checks and the API document shows. Kept in step by `registerEvent`. */
export const EVENT_PAYLOADS: Record<string, Joi.ObjectSchema> = {};

/** The types of the events a person sends (the keys of EVENT_PAYLOADS, in definition order). */
export const API_EVENT_TYPES: string[] = [];

/** Events only the engine sends (deadlines, effect results, the submission itself); no person may send them. Kept in step by `registerEvent`. */
export const SYSTEM_EVENTS = new Set<string>();

// Counts registrations, so what is built from the definitions (the API document) knows when to build again.
let version = 0;

/** Changes whenever an event is registered or removed. */
export const eventRegistryVersion = (): number => version;

/**
 * Adds an event definition (a new process's events, or a test's); returns a function that removes it again.
 * An event a person sends needs `sentBy` and `payload`; one without `sentBy` is a system event.
 */
export function registerEvent(definition: EventDefinition): () => void {
  if (registry.has(definition.type)) throw new Error(`Event ${definition.type} is already defined`);
  if (definition.sentBy && !definition.payload) throw new Error(`Event ${definition.type} is sent by people but has no payload schema`);
  registry.set(definition.type, definition);
  version++;
  if (definition.sentBy) {
    EVENT_PAYLOADS[definition.type] = definition.payload!;
    API_EVENT_TYPES.push(definition.type);
  } else SYSTEM_EVENTS.add(definition.type);
  return () => {
    registry.delete(definition.type);
    version++;
    delete EVENT_PAYLOADS[definition.type];
    if (API_EVENT_TYPES.includes(definition.type)) API_EVENT_TYPES.splice(API_EVENT_TYPES.indexOf(definition.type), 1);
    SYSTEM_EVENTS.delete(definition.type);
  };
}

for (const definition of [...standardEvents, ...materialEvents, ...deficiencyEvents, ...commitmentEvents, ...jointReviewEvents, ...chainEvents, ...renewalEvents, ...assistanceEvents, ...systemEvents]) registerEvent(definition);

/** The definition of an event type, or undefined for a type nobody defined. */
export const eventDefinition = (type: string): EventDefinition | undefined => registry.get(type);

/** Every defined event, in the order they were defined. */
export const eventDefinitions = (): EventDefinition[] => [...registry.values()];

/** What the timeline says happened; an unknown event shows its type, so a gap is visible. */
export const eventLabel = (type: string): Label => registry.get(type)?.label ?? { zh: type, en: type };

/** The payload shapes to probe an event with (its transitions depend on them), or one empty shape. */
export const probesOf = (type: string): Record<string, unknown>[] => registry.get(type)?.probes ?? [{}];
