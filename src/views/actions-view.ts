import { eventRefusal, type Principal } from '../auth/access-policy';
import type { ApplicationRecord } from '../engine/application-record';
import type { EventShape } from '../engine/permit-engine';
import { eventDefinition, SYSTEM_EVENTS, type FormChoices } from '../events';
import { jsonSchemaOf } from '../http/json-schema';
import type { Label } from '../i18n/labels';
import type { Services } from '../services';

type JsonSchema = { type?: string; enum?: unknown[]; properties?: Record<string, JsonSchema>; items?: JsonSchema } & Record<string, unknown>;

/** One event the reader may send now, as the console offers it: a button and a form built from `schema`. */
export interface ActionView {
  type: string;
  label: Label;
  style: 'primary' | 'danger' | 'secondary';
  hint: Label | null;
  warning: Label | null;
  /** The JSON Schema of the payload, narrowed to what this reader may send now and filled with this application's choices. */
  schema: JsonSchema;
}

// joi-to-json runs once per payload schema; each answer narrows its own copy.
const baseSchemas = new WeakMap<object, JsonSchema>();
const schemaOf = (payload: object & Parameters<typeof jsonSchemaOf>[0]): JsonSchema => {
  if (!baseSchemas.has(payload)) baseSchemas.set(payload, jsonSchemaOf(payload) as JsonSchema);
  return structuredClone(baseSchemas.get(payload)!);
};

/** What the principal may send now: the shapes the state accepts that the access policy lets this principal send (per level in 省市联审). */
export function allowedShapes(services: Services, principal: Principal, app: ApplicationRecord): EventShape[] {
  return services.engine.acceptedShapes(app).filter((s) => !SYSTEM_EVENTS.has(s.type) && eventRefusal(principal, app, s, services.catalog) === null);
}

/** The events the reader may send now as the console offers them, in the order their definitions give. */
export function actionsFor(services: Services, principal: Principal, app: ApplicationRecord): ActionView[] {
  const item = services.itemOf(app.itemCode);
  const allowed = allowedShapes(services, principal, app);
  return [...new Set(allowed.map((s) => s.type))]
    .map((type) => eventDefinition(type)!)
    .filter((d) => d?.payload)
    .sort((a, b) => (a.action?.order ?? Infinity) - (b.action?.order ?? Infinity))
    .map((d) => {
      const schema = schemaOf(d.payload!);
      narrowToShapes(schema, allowed.filter((s) => s.type === d.type));
      applyChoices(schema, d.action?.choices?.({ app, item, pledges: services.pledgeTexts }) ?? {});
      return { type: d.type, label: d.action?.label ?? d.label, style: d.action?.style ?? 'secondary', hint: d.action?.hint ?? null, warning: d.action?.warning?.(app, item) ?? null, schema };
    });
}

// A probed enum field (a review level) offers only the values this reader may send now, e.g. a province reviewer the province opinion.
function narrowToShapes(schema: JsonSchema, shapes: EventShape[]): void {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const values = shapes.map((s) => s[key]).filter((v) => typeof v === 'string');
    if (prop.enum && values.length) prop.enum = prop.enum.filter((v) => values.includes(v as string));
  }
}

// Choices are keyed by property path; a path through an array (`items.material`) reaches into its items.
function applyChoices(schema: JsonSchema, choices: FormChoices): void {
  for (const [path, choice] of Object.entries(choices)) {
    let node: JsonSchema | undefined = schema;
    for (const key of path.split('.')) node = (node?.type === 'array' ? node.items : node)?.properties?.[key];
    if (!node) throw new Error(`No field ${path} in the payload schema`);
    const values = node.type === 'array' && node.items ? node.items : node;
    if (choice.enum) values.enum = choice.enum;
    if (choice.labels) values['x-enumLabels'] = choice.labels;
    if (choice.descriptions) values['x-enumDescriptions'] = choice.descriptions;
    if (choice.default !== undefined) node['x-default'] = choice.default;
  }
}
