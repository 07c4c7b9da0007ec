import Joi from 'joi';
import { PRINTABLE_TEXT } from '../domain/printable-text';
import type { Label } from '../i18n/labels';

// The building blocks of event payloads, so every event's text, code and level fields are checked alike.
export const text = (max = 2000) => Joi.string().trim().min(1).max(max).pattern(PRINTABLE_TEXT, 'printable text');
export const isoInstant = Joi.string().isoDate();
export const materialCode = Joi.string().pattern(/^[A-Za-z0-9_-]{1,32}$/);
export const reviewLevel = Joi.string().valid('city', 'province');

/**
 * A field as the console's form names it: `x-` keys survive into the JSON Schema (joi-to-json), while joi's own
 * `.label()` would also rename the field in the API's error messages.
 */
export function field<T extends Joi.Schema>(schema: T, label: Label, extra: Record<string, unknown> = {}): T {
  return schema.meta({ 'x-label': label, ...extra }) as T;
}

/** Names for the values of an enum field (`x-enumLabels`), e.g. an opinion or a verification method. */
export const enumLabels = (labels: Record<string, Label>) => ({ 'x-enumLabels': labels });

/** A timestamp the form fills in when it is sent (the moment a promise or pledge is signed). */
export const signedNow = { 'x-auto': 'now' };
