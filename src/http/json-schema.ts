import type Joi from 'joi';
import parse from 'joi-to-json';

type Json = Record<string, unknown>;
interface Described { type?: string; rules?: { name: string; args?: { limit?: number } }[]; allow?: unknown[]; keys?: Record<string, Described>; items?: Described[]; matches?: { schema?: Described }[] }

/** The JSON Schema (OpenAPI 3.1 dialect) of a joi schema: the one the API description and the console's forms show. */
export function jsonSchemaOf(schema: Joi.Schema): Record<string, unknown> {
  const json = withoutRegexFlags(parse(schema, 'open-api-3.1')) as Json;
  addDroppedRules(schema.describe() as Described, json);
  return json;
}

// joi-to-json keeps a regex's flags (`^…$/u`) in `pattern`; JSON Schema patterns have none (they are read as unicode).
function withoutRegexFlags(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRegexFlags);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [
    key,
    key === 'pattern' && typeof value === 'string' ? value.replace(/\/[dgimsuvy]+$/, '') : withoutRegexFlags(value),
  ]));
}

const limit = (d: Described, name: string) => d.rules?.find((r) => r.name === name)?.args?.limit;

// Two things joi checks that joi-to-json leaves out: a joi string refuses "" unless allowed, and an object's min/max keys.
function addDroppedRules(d: Described, json: Json | undefined): void {
  if (!json || typeof json !== 'object') return;
  if (d.type === 'string' && json.type === 'string' && json.minLength === undefined && !json.enum && !d.allow?.includes('')) json.minLength = 1;
  if (d.type === 'object') {
    if (limit(d, 'min') !== undefined) json.minProperties = limit(d, 'min');
    if (limit(d, 'max') !== undefined) json.maxProperties = limit(d, 'max');
    const properties = json.properties as Record<string, Json> | undefined;
    for (const [key, child] of Object.entries(d.keys ?? {})) addDroppedRules(child, properties?.[key]);
  }
  if (d.type === 'array' && d.items?.length === 1) addDroppedRules(d.items[0], json.items as Json);
  if (d.type === 'alternatives') {
    const options = (json.anyOf ?? json.oneOf) as Json[] | undefined;
    d.matches?.forEach((m, i) => m.schema && addDroppedRules(m.schema, options?.[i]));
  }
}
