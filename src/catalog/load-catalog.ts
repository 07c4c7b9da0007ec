import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Joi from 'joi';
import { catalogFileSchema, jurisdictionParentProblems, jurisdictionsFileSchema } from './catalog-schema';
import type { Catalog, CatalogItem, Jurisdiction } from './types';

// Messages show the path as the operator typed it, or relative to the working directory when that is shorter.
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${displayPath(file)}: cannot read file (${(err as Error).message})`, { cause: err });
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new Error(`${displayPath(file)}: invalid JSON (${(err as Error).message})`, { cause: err });
  }
}

function validate<T>(file: string, schema: Joi.ObjectSchema, data: unknown): T {
  const { error, value } = schema.validate(data, { abortEarly: false, convert: false, errors: { wrap: { label: false } } });
  if (error) throw new Error(`${displayPath(file)}: ${error.details.map((d) => d.message).join('; ')}`);
  return value as T;
}

/**
 * Reads and validates `catalog.json` and `jurisdictions.json` from `configDir`.
 * Throws an Error whose message starts with the file and names each bad field path,
 * e.g. `config/catalog.json: items[2].legalLimitDays must be a positive integer`.
 */
export function loadCatalog(configDir: string): Catalog {
  const catalogFile = path.join(configDir, 'catalog.json');
  const jurisdictionsFile = path.join(configDir, 'jurisdictions.json');
  const { items } = validate<{ items: CatalogItem[] }>(catalogFile, catalogFileSchema, readJson(catalogFile));
  const { jurisdictions } = validate<{ jurisdictions: Jurisdiction[] }>(
    jurisdictionsFile, jurisdictionsFileSchema, readJson(jurisdictionsFile));
  const problems = jurisdictionParentProblems(jurisdictions);
  if (problems.length > 0) throw new Error(`${displayPath(jurisdictionsFile)}: ${problems.join('; ')}`);
  return { items, jurisdictions };
}

/** The catalog item with this code, or undefined. */
export function findItem(catalog: Catalog, code: string): CatalogItem | undefined {
  return catalog.items.find((item) => item.code === code);
}

/** The jurisdiction with this administrative division code, or undefined. */
export function findJurisdiction(catalog: Catalog, code: string): Jurisdiction | undefined {
  return catalog.jurisdictions.find((j) => j.code === code);
}
