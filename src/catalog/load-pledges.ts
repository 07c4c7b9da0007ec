import { readFileSync } from 'node:fs';
import path from 'node:path';
import Joi from 'joi';

const schema = Joi.object({ versions: Joi.object().pattern(/^[A-Za-z0-9._-]{1,32}$/, Joi.string().min(20).required()).min(1).required() });

/** 告知承诺书 texts by version; a pledge stores the version it was signed on and a hash of that text. */
export function loadPledgeTexts(configDir: string): Map<string, string> {
  const file = path.join(configDir, 'pledges.json');
  const { value, error } = schema.validate(JSON.parse(readFileSync(file, 'utf8')), { abortEarly: false });
  if (error) throw new Error(`${file}: ${error.details.map((d) => d.message).join('; ')}`);
  return new Map(Object.entries(value.versions as Record<string, string>));
}
