import type Joi from 'joi';
import { AppError } from '../errors';

/** Validates input against a joi schema; a 400 names every field that is wrong. */
export function validate<T>(schema: Joi.Schema, input: unknown, what = 'request'): T {
  const { value, error } = schema.validate(input, { abortEarly: false, stripUnknown: false, convert: true });
  if (error) {
    const details = error.details.map((d) => ({ field: d.path.join('.'), message: d.message }));
    throw new AppError('VALIDATION_FAILED', `${what} 参数错误 / Invalid ${what}: ${details.map((d) => d.message).join('; ')}`, details);
  }
  return value as T;
}
