import type Joi from 'joi';
import parse from 'joi-to-json';

/** The JSON Schema (OpenAPI 3.1 dialect) of a joi schema: the one the API description and the console's forms show. */
export function jsonSchemaOf(schema: Joi.Schema): Record<string, unknown> {
  return withoutRegexFlags(parse(schema, 'open-api-3.1')) as Record<string, unknown>;
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
