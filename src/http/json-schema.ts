import type Joi from 'joi';
import parse from 'joi-to-json';

/** The JSON Schema (OpenAPI 3.1 dialect) of a joi schema: the one the API description and the console's forms show. */
export function jsonSchemaOf(schema: Joi.Schema): Record<string, unknown> {
  return parse(schema, 'open-api-3.1') as Record<string, unknown>;
}
