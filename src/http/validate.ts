import Joi from 'joi';
import { AppError } from '../errors';

/** Application numbers (`370600-20260302-00001`) and query codes as people type them. */
export const APPLICATION_NO = Joi.string().trim().pattern(/^[A-Za-z0-9-]{1,40}$/, 'application number');
export const USERNAME = Joi.string().pattern(/^[a-z0-9._-]{2,40}$/, 'username (a–z, 0–9, . _ -)');
export const QUERY_CODE = Joi.string().trim().pattern(/^[A-Za-z0-9]{4,16}$/, 'query code');

/** Validates input against a joi schema; a 400 names every field that is wrong. */
export function validate<T>(schema: Joi.Schema, input: unknown, what = 'request'): T {
  const { value, error } = schema.validate(input, { abortEarly: false, stripUnknown: false, convert: true });
  if (error) {
    const details = error.details.map((d) => ({ field: d.path.join('.'), message: d.message }));
    throw new AppError('VALIDATION_FAILED', `${what} 参数错误 / Invalid ${what}: ${details.map((d) => d.message).join('; ')}`, details);
  }
  return value as T;
}
